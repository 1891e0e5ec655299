/**
 * FBA Inventory API v1 getInventorySummaries: stock levels of a seller's FBA SKUs in one marketplace.
 *
 * Amazon's rules, all enforced or followed here:
 * - granularityType is `Marketplace`, granularityId and the single marketplaceIds value the marketplace;
 * - `startDateTime` returns only summaries whose lastUpdatedTime is at or after it — and changes of the
 *   inbound quantities do not move lastUpdatedTime, so only a pass without startDateTime sees those;
 * - the request after a startDateTime request must send the same startDateTime again with its
 *   nextToken (an error since 2022-10-31 otherwise), and a nextToken lives 30 seconds.
 * A page call carrying a nextToken that Amazon refuses with 400 surfaces as InventoryNextTokenError:
 * the pages before it are no proof of a complete pass, so the caller starts the pass again.
 */
import { type SpApiClient, SpApiError } from './client.js';
import { assertMarketplacesInRegion } from './regions.js';
import type { GetInventorySummariesResponse, InventorySummary } from './types.js';

export interface InventorySummariesQuery {
  marketplaceId: string;
  /** Default true: the quantities (inventoryDetails) are absent without it. */
  details?: boolean;
  /** ISO 8601, at most 18 months old; sent again with every nextToken. */
  startDateTime?: string;
  /** ≤ 50; ignored by Amazon when startDateTime is given. */
  sellerSkus?: string[];
}

export interface InventorySummariesPage {
  summaries: InventorySummary[];
  nextToken?: string;
}

/** A nextToken was refused (expired after 30 s, or sent without the first call's startDateTime). */
export class InventoryNextTokenError extends Error {
  override name = 'InventoryNextTokenError';
  constructor(
    readonly marketplaceId: string,
    readonly pagesRead: number,
    override readonly cause: SpApiError,
  ) {
    super(
      `getInventorySummaries ${marketplaceId}: the nextToken after page ${pagesRead} was refused (${cause.message}); start the pass again`,
      { cause },
    );
  }
}

export class FbaInventoryApi {
  constructor(private readonly client: SpApiClient) {}

  /** The pages of summaries, first to last. */
  async *getInventorySummaries(
    query: InventorySummariesQuery,
  ): AsyncGenerator<InventorySummariesPage, void, undefined> {
    assertMarketplacesInRegion(this.client.region, [query.marketplaceId]);
    if ((query.sellerSkus?.length ?? 0) > 50)
      throw new RangeError('getInventorySummaries takes ≤ 50 sellerSkus');
    let nextToken: string | undefined;
    let pages = 0;
    do {
      let response: GetInventorySummariesResponse;
      try {
        response = await this.client.request<GetInventorySummariesResponse>({
          operation: 'getInventorySummaries',
          method: 'GET',
          path: '/fba/inventory/v1/summaries',
          query: {
            details: query.details ?? true,
            granularityType: 'Marketplace',
            granularityId: query.marketplaceId,
            marketplaceIds: [query.marketplaceId],
            startDateTime: query.startDateTime,
            sellerSkus: query.startDateTime ? undefined : query.sellerSkus,
            nextToken,
          },
        });
      } catch (error) {
        if (nextToken && error instanceof SpApiError && error.status === 400) {
          throw new InventoryNextTokenError(query.marketplaceId, pages, error);
        }
        throw error;
      }
      pages++;
      nextToken = response.pagination?.nextToken || undefined;
      yield { summaries: response.payload?.inventorySummaries ?? [], nextToken };
    } while (nextToken);
  }
}
