/**
 * libs/kafka on the real broker from `make infra-up`: keyed produce/consume, dead-lettering of
 * invalid messages, and the replay primitive (reset to earliest; refused while the group is active).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TopicSpec } from '@mlc/events';
import { createLogger } from '@mlc/observability';
import { kafkaBrokers, uniqueName, waitFor } from '@mlc/testkit';
import type { Admin, Kafka } from 'kafkajs';
import { z } from 'zod';
import {
  createKafka,
  DeadLetter,
  DLT_HEADERS,
  deadLetterTopic,
  EventPublisher,
  ensureTopics,
  GroupActiveError,
  resetOffsets,
  startConsumer,
} from '../src/index.js';

const logger = createLogger('kafka-test', 'warn');
const schema = z.object({ n: z.number().int(), text: z.string() });
type Msg = z.infer<typeof schema>;

describe('kafka plumbing on the real broker', () => {
  let kafka: Kafka;
  let admin: Admin;
  let publisher: EventPublisher;
  const spec: TopicSpec<Msg> = { name: `${uniqueName('test.events')}.v1`, partitions: 3, schema };

  before(async () => {
    kafka = createKafka({ brokers: kafkaBrokers, clientId: 'kafka-test', logger });
    admin = kafka.admin();
    await admin.connect();
    publisher = new EventPublisher(kafka);
    await publisher.connect();
  });

  after(async () => {
    await publisher.disconnect();
    await admin.disconnect();
  });

  it('creates the topic with its partitions and a dead-letter twin, once', async () => {
    const created = await ensureTopics(admin, [spec]);
    assert.deepEqual(created.sort(), [spec.name, deadLetterTopic(spec.name)].sort());
    assert.deepEqual(await ensureTopics(admin, [spec]), [], 'second call creates nothing');
    const metadata = await admin.fetchTopicMetadata({ topics: [spec.name] });
    assert.equal(metadata.topics[0]?.partitions.length, 3);
  });

  it('refuses to publish an event that fails its schema', async () => {
    await assert.rejects(publisher.publish(spec, 'k', { n: 1.5, text: 'x' } as Msg), /invalid event: n: /);
  });

  it('delivers keyed messages in order per key, dead-letters invalid ones, and replays after a reset', async () => {
    const groupId = uniqueName('test-group');
    const N = 30;
    for (let n = 0; n < N; n++) await publisher.publish(spec, `key-${n % 3}`, { n, text: `message ${n}` });
    await publisher.publishRaw(spec.name, 'key-bad', Buffer.from('{"n":"not a number"}'), {});
    await publisher.publishRaw(spec.name, 'key-bad', Buffer.from('not json at all'), {});
    await publisher.publish(spec, 'key-reject', { n: 999, text: 'reject me' });

    const seen: Array<{ key: string | null; n: number }> = [];
    const handler = async (value: Msg, ctx: { key: string | null }) => {
      if (value.n === 999) throw new DeadLetter('business rule: 999 is not allowed');
      seen.push({ key: ctx.key, n: value.n });
    };
    const first = await startConsumer({ kafka, groupId, spec, handler, publisher, logger });
    await waitFor('all valid messages', () => seen.length >= N, 60_000);

    for (const key of ['key-0', 'key-1', 'key-2']) {
      const ns = seen.filter((s) => s.key === key).map((s) => s.n);
      assert.deepEqual(
        ns,
        [...ns].sort((a, b) => a - b),
        `order kept for ${key}`,
      );
    }
    assert.deepEqual(
      seen.map((s) => s.n).sort((a, b) => a - b),
      Array.from({ length: N }, (_, i) => i),
    );

    // The three bad messages are on the dead-letter topic, each with its reason.
    const dead: Array<{ reason: string; value: string }> = [];
    const dltConsumer = kafka.consumer({ groupId: uniqueName('dlt-reader') });
    await dltConsumer.connect();
    await dltConsumer.subscribe({ topic: deadLetterTopic(spec.name), fromBeginning: true });
    await dltConsumer.run({
      eachMessage: async ({ message }) => {
        dead.push({
          reason: String(message.headers?.[DLT_HEADERS.reason]),
          value: String(message.value),
        });
      },
    });
    await waitFor('three dead letters', () => dead.length >= 3, 60_000);
    await dltConsumer.disconnect();
    assert.equal(dead.length, 3);
    assert.match(dead.find((d) => d.value.includes('not a number'))?.reason ?? '', /invalid event: n: /);
    assert.match(dead.find((d) => d.value === 'not json at all')?.reason ?? '', /not JSON/);
    assert.match(dead.find((d) => d.value.includes('999'))?.reason ?? '', /999 is not allowed/);

    // While the group is active, a reset is refused.
    await assert.rejects(
      resetOffsets(admin, { groupId, topic: spec.name, to: { kind: 'earliest' }, execute: true }),
      GroupActiveError,
    );
    await first.stop();

    // Dry run changes nothing; execute moves every partition back to the start.
    const dry = await resetOffsets(admin, { groupId, topic: spec.name, to: { kind: 'earliest' } });
    assert.equal(dry.executed, false);
    assert.ok(
      dry.partitions.every((p) => p.target === p.low && p.current === p.high),
      JSON.stringify(dry.partitions),
    );
    const afterDry = await admin.fetchOffsets({ groupId, topics: [spec.name] });
    assert.ok(
      afterDry[0]?.partitions.every((p) => p.offset !== '0'),
      'dry run left offsets alone',
    );

    const shifted = await resetOffsets(admin, { groupId, topic: spec.name, to: { kind: 'shift', by: -2 } });
    assert.ok(
      shifted.partitions.every(
        (p) => BigInt(p.target) === BigInt(p.current ?? '0') - 2n || p.target === p.low,
      ),
    );

    const executed = await resetOffsets(admin, {
      groupId,
      topic: spec.name,
      to: { kind: 'earliest' },
      execute: true,
    });
    assert.equal(executed.executed, true);

    seen.length = 0;
    const second = await startConsumer({ kafka, groupId, spec, handler, publisher, logger });
    await waitFor('all messages again after the reset', () => seen.length >= N, 60_000);
    await second.stop();
    assert.equal(seen.length, N, 'exactly the N valid messages again');
  });

  it('resets to a moment: messages from then on are seen again', async () => {
    const groupId = uniqueName('test-group-dt');
    const topicSpec: TopicSpec<Msg> = { name: `${uniqueName('test.dt')}.v1`, partitions: 1, schema };
    await ensureTopics(admin, [topicSpec]);
    for (let n = 0; n < 5; n++) await publisher.publish(topicSpec, 'k', { n, text: 'early' });
    await new Promise((r) => setTimeout(r, 50));
    const moment = new Date();
    await new Promise((r) => setTimeout(r, 50));
    for (let n = 5; n < 8; n++) await publisher.publish(topicSpec, 'k', { n, text: 'late' });

    const seen: number[] = [];
    const run = await startConsumer({
      kafka,
      groupId,
      spec: topicSpec,
      handler: async (v) => void seen.push(v.n),
      publisher,
      logger,
    });
    await waitFor('8 messages', () => seen.length >= 8);
    await run.stop();

    const plan = await resetOffsets(admin, {
      groupId,
      topic: topicSpec.name,
      to: { kind: 'datetime', at: moment },
      execute: true,
    });
    assert.equal(plan.partitions[0]?.target, '5');
    seen.length = 0;
    const again = await startConsumer({
      kafka,
      groupId,
      spec: topicSpec,
      handler: async (v) => void seen.push(v.n),
      publisher,
      logger,
    });
    await waitFor('3 late messages', () => seen.length >= 3);
    await again.stop();
    assert.deepEqual(seen, [5, 6, 7]);
  });

  it('retries a failing handler for as long as it takes, without skipping or dead-lettering', async () => {
    const topicSpec: TopicSpec<Msg> = { name: `${uniqueName('test.retry')}.v1`, partitions: 1, schema };
    await ensureTopics(admin, [topicSpec]);
    await publisher.publish(topicSpec, 'k', { n: 1, text: 'stubborn' });
    await publisher.publish(topicSpec, 'k', { n: 2, text: 'next' });
    let failuresLeft = 7;
    const seen: number[] = [];
    const run = await startConsumer({
      kafka,
      groupId: uniqueName('test-group-retry'),
      spec: topicSpec,
      publisher,
      logger,
      maxAttempts: 2,
      retryBaseMs: 5,
      handler: async (value) => {
        if (value.n === 1 && failuresLeft-- > 0) throw new Error('transient');
        seen.push(value.n);
      },
    });
    await waitFor('both messages', () => seen.length >= 2);
    await run.stop();
    assert.deepEqual(seen, [1, 2], 'the failing message was processed, in order, before the next');
    assert.equal(failuresLeft, -1, 'it failed seven times first');
  });
});
