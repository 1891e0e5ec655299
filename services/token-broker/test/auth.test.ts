/** Bearer authentication of callers and the configuration checks at boot. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { ConfigError, loadConfig } from '@mlc/config';
import { bearerCheck, requireBearer } from '../src/auth.js';
import { configSchema } from '../src/config.js';

const metadata = (value?: string) => {
  const m = new grpc.Metadata();
  if (value !== undefined) m.set('authorization', value);
  return m;
};

describe('bearerCheck', () => {
  const check = bearerCheck(['token-one-0123456789', 'token-two-0123456789']);
  it('accepts any configured token', () => {
    assert.equal(check(metadata('Bearer token-one-0123456789')), true);
    assert.equal(check(metadata('bearer token-two-0123456789')), true);
  });
  it('refuses a missing, malformed, wrong or prefix token', () => {
    for (const value of [
      undefined,
      '',
      'token-one-0123456789',
      'Basic token-one-0123456789',
      'Bearer token-one',
      'Bearer token-one-0123456789x',
    ]) {
      assert.equal(check(metadata(value)), false, String(value));
    }
  });
});

describe('requireBearer', () => {
  it('answers UNAUTHENTICATED without calling the handler', () => {
    let called = 0;
    const handler: grpc.handleUnaryCall<unknown, unknown> = () => {
      called++;
    };
    const wrapped = requireBearer({ M: handler }, bearerCheck(['token-one-0123456789']));
    let answer: unknown;
    wrapped.M!(
      { metadata: metadata() } as never,
      ((error: unknown) => {
        answer = error;
      }) as never,
    );
    assert.equal(called, 0);
    assert.equal((answer as { code: number }).code, grpc.status.UNAUTHENTICATED);
    wrapped.M!({ metadata: metadata('Bearer token-one-0123456789') } as never, (() => {}) as never);
    assert.equal(called, 1);
  });
});

describe('token-broker configuration', () => {
  const base = {
    MLC_KAFKA_BROKERS: '127.0.0.1:9092',
    MLC_MONGO_URL: 'mongodb://127.0.0.1:27017/x',
    MLC_MASTER_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
    MLC_ACTIVE_KEY_ID: 'k1',
    MLC_BROKER_CLIENT_TOKENS: 'client-token-0123456789, other-token-0123456789',
  };
  it('loads with defaults', () => {
    const config = loadConfig('token-broker', configSchema, base);
    assert.equal(config.MLC_TOKEN_REFRESH_MARGIN_S, 300);
    assert.deepEqual(config.MLC_BROKER_CLIENT_TOKENS, ['client-token-0123456789', 'other-token-0123456789']);
  });
  it('names each bad variable, without key material', () => {
    const short = Buffer.alloc(16, 2).toString('base64');
    try {
      loadConfig('token-broker', configSchema, {
        ...base,
        MLC_MASTER_KEYS: `k1:${short}`,
        MLC_ACTIVE_KEY_ID: 'k2',
        MLC_BROKER_CLIENT_TOKENS: 'short',
      });
      assert.fail('should throw');
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /MLC_MASTER_KEYS: key "k1": decodes to 16 bytes, expected 32/);
      assert.match(error.message, /MLC_BROKER_CLIENT_TOKENS: token 1 is shorter than 16 characters/);
      assert.ok(!error.message.includes(short));
    }
    assert.throws(
      () => loadConfig('token-broker', configSchema, { ...base, MLC_ACTIVE_KEY_ID: 'k2' }),
      /MLC_ACTIVE_KEY_ID: "k2" is not a key id in MLC_MASTER_KEYS \(k1\)/,
    );
    assert.throws(
      () => loadConfig('token-broker', configSchema, { ...base, MLC_MASTER_KEYS: undefined }),
      /MLC_MASTER_KEYS: required but not set/,
    );
  });
});
