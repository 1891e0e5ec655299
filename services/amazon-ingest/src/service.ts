/**
 * amazon-ingest: reads settlements from Amazon's SP-API, validates them, keeps the raw documents
 * in MongoDB and announces each settlement once on amazon.settlement.available.v1. Operators can
 * feed a downloaded file through the same path (POST /admin/settlements/import).
 */
import { kafkaNames } from '@mlc/events';
import { auditModel } from '@mlc/mongo';
import { type ServiceDefinition, useKafka, useMongo, useTokenBroker } from '@mlc/service';
import { rawChunkModel, rawDocumentModel, settlementModel } from '@mlc/store';
import { configSchema } from './config.js';
import { FinancesWatch, groupCheckModel } from './finances-watch.js';
import { createIngestMetrics, ingestSettlementDocument } from './ingest.js';
import { itemsCursorModel } from './items-cursors.js';
import { startItemsFromConfig } from './items-polling.js';
import { OrdersPoller, ordersCursorModel } from './orders-poller.js';
import { startPollingLoop } from './polling.js';
import { settlementRoutes } from './routes/settlements.js';
import { cursorModel, SettlementPoller } from './settlement-poller.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export const amazonIngest: ServiceDefinition<typeof configSchema> = {
  name: 'amazon-ingest',
  configSchema,
  adminPort: (config) => config.MLC_ADMIN_PORT,
  async start(ctx) {
    const { config } = ctx;
    const db = await useMongo(
      ctx,
      (c) =>
        [
          auditModel(c),
          rawDocumentModel(c),
          rawChunkModel(c),
          settlementModel(c),
          cursorModel(c),
          groupCheckModel(c),
          ordersCursorModel(c),
          itemsCursorModel(c),
        ] as never,
    );
    const { topics } = kafkaNames(config.MLC_KAFKA_NAMESPACE);
    const { publisher } = await useKafka(ctx, 'amazon-ingest', [
      topics.settlementAvailable,
      topics.orders,
      topics.listings,
      topics.stock,
    ]);
    const metrics = createIngestMetrics(ctx.registry);
    const deps = { db, publisher, topics, metrics };
    await ctx.admin.register(settlementRoutes(deps));

    if (
      config.MLC_SPAPI_POLL_INTERVAL_MS > 0 &&
      config.MLC_TOKEN_BROKER_ADDRESS &&
      config.MLC_TOKEN_BROKER_TOKEN
    ) {
      const broker = useTokenBroker(ctx, config.MLC_TOKEN_BROKER_ADDRESS, config.MLC_TOKEN_BROKER_TOKEN);
      const poller = new SettlementPoller({
        db,
        logger: ctx.logger,
        registry: ctx.registry,
        initialLookbackMs: config.MLC_SPAPI_INITIAL_LOOKBACK_DAYS * DAY_MS,
        ingest: (input) => ingestSettlementDocument(input, deps),
      });
      const financesWatch = new FinancesWatch({
        db,
        logger: ctx.logger,
        registry: ctx.registry,
        graceMs: config.MLC_SETTLEMENT_REPORT_GRACE_HOURS * 3600_000,
      });
      const orders =
        config.MLC_ORDERS_POLL_INTERVAL_MS > 0
          ? {
              poller: new OrdersPoller({ db, publisher, topics, initialLookbackMs: DAY_MS }),
              intervalMs: config.MLC_ORDERS_POLL_INTERVAL_MS,
            }
          : null;
      const loop = startPollingLoop({
        broker,
        poller,
        financesWatch,
        orders,
        registry: ctx.registry,
        logger: ctx.logger,
        intervalMs: config.MLC_SPAPI_POLL_INTERVAL_MS,
        timeScale: config.MLC_SPAPI_TIME_SCALE,
      });
      ctx.lifecycle.onShutdown('settlement-polling', () => loop.stop());
    } else {
      ctx.logger.info('settlement polling is off (MLC_SPAPI_POLL_INTERVAL_MS=0): imports only');
    }
    // Listings (amazon.listing.v1) and FBA stock (amazon.stock.v1): items-polling.ts.
    startItemsFromConfig(ctx, { db, publisher, topics });
  },
};
