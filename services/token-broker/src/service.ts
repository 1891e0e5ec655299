/**
 * token-broker: the only holder of sellers' LWA refresh tokens and JDE passwords (encrypted at
 * rest); hands out short-lived Amazon access tokens and JDE AIS sessions over gRPC.
 */

import * as grpc from '@grpc/grpc-js';
import { loadHealthProto } from '@mlc/grpc-contracts';
import { auditModel } from '@mlc/mongo';
import { type ServiceDefinition, useMongo } from '@mlc/service';
import { configSchema } from './config.js';
import { healthHandlers } from './health.js';

export const tokenBroker: ServiceDefinition<typeof configSchema> = {
  name: 'token-broker',
  configSchema,
  adminPort: (config) => config.MLC_ADMIN_PORT,
  async start(ctx) {
    await useMongo(ctx, (connection) => [auditModel(connection)] as never);

    const server = new grpc.Server();
    let serving = false;
    server.addService(
      loadHealthProto().grpc.health.v1.Health.service,
      healthHandlers(() => serving),
    );
    const address = `${ctx.config.MLC_GRPC_HOST}:${ctx.config.MLC_GRPC_PORT}`;
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    serving = true;
    ctx.logger.info({ port }, 'gRPC listening');
    ctx.lifecycle.onShutdown('grpc-server', async () => {
      serving = false;
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
    });
    ctx.addReadinessCheck({ name: 'grpc', check: () => serving });
  },
};
