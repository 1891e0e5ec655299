/**
 * Consumer lag: how many messages of a topic a consumer group has not committed yet, exported as
 * `mlc_kafka_consumer_lag_messages{group,topic}` for dashboards and the MlcConsumerLagHigh alert.
 *
 * Every `interval` the group's committed offsets (admin fetchOffsets) are compared with the topic's
 * end offsets (fetchTopicOffsets); per partition the lag is `high − max(committed, low)`, summed over
 * the partitions. It is measured from the broker, not from what this process fetched, so a consumer
 * that is stuck, rebalancing or has no partition assigned still reports the group's real lag; every
 * replica reports the same number (alerts take `max`). Two small admin requests per interval; the
 * series is removed and the admin client closed when the consumer stops.
 */
import type { Logger } from '@mlc/observability';
import { Gauge, type Registry } from 'prom-client';
import { oncePerRegistry } from './metrics.js';

/** The two admin calls the lag needs (kafkajs' Admin has them; a unit test may fake them). */
export interface LagAdmin {
  connect?(): Promise<void>;
  disconnect?(): Promise<void>;
  fetchOffsets(options: {
    groupId: string;
    topics: string[];
  }): Promise<Array<{ topic: string; partitions: Array<{ partition: number; offset: string }> }>>;
  fetchTopicOffsets(topic: string): Promise<Array<{ partition: number; high: string; low: string }>>;
}

/**
 * Messages after the group's committed offset, summed over the topic's partitions. A partition the
 * group has never committed (offset -1) counts from its low watermark when the group starts from the
 * beginning, and as 0 when it starts from the end. Offsets below the low watermark (deleted by
 * retention) count from the low watermark.
 */
export function consumerLag(
  committed: Array<{ partition: number; offset: string }>,
  ends: Array<{ partition: number; high: string; low: string }>,
  fromBeginning = true,
): number {
  const byPartition = new Map(committed.map((c) => [c.partition, BigInt(c.offset)]));
  let lag = 0n;
  for (const end of ends) {
    const high = BigInt(end.high);
    const low = BigInt(end.low);
    const offset = byPartition.get(end.partition) ?? -1n;
    const from = offset < 0n ? (fromBeginning ? low : high) : offset < low ? low : offset;
    if (high > from) lag += high - from;
  }
  return Number(lag);
}

export interface LagMonitorOptions {
  admin: LagAdmin;
  groupId: string;
  topic: string;
  registry: Registry;
  logger: Logger;
  /** Between two measurements; default 15 s. */
  intervalMs?: number;
  fromBeginning?: boolean;
}

export class ConsumerLagMonitor {
  readonly #gauge: Gauge<'group' | 'topic'>;
  readonly #labels: { group: string; topic: string };
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #connected = false;
  #stopped = false;
  #failing = false;

  constructor(private readonly options: LagMonitorOptions) {
    this.#gauge = lagGauge(options.registry);
    this.#labels = { group: options.groupId, topic: options.topic };
  }

  /** Measures once and sets the gauge; returns the lag. */
  async measure(): Promise<number> {
    const { admin, groupId, topic } = this.options;
    if (!this.#connected) {
      await admin.connect?.();
      this.#connected = true;
    }
    const [offsets, ends] = await Promise.all([
      admin.fetchOffsets({ groupId, topics: [topic] }),
      admin.fetchTopicOffsets(topic),
    ]);
    const committed = offsets.find((o) => o.topic === topic)?.partitions ?? [];
    const lag = consumerLag(committed, ends, this.options.fromBeginning ?? true);
    if (!this.#stopped) this.#gauge.set(this.#labels, lag);
    return lag;
  }

  /** Measures now and then every interval until stop(). */
  start(): void {
    const tick = () => {
      this.#running = this.measure().then(
        () => {
          if (this.#failing) this.options.logger.info(this.#labels, 'consumer lag measured again');
          this.#failing = false;
        },
        (error: unknown) => {
          // Logged once per run of failures; the gauge keeps its last value.
          if (!this.#failing && !this.#stopped)
            this.options.logger.warn({ ...this.#labels, err: error }, 'cannot measure consumer lag');
          this.#failing = true;
        },
      );
      void this.#running.then(() => {
        if (this.#stopped) return;
        this.#timer = setTimeout(tick, this.options.intervalMs ?? 15_000);
        this.#timer.unref();
      });
    };
    tick();
  }

  /**
   * Stops measuring, removes the series and closes the admin client. A measurement in flight gets
   * at most 2 s (an unreachable broker must not hold up the shutdown); closing the client ends it.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([this.#running, new Promise((r) => (waited = setTimeout(r, 2_000)))]);
    clearTimeout(waited);
    this.#gauge.remove(this.#labels);
    await this.options.admin.disconnect?.();
    this.#connected = false;
  }
}

const lagGauge = oncePerRegistry(
  (registry) =>
    new Gauge({
      name: 'mlc_kafka_consumer_lag_messages',
      help: 'Messages in the topic the consumer group has not committed yet (end offset minus committed offset, summed over partitions).',
      labelNames: ['group', 'topic'],
      registers: [registry],
    }),
);
