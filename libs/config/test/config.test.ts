import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, commonServiceConfig, env, loadConfig, z } from '../src/index.js';

const schema = z.object({ ...commonServiceConfig, MLC_ADMIN_PORT: env.port(8080) });

describe('loadConfig', () => {
  it('returns typed values with defaults', () => {
    const config = loadConfig('svc', schema, {
      MLC_KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9094',
      MLC_MONGO_URL: 'mongodb://127.0.0.1:27017/x',
    });
    assert.deepEqual(config.MLC_KAFKA_BROKERS, ['127.0.0.1:9092', '127.0.0.1:9094']);
    assert.equal(config.MLC_ADMIN_PORT, 8080);
    assert.equal(config.MLC_LOG_LEVEL, 'info');
  });

  it('names every missing and invalid variable in one error', () => {
    assert.throws(
      () => loadConfig('jde-poster', schema, { MLC_ADMIN_PORT: '99999', MLC_MONGO_URL: 'postgres://x' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /^jde-poster: invalid configuration/);
        assert.match(error.message, /MLC_KAFKA_BROKERS: required but not set/);
        assert.match(error.message, /MLC_MONGO_URL: expected a mongodb:\/\/ URL/);
        assert.match(error.message, /MLC_ADMIN_PORT: /);
        return true;
      },
    );
  });
});
