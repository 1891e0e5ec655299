/**
 * Finances: v0 financial event groups (one per settlement/disbursement) and their events, and the
 * 2024-06-19 transactions that replace v0's event lists (v0 events are removed 2027-08-27).
 *
 * Finance pages must be walked continuously: Amazon's NextToken expires within minutes.
 * Groups and events are keyed to a marketplace only through their content; the marketplace filter
 * exists on listTransactions alone.
 */
import { paginate, type SpApiClient } from './client.js';
import { assertMarketplacesInRegion } from './regions.js';
import type {
  FinancialEventGroup,
  FinancialEvents,
  ListFinancialEventGroupsResponse,
  ListFinancialEventsResponse,
  ListTransactionsResponse,
  Transaction,
} from './types.js';

export interface FinancialEventGroupsFilter {
  /** ISO 8601, more than two minutes before now. */
  startedAfter?: string;
  startedBefore?: string;
  /** 1..100, Amazon's default 10. */
  maxResultsPerPage?: number;
}

export interface FinancialEventsFilter {
  postedAfter?: string;
  postedBefore?: string;
  /** 1..100, Amazon's default 100. */
  maxResultsPerPage?: number;
}

export interface TransactionsFilter {
  /** Required unless a related identifier is given. */
  postedAfter?: string;
  postedBefore?: string;
  /** Leave out for MFN orders in the US store (model note). */
  marketplaceId?: string;
  transactionStatus?: 'DEFERRED' | 'RELEASED' | 'DEFERRED_RELEASED';
  /** Only these two filter (model). */
  relatedIdentifierName?: 'FINANCIAL_EVENT_GROUP_ID' | 'ORDER_ID';
  relatedIdentifierValue?: string;
}

export class FinancesApi {
  constructor(private readonly client: SpApiClient) {}

  listFinancialEventGroups(
    filter: FinancialEventGroupsFilter = {},
  ): AsyncGenerator<FinancialEventGroup, void, undefined> {
    return paginate(async (nextToken) => {
      const response = await this.client.request<ListFinancialEventGroupsResponse>({
        operation: 'listFinancialEventGroups',
        method: 'GET',
        path: '/finances/v0/financialEventGroups',
        query: {
          MaxResultsPerPage: filter.maxResultsPerPage,
          FinancialEventGroupStartedAfter: filter.startedAfter,
          FinancialEventGroupStartedBefore: filter.startedBefore,
          NextToken: nextToken,
        },
      });
      return {
        items: response.payload?.FinancialEventGroupList ?? [],
        nextToken: response.payload?.NextToken,
      };
    });
  }

  /** The group's events one page at a time (a page may be empty and still have a next token). */
  listFinancialEventsByGroupId(
    eventGroupId: string,
    filter: FinancialEventsFilter = {},
  ): AsyncGenerator<FinancialEvents, void, undefined> {
    return paginate(async (nextToken) => {
      const response = await this.client.request<ListFinancialEventsResponse>({
        operation: 'listFinancialEventsByGroupId',
        method: 'GET',
        path: `/finances/v0/financialEventGroups/${encodeURIComponent(eventGroupId)}/financialEvents`,
        query: {
          MaxResultsPerPage: filter.maxResultsPerPage,
          PostedAfter: filter.postedAfter,
          PostedBefore: filter.postedBefore,
          NextToken: nextToken,
        },
      });
      return { items: [response.payload?.FinancialEvents ?? {}], nextToken: response.payload?.NextToken };
    });
  }

  listTransactions(filter: TransactionsFilter): AsyncGenerator<Transaction, void, undefined> {
    if (!filter.postedAfter && !filter.relatedIdentifierValue) {
      throw new RangeError('listTransactions needs postedAfter or a related identifier');
    }
    if (filter.marketplaceId) assertMarketplacesInRegion(this.client.region, [filter.marketplaceId]);
    return paginate(async (nextToken) => {
      const response = await this.client.request<ListTransactionsResponse>({
        operation: 'listTransactions',
        method: 'GET',
        path: '/finances/2024-06-19/transactions',
        query: {
          postedAfter: filter.postedAfter,
          postedBefore: filter.postedBefore,
          marketplaceId: filter.marketplaceId,
          transactionStatus: filter.transactionStatus,
          relatedIdentifierName: filter.relatedIdentifierName,
          relatedIdentifierValue: filter.relatedIdentifierValue,
          nextToken,
        },
      });
      return { items: response.payload?.transactions ?? [], nextToken: response.payload?.nextToken };
    });
  }
}
