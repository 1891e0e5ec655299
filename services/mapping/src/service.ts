/**
 * mapping: turns each announced settlement into balanced JDE journals by the connection's rule set
 * and proposes them on ledger.journal.proposed.v1, one deterministic job id per settlement part.
 */
import { kafkaNames } from '@mlc/events';
import { startConsumer } from '@mlc/kafka';
import { auditModel } from '@mlc/mongo';
import { type ServiceDefinition, useKafka, useMongo } from '@mlc/service';
import { rawChunkModel, rawDocumentModel, ruleSetModel, settlementModel } from '@mlc/store';
import { configSchema } from './config.js';
import { createMappingMetrics, mapSettlement } from './map-settlement.js';

export const mapping: ServiceDefinition<typeof configSchema> = {
  name: 'mapping',
  configSchema,
  adminPort: (config) => config.MLC_ADMIN_PORT,
  async start(ctx) {
    const db = await useMongo(
      ctx,
      (connection) =>
        [
          auditModel(connection),
          settlementModel(connection),
          rawDocumentModel(connection),
          rawChunkModel(connection),
          ruleSetModel(connection),
        ] as never,
    );
    const { topics, groups } = kafkaNames(ctx.config.MLC_KAFKA_NAMESPACE);
    const { kafka, publisher } = await useKafka(ctx, 'mapping', [
      topics.settlementAvailable,
      topics.orders,
      topics.journalProposed,
    ]);
    const metrics = createMappingMetrics(ctx.registry);
    const consumer = await startConsumer({
      kafka,
      groupId: groups.mapping,
      spec: topics.settlementAvailable,
      publisher,
      logger: ctx.logger,
      registry: ctx.registry,
      handler: async (event) => {
        const outcome = await mapSettlement(event, { db, publisher, topics, metrics, accounts: null });
        ctx.logger.info({ settlementId: event.settlementId, outcome: outcome.kind }, 'settlement mapped');
      },
    });
    ctx.lifecycle.onShutdown('settlement-consumer', () => consumer.stop());
  },
};
