/**
 * Listings Items API 2021-08-01 as the simulator answers it: searchListingsItems and getListingsItem
 * over the ListingsStore, with Amazon's shapes (ItemSearchResults, Item with one summary per
 * marketplace), inclusive date bounds, sortBy/sortOrder, pageSize ≤ 20, `pagination.nextToken` /
 * `previousToken` passed back as `pageToken`, and the cap: at most 1,000 items can be paged through —
 * `numberOfResults` still says how many matched, and the 1,001st is never returned.
 *
 * A `{sellerId}` other than the caller's is refused with 403 (what Amazon answers there is not
 * documented). A pageToken is bound to the search it came from: sent with other filters it is a 400.
 */
import { createHash } from 'node:crypto';
import type { ListingsStore, StoredListing } from './listings-store.js';
import { regionOfMarketplace } from './state.js';

export type Answer = { status: number; body: unknown };
export type Query = Record<string, string | undefined>;
export interface Caller {
  connectionId: string;
  region: 'NA' | 'EU' | 'FE' | null;
}

export const LISTINGS_SEARCH_CAP = 1000;
const INCLUDED_DATA = new Set([
  'summaries',
  'attributes',
  'issues',
  'offers',
  'fulfillmentAvailability',
  'procurement',
  'relationships',
  'productTypes',
]);
const IDENTIFIER_TYPES = new Set(['ASIN', 'EAN', 'FNSKU', 'GTIN', 'ISBN', 'JAN', 'MINSAN', 'SKU', 'UPC']);
const STATUSES = new Set(['BUYABLE', 'DISCOVERABLE']);
const SORT_BY = new Set(['sku', 'createdDate', 'lastUpdatedDate']);

export function errorList(
  code: string,
  message: string,
  details = '',
): { errors: Array<Record<string, string>> } {
  return { errors: [{ code, message, details }] };
}

const invalid = (message: string): Answer => ({ status: 400, body: errorList('InvalidInput', message) });

function csv(value: string | undefined): string[] {
  return value ? value.split(',').filter((v) => v !== '') : [];
}

/** The marketplaces asked for, or the 400 for them. */
function marketplacesOf(query: Query, caller: Caller): string[] | Answer {
  const ids = csv(query.marketplaceIds);
  if (ids.length === 0) return invalid('Missing required parameter: marketplaceIds.');
  const foreign = ids.find(
    (id) => !regionOfMarketplace(id) || (caller.region && regionOfMarketplace(id) !== caller.region),
  );
  if (foreign) return invalid(`Invalid marketplaceIds: ${foreign} is not a marketplace of this endpoint.`);
  return ids;
}

function sellerRefused(store: ListingsStore, caller: Caller, sellerId: string): Answer | undefined {
  if (sellerId === store.sellerIdOf(caller.connectionId)) return undefined;
  return {
    status: 403,
    body: errorList('Unauthorized', 'Access to requested resource is denied.', `sellerId ${sellerId}`),
  };
}

function includedDataOf(query: Query): Set<string> | Answer {
  const included = csv(query.includedData);
  const bad = included.find((value) => !INCLUDED_DATA.has(value));
  if (bad) return invalid(`Invalid includedData value: ${bad}.`);
  return new Set(included.length > 0 ? included : ['summaries']);
}

const isAnswer = (value: unknown): value is Answer =>
  typeof value === 'object' && value !== null && 'status' in value && 'body' in value;

interface Search {
  marketplaceIds: string[];
  createdAfter?: number;
  createdBefore?: number;
  lastUpdatedAfter?: number;
  lastUpdatedBefore?: number;
  identifiers: string[];
  identifiersType?: string;
  withStatus: string[];
  withoutStatus: string[];
  sortBy: 'sku' | 'createdDate' | 'lastUpdatedDate';
  sortOrder: 'ASC' | 'DESC';
}

function parseSearch(query: Query, caller: Caller): Search | Answer {
  const marketplaceIds = marketplacesOf(query, caller);
  if (isAnswer(marketplaceIds)) return marketplaceIds;
  const dates: Record<string, number | undefined> = {};
  for (const name of ['createdAfter', 'createdBefore', 'lastUpdatedAfter', 'lastUpdatedBefore']) {
    const value = query[name];
    if (value === undefined) continue;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) return invalid(`${name} is not a valid ISO 8601 date-time.`);
    dates[name] = ms;
  }
  const identifiers = csv(query.identifiers);
  const identifiersType = query.identifiersType;
  if (identifiers.length > 0 !== (identifiersType !== undefined)) {
    return invalid('identifiers and identifiersType must be provided together.');
  }
  if (identifiers.length > 20) return invalid('identifiers accepts at most 20 values.');
  if (identifiersType !== undefined && !IDENTIFIER_TYPES.has(identifiersType)) {
    return invalid(`Invalid identifiersType: ${identifiersType}.`);
  }
  const withStatus = csv(query.withStatus);
  const withoutStatus = csv(query.withoutStatus);
  if ([...withStatus, ...withoutStatus].some((s) => !STATUSES.has(s))) {
    return invalid('withStatus and withoutStatus accept BUYABLE and DISCOVERABLE.');
  }
  const sortBy = query.sortBy ?? 'lastUpdatedDate';
  if (!SORT_BY.has(sortBy)) return invalid(`Invalid sortBy: ${sortBy}.`);
  const sortOrder = query.sortOrder ?? 'DESC';
  if (sortOrder !== 'ASC' && sortOrder !== 'DESC') return invalid(`Invalid sortOrder: ${sortOrder}.`);
  return {
    marketplaceIds,
    ...dates,
    identifiers,
    identifiersType,
    withStatus,
    withoutStatus,
    sortBy: sortBy as Search['sortBy'],
    sortOrder,
  };
}

function identifierOf(listing: StoredListing, type: string | undefined): string | undefined {
  if (type === 'SKU') return listing.sku;
  if (type === 'ASIN') return listing.asin;
  if (type === 'FNSKU') return listing.fnSku;
  return undefined;
}

function matches(listing: StoredListing, search: Search): boolean {
  const within = (value: number, after?: number, before?: number) =>
    (after === undefined || value >= after) && (before === undefined || value <= before);
  return (
    within(listing.createdDate, search.createdAfter, search.createdBefore) &&
    within(listing.lastUpdatedDate, search.lastUpdatedAfter, search.lastUpdatedBefore) &&
    (search.identifiers.length === 0 ||
      search.identifiers.includes(identifierOf(listing, search.identifiersType) ?? '\u0000')) &&
    search.withStatus.every((s) => listing.status.includes(s as never)) &&
    !search.withoutStatus.some((s) => listing.status.includes(s as never))
  );
}

/** The SKUs matching a search, each with its summaries in the asked marketplaces, in Amazon's order. */
function select(store: ListingsStore, caller: Caller, search: Search): StoredListing[][] {
  const bySku = new Map<string, StoredListing[]>();
  for (const listing of store.of(caller.connectionId, search.marketplaceIds)) {
    if (!matches(listing, search)) continue;
    const group = bySku.get(listing.sku) ?? [];
    group.push(listing);
    bySku.set(listing.sku, group);
  }
  const value = (group: StoredListing[]): number | string =>
    search.sortBy === 'sku'
      ? group[0]!.sku
      : search.sortBy === 'createdDate'
        ? Math.min(...group.map((l) => l.createdDate))
        : Math.max(...group.map((l) => l.lastUpdatedDate));
  const direction = search.sortOrder === 'ASC' ? 1 : -1;
  return [...bySku.values()].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return order * direction || (a[0]!.sku < b[0]!.sku ? -1 : a[0]!.sku > b[0]!.sku ? 1 : 0);
  });
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** One listings item as Amazon returns it, with the data sets asked for. */
export function itemJson(group: StoredListing[], included: Set<string>): Record<string, unknown> {
  const item: Record<string, unknown> = { sku: group[0]!.sku };
  if (included.has('summaries')) {
    item.summaries = group.map((l) => ({
      marketplaceId: l.marketplaceId,
      ...(l.asin ? { asin: l.asin } : {}),
      productType: l.productType,
      conditionType: l.conditionType,
      status: [...l.status],
      ...(l.fnSku ? { fnSku: l.fnSku } : {}),
      ...(l.itemName !== undefined ? { itemName: l.itemName } : {}),
      createdDate: iso(l.createdDate),
      lastUpdatedDate: iso(l.lastUpdatedDate),
    }));
  }
  if (included.has('attributes')) item.attributes = {};
  if (included.has('issues')) item.issues = [];
  if (included.has('offers')) item.offers = [];
  if (included.has('procurement')) item.procurement = [];
  if (included.has('relationships')) {
    item.relationships = group.map((l) => ({ marketplaceId: l.marketplaceId, relationships: [] }));
  }
  if (included.has('productTypes')) {
    item.productTypes = group.map((l) => ({ marketplaceId: l.marketplaceId, productType: l.productType }));
  }
  if (included.has('fulfillmentAvailability')) {
    // FBA SKUs show their fulfillable units under the region's Amazon channel, others the merchant's
    // DEFAULT channel (the model's examples use DEFAULT; the AMAZON_<region> code is UNCONFIRMED).
    item.fulfillmentAvailability = group.map((l) =>
      l.stock
        ? {
            fulfillmentChannelCode: `AMAZON_${regionOfMarketplace(l.marketplaceId) ?? 'NA'}`,
            quantity: l.stock.fulfillable,
          }
        : { fulfillmentChannelCode: 'DEFAULT', quantity: 0 },
    );
  }
  return item;
}

/** A fingerprint of the search a pageToken belongs to (every filter, not the page size). */
function fingerprint(search: Search): string {
  return createHash('sha256').update(JSON.stringify(search)).digest('base64url').slice(0, 16);
}

export function searchListingsItems(
  store: ListingsStore,
  caller: Caller,
  sellerId: string,
  query: Query,
): Answer {
  const refused = sellerRefused(store, caller, sellerId);
  if (refused) return refused;
  const search = parseSearch(query, caller);
  if (isAnswer(search)) return search;
  const included = includedDataOf(query);
  if (isAnswer(included)) return included;
  const size = query.pageSize === undefined ? 10 : Number(query.pageSize);
  if (!Number.isInteger(size) || size < 1 || size > 20) {
    return invalid('pageSize must be an integer between 1 and 20.');
  }
  const print = fingerprint(search);
  let offset = 0;
  if (query.pageToken !== undefined) {
    const token = decode(query.pageToken);
    if (!token || token.f !== print) return invalid('Invalid pageToken.');
    offset = token.o;
  }
  const all = select(store, caller, search);
  const reachable = all.slice(0, LISTINGS_SEARCH_CAP);
  const items = reachable.slice(offset, offset + size);
  const next = offset + size < reachable.length ? offset + size : undefined;
  const previous = offset > 0 ? Math.max(0, offset - size) : undefined;
  const pagination = {
    ...(next === undefined ? {} : { nextToken: encode({ f: print, o: next }) }),
    ...(previous === undefined ? {} : { previousToken: encode({ f: print, o: previous }) }),
  };
  store.recordSearch({
    connectionId: caller.connectionId,
    marketplaceIds: search.marketplaceIds,
    createdAfter: query.createdAfter,
    createdBefore: query.createdBefore,
    lastUpdatedAfter: query.lastUpdatedAfter,
    lastUpdatedBefore: query.lastUpdatedBefore,
    paged: offset > 0,
    numberOfResults: all.length,
    returned: items.length,
  });
  return {
    status: 200,
    body: {
      numberOfResults: all.length,
      ...(Object.keys(pagination).length > 0 ? { pagination } : {}),
      items: items.map((group) => itemJson(group, included)),
    },
  };
}

export function getListingsItem(
  store: ListingsStore,
  caller: Caller,
  sellerId: string,
  sku: string,
  query: Query,
): Answer {
  const refused = sellerRefused(store, caller, sellerId);
  if (refused) return refused;
  const marketplaceIds = marketplacesOf(query, caller);
  if (isAnswer(marketplaceIds)) return marketplaceIds;
  const included = includedDataOf(query);
  if (isAnswer(included)) return included;
  const group = store.of(caller.connectionId, marketplaceIds).filter((l) => l.sku === sku);
  if (group.length === 0) {
    return {
      status: 404,
      body: errorList('NOT_FOUND', `SKU '${sku}' not found in marketplace ${marketplaceIds.join(',')}`),
    };
  }
  return { status: 200, body: itemJson(group, included) };
}

function encode(token: { f: string; o: number }): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function decode(text: string): { f: string; o: number } | undefined {
  try {
    const token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as { f?: unknown; o?: unknown };
    return typeof token.f === 'string' && Number.isInteger(token.o) && (token.o as number) >= 0
      ? { f: token.f, o: token.o as number }
      : undefined;
  } catch {
    return undefined;
  }
}
