/**
 * amazon-ingest: reads settlements (and orders) from Amazon's SP-API, validates them, keeps the
 * raw documents in MongoDB and announces each settlement once on amazon.settlement.available.v1.
 */
import { topics } from '@mlc/events';
import { auditModel, jobModel } from '@mlc/mongo';
import { type ServiceDefinition, useKafka, useMongo } from '@mlc/service';
import { configSchema } from './config.js';

export const amazonIngest: ServiceDefinition<typeof configSchema> = {
  name: 'amazon-ingest',
  configSchema,
  adminPort: (config) => config.MLC_ADMIN_PORT,
  async start(ctx) {
    await useMongo(ctx, (connection) => [auditModel(connection), jobModel(connection)] as never);
    await useKafka(ctx, 'amazon-ingest', [topics.settlementAvailable, topics.orders]);
  },
};
