/**
 * AIS sessions. Login is POST /jderest/v2/tokenrequest with username, password, deviceName,
 * environment and role; the token is userInfo.token and is then sent as jde-AIS-Auth with
 * jde-AIS-Auth-Device on every call (a token is bound to its device). A SessionProvider hands out
 * one session per connection and forgets a token reported invalid (HTTP 444); the in-process one
 * here logs in itself, a gRPC token broker will implement the same interface in production.
 */
import { registerSecret } from '@mlc/observability';
import { type AisConnectionConfig, type ResolvedConnection, resolveConnection } from './config.js';
import { DEFAULT_DATE_FORMAT } from './dates.js';
import { AisError, describeDetails, parseAisErrorBody } from './errors.js';
import { AisTransport, type FetchLike } from './http.js';
import type { AisMetrics } from './metrics.js';

export interface AisSession {
  connectionId: string;
  token: string;
  deviceName: string;
  username: string;
  environment: string;
  role: string;
  /** userInfo.simpleDateFormat of the login (e.g. "MM/dd/yyyy"). */
  dateFormat: string;
  obtainedAt: Date;
}

export interface SessionProvider {
  /** A session for this connection: a cached one, or a fresh login. */
  getSession(connectionId: string): Promise<AisSession>;
  /** Says the AIS Server answered 444 for this token; the next getSession must not return it. */
  reportInvalid(connectionId: string, token: string): Promise<void> | void;
}

/** The headers that authenticate a call with a session. */
export function authHeaders(session: AisSession): Record<string, string> {
  return { 'jde-AIS-Auth': session.token, 'jde-AIS-Auth-Device': session.deviceName };
}

/** Logs in. 403 → 'forbidden'; other failures name the status and the AIS message. */
export async function requestToken(
  connection: ResolvedConnection,
  transport: AisTransport,
): Promise<AisSession> {
  if (!connection.password) {
    throw new AisError('config', `AIS connection "${connection.id}": password is required to log in`, {
      field: 'password',
    });
  }
  const { status, body } = await transport.send('tokenrequest', '/jderest/v2/tokenrequest', {
    username: connection.username,
    password: connection.password,
    deviceName: connection.deviceName,
    environment: connection.environment,
    role: connection.role,
  });
  if (status === 403) {
    throw new AisError(
      'forbidden',
      `AIS login refused for user ${connection.username} on connection "${connection.id}" (403 Authorization Failure): ${describeDetails(parseAisErrorBody(body)) || 'check username, password, environment and role'}`,
      { operation: 'tokenrequest', status, details: parseAisErrorBody(body) },
    );
  }
  if (status !== 200) {
    const details = parseAisErrorBody(body);
    throw new AisError(
      'http',
      `AIS login on connection "${connection.id}" failed with HTTP ${status}: ${describeDetails(details) || loginStatusHint(status)}`,
      { operation: 'tokenrequest', status, details },
    );
  }
  const userInfo = (body as { userInfo?: { token?: unknown; simpleDateFormat?: unknown } } | null)?.userInfo;
  const token = userInfo?.token;
  if (typeof token !== 'string' || token === '') {
    throw new AisError(
      'protocol',
      `AIS login on connection "${connection.id}" answered 200 without userInfo.token`,
      {
        operation: 'tokenrequest',
        status,
      },
    );
  }
  registerSecret(token);
  return {
    connectionId: connection.id,
    token,
    deviceName: connection.deviceName,
    username: connection.username,
    environment: connection.environment,
    role: connection.role,
    dateFormat:
      typeof userInfo?.simpleDateFormat === 'string' ? userInfo.simpleDateFormat : DEFAULT_DATE_FORMAT,
    obtainedAt: new Date(),
  };
}

function loginStatusHint(status: number): string {
  switch (status) {
    case 400:
      return 'invalid JSON';
    case 405:
      return 'Allowed Hosts on the HTML server does not accept requests from this AIS Server';
    case 415:
      return 'Content-Type must be application/json';
    default:
      return 'no error body';
  }
}

/** Ends the session on the AIS Server. A 444 means it was already gone, which is fine. */
export async function logoutSession(transport: AisTransport, session: AisSession): Promise<void> {
  const { status, body } = await transport.send(
    'logout',
    '/jderest/v2/tokenrequest/logout',
    { token: session.token },
    authHeaders(session),
  );
  if (status !== 200 && status !== 444) {
    throw new AisError(
      'http',
      `AIS logout failed with HTTP ${status}: ${describeDetails(parseAisErrorBody(body))}`,
      {
        operation: 'logout',
        status,
      },
    );
  }
}

/** Asks whether a session is still valid; `touch` extends its idle timeout. */
export async function validateSession(
  transport: AisTransport,
  session: AisSession,
  touch = false,
): Promise<boolean> {
  const { status, body } = await transport.send(
    'validate',
    '/jderest/v2/tokenrequest/validate',
    { token: session.token, deviceName: session.deviceName, touch },
    authHeaders(session),
  );
  if (status === 444 || status === 403) return false;
  if (status !== 200)
    throw new AisError('http', `AIS validate failed with HTTP ${status}`, { operation: 'validate', status });
  return (body as { isValidSession?: unknown } | null)?.isValidSession === true;
}

interface Cached {
  promise: Promise<AisSession>;
  token?: string;
}

/**
 * Keeps one session per connection in this process. Concurrent callers share one login; a token
 * reported invalid is dropped so the next caller logs in again.
 */
export class InProcessSessionProvider implements SessionProvider {
  private readonly connections = new Map<
    string,
    { connection: ResolvedConnection; transport: AisTransport }
  >();
  private readonly cache = new Map<string, Cached>();

  constructor(
    connections: Iterable<AisConnectionConfig | ResolvedConnection>,
    private readonly options: { fetch?: FetchLike; metrics?: AisMetrics } = {},
  ) {
    for (const config of connections) this.addConnection(config);
  }

  addConnection(config: AisConnectionConfig | ResolvedConnection): ResolvedConnection {
    const connection = resolveConnection(config);
    this.connections.set(connection.id, {
      connection,
      transport: new AisTransport(connection, this.options),
    });
    return connection;
  }

  async getSession(connectionId: string): Promise<AisSession> {
    const cached = this.cache.get(connectionId);
    if (cached) return cached.promise;
    const entry = this.connections.get(connectionId);
    if (!entry) throw new AisError('config', `no AIS connection "${connectionId}"`);
    const slot: Cached = { promise: requestToken(entry.connection, entry.transport) };
    this.cache.set(connectionId, slot);
    slot.promise.then(
      (session) => {
        slot.token = session.token;
      },
      () => {
        if (this.cache.get(connectionId) === slot) this.cache.delete(connectionId);
      },
    );
    return slot.promise;
  }

  reportInvalid(connectionId: string, token: string): void {
    const cached = this.cache.get(connectionId);
    if (cached && cached.token === token) this.cache.delete(connectionId);
  }

  /** Logs every cached session out (best effort) and forgets them. */
  async close(): Promise<void> {
    const sessions = [...this.cache.entries()];
    this.cache.clear();
    await Promise.allSettled(
      sessions.map(async ([id, cached]) => {
        const entry = this.connections.get(id);
        if (entry) await logoutSession(entry.transport, await cached.promise);
      }),
    );
  }
}
