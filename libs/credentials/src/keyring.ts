/**
 * The master keys that encrypt stored credentials. Operators give them as environment variables:
 * `MLC_MASTER_KEYS` is a comma-separated list of `keyId:base64(32 bytes)` and `MLC_ACTIVE_KEY_ID`
 * names the one new values are encrypted under. Older keys stay in the list so whatever was
 * encrypted under them still decrypts until `mlc keys rotate` has re-encrypted it.
 *
 * Errors name the key id and what is wrong, never the key material.
 */
import { registerSecret } from '@mlc/observability';

export const KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export class KeyringError extends Error {
  override name = 'KeyringError';
}

/** Parses `keyId:base64,...`; returns the keys by id or the list of problems (without key material). */
export function parseMasterKeys(text: string): { keys: Map<string, Buffer>; problems: string[] } {
  const keys = new Map<string, Buffer>();
  const problems: string[] = [];
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) problems.push('no keys given: expected keyId:base64-32-bytes[,keyId:base64…]');
  entries.forEach((entry, index) => {
    const colon = entry.indexOf(':');
    const where = `entry ${index + 1}`;
    if (colon <= 0) {
      problems.push(`${where}: expected keyId:base64-32-bytes`);
      return;
    }
    const id = entry.slice(0, colon);
    const material = entry.slice(colon + 1);
    if (!KEY_ID.test(id)) {
      problems.push(`${where}: key id must be 1-32 characters of letters, digits, "_" or "-"`);
      return;
    }
    if (keys.has(id)) {
      problems.push(`key "${id}": given twice`);
      return;
    }
    if (!BASE64.test(material) || material.length % 4 !== 0) {
      problems.push(`key "${id}": not valid base64`);
      return;
    }
    const key = Buffer.from(material, 'base64');
    if (key.length !== KEY_BYTES) {
      problems.push(`key "${id}": decodes to ${key.length} bytes, expected ${KEY_BYTES} (AES-256)`);
      return;
    }
    registerSecret(material);
    keys.set(id, key);
  });
  return { keys, problems };
}

/** The master keys and which one encrypts new values. */
export class Keyring {
  readonly #keys: ReadonlyMap<string, Buffer>;

  private constructor(
    keys: ReadonlyMap<string, Buffer>,
    readonly activeKeyId: string,
  ) {
    this.#keys = keys;
  }

  /** Builds a keyring, throwing one KeyringError that lists every problem. */
  static parse(masterKeys: string, activeKeyId: string): Keyring {
    const { keys, problems } = parseMasterKeys(masterKeys);
    if (problems.length === 0 && !keys.has(activeKeyId)) {
      problems.push(
        `active key id "${activeKeyId}" is not among the master keys (${[...keys.keys()].join(', ')})`,
      );
    }
    if (problems.length > 0) throw new KeyringError(`invalid master keys: ${problems.join('; ')}`);
    return new Keyring(keys, activeKeyId);
  }

  /** From MLC_MASTER_KEYS and MLC_ACTIVE_KEY_ID. */
  static fromEnv(env: Record<string, string | undefined> = process.env): Keyring {
    const masterKeys = env.MLC_MASTER_KEYS;
    const active = env.MLC_ACTIVE_KEY_ID;
    if (!masterKeys) throw new KeyringError('MLC_MASTER_KEYS is not set');
    if (!active) throw new KeyringError('MLC_ACTIVE_KEY_ID is not set');
    return Keyring.parse(masterKeys, active);
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  has(keyId: string): boolean {
    return this.#keys.has(keyId);
  }

  /** The key with this id; throws KeyringError when this keyring does not hold it. */
  key(keyId: string): Buffer {
    const key = this.#keys.get(keyId);
    if (!key) {
      throw new KeyringError(`master key "${keyId}" is not configured (known: ${this.keyIds.join(', ')})`);
    }
    return key;
  }
}
