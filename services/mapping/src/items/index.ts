/**
 * Items in the mapping service (docs/mapping.md "Items"): the listing consumer matches seller SKUs
 * to JDE items and proposes missing cross references, the stock consumer keeps the latest FBA
 * figures, and the item metrics report both. service.ts starts it; tests start it the same way.
 */
import type { ItemSource } from '@mlc/ais';
import type { Topics } from '@mlc/events';
import { type ConsumerOptions, type EventPublisher, startConsumer } from '@mlc/kafka';
import type { Logger } from '@mlc/observability';
import type { Connection } from 'mongoose';
import type { Registry } from 'prom-client';
import { ItemDirectory } from './directory.js';
import { handleListing } from './listings.js';
import { registerItemMetrics } from './metrics.js';
import { ItemSettingsCache } from './settings.js';
import { handleStock } from './stock.js';

export { ItemDirectory } from './directory.js';
export { handleListing } from './listings.js';
export { ItemSettingsCache } from './settings.js';
export { handleStock } from './stock.js';

export interface ItemConsumersOptions {
  db: Connection;
  kafka: ConsumerOptions<unknown>['kafka'];
  publisher: EventPublisher;
  topics: Pick<Topics, 'listings' | 'stock' | 'itemCrossReferenceProposed'>;
  groups: { mappingListings: string; mappingStock: string };
  clientFor: (connectionId: string) => Promise<ItemSource>;
  logger: Logger;
  registry: Registry;
  cacheMs: number;
  settingsRefreshMs: number;
  metricsRefreshMs: number;
  concurrency?: number;
  onCrash?: (error: Error) => void;
}

export async function startItemConsumers(
  options: ItemConsumersOptions,
): Promise<{ directory: ItemDirectory; stop(): Promise<void> }> {
  const { db, kafka, publisher, topics, groups, logger, registry } = options;
  const directory = new ItemDirectory({ clientFor: options.clientFor, cacheMs: options.cacheMs });
  const settings = new ItemSettingsCache(db, options.settingsRefreshMs, (connectionId) =>
    directory.forget(connectionId),
  );
  registerItemMetrics(db, registry, options.metricsRefreshMs);
  const common = {
    kafka,
    publisher,
    logger,
    registry,
    concurrency: options.concurrency ?? 6,
    ...(options.onCrash ? { onCrash: options.onCrash } : {}),
  };
  const listings = await startConsumer({
    ...common,
    groupId: groups.mappingListings,
    spec: topics.listings,
    handler: async (listing) => {
      await handleListing(listing, { db, directory, settings, publisher, topics });
    },
  });
  const stock = await startConsumer({
    ...common,
    groupId: groups.mappingStock,
    spec: topics.stock,
    handler: async (event) => void (await handleStock(event, db)),
  });
  return {
    directory,
    async stop() {
      await Promise.all([listings.stop(), stock.stop()]);
    },
  };
}
