import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '@mlc/observability';
import { createKafka, kafkaSecurityFromEnv } from '../src/index.js';

describe('Kafka broker security from the environment', () => {
  it('is plaintext without settings', () => {
    assert.deepEqual(kafkaSecurityFromEnv({}), { ssl: false });
  });

  it('reads TLS and SASL as the chart sets them', () => {
    const security = kafkaSecurityFromEnv({
      MLC_KAFKA_SSL: 'true',
      MLC_KAFKA_SASL_MECHANISM: 'scram-sha-512',
      MLC_KAFKA_SASL_USERNAME: 'mlc',
      MLC_KAFKA_SASL_PASSWORD: 'kafka-password-123',
    });
    assert.deepEqual(security, {
      ssl: true,
      sasl: { mechanism: 'scram-sha-512', username: 'mlc', password: 'kafka-password-123' },
    });
    // The client takes it (no connection is made here).
    assert.ok(
      createKafka({ brokers: ['127.0.0.1:1'], clientId: 't', logger: createLogger('t', 'silent'), security }),
    );
  });

  it('names the variable that is wrong or missing', () => {
    assert.throws(
      () => kafkaSecurityFromEnv({ MLC_KAFKA_SASL_MECHANISM: 'gssapi' }),
      /MLC_KAFKA_SASL_MECHANISM: "gssapi"/,
    );
    assert.throws(
      () => kafkaSecurityFromEnv({ MLC_KAFKA_SASL_MECHANISM: 'plain', MLC_KAFKA_SASL_USERNAME: 'u' }),
      /MLC_KAFKA_SASL_PASSWORD: required/,
    );
  });
});
