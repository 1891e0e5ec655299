/**
 * AIS clients for the services that talk to JDE (mapping reads F0901, jde-poster posts journals
 * and reads F0911). Neither ever sees a JDE password: the connection's AIS URL and device come from
 * the token-broker's connection record, sessions from GetJdeSession, and a 444 is reported back so
 * the broker logs in again (one re-login however many callers report the same token).
 */
import {
  AisClient,
  type AisConnectionConfig,
  type AisMetrics,
  type AisSession,
  type SessionProvider,
} from '@mlc/ais';
import type { TokenBrokerClient } from '@mlc/token-broker-client';

/** Sessions from the token-broker, in the shape the AIS client expects. */
export class BrokerSessionProvider implements SessionProvider {
  constructor(private readonly broker: TokenBrokerClient) {}

  async getSession(connectionId: string): Promise<AisSession> {
    const [session, connection] = await Promise.all([
      this.broker.getJdeSession(connectionId),
      this.broker.getConnection(connectionId),
    ]);
    return {
      connectionId,
      token: session.token,
      deviceName: session.deviceName,
      username: connection.jdeUsername,
      environment: connection.jdeEnvironment,
      role: connection.jdeRole,
      dateFormat: '',
      obtainedAt: new Date(),
    };
  }

  async reportInvalid(connectionId: string, token: string): Promise<void> {
    await this.broker.reportInvalidJdeSession(connectionId, token);
  }
}

export interface JdeAccessOptions {
  broker: TokenBrokerClient;
  metrics?: AisMetrics;
  /** Per-connection settings the broker does not hold: orchestration mapping, date format, timeout. */
  settings?: Pick<AisConnectionConfig, 'journal' | 'dateFormat' | 'requestTimeoutMs'>;
}

/** One AIS client per connection, built from the broker's connection record on first use. */
export class JdeAccess {
  readonly #clients = new Map<string, Promise<AisClient>>();
  readonly #sessions: BrokerSessionProvider;

  constructor(private readonly options: JdeAccessOptions) {
    this.#sessions = new BrokerSessionProvider(options.broker);
  }

  client(connectionId: string): Promise<AisClient> {
    let client = this.#clients.get(connectionId);
    if (!client) {
      client = this.#build(connectionId);
      client.catch(() => this.#clients.delete(connectionId));
      this.#clients.set(connectionId, client);
    }
    return client;
  }

  async #build(connectionId: string): Promise<AisClient> {
    const record = await this.options.broker.getConnection(connectionId);
    if (!record.hasJde)
      throw new Error(`connection "${connectionId}" has no JDE credentials at the token-broker`);
    const connection: AisConnectionConfig = {
      id: connectionId,
      baseUrl: record.aisBaseUrl,
      allowInsecureHttp: record.jdeAllowInsecureHttp,
      // No password: the broker logs in.
      username: record.jdeUsername,
      deviceName: record.jdeDeviceName,
      environment: record.jdeEnvironment,
      role: record.jdeRole,
      ...this.options.settings,
    };
    const options: ConstructorParameters<typeof AisClient>[0] = { connection, sessions: this.#sessions };
    if (this.options.metrics) options.metrics = this.options.metrics;
    return new AisClient(options);
  }
}
