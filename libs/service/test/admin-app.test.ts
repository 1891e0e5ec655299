import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger, createMetricsRegistry } from '@mlc/observability';
import { buildAdminApp, Lifecycle } from '../src/index.js';

describe('admin app', () => {
  const logger = createLogger('t', 'silent');

  it('answers /healthz, /readyz by its checks and /metrics in Prometheus text', async () => {
    let dbUp = false;
    let accepting = true;
    const app = buildAdminApp({
      service: 'svc',
      registry: createMetricsRegistry('svc'),
      logger,
      readiness: [{ name: 'db', check: () => dbUp }],
      accepting: () => accepting,
    });
    assert.equal((await app.inject('/healthz')).statusCode, 200);
    const notReady = await app.inject('/readyz');
    assert.equal(notReady.statusCode, 503);
    assert.deepEqual(notReady.json().checks, { db: false });
    dbUp = true;
    assert.equal((await app.inject('/readyz')).statusCode, 200);
    accepting = false;
    assert.equal((await app.inject('/readyz')).statusCode, 503, 'not ready while shutting down');
    const metrics = await app.inject('/metrics');
    assert.match(metrics.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/);
    assert.match(metrics.body, /# TYPE mlc_process_cpu_user_seconds_total counter/);
    await app.close();
  });
});

describe('lifecycle', () => {
  it('releases in reverse order, once, even when a release fails', async () => {
    const order: string[] = [];
    const lifecycle = new Lifecycle(createLogger('t', 'silent'));
    lifecycle.onShutdown('mongo', () => void order.push('mongo'));
    lifecycle.onShutdown('broken', () => {
      throw new Error('boom');
    });
    lifecycle.onShutdown('consumer', async () => void order.push('consumer'));
    lifecycle.markStarted();
    await Promise.all([lifecycle.shutdown('SIGTERM'), lifecycle.shutdown('SIGTERM')]);
    assert.deepEqual(order, ['consumer', 'mongo']);
    assert.equal(lifecycle.accepting, false);
  });
});
