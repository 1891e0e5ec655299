/**
 * The listings and stock polling loops: every interval, for each connection the token-broker holds
 * Amazon credentials for, each of its marketplaces is polled — regions side by side (one SP-API call
 * stream per region), the marketplaces of a region one after another. Listings need the connection's
 * seller id — the connection's `amazon.sellerId` at the token-broker, else MLC_AMAZON_SELLER_IDS; a
 * connection with neither gets stock only, with a warning.
 * Each poller decides itself whether a pass is full or incremental (items-cursors.ts).
 */
import type { Topics } from '@mlc/events';
import type { EventPublisher } from '@mlc/kafka';
import type { Logger } from '@mlc/observability';
import { type ServiceContext, useTokenBroker } from '@mlc/service';
import {
  FbaInventoryApi,
  ListingsApi,
  type Region,
  SpApiClient,
  scaledClock,
  systemClock,
} from '@mlc/sp-api';
import type { BrokerConnection, TokenBrokerClient } from '@mlc/token-broker-client';
import type { Connection } from 'mongoose';
import type { Registry } from 'prom-client';
import type { AmazonIngestConfig } from './config.js';
import { InventoryPoller } from './inventory-poller.js';
import { createItemsMetrics } from './items-metrics.js';
import { ListingsPoller, type MarketplaceTarget } from './listings-poller.js';
import { BrokerAccessTokens, endpointFor, pollTargets } from './polling.js';

/** Starts both loops as the service's configuration says (MLC_ITEMS_POLLING and friends). */
export function startItemsFromConfig(
  ctx: ServiceContext<AmazonIngestConfig>,
  deps: { db: Connection; publisher: EventPublisher; topics: Pick<Topics, 'listings' | 'stock'> },
): void {
  const { config, logger } = ctx;
  if (config.MLC_ITEMS_POLLING === 'off') {
    logger.info('listings and stock polling is off (MLC_ITEMS_POLLING=off)');
    return;
  }
  if (!config.MLC_TOKEN_BROKER_ADDRESS || !config.MLC_TOKEN_BROKER_TOKEN) {
    logger.info('listings and stock polling is off: no token-broker (MLC_TOKEN_BROKER_ADDRESS) configured');
    return;
  }
  const metrics = createItemsMetrics(ctx.registry);
  const common = { ...deps, metrics, logger, overlapMs: config.MLC_ITEMS_OVERLAP_MS };
  const loop = startItemsPolling({
    broker: useTokenBroker(ctx, config.MLC_TOKEN_BROKER_ADDRESS, config.MLC_TOKEN_BROKER_TOKEN),
    listings: new ListingsPoller({
      ...common,
      fullPassIntervalMs: config.MLC_LISTINGS_FULL_PASS_INTERVAL_MS,
    }),
    stock: new InventoryPoller({ ...common, fullPassIntervalMs: config.MLC_STOCK_FULL_PASS_INTERVAL_MS }),
    sellerIds: config.MLC_AMAZON_SELLER_IDS,
    listingsIntervalMs: config.MLC_LISTINGS_POLL_INTERVAL_MS,
    stockIntervalMs: config.MLC_STOCK_POLL_INTERVAL_MS,
    registry: ctx.registry,
    logger,
    timeScale: config.MLC_SPAPI_TIME_SCALE,
  });
  ctx.lifecycle.onShutdown('items-polling', () => loop.stop());
}

export interface ItemsPollingOptions {
  broker: TokenBrokerClient;
  listings: ListingsPoller;
  stock: InventoryPoller;
  sellerIds: ReadonlyMap<string, string>;
  listingsIntervalMs: number;
  stockIntervalMs: number;
  registry: Registry;
  logger: Logger;
  timeScale: number;
}

export function startItemsPolling(options: ItemsPollingOptions): { stop(): Promise<void> } {
  const { broker, logger } = options;
  const tokens = new BrokerAccessTokens(broker, logger);
  const clock = options.timeScale === 1 ? systemClock : scaledClock(options.timeScale);
  const clients = new Map<string, { listings: ListingsApi; inventory: FbaInventoryApi }>();
  const apisFor = (connection: BrokerConnection, region: Region) => {
    const key = `${connection.connectionId}:${region}:${connection.spApiEndpoint}`;
    let apis = clients.get(key);
    if (!apis) {
      const client = new SpApiClient({
        connectionId: connection.connectionId,
        region,
        tokens,
        registry: options.registry,
        endpoint: endpointFor(connection, region),
        clock,
        logger,
      });
      apis = { listings: new ListingsApi(client), inventory: new FbaInventoryApi(client) };
      clients.set(key, apis);
    }
    return apis;
  };
  const warnedNoSeller = new Set<string>();

  /** Runs `poll` for every marketplace of every Amazon connection. */
  const forEachMarketplace = async (
    kind: 'listings' | 'stock',
    poll: (connection: BrokerConnection, target: MarketplaceTarget) => Promise<object | null>,
  ) => {
    const connections = (await broker.listConnections()).filter((c) => c.hasAmazon);
    for (const connection of connections) {
      await Promise.all(
        pollTargets(connection).map(async ({ region, marketplaceIds }) => {
          for (const marketplaceId of marketplaceIds) {
            const target = { connectionId: connection.connectionId, region, marketplaceId };
            try {
              const result = await poll(connection, target);
              if (result) logger.info({ ...target, ...result }, `polled ${kind}`);
            } catch (error) {
              logger.error({ err: error, ...target }, `${kind} poll failed`);
            }
          }
        }),
      );
    }
  };

  const listingsCycle = () =>
    forEachMarketplace('listings', (connection, target) => {
      const sellerId = connection.amazonSellerId || options.sellerIds.get(connection.connectionId);
      if (!sellerId) {
        if (!warnedNoSeller.has(connection.connectionId)) {
          warnedNoSeller.add(connection.connectionId);
          logger.warn(
            { connectionId: connection.connectionId },
            'no seller id for this connection (set amazon.sellerId on the connection, or MLC_AMAZON_SELLER_IDS): its listings are not polled',
          );
        }
        return Promise.resolve(null);
      }
      return options.listings.pollOnce({ ...target, sellerId }, apisFor(connection, target.region).listings);
    });
  const stockCycle = () =>
    forEachMarketplace('stock', (connection, target) =>
      options.stock.pollOnce(target, apisFor(connection, target.region).inventory),
    );

  const loops = [
    repeat(listingsCycle, options.listingsIntervalMs, logger, 'listings'),
    repeat(stockCycle, options.stockIntervalMs, logger, 'stock'),
  ];
  return {
    async stop() {
      await Promise.all(loops.map((loop) => loop.stop()));
    },
  };
}

/** Runs a cycle now and then every interval after the previous one ended, until stopped. */
function repeat(
  cycle: () => Promise<void>,
  intervalMs: number,
  logger: Logger,
  name: string,
): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const schedule = (delayMs: number) => {
    timer = setTimeout(() => {
      running = cycle()
        .catch((error: unknown) => logger.error({ err: error }, `${name} poll cycle failed`))
        .finally(() => {
          if (!stopped) schedule(intervalMs);
        });
    }, delayMs);
  };
  schedule(0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
