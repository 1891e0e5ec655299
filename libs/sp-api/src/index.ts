/**
 * @mlc/sp-api: the Amazon Selling Partner API client the connector uses — LWA tokens, regions and
 * marketplaces, per-operation rate limits with backoff, paging, and the Reports, Finances, Orders,
 * Listings Items and FBA Inventory operations behind typed methods.
 */

export {
  paginate,
  type QueryValue,
  type RequestSpec,
  type RetryPolicy,
  SpApiClient,
  type SpApiClientOptions,
  SpApiError,
  type SpApiErrorDetail,
} from './client.js';
export { type Clock, scaledClock, systemClock } from './clock.js';
export {
  FinancesApi,
  type FinancialEventGroupsFilter,
  type FinancialEventsFilter,
  type TransactionsFilter,
} from './finances.js';
export {
  FbaInventoryApi,
  InventoryNextTokenError,
  type InventorySummariesPage,
  type InventorySummariesQuery,
} from './inventory.js';
export {
  LISTINGS_MAX_PAGE_SIZE,
  LISTINGS_SEARCH_CAP,
  ListingsApi,
  type ListingsSearchQuery,
} from './listings.js';
export {
  type AccessToken,
  type AccessTokenProvider,
  type ExchangeOptions,
  exchangeRefreshToken,
  InProcessTokenProvider,
  type InProcessTokenProviderOptions,
  LWA_TOKEN_ENDPOINT,
  type LwaCredentials,
  LwaError,
} from './lwa.js';
export {
  type OrderSummary,
  type OrdersQuery,
  type OrdersSource,
  OrdersV0Source,
  OrdersV2026Source,
} from './orders.js';
export { type OperationName, TokenBucket, USAGE_PLANS, type UsagePlan } from './rate-limits.js';
export {
  assertMarketplacesInRegion,
  isRegion,
  MARKETPLACES,
  type Marketplace,
  marketplaceById,
  REGIONS,
  type Region,
  type RegionInfo,
} from './regions.js';
export {
  LEGACY_SETTLEMENT_REPORT_TYPE,
  ReportDocumentDownloadError,
  ReportDocumentExpiredError,
  ReportsApi,
  type ReportsFilter,
  SETTLEMENT_REPORT_TYPE,
} from './reports.js';
export type * from './types.js';
