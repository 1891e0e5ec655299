/**
 * token-broker: the only holder of sellers' LWA refresh tokens and JDE passwords (encrypted at
 * rest); hands out short-lived Amazon access tokens and JDE AIS sessions over gRPC.
 *
 * Start-up, in order: the master keys (config already validated them), MongoDB with the
 * `connections` and `audit_events` indexes, the token caches, then the gRPC server with the
 * TokenBroker service behind bearer authentication and the open health service. Shutdown reverses
 * it: stop serving, log out of the held AIS sessions, close MongoDB.
 */

import * as grpc from '@grpc/grpc-js';
import { ConnectionStore, connectionModel, Keyring } from '@mlc/credentials';
import { loadHealthProto, loadTokenBrokerProto } from '@mlc/grpc-contracts';
import { auditModel } from '@mlc/mongo';
import { type ServiceDefinition, useMongo } from '@mlc/service';
import { httpAisAuthenticator } from './ais.js';
import { AmazonTokens } from './amazon-tokens.js';
import { bearerCheck, requireBearer } from './auth.js';
import { configSchema } from './config.js';
import { tokenBrokerHandlers } from './grpc-handlers.js';
import { healthHandlers } from './health.js';
import { JdeSessions } from './jde-sessions.js';
import { httpLwaExchanger } from './lwa.js';
import { createTokenMetrics } from './metrics.js';

export const tokenBroker: ServiceDefinition<typeof configSchema> = {
  name: 'token-broker',
  configSchema,
  adminPort: (config) => config.MLC_ADMIN_PORT,
  async start(ctx) {
    const { config, logger } = ctx;
    const keyring = Keyring.parse(config.MLC_MASTER_KEYS, config.MLC_ACTIVE_KEY_ID);
    logger.info({ activeKeyId: keyring.activeKeyId, keyIds: keyring.keyIds }, 'master keys loaded');

    const mongo = await useMongo(
      ctx,
      (connection) => [auditModel(connection), connectionModel(connection)] as never,
    );
    const store = new ConnectionStore(mongo, keyring, { actor: 'token-broker' });
    const credentials = (connectionId: string) => store.loadSecrets(connectionId);
    const metrics = createTokenMetrics(ctx.registry);

    const amazon = new AmazonTokens({
      credentials,
      exchanger: httpLwaExchanger({ timeoutMs: config.MLC_UPSTREAM_TIMEOUT_MS }),
      marginMs: config.MLC_TOKEN_REFRESH_MARGIN_S * 1000,
      metrics,
      onRefreshError: (connectionId, region, error) =>
        logger.warn({ connectionId, region, err: error }, 'amazon token refresh after a report failed'),
    });
    const jde = new JdeSessions({
      credentials,
      authenticator: httpAisAuthenticator({ timeoutMs: config.MLC_UPSTREAM_TIMEOUT_MS }),
      maxAgeMs: config.MLC_JDE_SESSION_MAX_AGE_S * 1000,
      metrics,
      onError: (connectionId, what, error) => logger.warn({ connectionId, err: error }, `jde ${what} failed`),
    });
    ctx.lifecycle.onShutdown('jde-sessions', () => jde.close());

    const server = new grpc.Server();
    let serving = false;
    server.addService(
      loadHealthProto().grpc.health.v1.Health.service,
      healthHandlers(() => serving),
    );
    server.addService(
      loadTokenBrokerProto().mlc.tokenbroker.v1.TokenBroker.service,
      requireBearer(
        tokenBrokerHandlers({ store, amazon, jde, logger }),
        bearerCheck(config.MLC_BROKER_CLIENT_TOKENS),
      ),
    );
    const address = `${config.MLC_GRPC_HOST}:${config.MLC_GRPC_PORT}`;
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    serving = true;
    logger.info({ port }, 'gRPC listening');
    ctx.lifecycle.onShutdown('grpc-server', async () => {
      serving = false;
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    });
    ctx.addReadinessCheck({ name: 'grpc', check: () => serving });
  },
};
