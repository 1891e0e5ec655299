/**
 * Orders behind one interface: OrdersSource yields order summaries whichever Orders API serves them.
 *
 * Orders v0 getOrders is deprecated (migrate by 2027-03-27); Orders 2026-01-01 searchOrders replaces
 * it. Both page (v0 `NextToken`, 2026 `pagination.nextToken` sent back as `paginationToken`) and both
 * need the marketplace ids. Amounts stay decimal strings, as both APIs send them.
 */
import { paginate, type SpApiClient } from './client.js';
import { assertMarketplacesInRegion } from './regions.js';
import type { GetOrdersResponse, Order, OrderV0, SearchOrdersResponse } from './types.js';

export interface OrdersQuery {
  marketplaceIds: string[];
  /** Either createdAfter or lastUpdatedAfter is required; they cannot be combined. */
  createdAfter?: string;
  createdBefore?: string;
  lastUpdatedAfter?: string;
  lastUpdatedBefore?: string;
  /** 1..100, default 100. */
  maxResultsPerPage?: number;
}

export interface OrderSummary {
  amazonOrderId: string;
  marketplaceId: string | null;
  purchaseDate: string;
  lastUpdateDate: string;
  /** The API's own status vocabulary (v0 `Shipped`, 2026 `SHIPPED`). */
  status: string;
  fulfilledByAmazon: boolean | null;
  /** Decimal text and currency, when the API sent a total. */
  orderTotal: { amount: string; currencyCode: string } | null;
}

export interface OrdersSource {
  readonly api: 'orders-v0' | 'orders-2026-01-01';
  searchOrders(query: OrdersQuery): AsyncGenerator<OrderSummary, void, undefined>;
}

function checkQuery(client: SpApiClient, query: OrdersQuery): void {
  assertMarketplacesInRegion(client.region, query.marketplaceIds);
  const byCreation = Boolean(query.createdAfter);
  const byUpdate = Boolean(query.lastUpdatedAfter);
  if (byCreation === byUpdate) throw new RangeError('give exactly one of createdAfter and lastUpdatedAfter');
}

/** Orders 2026-01-01 searchOrders (with PROCEEDS so the total comes back). */
export class OrdersV2026Source implements OrdersSource {
  readonly api = 'orders-2026-01-01';
  constructor(private readonly client: SpApiClient) {}

  searchOrders(query: OrdersQuery): AsyncGenerator<OrderSummary, void, undefined> {
    checkQuery(this.client, query);
    return paginate(async (paginationToken) => {
      const response = await this.client.request<SearchOrdersResponse>({
        operation: 'searchOrders',
        method: 'GET',
        path: '/orders/2026-01-01/orders',
        query: {
          marketplaceIds: query.marketplaceIds,
          createdAfter: query.createdAfter,
          createdBefore: query.createdBefore,
          lastUpdatedAfter: query.lastUpdatedAfter,
          lastUpdatedBefore: query.lastUpdatedBefore,
          maxResultsPerPage: query.maxResultsPerPage,
          includedData: ['PROCEEDS', 'FULFILLMENT'],
          paginationToken,
        },
      });
      return { items: response.orders.map(fromV2026), nextToken: response.pagination?.nextToken };
    });
  }
}

function fromV2026(order: Order): OrderSummary {
  const total = order.proceeds?.grandTotal;
  const fulfilledBy = order.fulfillment?.fulfilledBy;
  return {
    amazonOrderId: order.orderId,
    marketplaceId: order.salesChannel.marketplaceId ?? null,
    purchaseDate: order.createdTime,
    lastUpdateDate: order.lastUpdatedTime,
    status: order.fulfillment?.fulfillmentStatus ?? 'UNKNOWN',
    fulfilledByAmazon: fulfilledBy ? fulfilledBy === 'AMAZON' : null,
    orderTotal: total ? { amount: total.amount, currencyCode: total.currencyCode } : null,
  };
}

/** Orders v0 getOrders (deprecated; kept until every connection runs on 2026-01-01). */
export class OrdersV0Source implements OrdersSource {
  readonly api = 'orders-v0';
  constructor(private readonly client: SpApiClient) {}

  searchOrders(query: OrdersQuery): AsyncGenerator<OrderSummary, void, undefined> {
    checkQuery(this.client, query);
    return paginate(async (nextToken) => {
      const response = await this.client.request<GetOrdersResponse>({
        operation: 'getOrders',
        method: 'GET',
        path: '/orders/v0/orders',
        query: {
          MarketplaceIds: query.marketplaceIds,
          CreatedAfter: query.createdAfter,
          CreatedBefore: query.createdBefore,
          LastUpdatedAfter: query.lastUpdatedAfter,
          LastUpdatedBefore: query.lastUpdatedBefore,
          MaxResultsPerPage: query.maxResultsPerPage,
          NextToken: nextToken,
        },
      });
      return { items: (response.payload?.Orders ?? []).map(fromV0), nextToken: response.payload?.NextToken };
    });
  }
}

function fromV0(order: OrderV0): OrderSummary {
  const total = order.OrderTotal;
  return {
    amazonOrderId: order.AmazonOrderId,
    marketplaceId: order.MarketplaceId ?? null,
    purchaseDate: order.PurchaseDate,
    lastUpdateDate: order.LastUpdateDate,
    status: order.OrderStatus,
    fulfilledByAmazon: order.FulfillmentChannel ? order.FulfillmentChannel === 'AFN' : null,
    orderTotal:
      total?.Amount && total.CurrencyCode ? { amount: total.Amount, currencyCode: total.CurrencyCode } : null,
  };
}
