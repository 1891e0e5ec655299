/**
 * The broker's Prometheus metrics. Labels are only the kind of token and the outcome: never a
 * connection id (unbounded) and never anything secret.
 */
import { Counter, type Registry } from 'prom-client';

export type TokenKind = 'amazon' | 'jde';
export type RefreshOutcome = 'success' | 'refused' | 'unavailable' | 'error';

export interface TokenMetrics {
  refreshed(kind: TokenKind, outcome: RefreshOutcome): void;
  cacheHit(kind: TokenKind): void;
}

export function createTokenMetrics(registry: Registry): TokenMetrics {
  const refreshes = new Counter({
    name: 'mlc_token_refreshes_total',
    help: 'Amazon LWA exchanges and JDE AIS logins, by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [registry],
  });
  const hits = new Counter({
    name: 'mlc_token_cache_hits_total',
    help: 'Token requests answered from the cache, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  return {
    refreshed: (kind, outcome) => refreshes.inc({ kind, outcome }),
    cacheHit: (kind) => hits.inc({ kind }),
  };
}

export const noMetrics: TokenMetrics = { refreshed: () => {}, cacheHit: () => {} };

export function outcomeOf(error: unknown): RefreshOutcome {
  if (error instanceof Error && error.name === 'UpstreamRefusedError') return 'refused';
  if (error instanceof Error && error.name === 'UpstreamUnavailableError') return 'unavailable';
  return 'error';
}
