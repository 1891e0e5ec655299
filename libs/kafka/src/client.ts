/**
 * A kafkajs client whose log lines go through the service's pino logger, with the customer's
 * broker security: TLS (optionally with a private CA) and SASL (PLAIN or SCRAM).
 */
import { readFileSync } from 'node:fs';
import { type Logger, registerSecret } from '@mlc/observability';
import { Kafka, type KafkaConfig, logLevel, type SASLOptions } from 'kafkajs';

export interface KafkaSecurity {
  ssl: boolean;
  /** PEM file of the CA that signed the brokers' certificates; unset: the system CAs. */
  caFile?: string | undefined;
  sasl?:
    | { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string }
    | undefined;
}

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
  security?: KafkaSecurity;
  /** How long a connection attempt may take, in ms. */
  connectionTimeout?: number;
}

const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/**
 * Broker security from the environment, as the Helm chart sets it: MLC_KAFKA_SSL, MLC_KAFKA_SSL_CA_FILE,
 * MLC_KAFKA_SASL_MECHANISM, MLC_KAFKA_SASL_USERNAME, MLC_KAFKA_SASL_PASSWORD. Throws naming the variable.
 */
export function kafkaSecurityFromEnv(env: Record<string, string | undefined> = process.env): KafkaSecurity {
  const ssl = env.MLC_KAFKA_SSL === 'true' || env.MLC_KAFKA_SSL === '1';
  const security: KafkaSecurity = { ssl };
  if (env.MLC_KAFKA_SSL_CA_FILE) security.caFile = env.MLC_KAFKA_SSL_CA_FILE;
  const mechanism = env.MLC_KAFKA_SASL_MECHANISM;
  if (mechanism) {
    if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
      throw new Error(`MLC_KAFKA_SASL_MECHANISM: "${mechanism}" is not one of ${SASL_MECHANISMS.join(', ')}`);
    }
    const username = env.MLC_KAFKA_SASL_USERNAME;
    const password = env.MLC_KAFKA_SASL_PASSWORD;
    if (!username) throw new Error('MLC_KAFKA_SASL_USERNAME: required with MLC_KAFKA_SASL_MECHANISM');
    if (!password) throw new Error('MLC_KAFKA_SASL_PASSWORD: required with MLC_KAFKA_SASL_MECHANISM');
    registerSecret(password);
    security.sasl = { mechanism: mechanism as (typeof SASL_MECHANISMS)[number], username, password };
  }
  return security;
}

export function createKafka(options: KafkaOptions): Kafka {
  const log = options.logger.child({ component: 'kafkajs' });
  const config: KafkaConfig = {
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
  };
  const security = options.security;
  if (security?.ssl) config.ssl = security.caFile ? { ca: [readFileSync(security.caFile, 'utf8')] } : true;
  if (security?.sasl) config.sasl = security.sasl as SASLOptions;
  return new Kafka(config);
}
