/**
 * The mlc.tokenbroker.v1.TokenBroker handlers: request validation (INVALID_ARGUMENT naming the field),
 * the calls into the connection store and the token caches, and one mapping of failures to gRPC
 * status codes. Connections go out without secrets. Unexpected errors are logged (the logger masks
 * registered secrets) and answered INTERNAL without detail.
 */
import * as grpc from '@grpc/grpc-js';
import {
  AMAZON_REGIONS,
  type AmazonCredentials,
  type AmazonRegion,
  ConcurrentUpdateError,
  ConnectionExistsError,
  ConnectionNotFoundError,
  type ConnectionStore,
  type ConnectionSummary,
  CredentialsValidationError,
  DecryptionError,
  type JdeCredentials,
  KeyringError,
  validateConnectionId,
} from '@mlc/credentials';
import type { TokenBrokerHandlers } from '@mlc/grpc-contracts';
import { type Logger, registerSecret } from '@mlc/observability';
import type { AmazonTokens } from './amazon-tokens.js';
import { MissingCredentialsError, UpstreamRefusedError, UpstreamUnavailableError } from './errors.js';
import type { JdeSessions } from './jde-sessions.js';

/** The contract's rpcs (TokenBrokerHandlers also has an index signature, so keyof is not enough). */
type Method =
  | 'GetAmazonAccessToken'
  | 'ReportInvalidAmazonToken'
  | 'GetJdeSession'
  | 'ReportInvalidJdeSession'
  | 'CreateConnection'
  | 'UpdateConnection'
  | 'DeleteConnection'
  | 'ListConnections'
  | 'GetConnection';
type RequestOf<K extends Method> =
  TokenBrokerHandlers[K] extends grpc.handleUnaryCall<infer Q, infer _R> ? Q : never;
type ResponseOf<K extends Method> =
  TokenBrokerHandlers[K] extends grpc.handleUnaryCall<infer _Q, infer R> ? R : never;
type ProtoAmazon = NonNullable<RequestOf<'CreateConnection'>['amazon']>;
type ProtoJde = NonNullable<RequestOf<'CreateConnection'>['jde']>;
type ProtoConnection = ResponseOf<'CreateConnection'>;

export interface HandlerDeps {
  store: ConnectionStore;
  amazon: AmazonTokens;
  jde: JdeSessions;
  logger: Logger;
}

export function tokenBrokerHandlers(deps: HandlerDeps): TokenBrokerHandlers {
  const { store, amazon, jde, logger } = deps;

  function unary<K extends Method>(
    method: K,
    run: (request: RequestOf<K>) => Promise<ResponseOf<K>>,
  ): TokenBrokerHandlers[K] {
    const handler: grpc.handleUnaryCall<RequestOf<K>, ResponseOf<K>> = (call, callback) => {
      run(call.request).then(
        (response) => callback(null, response),
        (error: unknown) => callback(toStatus(method, error, logger)),
      );
    };
    return handler as unknown as TokenBrokerHandlers[K];
  }

  return {
    GetAmazonAccessToken: unary('GetAmazonAccessToken', async (request) => {
      validateConnectionId(request.connection_id);
      const region = parseRegion(request.region);
      const token = await amazon.get(request.connection_id, region);
      return { access_token: token.accessToken, expires_at_ms: String(token.expiresAtMs) };
    }),

    ReportInvalidAmazonToken: unary('ReportInvalidAmazonToken', async (request) => {
      validateConnectionId(request.connection_id);
      const region = parseRegion(request.region);
      if (!request.token) throw new CredentialsValidationError('token', 'required');
      registerSecret(request.token);
      const refreshed = await amazon.reportInvalid(request.connection_id, region, request.token);
      if (refreshed)
        logger.info({ connectionId: request.connection_id, region }, 'amazon token reported invalid');
      return { refreshed };
    }),

    GetJdeSession: unary('GetJdeSession', async (request) => {
      validateConnectionId(request.connection_id);
      const session = await jde.get(request.connection_id);
      return {
        token: session.token,
        ais_base_url: session.aisBaseUrl,
        device_name: session.deviceName,
        expires_at_ms: String(session.expiresAtMs),
      };
    }),

    ReportInvalidJdeSession: unary('ReportInvalidJdeSession', async (request) => {
      validateConnectionId(request.connection_id);
      if (!request.token) throw new CredentialsValidationError('token', 'required');
      registerSecret(request.token);
      const refreshed = await jde.reportInvalid(request.connection_id, request.token);
      if (refreshed) logger.info({ connectionId: request.connection_id }, 'jde session reported invalid');
      return { refreshed };
    }),

    CreateConnection: unary('CreateConnection', async (request) => {
      const created = await store.create({
        connectionId: request.connection_id,
        displayName: request.display_name,
        amazon: request.amazon ? fromProtoAmazon(request.amazon) : undefined,
        jde: request.jde ? fromProtoJde(request.jde) : undefined,
      });
      logger.info({ connectionId: created.connectionId, keyId: created.keyId }, 'connection created');
      return toProtoConnection(created);
    }),

    UpdateConnection: unary('UpdateConnection', async (request) => {
      const updated = await store.update(request.connection_id, {
        displayName: request.display_name,
        amazon: request.amazon ? fromProtoAmazon(request.amazon) : undefined,
        jde: request.jde ? fromProtoJde(request.jde) : undefined,
      });
      amazon.forget(request.connection_id);
      await jde.forget(request.connection_id);
      logger.info({ connectionId: updated.connectionId, keyId: updated.keyId }, 'connection updated');
      return toProtoConnection(updated);
    }),

    DeleteConnection: unary('DeleteConnection', async (request) => {
      validateConnectionId(request.connection_id);
      const deleted = await store.delete(request.connection_id);
      amazon.forget(request.connection_id);
      await jde.forget(request.connection_id);
      if (deleted) logger.info({ connectionId: request.connection_id }, 'connection deleted');
      return { deleted };
    }),

    ListConnections: unary('ListConnections', async () => ({
      connections: (await store.list()).map(toProtoConnection),
    })),

    GetConnection: unary('GetConnection', async (request) => {
      validateConnectionId(request.connection_id);
      return toProtoConnection(await store.get(request.connection_id));
    }),
  };
}

function parseRegion(value: string): AmazonRegion {
  const region = value.trim().toUpperCase();
  if (!region) throw new CredentialsValidationError('region', 'required (NA, EU or FE)');
  if (!(AMAZON_REGIONS as readonly string[]).includes(region)) {
    throw new CredentialsValidationError('region', `"${value}" is not one of NA, EU, FE`);
  }
  return region as AmazonRegion;
}

function fromProtoAmazon(amazon: ProtoAmazon): AmazonCredentials {
  for (const secret of [amazon.lwa_client_id, amazon.lwa_client_secret, amazon.refresh_token])
    registerSecret(secret);
  return {
    lwaClientId: amazon.lwa_client_id,
    lwaClientSecret: amazon.lwa_client_secret,
    refreshToken: amazon.refresh_token,
    regions: amazon.regions.map((r) => r.trim().toUpperCase()) as AmazonRegion[],
    marketplaceIds: amazon.marketplace_ids.map((m) => m.trim()),
    lwaEndpoint: amazon.lwa_endpoint.trim(),
    spApiEndpoint: amazon.sp_api_endpoint.trim(),
    sellerId: (amazon.seller_id ?? '').trim(),
  };
}

function fromProtoJde(jde: ProtoJde): JdeCredentials {
  registerSecret(jde.password);
  return {
    aisBaseUrl: jde.ais_base_url.trim(),
    username: jde.username,
    password: jde.password,
    environment: jde.environment,
    role: jde.role,
    deviceName: jde.device_name,
    allowInsecureHttp: jde.allow_insecure_http,
  };
}

export function toProtoConnection(c: ConnectionSummary): ProtoConnection {
  return {
    connection_id: c.connectionId,
    display_name: c.displayName,
    regions: c.regions,
    marketplace_ids: c.marketplaceIds,
    ais_base_url: c.aisBaseUrl,
    jde_username: c.jdeUsername,
    jde_environment: c.jdeEnvironment,
    jde_role: c.jdeRole,
    key_id: c.keyId,
    updated_at_ms: String(c.updatedAt.getTime()),
    has_amazon: c.hasAmazon,
    has_jde: c.hasJde,
    lwa_endpoint: c.lwaEndpoint,
    sp_api_endpoint: c.spApiEndpoint,
    jde_device_name: c.jdeDeviceName,
    jde_allow_insecure_http: c.jdeAllowInsecureHttp,
    amazon_seller_id: c.amazonSellerId,
  };
}

/** One mapping from failures to gRPC status; only expected errors carry their message out. */
export function toStatus(method: string, error: unknown, logger: Logger): Partial<grpc.StatusObject> {
  const status = (code: grpc.status, details: string) => ({ code, details });
  if (error instanceof CredentialsValidationError) return status(grpc.status.INVALID_ARGUMENT, error.message);
  if (error instanceof ConnectionNotFoundError) return status(grpc.status.NOT_FOUND, error.message);
  if (error instanceof ConnectionExistsError) return status(grpc.status.ALREADY_EXISTS, error.message);
  if (error instanceof ConcurrentUpdateError) return status(grpc.status.ABORTED, error.message);
  if (error instanceof MissingCredentialsError) {
    return error.field
      ? status(grpc.status.INVALID_ARGUMENT, `${error.field}: ${error.message}`)
      : status(grpc.status.FAILED_PRECONDITION, error.message);
  }
  if (error instanceof UpstreamUnavailableError) {
    logger.warn({ method, err: error }, 'upstream unavailable');
    return status(grpc.status.UNAVAILABLE, error.message);
  }
  if (error instanceof UpstreamRefusedError) {
    logger.warn({ method, err: error }, 'upstream refused the stored credentials');
    return status(grpc.status.PERMISSION_DENIED, error.message);
  }
  if (error instanceof KeyringError || error instanceof DecryptionError) {
    logger.error({ method, err: error }, 'stored credentials cannot be decrypted');
    return status(grpc.status.FAILED_PRECONDITION, error.message);
  }
  logger.error({ method, err: error }, 'token-broker call failed');
  return status(grpc.status.INTERNAL, 'internal error; see the token-broker log');
}
