/**
 * mapping: turns each announced settlement into balanced JDE journals by the connection's rule set
 * and proposes them on ledger.journal.proposed.v1, one deterministic job id per settlement part.
 */
import { createAisMetrics } from '@mlc/ais';
import { kafkaNames } from '@mlc/events';
import { JdeAccess } from '@mlc/jde-access';
import { startConsumer } from '@mlc/kafka';
import { auditModel } from '@mlc/mongo';
import { type ServiceDefinition, useKafka, useMongo, useTokenBroker } from '@mlc/service';
import { rawChunkModel, rawDocumentModel, ruleSetModel, settlementModel } from '@mlc/store';
import { AccountMaster } from './account-master.js';
import { configSchema } from './config.js';
import { DailySalesBook, dailySalesModel, orderVersionModel } from './daily-sales.js';
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
          orderVersionModel(connection),
          dailySalesModel(connection),
        ] as never,
    );
    const { topics, groups } = kafkaNames(ctx.config.MLC_KAFKA_NAMESPACE);
    const { kafka, publisher } = await useKafka(ctx, 'mapping', [
      topics.settlementAvailable,
      topics.orders,
      topics.journalProposed,
    ]);
    const metrics = createMappingMetrics(ctx.registry);
    const { config } = ctx;
    let accounts: AccountMaster | null = null;
    if (
      config.MLC_ACCOUNT_CHECK === 'f0901' &&
      config.MLC_TOKEN_BROKER_ADDRESS &&
      config.MLC_TOKEN_BROKER_TOKEN
    ) {
      const broker = useTokenBroker(ctx, config.MLC_TOKEN_BROKER_ADDRESS, config.MLC_TOKEN_BROKER_TOKEN);
      const jde = new JdeAccess({ broker, metrics: createAisMetrics(ctx.registry) });
      accounts = new AccountMaster((connectionId) => jde.client(connectionId), config.MLC_F0901_REFRESH_MS);
    }
    const consumer = await startConsumer({
      kafka,
      groupId: groups.mapping,
      spec: topics.settlementAvailable,
      publisher,
      logger: ctx.logger,
      registry: ctx.registry,
      onCrash: (error) => ctx.fail('a Kafka consumer crashed', error),
      handler: async (event) => {
        const outcome = await mapSettlement(event, {
          db,
          publisher,
          topics,
          metrics,
          accounts: accounts && ((connectionId, maxAgeMs) => accounts.lookupFor(connectionId, maxAgeMs)),
        });
        ctx.logger.info({ settlementId: event.settlementId, outcome: outcome.kind }, 'settlement mapped');
      },
    });
    ctx.lifecycle.onShutdown('settlement-consumer', () => consumer.stop());

    if (config.MLC_DAILY_SALES === 'on') {
      const book = new DailySalesBook(db, ctx.registry);
      const orders = await startConsumer({
        kafka,
        groupId: groups.mappingOrders,
        spec: topics.orders,
        publisher,
        logger: ctx.logger,
        registry: ctx.registry,
        onCrash: (error) => ctx.fail('a Kafka consumer crashed', error),
        handler: async (order) => void (await book.record(order)),
      });
      ctx.lifecycle.onShutdown('orders-consumer', () => orders.stop());
    }
  },
};
