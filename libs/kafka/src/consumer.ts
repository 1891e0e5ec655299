/**
 * Consuming a topic with at-least-once delivery and a dead-letter twin.
 *
 * - Offsets are committed only after a message has been processed (or dead-lettered): a crash
 *   before that means the message is seen again, so handlers must be idempotent.
 * - A message that is not valid JSON or fails the topic's schema goes to `<topic>.dlt` with the
 *   reason in its headers; so does one whose handler throws DeadLetter (a business rejection).
 * - Any other handler error is retried in place with backoff (capped at 30 s, heartbeating so the
 *   group keeps the consumer), for as long as it takes: the partition waits rather than skip a
 *   message. After `maxAttempts` the failures are logged as errors and counted, for an alert.
 * - If kafkajs itself gives up (a crash it will not restart from), `onCrash` is told, so the
 *   service can stop and be restarted instead of idling while looking alive.
 * - With a registry, the group's lag on the topic is measured on an interval (lag.ts).
 */
import type { TopicSpec } from '@mlc/events';
import type { Logger } from '@mlc/observability';
import type { Consumer, IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { Counter, type Registry } from 'prom-client';
import { decodeEvent, EventValidationError } from './codec.js';
import { ConsumerLagMonitor } from './lag.js';
import { oncePerRegistry } from './metrics.js';
import type { EventPublisher } from './publisher.js';
import { deadLetterTopic } from './topics.js';

/** Thrown by a handler to send the message to the dead-letter topic with a readable reason. */
export class DeadLetter extends Error {
  override name = 'DeadLetter';
}

export interface MessageContext {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  /** Call during long work so the group coordinator does not consider the consumer dead. */
  heartbeat(): Promise<void>;
}

export interface ConsumerOptions<T> {
  kafka: Kafka;
  groupId: string;
  spec: TopicSpec<T>;
  handler: (value: T, context: MessageContext) => Promise<void>;
  /** Used to write dead letters. */
  publisher: EventPublisher;
  logger: Logger;
  registry?: Registry;
  maxAttempts?: number;
  /** Where a group with no committed offset starts. */
  fromBeginning?: boolean;
  /** How many partitions are processed at the same time (order is kept within a partition). */
  concurrency?: number;
  /** First retry delay in ms (doubling, capped at 30 s); default 200. */
  retryBaseMs?: number;
  /** Called when the consumer crashed and kafkajs will not restart it. */
  onCrash?: (error: Error) => void;
  /** How often the group's lag is measured (with a registry); default 15 s. */
  lagIntervalMs?: number;
}

export const DLT_HEADERS = {
  reason: 'mlc-dlt-reason',
  sourceTopic: 'mlc-dlt-source-topic',
  sourcePartition: 'mlc-dlt-source-partition',
  sourceOffset: 'mlc-dlt-source-offset',
  group: 'mlc-dlt-group',
} as const;

export interface RunningConsumer {
  readonly consumer: Consumer;
  stop(): Promise<void>;
}

export async function startConsumer<T>(options: ConsumerOptions<T>): Promise<RunningConsumer> {
  const { kafka, groupId, spec, handler, publisher, logger } = options;
  const log = logger.child({ component: 'consumer', topic: spec.name, groupId });
  const maxAttempts = options.maxAttempts ?? 5;
  const outcomes = options.registry && consumedCounter(options.registry);
  // A fetch waits at most 1 s for data: stopping waits for the fetch in flight, so this bounds shutdown.
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 1_000 });
  let stopping = false;
  const failures = options.registry && failureCounter(options.registry);
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart || stopping) return;
    log.error({ err: payload.error }, 'consumer crashed and will not restart');
    options.onCrash?.(payload.error);
  });

  await consumer.connect();
  await consumer.subscribe({ topic: spec.name, fromBeginning: options.fromBeginning ?? true });
  const lag =
    options.registry &&
    new ConsumerLagMonitor({
      admin: kafka.admin(),
      groupId,
      topic: spec.name,
      registry: options.registry,
      logger: log,
      fromBeginning: options.fromBeginning ?? true,
      ...(options.lagIntervalMs ? { intervalMs: options.lagIntervalMs } : {}),
    });
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: options.concurrency ?? 1,
    eachMessage: async ({ topic, partition, message, heartbeat }) => {
      const context: MessageContext = {
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString('utf8') ?? null,
        headers: headersToStrings(message.headers),
        heartbeat,
      };
      const outcome = await processOne(message, context);
      outcomes?.inc({ topic, outcome });
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    },
  });
  lag?.start();

  async function processOne(
    message: KafkaMessage,
    context: MessageContext,
  ): Promise<'processed' | 'dead-lettered'> {
    let value: T;
    try {
      value = decodeEvent(spec, message.value);
    } catch (error) {
      if (!(error instanceof EventValidationError)) throw error;
      await sendToDeadLetter(message, context, error.message);
      return 'dead-lettered';
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await handler(value, context);
        return 'processed';
      } catch (error) {
        if (error instanceof DeadLetter) {
          await sendToDeadLetter(message, context, error.message);
          return 'dead-lettered';
        }
        // Redelivered after the restart; the offset is not committed.
        if (stopping) throw error;
        failures?.inc({ topic: context.topic });
        const where = { err: error, attempt, partition: context.partition, offset: context.offset };
        if (attempt >= maxAttempts) log.error(where, 'handler keeps failing; the partition waits');
        else log.warn(where, 'handler failed; retrying');
        await sleep(Math.min((options.retryBaseMs ?? 200) * 2 ** attempt, 30_000));
        await context.heartbeat();
      }
    }
  }

  async function sendToDeadLetter(
    message: KafkaMessage,
    context: MessageContext,
    reason: string,
  ): Promise<void> {
    log.warn({ partition: context.partition, offset: context.offset, reason }, 'dead-lettering message');
    await publisher.publishRaw(deadLetterTopic(spec.name), message.key ?? null, message.value ?? null, {
      ...context.headers,
      [DLT_HEADERS.reason]: reason.slice(0, 2_000),
      [DLT_HEADERS.sourceTopic]: context.topic,
      [DLT_HEADERS.sourcePartition]: String(context.partition),
      [DLT_HEADERS.sourceOffset]: context.offset,
      [DLT_HEADERS.group]: groupId,
    });
  }

  return {
    consumer,
    async stop() {
      stopping = true;
      await lag?.stop();
      await consumer.disconnect();
    },
  };
}

function headersToStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.map(String).join(',') : value.toString();
  }
  return out;
}

const failureCounter = oncePerRegistry(
  (registry) =>
    new Counter({
      name: 'mlc_kafka_handler_failures_total',
      help: 'Handler attempts that failed and will be retried (the message waits in its partition).',
      labelNames: ['topic'],
      registers: [registry],
    }),
);

const consumedCounter = oncePerRegistry(
  (registry) =>
    new Counter({
      name: 'mlc_kafka_messages_consumed_total',
      help: 'Messages consumed, by topic and outcome (processed or dead-lettered).',
      labelNames: ['topic', 'outcome'],
      registers: [registry],
    }),
);

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
