/**
 * Configuration from the environment, validated at boot. A service declares a zod object whose keys
 * are environment variable names; loadConfig() either returns the typed values or throws one
 * ConfigError listing every missing or invalid variable, so a misconfigured pod fails fast and says why.
 */
import { z } from 'zod';

export { z };

export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`${service}: invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

export function loadConfig<S extends z.ZodObject>(
  service: string,
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    const given = env[String(issue.path[0])];
    return given === undefined ? `${name}: required but not set` : `${name}: ${issue.message}`;
  });
  throw new ConfigError(service, problems);
}

/** Reusable field types for environment variables. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  positiveInt: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  brokers: () =>
    z
      .string()
      .min(1)
      .transform((value) => value.split(',').map((s) => s.trim()))
      .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port[,host:port]')).min(1)),
  mongoUrl: () => z.string().regex(/^mongodb(\+srv)?:\/\//, 'expected a mongodb:// URL'),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1'),
};

/** The settings every service shares: where its admin server listens, Kafka, MongoDB and logging. */
export const commonServiceConfig = {
  MLC_ADMIN_HOST: z.string().default('0.0.0.0'),
  MLC_KAFKA_BROKERS: env.brokers(),
  MLC_KAFKA_CLIENT_ID: z.string().optional(),
  /** Prefix of every topic and consumer group, so installations can share a cluster; empty: none. */
  MLC_KAFKA_NAMESPACE: z
    .string()
    .regex(/^([a-z0-9][a-z0-9-]*)?$/, 'lower-case letters, digits and dashes')
    .default(''),
  /** Broker security (checked together when the Kafka client is made: a mechanism needs a username and password). */
  MLC_KAFKA_SSL: env.bool(false),
  MLC_KAFKA_SSL_CA_FILE: z.string().min(1).optional(),
  MLC_KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  MLC_KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  MLC_KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  MLC_MONGO_URL: env.mongoUrl(),
  MLC_LOG_LEVEL: env.logLevel(),
  MLC_SHUTDOWN_TIMEOUT_MS: env.positiveInt(10_000),
};
