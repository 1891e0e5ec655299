/**
 * Login with Amazon (LWA): turning a selling partner's refresh token into the short-lived access
 * token every SP-API call carries in `x-amz-access-token` (no SigV4 since 2023-10-02).
 *
 * The exchange is a form POST of grant_type=refresh_token, refresh_token, client_id and client_secret
 * to https://api.amazon.com/auth/o2/token, answered with {access_token, token_type, expires_in}
 * (SP-API developer guide, "Connect to the SP-API"). Errors come as {error, error_description}.
 * Services get tokens through AccessTokenProvider: in production the token-broker serves it over gRPC;
 * InProcessTokenProvider here caches per (connection, region), refreshes ahead of expiry and lets
 * only one exchange run at a time for a key, however many callers ask at once.
 */
import { registerSecret } from '@mlc/observability';
import { type Clock, systemClock } from './clock.js';
import type { Region } from './regions.js';

export const LWA_TOKEN_ENDPOINT = 'https://api.amazon.com/auth/o2/token';

export interface LwaCredentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

export interface AccessToken {
  accessToken: string;
  /** Seconds from issue, 3600 for SP-API. */
  expiresIn: number;
  tokenType: string;
}

/** An LWA refusal: `error` is Amazon's code (invalid_grant, invalid_client, unauthorized_client…). */
export class LwaError extends Error {
  override name = 'LwaError';
  constructor(
    readonly status: number,
    readonly error: string,
    readonly errorDescription: string,
  ) {
    super(`LWA token exchange failed (${status} ${error}): ${errorDescription}`);
  }
}

export interface ExchangeOptions {
  endpoint?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** Exchanges a refresh token for an access token. Throws LwaError on any refusal. */
export async function exchangeRefreshToken(
  credentials: LwaCredentials,
  options: ExchangeOptions = {},
): Promise<AccessToken> {
  registerSecret(credentials.refreshToken);
  registerSecret(credentials.clientSecret);
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: credentials.refreshToken,
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
  });
  const response = await (options.fetch ?? fetch)(options.endpoint ?? LWA_TOKEN_ENDPOINT, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    body,
    signal: options.signal ?? AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const json = parseJson(text);
  if (!response.ok) {
    const error = typeof json?.error === 'string' ? json.error : 'http_error';
    const description =
      typeof json?.error_description === 'string' ? json.error_description : text.slice(0, 200);
    throw new LwaError(response.status, error, description);
  }
  if (typeof json?.access_token !== 'string' || typeof json.expires_in !== 'number') {
    throw new LwaError(
      response.status,
      'invalid_response',
      'the token response has no access_token/expires_in',
    );
  }
  // Access tokens are not registered with registerSecret: a new one every hour per connection would grow
  // the masking set without bound. They only travel in the x-amz-access-token header, which is redacted.
  return {
    accessToken: json.access_token,
    expiresIn: json.expires_in,
    tokenType: typeof json.token_type === 'string' ? json.token_type : 'bearer',
  };
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Where a client gets the access token for a (connection, region) stream. */
export interface AccessTokenProvider {
  getAccessToken(connectionId: string, region: Region): Promise<string>;
  /** Forgets a token Amazon refused (403), so the next call exchanges a new one. */
  invalidate(connectionId: string, region: Region): void;
}

export interface InProcessTokenProviderOptions {
  /** Looks up the LWA credentials of a connection in a region. */
  credentials: (connectionId: string, region: Region) => LwaCredentials | Promise<LwaCredentials>;
  endpoint?: string;
  fetch?: typeof fetch;
  clock?: Clock;
  /** Refresh this long before expiry (default 5 minutes). */
  refreshAheadMs?: number;
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

export class InProcessTokenProvider implements AccessTokenProvider {
  private readonly cache = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly clock: Clock;
  private readonly refreshAheadMs: number;

  constructor(private readonly options: InProcessTokenProviderOptions) {
    this.clock = options.clock ?? systemClock;
    this.refreshAheadMs = options.refreshAheadMs ?? 5 * 60_000;
  }

  getAccessToken(connectionId: string, region: Region): Promise<string> {
    const key = `${connectionId}\u0000${region}`;
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt - this.refreshAheadMs > this.clock.now()) {
      return Promise.resolve(cached.accessToken);
    }
    const running = this.inFlight.get(key);
    if (running) return running;
    const exchange = this.exchange(key, connectionId, region).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, exchange);
    return exchange;
  }

  invalidate(connectionId: string, region: Region): void {
    this.cache.delete(`${connectionId}\u0000${region}`);
  }

  private async exchange(key: string, connectionId: string, region: Region): Promise<string> {
    const credentials = await this.options.credentials(connectionId, region);
    const issuedAt = this.clock.now();
    const token = await exchangeRefreshToken(credentials, {
      endpoint: this.options.endpoint,
      fetch: this.options.fetch,
    });
    this.cache.set(key, { accessToken: token.accessToken, expiresAt: issuedAt + token.expiresIn * 1000 });
    return token.accessToken;
  }
}
