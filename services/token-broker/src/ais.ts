/**
 * JDE AIS login and logout, behind a small interface (AisAuthenticator) so the session cache can be
 * tested with a fake. The HTTP work is @mlc/ais (requestToken: POST {base}/jderest/v2/tokenrequest
 * with username, password, deviceName, environment and role, token in userInfo.token; logoutSession:
 * POST …/tokenrequest/logout, where 444 means already gone). Here its failures are sorted into "AIS
 * refused these credentials" and "AIS is unreachable, try later".
 */
import {
  AisError,
  type AisSession,
  AisTransport,
  logoutSession,
  requestToken,
  resolveConnection,
} from '@mlc/ais';
import type { JdeCredentials } from '@mlc/credentials';
import { registerSecret, scrubSecrets } from '@mlc/observability';
import { UpstreamRefusedError, UpstreamUnavailableError } from './errors.js';

export interface AisLoginResult {
  token: string;
}

export interface AisAuthenticator {
  login(connectionId: string, jde: JdeCredentials): Promise<AisLoginResult>;
  /** Best effort: ends a session the broker no longer hands out. */
  logout(connectionId: string, jde: JdeCredentials, token: string): Promise<void>;
}

export function httpAisAuthenticator(options: { timeoutMs: number; fetch?: typeof fetch }): AisAuthenticator {
  function transport(connectionId: string, jde: JdeCredentials): AisTransport {
    registerSecret(jde.password);
    const connection = resolveConnection({
      id: connectionId,
      baseUrl: jde.aisBaseUrl,
      allowInsecureHttp: jde.allowInsecureHttp,
      username: jde.username,
      password: jde.password,
      deviceName: jde.deviceName,
      environment: jde.environment,
      role: jde.role,
      requestTimeoutMs: options.timeoutMs,
    });
    return new AisTransport(connection, options.fetch ? { fetch: options.fetch } : {});
  }

  return {
    async login(connectionId, jde) {
      try {
        const t = transport(connectionId, jde);
        const session = await requestToken(t.connection, t);
        registerSecret(session.token);
        return { token: session.token };
      } catch (error) {
        throw classify(error);
      }
    },

    async logout(connectionId, jde, token) {
      try {
        const t = transport(connectionId, jde);
        const session: AisSession = {
          connectionId,
          token,
          deviceName: jde.deviceName,
          username: jde.username,
          environment: jde.environment,
          role: jde.role,
          dateFormat: '',
          obtainedAt: new Date(),
        };
        await logoutSession(t, session);
      } catch (error) {
        throw classify(error);
      }
    },
  };
}

function classify(error: unknown): Error {
  const message = scrubSecrets(error instanceof Error ? error.message : String(error));
  if (error instanceof AisError) {
    const status = error.options.status ?? 0;
    const unavailable =
      error.kind === 'transport' || error.kind === 'protocol' || status >= 500 || status === 429;
    return unavailable ? new UpstreamUnavailableError(message) : new UpstreamRefusedError(message);
  }
  return new UpstreamUnavailableError(message);
}
