/**
 * Authenticated encryption of single secret values (a refresh token, a password) with AES-256-GCM:
 * a fresh random 12-byte IV per value, the 16-byte tag stored beside the ciphertext, and additional
 * authenticated data binding the value to where it is stored (the connection id and the field), so a
 * ciphertext copied into another connection or field does not decrypt. Each value records the id of
 * the master key it was encrypted under, which is what lets keys rotate.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { registerSecret } from '@mlc/observability';
import type { Keyring } from './keyring.js';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** One encrypted value as stored: base64 fields and the master key id. */
export interface EncryptedValue {
  keyId: string;
  iv: string;
  tag: string;
  data: string;
}

export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

/** Encrypts under the active key (and registers the plaintext with the log scrubber). */
export function encryptValue(keyring: Keyring, plaintext: string, aad: string): EncryptedValue {
  registerSecret(plaintext);
  const keyId = keyring.activeKeyId;
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, keyring.key(keyId), iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    keyId,
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/**
 * Decrypts a value, registering the plaintext with the log scrubber. Throws DecryptionError (naming
 * only the key id and `aad`'s owner, never data) when the value was altered, belongs elsewhere, or
 * was encrypted under another key; KeyringError when its key is not configured.
 */
export function decryptValue(keyring: Keyring, value: EncryptedValue, aad: string): string {
  const key = keyring.key(value.keyId);
  const iv = Buffer.from(value.iv, 'base64');
  const tag = Buffer.from(value.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    throw new DecryptionError(`encrypted value under key "${value.keyId}" is malformed (IV or tag length)`);
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([
      decipher.update(Buffer.from(value.data, 'base64')),
      decipher.final(),
    ]).toString('utf8');
    registerSecret(plaintext);
    return plaintext;
  } catch {
    throw new DecryptionError(
      `encrypted value under key "${value.keyId}" failed authentication: altered, or stored under another connection or field`,
    );
  }
}

export function isEncryptedValue(value: unknown): value is EncryptedValue {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.keyId === 'string' &&
    typeof v.iv === 'string' &&
    typeof v.tag === 'string' &&
    typeof v.data === 'string'
  );
}
