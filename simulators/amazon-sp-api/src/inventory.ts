/**
 * FBA Inventory API v1 getInventorySummaries as the simulator answers it, over the ListingsStore's FBA
 * SKUs (listings with stock) of one marketplace, sorted by SKU, `inventoryPageSize` a page.
 *
 * Amazon's rules and traps: granularityType `Marketplace` with the marketplace as granularityId and
 * as the single marketplaceIds value; `startDateTime` (≤ 18 months old) keeps the summaries whose
 * lastUpdatedTime is at or after it — and inbound changes do not move lastUpdatedTime; a nextToken
 * expires 30 (virtual) seconds after it was issued, and a nextToken without the startDateTime of the
 * request that began the pass is an error (since 2022-10-31). Errors come back as
 * GetInventorySummariesResponse `{errors:[{code,message,details}]}`; `pagination` is a sibling of
 * `payload`.
 */

import { type Answer, type Caller, errorList, type Query } from './listings.js';
import type { ListingsStore, StoredListing } from './listings-store.js';
import { regionOfMarketplace } from './state.js';

/** "nextToken … will expire 30 seconds after being created." */
export const INVENTORY_NEXT_TOKEN_TTL_MS = 30_000;
const EIGHTEEN_MONTHS_MS = 548 * 86_400_000;

const invalid = (message: string): Answer => ({ status: 400, body: errorList('InvalidInput', message) });

interface Cursor {
  /** Marketplace, startDateTime (ms or null), offset, issued at (virtual ms). */
  m: string;
  s: number | null;
  o: number;
  i: number;
}

export function getInventorySummaries(
  store: ListingsStore,
  caller: Caller,
  query: Query,
  now: number,
  pageSize: number,
): Answer {
  if (query.granularityType !== 'Marketplace') {
    return invalid('granularityType is required and must be Marketplace.');
  }
  const marketplaceIds = (query.marketplaceIds ?? '').split(',').filter((v) => v !== '');
  if (marketplaceIds.length !== 1) return invalid('marketplaceIds must contain exactly one marketplace id.');
  const marketplaceId = marketplaceIds[0]!;
  const region = regionOfMarketplace(marketplaceId);
  if (!region || (caller.region && caller.region !== region)) {
    return invalid(`Invalid marketplaceIds: ${marketplaceId} is not a marketplace of this endpoint.`);
  }
  if (query.granularityId !== marketplaceId) {
    return invalid('granularityId must be the marketplace id given in marketplaceIds.');
  }
  if (query.details !== undefined && query.details !== 'true' && query.details !== 'false') {
    return invalid('details must be true or false.');
  }
  let start: number | null = null;
  if (query.startDateTime !== undefined) {
    start = Date.parse(query.startDateTime);
    if (Number.isNaN(start)) return invalid('startDateTime is not a valid ISO 8601 date-time.');
    if (start < now - EIGHTEEN_MONTHS_MS) return invalid('startDateTime cannot be older than 18 months.');
  }
  let offset = 0;
  if (query.nextToken !== undefined) {
    const cursor = decode(query.nextToken);
    if (!cursor || cursor.m !== marketplaceId) return invalid('Invalid nextToken.');
    if (now - cursor.i > INVENTORY_NEXT_TOKEN_TTL_MS) {
      return invalid('The nextToken has expired. Start again without a nextToken.');
    }
    if (cursor.s !== null && start === null) {
      return invalid(
        'startDateTime is required with a nextToken obtained from a request with startDateTime.',
      );
    }
    if (cursor.s !== start)
      return invalid('startDateTime must be the same as in the request that returned the nextToken.');
    offset = cursor.o;
  }
  // sellerSkus wins over sellerSku; startDateTime over both.
  const listed = (query.sellerSkus ?? '').split(',').filter((s) => s !== '');
  if (listed.length > 50) return invalid('sellerSkus accepts at most 50 values.');
  const skus = new Set(listed.length > 0 ? listed : query.sellerSku ? [query.sellerSku] : []);
  const summaries = store
    .of(caller.connectionId, [marketplaceId])
    .filter((l): l is StoredListing & { stock: NonNullable<StoredListing['stock']> } => Boolean(l.stock))
    .filter((l) => (start === null ? skus.size === 0 || skus.has(l.sku) : l.stock.lastUpdatedTime >= start))
    .sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  const slice = summaries.slice(offset, offset + pageSize);
  const next = offset + pageSize < summaries.length ? offset + pageSize : undefined;
  const details = query.details === 'true';
  return {
    status: 200,
    body: {
      payload: {
        granularity: { granularityType: 'Marketplace', granularityId: marketplaceId },
        inventorySummaries: slice.map((l) => summaryJson(l, details)),
      },
      ...(next === undefined
        ? {}
        : { pagination: { nextToken: encode({ m: marketplaceId, s: start, o: next, i: now }) } }),
    },
  };
}

function summaryJson(
  listing: StoredListing & { stock: NonNullable<StoredListing['stock']> },
  details: boolean,
): Record<string, unknown> {
  const s = listing.stock;
  const total =
    s.fulfillable +
    s.inboundWorking +
    s.inboundShipped +
    s.inboundReceiving +
    s.reserved +
    s.unfulfillable +
    s.researching;
  return {
    ...(listing.asin ? { asin: listing.asin } : {}),
    ...(listing.fnSku ? { fnSku: listing.fnSku } : {}),
    sellerSku: listing.sku,
    condition: 'NewItem',
    ...(details
      ? {
          inventoryDetails: {
            fulfillableQuantity: s.fulfillable,
            inboundWorkingQuantity: s.inboundWorking,
            inboundShippedQuantity: s.inboundShipped,
            inboundReceivingQuantity: s.inboundReceiving,
            reservedQuantity: {
              totalReservedQuantity: s.reserved,
              pendingCustomerOrderQuantity: s.reserved,
              pendingTransshipmentQuantity: 0,
              fcProcessingQuantity: 0,
            },
            researchingQuantity: {
              totalResearchingQuantity: s.researching,
              researchingQuantityBreakdown:
                s.researching > 0
                  ? [{ name: 'researchingQuantityInShortTerm', quantity: s.researching }]
                  : [],
            },
            unfulfillableQuantity: {
              totalUnfulfillableQuantity: s.unfulfillable,
              customerDamagedQuantity: s.unfulfillable,
              warehouseDamagedQuantity: 0,
              distributorDamagedQuantity: 0,
              carrierDamagedQuantity: 0,
              defectiveQuantity: 0,
              expiredQuantity: 0,
            },
          },
        }
      : {}),
    lastUpdatedTime: new Date(s.lastUpdatedTime).toISOString(),
    productName: listing.itemName ?? listing.sku,
    totalQuantity: total,
  };
}

function encode(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decode(text: string): Cursor | undefined {
  try {
    const cursor = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
    return typeof cursor.m === 'string' &&
      (cursor.s === null || typeof cursor.s === 'number') &&
      Number.isInteger(cursor.o) &&
      typeof cursor.i === 'number'
      ? (cursor as Cursor)
      : undefined;
  } catch {
    return undefined;
  }
}
