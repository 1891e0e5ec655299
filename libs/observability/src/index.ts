/**
 * Logging and metrics shared by every service.
 *
 * Logs are pino JSON. Secrets never reach them: known secret fields are redacted by path wherever
 * they appear, and registerSecret() lets code that handles a secret value (a token, a password)
 * have that exact value masked in any log line, whatever field it ends up in.
 */
import { type Logger, type LoggerOptions, pino } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';

export type { Logger };

const SECRET_KEYS = [
  'password',
  'clientSecret',
  'client_secret',
  'refreshToken',
  'refresh_token',
  'accessToken',
  'access_token',
  'token',
  'authorization',
  'Authorization',
  'x-amz-access-token',
  'jde-AIS-Auth',
  'masterKey',
  'secret',
];
const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const dotted = safe.startsWith('[') ? safe : `.${safe}`;
  return [safe, `*${dotted}`, `*.*${dotted}`, `req.headers${dotted}`];
});

const knownSecrets = new Set<string>();

/** Masks this exact value in every log line from now on (values shorter than 6 characters are ignored). */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 6) knownSecrets.add(value);
}

/** Replaces every registered secret value in a string. */
export function scrubSecrets(text: string): string {
  let out = text;
  for (const secret of knownSecrets) if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
  return out;
}

export function createLogger(
  service: string,
  level: string = 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: LoggerOptions = {
    name: service,
    level,
    base: { service },
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    hooks: {
      streamWrite: (line) => (knownSecrets.size === 0 ? line : scrubSecrets(line)),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** A fresh registry with the default process metrics, labelled with the service name. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'mlc_' });
  return registry;
}
