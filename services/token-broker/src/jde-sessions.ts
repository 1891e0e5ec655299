/**
 * JDE AIS sessions, one per connection, reused until a caller reports the token invalid (HTTP 444)
 * or, when configured, until a maximum age. One login runs per connection however many callers ask
 * at once; a burst of reports naming one token causes one re-login, and a report naming a token that
 * was already replaced changes nothing. Sessions the broker stops handing out (credentials changed,
 * connection deleted, shutdown) are logged out, best effort.
 */
import type { ConnectionSecrets, JdeCredentials } from '@mlc/credentials';
import type { AisAuthenticator } from './ais.js';
import { MissingCredentialsError } from './errors.js';
import { noMetrics, outcomeOf, type TokenMetrics } from './metrics.js';
import { type Clock, SingleFlight, systemClock } from './single-flight.js';

export interface JdeSessionInfo {
  token: string;
  aisBaseUrl: string;
  deviceName: string;
  /** 0: no planned expiry, valid until reported. */
  expiresAtMs: number;
}

interface Cached extends JdeSessionInfo {
  jde: JdeCredentials;
}

export interface JdeSessionsOptions {
  credentials: (connectionId: string) => Promise<ConnectionSecrets>;
  authenticator: AisAuthenticator;
  /** 0: reuse until reported invalid. */
  maxAgeMs: number;
  now?: Clock;
  metrics?: TokenMetrics;
  onError?: (connectionId: string, what: 'login' | 'logout', error: unknown) => void;
}

export class JdeSessions {
  readonly #sessions = new Map<string, Cached>();
  readonly #generations = new Map<string, number>();
  readonly #flight = new SingleFlight<Cached>();
  readonly #now: Clock;
  readonly #metrics: TokenMetrics;

  constructor(private readonly options: JdeSessionsOptions) {
    this.#now = options.now ?? systemClock;
    this.#metrics = options.metrics ?? noMetrics;
  }

  async get(connectionId: string): Promise<JdeSessionInfo> {
    const cached = this.#sessions.get(connectionId);
    if (cached && (cached.expiresAtMs === 0 || this.#now() < cached.expiresAtMs)) {
      this.#metrics.cacheHit('jde');
      return info(cached);
    }
    return info(await this.#login(connectionId));
  }

  /** AIS answered 444 for `token`: true when it was the current session (it is replaced). */
  async reportInvalid(connectionId: string, token: string): Promise<boolean> {
    const cached = this.#sessions.get(connectionId);
    if (!cached || cached.token !== token) return false;
    this.#sessions.delete(connectionId);
    try {
      await this.#login(connectionId);
    } catch (error) {
      this.options.onError?.(connectionId, 'login', error);
    }
    return true;
  }

  /** Drops (and logs out) the session of a connection whose credentials changed or that was deleted. */
  async forget(connectionId: string): Promise<void> {
    this.#generations.set(connectionId, this.#generation(connectionId) + 1);
    const cached = this.#sessions.get(connectionId);
    this.#sessions.delete(connectionId);
    if (cached) await this.#logout(connectionId, cached);
  }

  /** Logs every held session out, best effort, and forgets them. */
  async close(): Promise<void> {
    const held = [...this.#sessions.entries()];
    this.#sessions.clear();
    for (const [id] of held) this.#generations.set(id, this.#generation(id) + 1);
    await Promise.all(held.map(([id, cached]) => this.#logout(id, cached)));
  }

  #generation(connectionId: string): number {
    return this.#generations.get(connectionId) ?? 0;
  }

  #login(connectionId: string): Promise<Cached> {
    const generation = this.#generation(connectionId);
    return this.#flight.run(`${connectionId}\u0000${generation}`, async () => {
      const secrets = await this.options.credentials(connectionId);
      const jde = secrets.jde;
      if (!jde) throw new MissingCredentialsError(`connection "${connectionId}" has no JDE credentials`);
      let token: string;
      try {
        ({ token } = await this.options.authenticator.login(connectionId, jde));
      } catch (error) {
        this.#metrics.refreshed('jde', outcomeOf(error));
        throw error;
      }
      this.#metrics.refreshed('jde', 'success');
      const session: Cached = {
        token,
        aisBaseUrl: jde.aisBaseUrl,
        deviceName: jde.deviceName,
        expiresAtMs: this.options.maxAgeMs > 0 ? this.#now() + this.options.maxAgeMs : 0,
        jde,
      };
      if (this.#generation(connectionId) === generation) {
        const previous = this.#sessions.get(connectionId);
        this.#sessions.set(connectionId, session);
        // A session aged out is still valid on the server: end it rather than leave it to time out.
        if (previous && previous.token !== token) void this.#logout(connectionId, previous);
      } else {
        void this.#logout(connectionId, session);
      }
      return session;
    });
  }

  async #logout(connectionId: string, session: Cached): Promise<void> {
    try {
      await this.options.authenticator.logout(connectionId, session.jde, session.token);
    } catch (error) {
      this.options.onError?.(connectionId, 'logout', error);
    }
  }
}

function info(cached: Cached): JdeSessionInfo {
  return {
    token: cached.token,
    aisBaseUrl: cached.aisBaseUrl,
    deviceName: cached.deviceName,
    expiresAtMs: cached.expiresAtMs,
  };
}
