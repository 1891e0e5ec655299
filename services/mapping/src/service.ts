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
import {
  dailySalesSettingsModel,
  itemSettingsModel,
  itemStateModel,
  rawChunkModel,
  rawDocumentModel,
  repostModel,
  ruleSetModel,
  settlementModel,
} from '@mlc/store';
import { AccountMaster } from './account-master.js';
import { configSchema } from './config.js';
import { DailySalesBook, dailySalesModel, orderVersionModel } from './daily-sales.js';
import { DailySalesProposer, dailySalesProposalModel } from './daily-sales-proposer.js';
import { startItemConsumers } from './items/index.js';
import { createMappingMetrics, mapSettlement } from './map-settlement.js';
import { repostSettlement } from './repost.js';

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
          repostModel(connection),
          orderVersionModel(connection),
          dailySalesModel(connection),
          dailySalesProposalModel(connection),
          dailySalesSettingsModel(connection),
          itemSettingsModel(connection),
          itemStateModel(connection),
        ] as never,
    );
    const { topics, groups } = kafkaNames(ctx.config.MLC_KAFKA_NAMESPACE);
    const { kafka, publisher } = await useKafka(ctx, 'mapping', [
      topics.settlementAvailable,
      topics.orders,
      topics.journalProposed,
      topics.settlementRepostRequested,
      topics.dailySalesProposed,
      topics.listings,
      topics.stock,
      topics.itemCrossReferenceProposed,
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

    // Operators' reposts of posted settlements (mlc settlement repost; repost.ts).
    const reposts = await startConsumer({
      kafka,
      groupId: groups.mappingReposts,
      spec: topics.settlementRepostRequested,
      publisher,
      logger: ctx.logger,
      registry: ctx.registry,
      onCrash: (error) => ctx.fail('a Kafka consumer crashed', error),
      handler: async (event) => {
        const outcome = await repostSettlement(event, {
          db,
          publisher,
          topics,
          accounts: accounts && ((connectionId, maxAgeMs) => accounts.lookupFor(connectionId, maxAgeMs)),
        });
        ctx.logger.info(
          { settlementId: event.settlementId, generation: event.generation, outcome: outcome.kind },
          'settlement repost handled',
        );
      },
    });
    ctx.lifecycle.onShutdown('repost-consumer', () => reposts.stop());

    if (config.MLC_DAILY_SALES === 'on') {
      // Memo postings of closed days, for connections whose daily sales settings are enabled.
      const proposer = new DailySalesProposer({
        db,
        publisher,
        topics,
        logger: ctx.logger,
        registry: ctx.registry,
        quietMs: config.MLC_DAILY_SALES_SWEEP_MS,
      });
      const book = new DailySalesBook(db, ctx.registry, proposer.timeZoneOf);
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
      proposer.start(config.MLC_DAILY_SALES_SWEEP_MS);
      ctx.lifecycle.onShutdown('daily-sales-sweep', () => proposer.stop());
    }

    // Seller SKUs matched to JDE items, FBA stock, missing cross references (items/index.ts).
    if (
      config.MLC_ITEM_MATCHING === 'on' &&
      config.MLC_TOKEN_BROKER_ADDRESS &&
      config.MLC_TOKEN_BROKER_TOKEN
    ) {
      const broker = useTokenBroker(ctx, config.MLC_TOKEN_BROKER_ADDRESS, config.MLC_TOKEN_BROKER_TOKEN);
      const jde = new JdeAccess({ broker, metrics: createAisMetrics(ctx.registry) });
      const items = await startItemConsumers({
        db,
        kafka,
        publisher,
        topics,
        groups,
        clientFor: (connectionId) => jde.client(connectionId),
        logger: ctx.logger,
        registry: ctx.registry,
        cacheMs: config.MLC_ITEM_CACHE_MS,
        settingsRefreshMs: 30_000,
        metricsRefreshMs: config.MLC_ITEM_METRICS_REFRESH_MS,
        onCrash: (error) => ctx.fail('a Kafka consumer crashed', error),
      });
      ctx.lifecycle.onShutdown('item-consumers', () => items.stop());
    }
  },
};
