/** AES-256-GCM per value: round trip, fresh IVs, tamper detection, AAD binding, key ids. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DecryptionError, decryptValue, encryptValue, Keyring, KeyringError } from '../src/index.js';

const b64 = () => randomBytes(32).toString('base64');
const keyring = Keyring.parse(`k1:${b64()},k2:${b64()}`, 'k2');

describe('encryptValue / decryptValue', () => {
  it('round-trips any string under the active key, recording its id', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string(), (plaintext, aad) => {
        const sealed = encryptValue(keyring, plaintext, aad);
        assert.equal(sealed.keyId, 'k2');
        assert.equal(decryptValue(keyring, sealed, aad), plaintext);
      }),
    );
  });

  it('uses a fresh 12-byte IV per value and never stores the plaintext', () => {
    const secret = 'Atzr|refresh-token-value-1234567890';
    const a = encryptValue(keyring, secret, 'c1/f');
    const b = encryptValue(keyring, secret, 'c1/f');
    assert.equal(Buffer.from(a.iv, 'base64').length, 12);
    assert.equal(Buffer.from(a.tag, 'base64').length, 16);
    assert.notEqual(a.iv, b.iv);
    assert.notEqual(a.data, b.data);
    assert.ok(!JSON.stringify(a).includes(secret));
    assert.ok(!JSON.stringify(a).includes(Buffer.from(secret).toString('base64')));
  });

  it('detects tampering with the ciphertext, the tag or the IV', () => {
    const sealed = encryptValue(keyring, 'client-secret-value', 'c1/amazon.lwaClientSecret');
    const flip = (text: string) => {
      const bytes = Buffer.from(text, 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      return bytes.toString('base64');
    };
    for (const field of ['data', 'tag', 'iv'] as const) {
      const altered = { ...sealed, [field]: flip(sealed[field]) };
      assert.throws(
        () => decryptValue(keyring, altered, 'c1/amazon.lwaClientSecret'),
        DecryptionError,
        field,
      );
    }
  });

  it('fails with another AAD (another connection or field)', () => {
    const sealed = encryptValue(keyring, 'password-value', 'mlc.connection/c1/jde.password');
    assert.throws(() => decryptValue(keyring, sealed, 'mlc.connection/c2/jde.password'), DecryptionError);
    assert.throws(
      () => decryptValue(keyring, sealed, 'mlc.connection/c1/amazon.refreshToken'),
      DecryptionError,
    );
  });

  it('fails when the recorded key id is swapped for another configured key', () => {
    const sealed = encryptValue(keyring, 'password-value', 'aad');
    assert.throws(() => decryptValue(keyring, { ...sealed, keyId: 'k1' }, 'aad'), DecryptionError);
  });

  it('names the missing key, not the data, when the key is not configured', () => {
    const sealed = encryptValue(keyring, 'password-value', 'aad');
    const other = Keyring.parse(`k9:${b64()}`, 'k9');
    assert.throws(
      () => decryptValue(other, sealed, 'aad'),
      (error: Error) => {
        assert.ok(error instanceof KeyringError);
        assert.match(error.message, /master key "k2" is not configured/);
        assert.ok(!error.message.includes(sealed.data));
        return true;
      },
    );
  });

  it('error messages never contain the plaintext or key material', () => {
    const secret = 'super-secret-value-xyz';
    const sealed = encryptValue(keyring, secret, 'aad');
    try {
      decryptValue(keyring, sealed, 'other');
      assert.fail('should throw');
    } catch (error) {
      assert.ok(!String(error).includes(secret));
    }
  });
});
