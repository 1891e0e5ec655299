/**
 * Amazon access tokens per (connection, region): kept for their life and refreshed ahead of expiry
 * by `marginMs` (at most half their life, so a short-lived token is not refreshed on every call).
 * However many callers ask at once, one LWA exchange runs per (connection, region); a report that a
 * token stopped working drops it and refreshes once, and reports naming a token that was already
 * replaced change nothing. forget() drops a connection whose credentials changed; an exchange already
 * running for the old credentials does not land in the cache.
 */
import type { AmazonRegion, ConnectionSecrets } from '@mlc/credentials';
import { registerSecret } from '@mlc/observability';
import { MissingCredentialsError } from './errors.js';
import type { LwaExchanger } from './lwa.js';
import { noMetrics, outcomeOf, type TokenMetrics } from './metrics.js';
import { type Clock, SingleFlight, systemClock } from './single-flight.js';

export interface AmazonToken {
  accessToken: string;
  expiresAtMs: number;
}

interface Cached extends AmazonToken {
  refreshAtMs: number;
}

export interface AmazonTokensOptions {
  credentials: (connectionId: string) => Promise<ConnectionSecrets>;
  exchanger: LwaExchanger;
  marginMs: number;
  now?: Clock;
  metrics?: TokenMetrics;
  onRefreshError?: (connectionId: string, region: AmazonRegion, error: unknown) => void;
}

export class AmazonTokens {
  readonly #cache = new Map<string, Cached>();
  readonly #generations = new Map<string, number>();
  readonly #flight = new SingleFlight<Cached>();
  readonly #now: Clock;
  readonly #metrics: TokenMetrics;

  constructor(private readonly options: AmazonTokensOptions) {
    this.#now = options.now ?? systemClock;
    this.#metrics = options.metrics ?? noMetrics;
  }

  /** A token valid for at least the margin (or half its life), from the cache or one exchange. */
  async get(connectionId: string, region: AmazonRegion): Promise<AmazonToken> {
    const cached = this.#cache.get(key(connectionId, region));
    if (cached && this.#now() < cached.refreshAtMs) {
      this.#metrics.cacheHit('amazon');
      return { accessToken: cached.accessToken, expiresAtMs: cached.expiresAtMs };
    }
    const fresh = await this.#refresh(connectionId, region);
    return { accessToken: fresh.accessToken, expiresAtMs: fresh.expiresAtMs };
  }

  /** Amazon refused `token`: true when it was the current one (it is replaced), false otherwise. */
  async reportInvalid(connectionId: string, region: AmazonRegion, token: string): Promise<boolean> {
    const k = key(connectionId, region);
    const cached = this.#cache.get(k);
    if (!cached || cached.accessToken !== token) return false;
    this.#cache.delete(k);
    try {
      await this.#refresh(connectionId, region);
    } catch (error) {
      // The token is dropped either way; the next get() tries again and reports the failure.
      this.options.onRefreshError?.(connectionId, region, error);
    }
    return true;
  }

  /** Drops every token of a connection (its credentials changed or it was deleted). */
  forget(connectionId: string): void {
    this.#generations.set(connectionId, this.#generation(connectionId) + 1);
    for (const k of this.#cache.keys()) if (k.startsWith(`${connectionId}\u0000`)) this.#cache.delete(k);
  }

  #generation(connectionId: string): number {
    return this.#generations.get(connectionId) ?? 0;
  }

  #refresh(connectionId: string, region: AmazonRegion): Promise<Cached> {
    const generation = this.#generation(connectionId);
    return this.#flight.run(`${key(connectionId, region)}\u0000${generation}`, async () => {
      const secrets = await this.options.credentials(connectionId);
      const amazon = secrets.amazon;
      if (!amazon)
        throw new MissingCredentialsError(`connection "${connectionId}" has no Amazon credentials`);
      if (!amazon.regions.includes(region)) {
        throw new MissingCredentialsError(
          `connection "${connectionId}" is not set up for region ${region} (it has ${amazon.regions.join(', ')})`,
          'region',
        );
      }
      const startedAt = this.#now();
      let result: { accessToken: string; expiresInS: number };
      try {
        result = await this.options.exchanger.exchange({
          connectionId,
          clientId: amazon.lwaClientId,
          clientSecret: amazon.lwaClientSecret,
          refreshToken: amazon.refreshToken,
          endpoint: amazon.lwaEndpoint,
        });
      } catch (error) {
        this.#metrics.refreshed('amazon', outcomeOf(error));
        throw error;
      }
      this.#metrics.refreshed('amazon', 'success');
      registerSecret(result.accessToken);
      const lifeMs = Math.max(0, result.expiresInS * 1000);
      const cached: Cached = {
        accessToken: result.accessToken,
        expiresAtMs: startedAt + lifeMs,
        refreshAtMs: startedAt + lifeMs - Math.min(this.options.marginMs, lifeMs / 2),
      };
      if (this.#generation(connectionId) === generation) this.#cache.set(key(connectionId, region), cached);
      return cached;
    });
  }
}

function key(connectionId: string, region: string): string {
  return `${connectionId}\u0000${region}`;
}
