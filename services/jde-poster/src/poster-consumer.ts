/**
 * What jde-poster's consumers that write to JDE share (journal-consumer.ts,
 * cross-reference-consumer.ts): what they are started with — the connection's AIS client, the
 * per-server guard, this process's claim holder and lease — and the consumer settings they run
 * with. service.ts starts them; tests start them the same way.
 */
import type { AisClient } from '@mlc/ais';
import type { ConsumerOptions, EventPublisher } from '@mlc/kafka';
import type { Logger } from '@mlc/observability';
import type { Connection } from 'mongoose';
import type { Registry } from 'prom-client';

export interface PosterConsumerOptions {
  db: Connection;
  kafka: ConsumerOptions<unknown>['kafka'];
  publisher: EventPublisher;
  groupId: string;
  clientFor: (connectionId: string) => Promise<AisClient>;
  /** Wraps each AIS call (the per-server breaker and concurrency limit). */
  guard: <T>(baseUrl: string, call: () => Promise<T>) => Promise<T>;
  holder: string;
  leaseMs: number;
  logger: Logger;
  registry: Registry;
  concurrency?: number;
  onCrash?: (error: Error) => void;
}

/** The startConsumer options of such a consumer but its topic and handler (errors after 8 attempts). */
export function posterConsumerSettings(options: PosterConsumerOptions) {
  return {
    kafka: options.kafka,
    groupId: options.groupId,
    publisher: options.publisher,
    logger: options.logger,
    registry: options.registry,
    concurrency: options.concurrency ?? 1,
    maxAttempts: 8,
    ...(options.onCrash ? { onCrash: options.onCrash } : {}),
  };
}
