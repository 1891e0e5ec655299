/**
 * Listings Items API 2021-08-01: a seller's listings (SKUs) per marketplace.
 *
 * searchListingsItems pages with `pagination.nextToken` sent back as `pageToken`, at most 20 items a
 * page, and — Amazon's trap — no further than 1,000 items however many match: `numberOfResults`
 * still says how many did. A caller that needs them all narrows the window (lastUpdated*, created*;
 * both bounds inclusive) until each window holds ≤ 1,000, which is why this class yields pages and
 * not items. The seller id is the selling partner's merchant id; SKUs in paths are URL-encoded.
 */
import type { SpApiClient } from './client.js';
import { assertMarketplacesInRegion } from './regions.js';
import type { ItemSearchResults, ListingStatus, ListingsIncludedData, ListingsItem } from './types.js';

const BASE = '/listings/2021-08-01/items';

/** "The maximum number of items (SKUs) that can be returned and paged through is 1000." */
export const LISTINGS_SEARCH_CAP = 1000;
export const LISTINGS_MAX_PAGE_SIZE = 20;

export interface ListingsSearchQuery {
  sellerId: string;
  marketplaceIds: string[];
  /** Default `summaries`. */
  includedData?: ListingsIncludedData[];
  issueLocale?: string;
  /** ≤ 20, with identifiersType. */
  identifiers?: string[];
  identifiersType?: 'ASIN' | 'EAN' | 'FNSKU' | 'GTIN' | 'ISBN' | 'JAN' | 'MINSAN' | 'SKU' | 'UPC';
  /** ISO 8601; every bound is inclusive ("at or after", "at or before"). */
  createdAfter?: string;
  createdBefore?: string;
  lastUpdatedAfter?: string;
  lastUpdatedBefore?: string;
  withStatus?: ListingStatus[];
  withoutStatus?: ListingStatus[];
  /** Amazon's defaults: lastUpdatedDate, DESC. */
  sortBy?: 'sku' | 'createdDate' | 'lastUpdatedDate';
  sortOrder?: 'ASC' | 'DESC';
  /** 1..20, Amazon's default 10. */
  pageSize?: number;
}

export class ListingsApi {
  constructor(private readonly client: SpApiClient) {}

  /**
   * The pages of a search, first to last (following `pagination.nextToken`). The first page's
   * `numberOfResults` tells whether the search is over the 1,000-item cap; stop iterating to drop it.
   */
  async *searchListingsItems(query: ListingsSearchQuery): AsyncGenerator<ItemSearchResults, void, undefined> {
    checkSearch(this.client, query);
    let pageToken: string | undefined;
    do {
      const page = await this.searchPage(query, pageToken);
      yield page;
      pageToken = page.pagination?.nextToken || undefined;
    } while (pageToken);
  }

  /** One page of a search; `pageToken` is a previous page's nextToken or previousToken. */
  searchPage(query: ListingsSearchQuery, pageToken?: string): Promise<ItemSearchResults> {
    return this.client.request<ItemSearchResults>({
      operation: 'searchListingsItems',
      method: 'GET',
      path: `${BASE}/${encodeURIComponent(query.sellerId)}`,
      query: {
        marketplaceIds: query.marketplaceIds,
        includedData: query.includedData,
        issueLocale: query.issueLocale,
        identifiers: query.identifiers,
        identifiersType: query.identifiersType,
        createdAfter: query.createdAfter,
        createdBefore: query.createdBefore,
        lastUpdatedAfter: query.lastUpdatedAfter,
        lastUpdatedBefore: query.lastUpdatedBefore,
        withStatus: query.withStatus,
        withoutStatus: query.withoutStatus,
        sortBy: query.sortBy,
        sortOrder: query.sortOrder,
        pageSize: query.pageSize,
        pageToken,
      },
    });
  }

  /** One listing by SKU (the SKU is URL-encoded: spaces, "/", "&" and the like are legal in SKUs). */
  getListingsItem(
    sellerId: string,
    sku: string,
    marketplaceIds: string[],
    includedData?: ListingsIncludedData[],
  ): Promise<ListingsItem> {
    if (!sku) throw new RangeError('getListingsItem needs a SKU');
    assertMarketplacesInRegion(this.client.region, marketplaceIds);
    return this.client.request<ListingsItem>({
      operation: 'getListingsItem',
      method: 'GET',
      path: `${BASE}/${encodeURIComponent(sellerId)}/${encodeURIComponent(sku)}`,
      query: { marketplaceIds, includedData },
    });
  }
}

function checkSearch(client: SpApiClient, query: ListingsSearchQuery): void {
  if (!query.sellerId) throw new RangeError('searchListingsItems needs the seller id');
  if (query.marketplaceIds.length === 0) throw new RangeError('searchListingsItems needs a marketplace id');
  assertMarketplacesInRegion(client.region, query.marketplaceIds);
  const size = query.pageSize;
  if (size !== undefined && !(Number.isInteger(size) && size >= 1 && size <= LISTINGS_MAX_PAGE_SIZE)) {
    throw new RangeError(`searchListingsItems pageSize must be 1..${LISTINGS_MAX_PAGE_SIZE}, got ${size}`);
  }
  if (Boolean(query.identifiers?.length) !== Boolean(query.identifiersType)) {
    throw new RangeError('searchListingsItems: identifiers and identifiersType go together');
  }
  if ((query.identifiers?.length ?? 0) > 20) {
    throw new RangeError('searchListingsItems takes at most 20 identifiers');
  }
}
