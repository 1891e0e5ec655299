/**
 * @mlc/token-broker-client: the typed promise client other services (and the CLI) use to reach the
 * token-broker over gRPC. It sends `authorization: Bearer <token>` on every call, applies a deadline,
 * registers every token it receives with the log scrubber, and rejects with TokenBrokerError carrying
 * the gRPC status (NOT_FOUND, INVALID_ARGUMENT, UNAVAILABLE…).
 *
 *   const broker = createTokenBrokerClient({ address: 'token-broker:50051', token });
 *   const { accessToken } = await broker.getAmazonAccessToken('acme-us', 'NA');
 *   // Amazon answered 403 expired token:
 *   await broker.reportInvalidAmazonToken('acme-us', 'NA', accessToken);
 */
import * as grpc from '@grpc/grpc-js';
import { type TokenBrokerClient as GeneratedClient, loadTokenBrokerProto } from '@mlc/grpc-contracts';
import { registerSecret } from '@mlc/observability';

export type AmazonRegion = 'NA' | 'EU' | 'FE';

export interface AccessToken {
  accessToken: string;
  /** Epoch ms after which the token must not be used. */
  expiresAtMs: number;
}

export interface JdeSession {
  token: string;
  /** Send calls here, with `jde-AIS-Auth: token` and `jde-AIS-Auth-Device: deviceName`. */
  aisBaseUrl: string;
  deviceName: string;
  /** 0: valid until reported invalid. */
  expiresAtMs: number;
}

export interface AmazonCredentialsInput {
  lwaClientId: string;
  lwaClientSecret: string;
  refreshToken: string;
  regions: AmazonRegion[];
  marketplaceIds?: string[];
  lwaEndpoint?: string;
  spApiEndpoint?: string;
  /** The selling partner's merchant id, for the Listings Items API (not a secret). */
  sellerId?: string;
}

export interface JdeCredentialsInput {
  aisBaseUrl: string;
  username: string;
  password: string;
  environment: string;
  role?: string;
  deviceName?: string;
  allowInsecureHttp?: boolean;
}

export interface ConnectionInput {
  connectionId: string;
  displayName?: string;
  amazon?: AmazonCredentialsInput;
  jde?: JdeCredentialsInput;
}

/** For updates: absent parts are kept; in a given part, an empty secret keeps the stored one. */
export type ConnectionPatch = Omit<ConnectionInput, 'connectionId'>;

/** A connection as the broker shows it: never a secret. */
export interface BrokerConnection {
  connectionId: string;
  displayName: string;
  keyId: string;
  hasAmazon: boolean;
  hasJde: boolean;
  regions: string[];
  marketplaceIds: string[];
  lwaEndpoint: string;
  spApiEndpoint: string;
  /** The Amazon seller (merchant) id; empty when not known. */
  amazonSellerId: string;
  aisBaseUrl: string;
  jdeUsername: string;
  jdeEnvironment: string;
  jdeRole: string;
  jdeDeviceName: string;
  jdeAllowInsecureHttp: boolean;
  updatedAtMs: number;
}

export interface TokenBrokerClient {
  getAmazonAccessToken(connectionId: string, region: AmazonRegion): Promise<AccessToken>;
  /** True when this report caused a refresh; false when the token had already been replaced. */
  reportInvalidAmazonToken(connectionId: string, region: AmazonRegion, token: string): Promise<boolean>;
  getJdeSession(connectionId: string): Promise<JdeSession>;
  reportInvalidJdeSession(connectionId: string, token: string): Promise<boolean>;
  createConnection(input: ConnectionInput): Promise<BrokerConnection>;
  updateConnection(connectionId: string, patch: ConnectionPatch): Promise<BrokerConnection>;
  deleteConnection(connectionId: string): Promise<boolean>;
  listConnections(): Promise<BrokerConnection[]>;
  getConnection(connectionId: string): Promise<BrokerConnection>;
  close(): void;
}

export interface TokenBrokerClientOptions {
  /** host:port of the broker's gRPC server. */
  address: string;
  /** One of the broker's MLC_BROKER_CLIENT_TOKENS. */
  token: string;
  /** Per-call deadline (default 15 s; the broker may wait on LWA or AIS). */
  deadlineMs?: number;
  /** Default: insecure (plain HTTP/2 inside the cluster). */
  credentials?: grpc.ChannelCredentials;
}

/** A failed call: the gRPC status and the broker's explanation (never a secret). */
export class TokenBrokerError extends Error {
  override name = 'TokenBrokerError';
  constructor(
    readonly code: grpc.status,
    readonly details: string,
    readonly method: string,
  ) {
    super(`token-broker ${method}: ${grpc.status[code] ?? code}: ${details}`);
  }
}

export function createTokenBrokerClient(options: TokenBrokerClientOptions): TokenBrokerClient {
  registerSecret(options.token);
  const Client = loadTokenBrokerProto().mlc.tokenbroker.v1.TokenBroker;
  const client: GeneratedClient = new Client(
    options.address,
    options.credentials ?? grpc.credentials.createInsecure(),
  );
  const deadlineMs = options.deadlineMs ?? 15_000;

  function call<Req, Res>(method: string, request: Req): Promise<Res> {
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${options.token}`);
    const fn = (client as unknown as Record<string, unknown>)[method] as (
      request: Req,
      metadata: grpc.Metadata,
      options: grpc.CallOptions,
      callback: (error: grpc.ServiceError | null, response?: Res) => void,
    ) => void;
    return new Promise<Res>((resolve, reject) => {
      fn.call(client, request, metadata, { deadline: Date.now() + deadlineMs }, (error, response) => {
        if (error) reject(new TokenBrokerError(error.code, error.details, method));
        else resolve(response as Res);
      });
    });
  }

  return {
    async getAmazonAccessToken(connectionId, region) {
      const r = await call<object, { access_token: string; expires_at_ms: string }>('GetAmazonAccessToken', {
        connection_id: connectionId,
        region,
      });
      registerSecret(r.access_token);
      return { accessToken: r.access_token, expiresAtMs: Number(r.expires_at_ms) };
    },
    async reportInvalidAmazonToken(connectionId, region, token) {
      const r = await call<object, { refreshed: boolean }>('ReportInvalidAmazonToken', {
        connection_id: connectionId,
        region,
        token,
      });
      return r.refreshed;
    },
    async getJdeSession(connectionId) {
      const r = await call<
        object,
        { token: string; ais_base_url: string; device_name: string; expires_at_ms: string }
      >('GetJdeSession', { connection_id: connectionId });
      registerSecret(r.token);
      return {
        token: r.token,
        aisBaseUrl: r.ais_base_url,
        deviceName: r.device_name,
        expiresAtMs: Number(r.expires_at_ms),
      };
    },
    async reportInvalidJdeSession(connectionId, token) {
      const r = await call<object, { refreshed: boolean }>('ReportInvalidJdeSession', {
        connection_id: connectionId,
        token,
      });
      return r.refreshed;
    },
    async createConnection(input) {
      return fromProto(await call<object, ProtoConnection>('CreateConnection', toProtoInput(input)));
    },
    async updateConnection(connectionId, patch) {
      return fromProto(
        await call<object, ProtoConnection>('UpdateConnection', toProtoInput({ ...patch, connectionId })),
      );
    },
    async deleteConnection(connectionId) {
      const r = await call<object, { deleted: boolean }>('DeleteConnection', { connection_id: connectionId });
      return r.deleted;
    },
    async listConnections() {
      const r = await call<object, { connections: ProtoConnection[] }>('ListConnections', {});
      return r.connections.map(fromProto);
    },
    async getConnection(connectionId) {
      return fromProto(await call<object, ProtoConnection>('GetConnection', { connection_id: connectionId }));
    },
    close() {
      client.close();
    },
  };
}

interface ProtoConnection {
  connection_id: string;
  display_name: string;
  key_id: string;
  has_amazon: boolean;
  has_jde: boolean;
  regions: string[];
  marketplace_ids: string[];
  lwa_endpoint: string;
  sp_api_endpoint: string;
  ais_base_url: string;
  jde_username: string;
  jde_environment: string;
  jde_role: string;
  jde_device_name: string;
  jde_allow_insecure_http: boolean;
  amazon_seller_id?: string;
  updated_at_ms: string;
}

function fromProto(c: ProtoConnection): BrokerConnection {
  return {
    connectionId: c.connection_id,
    displayName: c.display_name,
    keyId: c.key_id,
    hasAmazon: c.has_amazon,
    hasJde: c.has_jde,
    regions: c.regions,
    marketplaceIds: c.marketplace_ids,
    lwaEndpoint: c.lwa_endpoint,
    spApiEndpoint: c.sp_api_endpoint,
    aisBaseUrl: c.ais_base_url,
    jdeUsername: c.jde_username,
    jdeEnvironment: c.jde_environment,
    jdeRole: c.jde_role,
    jdeDeviceName: c.jde_device_name,
    jdeAllowInsecureHttp: c.jde_allow_insecure_http,
    amazonSellerId: c.amazon_seller_id ?? '',
    updatedAtMs: Number(c.updated_at_ms),
  };
}

function toProtoInput(input: ConnectionInput): object {
  return {
    connection_id: input.connectionId,
    display_name: input.displayName ?? '',
    amazon: input.amazon
      ? {
          lwa_client_id: input.amazon.lwaClientId,
          lwa_client_secret: input.amazon.lwaClientSecret,
          refresh_token: input.amazon.refreshToken,
          regions: input.amazon.regions,
          marketplace_ids: input.amazon.marketplaceIds ?? [],
          lwa_endpoint: input.amazon.lwaEndpoint ?? '',
          sp_api_endpoint: input.amazon.spApiEndpoint ?? '',
          seller_id: input.amazon.sellerId ?? '',
        }
      : null,
    jde: input.jde
      ? {
          ais_base_url: input.jde.aisBaseUrl,
          username: input.jde.username,
          password: input.jde.password,
          environment: input.jde.environment,
          role: input.jde.role ?? '',
          device_name: input.jde.deviceName ?? '',
          allow_insecure_http: input.jde.allowInsecureHttp ?? false,
        }
      : null,
  };
}
