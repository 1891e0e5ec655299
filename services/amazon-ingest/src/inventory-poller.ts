/**
 * FBA stock of one connection in one marketplace, announced on amazon.stock.v1 (key
 * `<connection>:<marketplace>:<sku>`), by polling FBA Inventory getInventorySummaries with details.
 *
 * Incremental pass: startDateTime = watermark − overlap (sent again with every nextToken, as Amazon
 * requires). Amazon does not move lastUpdatedTime for inbound quantity changes, so only the full pass
 * — no startDateTime, every `fullPassIntervalMs` (default daily) and the first time — sees those.
 * A nextToken lives 30 seconds: the pass's summaries are collected first and published after the
 * last page, so the pages follow each other quickly; if Amazon still refuses a nextToken the whole
 * pass starts again (a pass with a page missing is never taken as complete), up to `maxRestarts`.
 * The watermark (newest lastUpdatedTime read) is stored only after the events are published. The
 * overlap re-reads the window on every incremental pass; a figure announced unchanged before is not
 * announced again (RecentlyAnnounced).
 */
import type { StockV1, Topics } from '@mlc/events';
import type { EventPublisher } from '@mlc/kafka';
import type { Logger } from '@mlc/observability';
import { type FbaInventoryApi, InventoryNextTokenError, type InventorySummary } from '@mlc/sp-api';
import type { Connection } from 'mongoose';
import { cursorId, type ItemsPass, passDue, readCursor, writeCursor } from './items-cursors.js';
import type { ItemsMetrics } from './items-metrics.js';
import type { MarketplaceTarget } from './listings-poller.js';
import { RecentlyAnnounced } from './recently-announced.js';

/** Amazon refuses a startDateTime older than 18 months; an older watermark means a full pass. */
const MAX_START_AGE_MS = 540 * 86_400_000;

export interface InventoryPollerDeps {
  db: Connection;
  publisher: EventPublisher;
  topics: Pick<Topics, 'stock'>;
  metrics: ItemsMetrics;
  logger: Logger;
  overlapMs: number;
  fullPassIntervalMs: number;
  /** Passes started again after a refused nextToken before giving up (default 3). */
  maxRestarts?: number;
  now?: () => Date;
}

export interface StockPassResult {
  pass: ItemsPass;
  announced: number;
  restarts: number;
  watermark: string | null;
}

export class InventoryPoller {
  readonly #announced = new RecentlyAnnounced();

  constructor(private readonly deps: InventoryPollerDeps) {}

  async pollOnce(
    target: MarketplaceTarget,
    api: FbaInventoryApi,
    force?: ItemsPass,
  ): Promise<StockPassResult> {
    const { db, metrics, logger } = this.deps;
    const now = this.deps.now?.() ?? new Date();
    const cursor = await readCursor(db, target.connectionId, target.marketplaceId, 'stock');
    const watermark = cursor?.watermark ? new Date(cursor.watermark).getTime() : null;
    let pass = force ?? passDue(cursor, this.deps.fullPassIntervalMs, now);
    if (pass === 'incremental' && (watermark === null || now.getTime() - watermark > MAX_START_AGE_MS))
      pass = 'full';
    const startDateTime =
      pass === 'incremental' ? new Date(watermark! - this.deps.overlapMs).toISOString() : undefined;

    let summaries: InventorySummary[] = [];
    let restarts = 0;
    for (;;) {
      try {
        summaries = [];
        for await (const page of api.getInventorySummaries({
          marketplaceId: target.marketplaceId,
          details: true,
          startDateTime,
        })) {
          summaries.push(...page.summaries);
        }
        break;
      } catch (error) {
        if (error instanceof InventoryNextTokenError && restarts < (this.deps.maxRestarts ?? 3)) {
          restarts++;
          metrics.restarts.inc({ marketplace: target.marketplaceId });
          logger.warn(
            {
              connectionId: target.connectionId,
              marketplaceId: target.marketplaceId,
              pass,
              restarts,
              err: error,
            },
            'stock pass started again: a nextToken was refused',
          );
          continue;
        }
        metrics.passes.inc({ kind: 'stock', pass, outcome: 'failed' });
        throw error;
      }
    }

    const emittedAt = now.toISOString();
    const events: Array<{ key: string; value: StockV1 }> = [];
    let newest = watermark ?? Number.NEGATIVE_INFINITY;
    if (startDateTime) this.#announced.forgetBefore(Date.parse(startDateTime));
    for (const summary of summaries) {
      const event = toEvent(target, summary, pass, emittedAt);
      if (!event) continue;
      if (event.lastUpdatedTime) newest = Math.max(newest, Date.parse(event.lastUpdatedTime));
      const key = `${target.connectionId}:${target.marketplaceId}:${event.sku}`;
      if (pass === 'incremental' && !this.#announced.isNew(key, event)) continue;
      events.push({ key, value: event });
    }
    await this.deps.publisher.publishMany(this.deps.topics.stock, events);
    for (const { key, value } of events)
      this.#announced.remember(key, value, Date.parse(value.lastUpdatedTime ?? value.emittedAt));
    metrics.read.inc({ kind: 'stock', marketplace: target.marketplaceId, pass }, events.length);
    const next = Number.isFinite(newest) ? new Date(newest) : pass === 'full' ? now : null;
    await writeCursor(
      db,
      cursorId(target.connectionId, target.marketplaceId, 'stock'),
      { watermark: next, lastFullPassAt: pass === 'full' ? now : (cursor?.lastFullPassAt ?? null) },
      now,
    );
    metrics.passes.inc({ kind: 'stock', pass, outcome: 'ok' });
    return { pass, announced: events.length, restarts, watermark: next?.toISOString() ?? null };
  }
}

function toEvent(
  target: MarketplaceTarget,
  summary: InventorySummary,
  pass: ItemsPass,
  emittedAt: string,
): StockV1 | null {
  if (!summary.sellerSku) return null;
  const details = summary.inventoryDetails ?? {};
  const count = (value: number | undefined) => (Number.isInteger(value) && value! > 0 ? value! : 0);
  return {
    connectionId: target.connectionId,
    marketplaceId: target.marketplaceId,
    sku: summary.sellerSku,
    ...(summary.asin ? { asin: summary.asin } : {}),
    ...(summary.fnSku ? { fnSku: summary.fnSku } : {}),
    fulfillable: count(details.fulfillableQuantity),
    inboundWorking: count(details.inboundWorkingQuantity),
    inboundShipped: count(details.inboundShippedQuantity),
    inboundReceiving: count(details.inboundReceivingQuantity),
    reserved: count(details.reservedQuantity?.totalReservedQuantity),
    unfulfillable: count(details.unfulfillableQuantity?.totalUnfulfillableQuantity),
    researching: count(details.researchingQuantity?.totalResearchingQuantity),
    total: count(summary.totalQuantity),
    ...(summary.lastUpdatedTime ? { lastUpdatedTime: new Date(summary.lastUpdatedTime).toISOString() } : {}),
    pass,
    emittedAt,
  };
}
