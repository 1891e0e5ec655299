/** Master keys from the environment: parsing, validation messages without key material. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Keyring, KeyringError, parseMasterKeys } from '../src/index.js';

const b64 = (n = 32) => randomBytes(n).toString('base64');

describe('Keyring', () => {
  it('parses several keys and the active id', () => {
    const keyring = Keyring.parse(` old:${b64()} , new:${b64()} `, 'new');
    assert.deepEqual(keyring.keyIds, ['old', 'new']);
    assert.equal(keyring.activeKeyId, 'new');
    assert.equal(keyring.key('old').length, 32);
  });

  it('rejects wrong lengths, bad base64, duplicates and bad ids, naming the key and not its material', () => {
    const short = b64(16);
    const { problems } = parseMasterKeys(
      `a:${short},b:not base64!,a2:${b64()},a2:${b64()},bad id:${b64()},nocolon`,
    );
    assert.deepEqual(problems, [
      'key "a": decodes to 16 bytes, expected 32 (AES-256)',
      'key "b": not valid base64',
      'key "a2": given twice',
      'entry 5: key id must be 1-32 characters of letters, digits, "_" or "-"',
      'entry 6: expected keyId:base64-32-bytes',
    ]);
    assert.ok(!problems.join(' ').includes(short));
  });

  it('rejects an active id that is not among the keys', () => {
    assert.throws(
      () => Keyring.parse(`k1:${b64()}`, 'k2'),
      /active key id "k2" is not among the master keys \(k1\)/,
    );
  });

  it('fromEnv says which variable is missing', () => {
    assert.throws(() => Keyring.fromEnv({}), /MLC_MASTER_KEYS is not set/);
    assert.throws(() => Keyring.fromEnv({ MLC_MASTER_KEYS: `k:${b64()}` }), /MLC_ACTIVE_KEY_ID is not set/);
    assert.ok(Keyring.fromEnv({ MLC_MASTER_KEYS: `k:${b64()}`, MLC_ACTIVE_KEY_ID: 'k' }) instanceof Keyring);
  });

  it('refuses an empty list', () => {
    assert.throws(() => Keyring.parse(' , ', 'k'), KeyringError);
  });
});
