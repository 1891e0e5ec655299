/**
 * The Login with Amazon exchange, behind a small interface so the token cache can be tested with a
 * fake. The HTTP work is @mlc/sp-api's exchangeRefreshToken (form POST of grant_type=refresh_token to
 * https://api.amazon.com/auth/o2/token); here its failures are sorted into "LWA refused these
 * credentials" and "LWA is unreachable, try later".
 */
import { scrubSecrets } from '@mlc/observability';
import { exchangeRefreshToken, LWA_TOKEN_ENDPOINT, LwaError } from '@mlc/sp-api';
import { UpstreamRefusedError, UpstreamUnavailableError } from './errors.js';

export interface LwaExchangeRequest {
  connectionId: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** Empty: Amazon's own endpoint. */
  endpoint: string;
}

export interface LwaExchangeResult {
  accessToken: string;
  expiresInS: number;
}

export interface LwaExchanger {
  exchange(request: LwaExchangeRequest): Promise<LwaExchangeResult>;
}

export function httpLwaExchanger(options: { timeoutMs: number; fetch?: typeof fetch }): LwaExchanger {
  return {
    async exchange(request) {
      try {
        const token = await exchangeRefreshToken(
          {
            clientId: request.clientId,
            clientSecret: request.clientSecret,
            refreshToken: request.refreshToken,
          },
          {
            endpoint: request.endpoint || LWA_TOKEN_ENDPOINT,
            signal: AbortSignal.timeout(options.timeoutMs),
            ...(options.fetch ? { fetch: options.fetch } : {}),
          },
        );
        return { accessToken: token.accessToken, expiresInS: token.expiresIn };
      } catch (error) {
        throw classify(request.connectionId, error);
      }
    },
  };
}

function classify(connectionId: string, error: unknown): Error {
  if (error instanceof LwaError) {
    const what = `LWA token exchange for connection "${connectionId}" failed: HTTP ${error.status} ${error.error}`;
    const description = error.errorDescription ? `: ${scrubSecrets(error.errorDescription)}` : '';
    if (error.status === 429 || error.status >= 500 || error.error === 'invalid_response') {
      return new UpstreamUnavailableError(`${what}${description}`);
    }
    return new UpstreamRefusedError(`${what}${description}`);
  }
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new UpstreamUnavailableError(
    `LWA token endpoint unreachable for connection "${connectionId}": ${scrubSecrets(reason)}`,
  );
}
