/**
 * The consumer-lag arithmetic and the monitor's gauge, against a fake admin (the real broker is in
 * lag.int.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from '@mlc/observability';
import { Registry } from 'prom-client';
import { ConsumerLagMonitor, consumerLag, type LagAdmin } from '../src/index.js';

const logger = createLogger('lag-test', 'silent');

describe('consumerLag', () => {
  const ends = [
    { partition: 0, low: '0', high: '10' },
    { partition: 1, low: '5', high: '8' },
    { partition: 2, low: '0', high: '0' },
  ];

  it('sums end minus committed over the partitions', () => {
    const committed = [
      { partition: 0, offset: '7' },
      { partition: 1, offset: '8' },
      { partition: 2, offset: '0' },
    ];
    assert.equal(consumerLag(committed, ends), 3);
  });

  it('counts a partition never committed from its low watermark, or as 0 when starting at the end', () => {
    const committed = [
      { partition: 0, offset: '-1' },
      { partition: 2, offset: '-1' },
    ];
    assert.equal(consumerLag(committed, ends), 10 + 3);
    assert.equal(consumerLag(committed, ends, false), 0);
  });

  it('counts a committed offset deleted by retention from the low watermark', () => {
    assert.equal(consumerLag([{ partition: 1, offset: '2' }], [{ partition: 1, low: '5', high: '8' }]), 3);
  });

  it('is exact beyond 2^53 offsets apart from the sum', () => {
    const big = 2n ** 60n;
    assert.equal(
      consumerLag(
        [{ partition: 0, offset: String(big) }],
        [{ partition: 0, low: '0', high: String(big + 4n) }],
      ),
      4,
    );
  });
});

class FakeAdmin implements LagAdmin {
  committed = new Map<number, string>();
  ends = new Map<number, string>();
  calls = 0;
  connected = 0;
  disconnected = 0;
  fail = false;
  hang = false;
  async connect() {
    this.connected++;
  }
  async disconnect() {
    this.disconnected++;
  }
  async fetchOffsets({ groupId, topics }: { groupId: string; topics: string[] }) {
    this.calls++;
    if (this.fail) throw new Error('broker unreachable');
    if (this.hang) await new Promise(() => {});
    assert.equal(groupId, 'mlc.group');
    return topics.map((topic) => ({
      topic,
      partitions: [...this.committed].map(([partition, offset]) => ({ partition, offset })),
    }));
  }
  async fetchTopicOffsets(topic: string) {
    assert.equal(topic, 'a.topic.v1');
    return [...this.ends].map(([partition, high]) => ({ partition, high, low: '0' }));
  }
}

async function gaugeValues(registry: Registry) {
  const metric = await registry.getSingleMetric('mlc_kafka_consumer_lag_messages')?.get();
  return metric?.values.map((v) => ({ labels: v.labels, value: v.value })) ?? [];
}

describe('ConsumerLagMonitor', () => {
  it('sets mlc_kafka_consumer_lag_messages per group and topic, and removes it on stop', async () => {
    const admin = new FakeAdmin();
    const registry = new Registry();
    const monitor = new ConsumerLagMonitor({
      admin,
      groupId: 'mlc.group',
      topic: 'a.topic.v1',
      registry,
      logger,
      intervalMs: 10,
    });
    admin.ends.set(0, '5').set(1, '7');
    admin.committed.set(0, '5').set(1, '-1');
    assert.equal(await monitor.measure(), 7);
    assert.deepEqual(await gaugeValues(registry), [
      { labels: { group: 'mlc.group', topic: 'a.topic.v1' }, value: 7 },
    ]);

    monitor.start();
    admin.committed.set(1, '7');
    const deadline = Date.now() + 2_000;
    while ((await gaugeValues(registry))[0]?.value !== 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    assert.equal((await gaugeValues(registry))[0]?.value, 0, 'measured again on the interval');

    await monitor.stop();
    const callsAtStop = admin.calls;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(admin.calls, callsAtStop, 'no measurement after stop');
    assert.deepEqual(await gaugeValues(registry), [], 'series removed');
    assert.equal(admin.connected, 1);
    assert.equal(admin.disconnected, 1);
  });

  it('keeps the last value while the broker cannot be asked', async () => {
    const admin = new FakeAdmin();
    const registry = new Registry();
    const monitor = new ConsumerLagMonitor({
      admin,
      groupId: 'mlc.group',
      topic: 'a.topic.v1',
      registry,
      logger,
      intervalMs: 5,
    });
    admin.ends.set(0, '4');
    admin.committed.set(0, '1');
    await monitor.measure();
    admin.fail = true;
    monitor.start();
    await new Promise((r) => setTimeout(r, 40));
    assert.ok(admin.calls > 2, 'kept trying');
    assert.equal((await gaugeValues(registry))[0]?.value, 3);
    await monitor.stop();
  });

  it('does not wait for a measurement that hangs to stop', async () => {
    const admin = new FakeAdmin();
    const monitor = new ConsumerLagMonitor({
      admin,
      groupId: 'mlc.group',
      topic: 'a.topic.v1',
      registry: new Registry(),
      logger,
    });
    admin.hang = true;
    monitor.start();
    const started = Date.now();
    await monitor.stop();
    assert.ok(Date.now() - started < 3_000, 'stopped within the 2 s it gives a measurement');
    assert.equal(admin.disconnected, 1, 'the admin client is closed all the same');
  });
});
