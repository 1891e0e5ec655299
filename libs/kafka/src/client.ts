/**
 * A kafkajs client whose log lines go through the service's pino logger.
 */
import type { Logger } from '@mlc/observability';
import { Kafka, logLevel } from 'kafkajs';

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  /** How long a connection attempt may take, in ms. */
  connectionTimeout?: number;
}

export function createKafka(options: KafkaOptions): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: options.clientId,
    brokers: options.brokers,
    connectionTimeout: options.connectionTimeout ?? 5_000,
    retry: { initialRetryTime: 300, retries: 10 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }) => {
        const { message, ...extra } = entry;
        if (level === logLevel.ERROR) log.error(extra, message);
        else if (level === logLevel.WARN) log.warn(extra, message);
        else log.debug(extra, message);
      },
  });
}
