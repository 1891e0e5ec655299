/**
 * Consumer lag on the real broker from `make infra-up`: messages produced while the group's consumer
 * is stopped raise `mlc_kafka_consumer_lag_messages`; once a consumer started by startConsumer has
 * processed (and committed) them it comes back to 0, and stopping the consumer removes the series.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TopicSpec } from '@mlc/events';
import { createLogger } from '@mlc/observability';
import { kafkaBrokers, uniqueName, waitFor } from '@mlc/testkit';
import type { Admin, Kafka } from 'kafkajs';
import { Registry } from 'prom-client';
import { z } from 'zod';
import {
  ConsumerLagMonitor,
  createKafka,
  EventPublisher,
  ensureTopics,
  startConsumer,
} from '../src/index.js';

const logger = createLogger('kafka-lag-test', 'warn');
const schema = z.object({ n: z.number().int() });

async function lagOf(registry: Registry, group: string, topic: string): Promise<number | undefined> {
  const metric = await registry.getSingleMetric('mlc_kafka_consumer_lag_messages')?.get();
  return metric?.values.find((v) => v.labels.group === group && v.labels.topic === topic)?.value;
}

describe('consumer lag on the real broker', () => {
  let kafka: Kafka;
  let admin: Admin;
  let publisher: EventPublisher;
  const spec: TopicSpec<z.infer<typeof schema>> = {
    name: `${uniqueName('test.lag')}.v1`,
    partitions: 3,
    schema,
  };

  before(async () => {
    kafka = createKafka({ brokers: kafkaBrokers, clientId: 'kafka-lag-test', logger });
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [spec]);
    publisher = new EventPublisher(kafka);
    await publisher.connect();
  });

  after(async () => {
    await publisher.disconnect();
    await admin.disconnect();
  });

  it('goes up with messages not consumed and back to 0 once they are', async () => {
    const groupId = uniqueName('test-lag-group');
    const registry = new Registry();
    const seen: number[] = [];
    const options = {
      kafka,
      groupId,
      spec,
      publisher,
      logger,
      registry,
      lagIntervalMs: 200,
      handler: async (value: { n: number }) => void seen.push(value.n),
    };

    // The group commits the first message, then stops.
    await publisher.publish(spec, 'k-0', { n: 0 });
    const first = await startConsumer(options);
    await waitFor('first message', () => seen.length === 1, 60_000);
    await waitFor(
      'lag 0 after the first message',
      async () => (await lagOf(registry, groupId, spec.name)) === 0,
      30_000,
    );
    await first.stop();
    assert.equal(await lagOf(registry, groupId, spec.name), undefined, 'series removed on stop');

    // Produced while nobody consumes: the group's lag, measured from the broker, is their number.
    const N = 12;
    for (let n = 1; n <= N; n++) await publisher.publish(spec, `k-${n % 3}`, { n });
    const monitor = new ConsumerLagMonitor({
      admin: kafka.admin(),
      groupId,
      topic: spec.name,
      registry,
      logger,
    });
    assert.equal(await monitor.measure(), N);
    assert.equal(await lagOf(registry, groupId, spec.name), N);
    await monitor.stop();

    // A consumer again: the gauge it keeps goes from N back to 0.
    const values: number[] = [];
    const second = await startConsumer({
      ...options,
      handler: async (value: { n: number }) => {
        const lag = await lagOf(registry, groupId, spec.name);
        if (lag !== undefined) values.push(lag);
        await new Promise((r) => setTimeout(r, 50));
        seen.push(value.n);
      },
    });
    await waitFor('all messages', () => seen.length === N + 1, 60_000);
    await waitFor('lag back to 0', async () => (await lagOf(registry, groupId, spec.name)) === 0, 30_000);
    assert.ok(
      values.some((v) => v > 0),
      `the gauge showed the backlog while it was consumed (${values.join(',')})`,
    );
    await second.stop();
  });
});
