/**
 * amazon-ingest: reads settlements (and orders) from Amazon's SP-API, validates them, keeps the
 * raw documents in MongoDB and announces each settlement once on amazon.settlement.available.v1.
 * Operators can feed a downloaded file through the same path (POST /admin/settlements/import).
 */
import { kafkaNames } from '@mlc/events';
import { auditModel } from '@mlc/mongo';
import { type ServiceDefinition, useKafka, useMongo } from '@mlc/service';
import { rawChunkModel, rawDocumentModel, settlementModel } from '@mlc/store';
import { configSchema } from './config.js';
import { createIngestMetrics } from './ingest.js';
import { settlementRoutes } from './routes/settlements.js';

export const amazonIngest: ServiceDefinition<typeof configSchema> = {
  name: 'amazon-ingest',
  configSchema,
  adminPort: (config) => config.MLC_ADMIN_PORT,
  async start(ctx) {
    const db = await useMongo(
      ctx,
      (connection) =>
        [
          auditModel(connection),
          rawDocumentModel(connection),
          rawChunkModel(connection),
          settlementModel(connection),
        ] as never,
    );
    const { topics } = kafkaNames(ctx.config.MLC_KAFKA_NAMESPACE);
    const { publisher } = await useKafka(ctx, 'amazon-ingest', [topics.settlementAvailable, topics.orders]);
    const metrics = createIngestMetrics(ctx.registry);
    await ctx.admin.register(settlementRoutes({ db, publisher, topics, metrics }));
  },
};
