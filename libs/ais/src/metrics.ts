/**
 * Prometheus metrics of AIS calls, on a registry the caller passes in: requests by operation and
 * outcome status, latency by operation, 444 re-logins and logins. Labels are low-cardinality
 * words and status codes only — never tokens, users, connection ids or orchestration inputs.
 */
import { Counter, Histogram, type Registry } from 'prom-client';

export type AisOperation =
  | 'tokenrequest'
  | 'logout'
  | 'validate'
  | 'dataservice'
  | 'dataservice_next'
  | 'orchestration';

export interface AisMetrics {
  requests: Counter<'operation' | 'status'>;
  latency: Histogram<'operation'>;
  tokenRetries: Counter<'operation'>;
}

function reuse<T>(registry: Registry, name: string, create: () => T): T {
  return (registry.getSingleMetric(name) as T | undefined) ?? create();
}

export function createAisMetrics(registry: Registry): AisMetrics {
  return {
    requests: reuse(
      registry,
      'mlc_ais_requests_total',
      () =>
        new Counter({
          name: 'mlc_ais_requests_total',
          help: 'AIS Server calls by operation and HTTP status (or "network"/"timeout").',
          labelNames: ['operation', 'status'] as const,
          registers: [registry],
        }),
    ),
    latency: reuse(
      registry,
      'mlc_ais_request_duration_seconds',
      () =>
        new Histogram({
          name: 'mlc_ais_request_duration_seconds',
          help: 'AIS Server call latency by operation.',
          labelNames: ['operation'] as const,
          buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
          registers: [registry],
        }),
    ),
    tokenRetries: reuse(
      registry,
      'mlc_ais_token_retries_total',
      () =>
        new Counter({
          name: 'mlc_ais_token_retries_total',
          help: 'Calls retried once after HTTP 444 Invalid Token and a fresh session.',
          labelNames: ['operation'] as const,
          registers: [registry],
        }),
    ),
  };
}
