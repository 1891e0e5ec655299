/**
 * The two resources almost every service holds — a MongoDB connection and a Kafka client with an
 * idempotent producer — acquired the same way everywhere: connected, checked by /readyz, and
 * released in order at shutdown.
 */
import type { TopicSpec } from '@mlc/events';
import { createKafka, EventPublisher, ensureTopics, kafkaSecurityFromEnv } from '@mlc/kafka';
import { connectMongo, ensureIndexes, pingMongo } from '@mlc/mongo';
import { createTokenBrokerClient, type TokenBrokerClient } from '@mlc/token-broker-client';
import type { Kafka } from 'kafkajs';
import type { Connection, Model } from 'mongoose';
import type { ServiceContext } from './run-service.js';

interface CommonSettings {
  MLC_MONGO_URL: string;
  MLC_KAFKA_BROKERS: string[];
  MLC_KAFKA_CLIENT_ID?: string | undefined;
  MLC_KAFKA_SSL?: boolean;
  MLC_KAFKA_SSL_CA_FILE?: string | undefined;
  MLC_KAFKA_SASL_MECHANISM?: string | undefined;
  MLC_KAFKA_SASL_USERNAME?: string | undefined;
  MLC_KAFKA_SASL_PASSWORD?: string | undefined;
}

/** Connects to MongoDB, creates the models' indexes, and adds a readiness check and a release. */
export async function useMongo<C extends CommonSettings>(
  ctx: ServiceContext<C>,
  models: (connection: Connection) => Array<Model<never>>,
): Promise<Connection> {
  const connection = await connectMongo({ url: ctx.config.MLC_MONGO_URL });
  ctx.lifecycle.onShutdown('mongo', () => connection.close());
  await ensureIndexes(models(connection));
  ctx.addReadinessCheck({ name: 'mongo', check: () => pingMongo(connection) });
  return connection;
}

export interface KafkaResources {
  kafka: Kafka;
  publisher: EventPublisher;
}

/** Creates the service's topics, connects the producer, and adds a readiness check and a release. */
export async function useKafka<C extends CommonSettings>(
  ctx: ServiceContext<C>,
  serviceName: string,
  topics: ReadonlyArray<TopicSpec<unknown>>,
): Promise<KafkaResources> {
  const { config } = ctx;
  const kafka = createKafka({
    brokers: config.MLC_KAFKA_BROKERS,
    clientId: config.MLC_KAFKA_CLIENT_ID ?? serviceName,
    logger: ctx.logger,
    security: kafkaSecurityFromEnv({
      MLC_KAFKA_SSL: String(config.MLC_KAFKA_SSL ?? false),
      MLC_KAFKA_SSL_CA_FILE: config.MLC_KAFKA_SSL_CA_FILE,
      MLC_KAFKA_SASL_MECHANISM: config.MLC_KAFKA_SASL_MECHANISM,
      MLC_KAFKA_SASL_USERNAME: config.MLC_KAFKA_SASL_USERNAME,
      MLC_KAFKA_SASL_PASSWORD: config.MLC_KAFKA_SASL_PASSWORD,
    }),
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const created = await ensureTopics(admin, topics);
    if (created.length > 0) ctx.logger.info({ created }, 'created topics');
  } finally {
    await admin.disconnect();
  }
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  ctx.lifecycle.onShutdown('kafka-producer', () => publisher.disconnect());
  ctx.addReadinessCheck({ name: 'kafka', check: () => publisher.connected });
  return { kafka, publisher };
}

/** A client of the token-broker (AIS sessions, access tokens, connections), closed at shutdown. */
export function useTokenBroker<C>(ctx: ServiceContext<C>, address: string, token: string): TokenBrokerClient {
  const broker = createTokenBrokerClient({ address, token });
  ctx.lifecycle.onShutdown('token-broker-client', () => broker.close());
  return broker;
}
