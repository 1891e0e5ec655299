/**
 * Listings of one connection in one marketplace, announced on amazon.listing.v1 (key
 * `<connection>:<marketplace>:<sku>`), by polling Listings Items searchListingsItems — Amazon only
 * signals listing changes through SQS/EventBridge, which a REST-only connector cannot receive.
 *
 * Incremental pass: lastUpdatedAfter = watermark − overlap, sorted by lastUpdatedDate ascending, 20 a
 * page, with no upper bound (our clock may trail Amazon's). Amazon pages through at most 1,000 items of
 * a search although `numberOfResults` counts them all, so a window over 1,000 is split in halves
 * (lastUpdatedBefore / lastUpdatedAfter, both inclusive; an open window first takes the newest date in
 * it as its upper bound) until every window holds ≤ 1,000, and each is read whole.
 * Full pass (every `fullPassIntervalMs`, and the first time): the same over createdDate from 1995,
 * which sees every listing whatever its lastUpdatedDate. Events carry `pass`. The watermark moves to
 * the newest lastUpdatedDate read and is stored only after the events are published. The overlap
 * re-reads the window's listings on every incremental pass; a listing announced unchanged before
 * is not announced again (RecentlyAnnounced).
 */
import type { ListingV1, Topics } from '@mlc/events';
import type { EventPublisher } from '@mlc/kafka';
import type { Logger } from '@mlc/observability';
import {
  LISTINGS_MAX_PAGE_SIZE,
  LISTINGS_SEARCH_CAP,
  type ListingsApi,
  type ListingsItem,
  type ListingsSearchQuery,
} from '@mlc/sp-api';
import type { Connection } from 'mongoose';
import { cursorId, type ItemsPass, passDue, readCursor, writeCursor } from './items-cursors.js';
import type { ItemsMetrics } from './items-metrics.js';
import { RecentlyAnnounced } from './recently-announced.js';

/** Before any Amazon listing existed: the start of a full pass. */
const EPOCH = Date.parse('1995-01-01T00:00:00.000Z');

export interface MarketplaceTarget {
  connectionId: string;
  region: 'NA' | 'EU' | 'FE';
  marketplaceId: string;
}

export interface ListingsPollerDeps {
  db: Connection;
  publisher: EventPublisher;
  topics: Pick<Topics, 'listings'>;
  metrics: ItemsMetrics;
  logger: Logger;
  overlapMs: number;
  fullPassIntervalMs: number;
  now?: () => Date;
}

export interface ListingsPassResult {
  pass: ItemsPass;
  announced: number;
  windows: number;
  watermark: string | null;
}

type Field = 'lastUpdated' | 'created';

export class ListingsPoller {
  readonly #announced = new RecentlyAnnounced();

  constructor(private readonly deps: ListingsPollerDeps) {}

  /** One pass (full when due, else incremental) for a marketplace of a connection with its seller id. */
  async pollOnce(
    target: MarketplaceTarget & { sellerId: string },
    api: ListingsApi,
    force?: ItemsPass,
  ): Promise<ListingsPassResult> {
    const { db, metrics } = this.deps;
    const now = this.deps.now?.() ?? new Date();
    const cursor = await readCursor(db, target.connectionId, target.marketplaceId, 'listings');
    const pass = force ?? passDue(cursor, this.deps.fullPassIntervalMs, now);
    const watermark = cursor?.watermark ? new Date(cursor.watermark).getTime() : null;
    if (pass === 'incremental' && watermark === null)
      throw new Error('an incremental pass needs a watermark');
    const state = { newest: watermark ?? Number.NEGATIVE_INFINITY, announced: 0, windows: 0 };
    try {
      // Open-ended (no "before" bound): our clock may trail Amazon's; a bound appears only when splitting.
      if (pass === 'full') await this.readWindow(target, api, 'created', EPOCH, undefined, pass, state);
      else {
        const from = Math.max(EPOCH, watermark! - this.deps.overlapMs);
        this.#announced.forgetBefore(from);
        await this.readWindow(target, api, 'lastUpdated', from, undefined, pass, state);
      }
    } catch (error) {
      metrics.passes.inc({ kind: 'listings', pass, outcome: 'failed' });
      throw error;
    }
    const newest = Number.isFinite(state.newest) ? new Date(state.newest) : null;
    await writeCursor(
      db,
      cursorId(target.connectionId, target.marketplaceId, 'listings'),
      {
        watermark: newest ?? (pass === 'full' ? now : null),
        lastFullPassAt: pass === 'full' ? now : (cursor?.lastFullPassAt ?? null),
      },
      now,
    );
    metrics.passes.inc({ kind: 'listings', pass, outcome: 'ok' });
    return {
      pass,
      announced: state.announced,
      windows: state.windows,
      watermark: newest?.toISOString() ?? null,
    };
  }

  /**
   * Reads [from, to] (inclusive, ms; `to` undefined: no upper bound) of a date field, splitting it while
   * it holds over 1,000 items.
   */
  private async readWindow(
    target: MarketplaceTarget & { sellerId: string },
    api: ListingsApi,
    field: Field,
    from: number,
    to: number | undefined,
    pass: ItemsPass,
    state: { newest: number; announced: number; windows: number },
  ): Promise<void> {
    const { metrics, logger } = this.deps;
    const before = to === undefined ? undefined : iso(to);
    const query: ListingsSearchQuery = {
      sellerId: target.sellerId,
      marketplaceIds: [target.marketplaceId],
      includedData: ['summaries'],
      ...(field === 'lastUpdated'
        ? { lastUpdatedAfter: iso(from), lastUpdatedBefore: before }
        : { createdAfter: iso(from), createdBefore: before }),
      sortBy: field === 'lastUpdated' ? 'lastUpdatedDate' : 'createdDate',
      sortOrder: 'ASC',
      pageSize: LISTINGS_MAX_PAGE_SIZE,
    };
    const pages = api.searchListingsItems(query);
    const events: Array<{ key: string; value: ListingV1 }> = [];
    let first = true;
    for await (const page of pages) {
      if (first && page.numberOfResults > LISTINGS_SEARCH_CAP) {
        // An open window takes the newest date in it as its upper bound, so that it can be halved.
        const top = to ?? (await this.newestDate(target, api, query, field)) ?? from;
        if (top - from >= 1) {
          // Stop this search (its pages past 1,000 are unreachable) and read both halves instead.
          metrics.windowsSplit.inc({ marketplace: target.marketplaceId });
          const middle = Math.floor((from + top) / 2);
          await pages.return();
          await this.readWindow(target, api, field, from, middle, pass, state);
          await this.readWindow(target, api, field, middle + 1, top, pass, state);
          return;
        }
        metrics.windowsTruncated.inc({ marketplace: target.marketplaceId });
        logger.error(
          {
            connectionId: target.connectionId,
            marketplaceId: target.marketplaceId,
            at: iso(from),
            matched: page.numberOfResults,
          },
          'over 1,000 listings share one millisecond: only 1,000 can be read',
        );
      }
      first = false;
      for (const item of page.items) {
        const event = this.toEvent(target, item, pass);
        if (!event) continue;
        state.newest = Math.max(state.newest, Date.parse(event.lastUpdatedDate));
        const key = `${target.connectionId}:${target.marketplaceId}:${item.sku}`;
        if (pass === 'incremental' && !this.#announced.isNew(key, event)) continue;
        events.push({ key, value: event });
      }
    }
    state.windows++;
    await this.deps.publisher.publishMany(this.deps.topics.listings, events);
    for (const { key, value } of events)
      this.#announced.remember(key, value, Date.parse(value.lastUpdatedDate));
    state.announced += events.length;
    metrics.read.inc({ kind: 'listing', marketplace: target.marketplaceId, pass }, events.length);
  }

  /** The newest createdDate / lastUpdatedDate a search matches (one item, sorted newest first). */
  private async newestDate(
    target: MarketplaceTarget,
    api: ListingsApi,
    query: ListingsSearchQuery,
    field: Field,
  ): Promise<number | undefined> {
    const page = await api.searchPage({ ...query, sortOrder: 'DESC', pageSize: 1 });
    const summary = page.items[0]?.summaries?.find((s) => s.marketplaceId === target.marketplaceId);
    if (!summary) return undefined;
    return Date.parse(field === 'lastUpdated' ? summary.lastUpdatedDate : summary.createdDate);
  }

  private toEvent(target: MarketplaceTarget, item: ListingsItem, pass: ItemsPass): ListingV1 | null {
    const summary = item.summaries?.find((s) => s.marketplaceId === target.marketplaceId);
    if (!summary || !item.sku) return null;
    return {
      connectionId: target.connectionId,
      marketplaceId: target.marketplaceId,
      sku: item.sku,
      ...(summary.asin ? { asin: summary.asin } : {}),
      ...(summary.fnSku ? { fnSku: summary.fnSku } : {}),
      ...(summary.itemName !== undefined ? { itemName: summary.itemName } : {}),
      productType: summary.productType,
      status: [...summary.status],
      createdDate: new Date(summary.createdDate).toISOString(),
      lastUpdatedDate: new Date(summary.lastUpdatedDate).toISOString(),
      pass,
      emittedAt: (this.deps.now?.() ?? new Date()).toISOString(),
    };
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
