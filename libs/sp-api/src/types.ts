/**
 * Request and response shapes of the SP-API operations we call, written by hand for the fields we
 * use. Property names and JSON types follow the official models (amzn/selling-partner-api-models);
 * test/model-conformance.test.ts checks them against the model files.
 *
 * Money: Finances send amounts as JSON numbers (`CurrencyAmount`, `currencyAmount`), Orders as decimal
 * strings. Convert Finances amounts with parseDecimalToMinor(String(value), currency) from @mlc/money at
 * the edge; never compute with the number.
 */

export interface ErrorDetail {
  code: string;
  message: string;
  details?: string;
}

export interface ErrorList {
  errors: ErrorDetail[];
}

// ---- Reports 2021-06-30 ----

export type ProcessingStatus = 'CANCELLED' | 'DONE' | 'FATAL' | 'IN_PROGRESS' | 'IN_QUEUE';

export interface Report {
  reportId: string;
  reportType: string;
  createdTime: string;
  processingStatus: ProcessingStatus;
  marketplaceIds?: string[];
  dataStartTime?: string;
  dataEndTime?: string;
  reportScheduleId?: string;
  processingStartTime?: string;
  processingEndTime?: string;
  reportDocumentId?: string;
}

export interface GetReportsResponse {
  reports: Report[];
  nextToken?: string;
}

export interface ReportDocument {
  reportDocumentId: string;
  /** Presigned; expires five minutes after getReportDocument answers. */
  url: string;
  compressionAlgorithm?: 'GZIP';
}

export interface CreateReportSpecification {
  reportType: string;
  marketplaceIds: string[];
  dataStartTime?: string;
  dataEndTime?: string;
}

export interface CreateReportResponse {
  reportId: string;
}

// ---- Finances v0 ----

export interface Currency {
  CurrencyCode?: string;
  /** A JSON number on the wire ("A signed decimal number"). */
  CurrencyAmount?: number;
}

export interface FinancialEventGroup {
  FinancialEventGroupId?: string;
  ProcessingStatus?: string;
  FundTransferStatus?: string;
  OriginalTotal?: Currency;
  ConvertedTotal?: Currency;
  FundTransferDate?: string;
  TraceId?: string;
  AccountTail?: string;
  BeginningBalance?: Currency;
  FinancialEventGroupStart?: string;
  FinancialEventGroupEnd?: string;
}

export interface ListFinancialEventGroupsResponse {
  payload?: { NextToken?: string; FinancialEventGroupList?: FinancialEventGroup[] };
  errors?: ErrorDetail[];
}

export interface ChargeComponent {
  ChargeType?: string;
  ChargeAmount?: Currency;
}

export interface FeeComponent {
  FeeType?: string;
  FeeAmount?: Currency;
}

export interface Promotion {
  PromotionType?: string;
  PromotionId?: string;
  PromotionAmount?: Currency;
}

export interface TaxWithheldComponent {
  TaxCollectionModel?: string;
  TaxesWithheld?: ChargeComponent[];
}

export interface ShipmentItem {
  SellerSKU?: string;
  OrderItemId?: string;
  OrderAdjustmentItemId?: string;
  QuantityShipped?: number;
  ItemChargeList?: ChargeComponent[];
  ItemChargeAdjustmentList?: ChargeComponent[];
  ItemFeeList?: FeeComponent[];
  ItemFeeAdjustmentList?: FeeComponent[];
  ItemTaxWithheldList?: TaxWithheldComponent[];
  PromotionList?: Promotion[];
  PromotionAdjustmentList?: Promotion[];
}

export interface ShipmentEvent {
  AmazonOrderId?: string;
  SellerOrderId?: string;
  MarketplaceName?: string;
  PostedDate?: string;
  ShipmentFeeList?: FeeComponent[];
  ShipmentItemList?: ShipmentItem[];
  ShipmentItemAdjustmentList?: ShipmentItem[];
}

export interface AdjustmentItem {
  Quantity?: string;
  PerUnitAmount?: Currency;
  TotalAmount?: Currency;
  SellerSKU?: string;
}

export interface AdjustmentEvent {
  AdjustmentType?: string;
  PostedDate?: string;
  AdjustmentAmount?: Currency;
  AdjustmentItemList?: AdjustmentItem[];
}

export interface ServiceFeeEvent {
  AmazonOrderId?: string;
  FeeReason?: string;
  FeeList?: FeeComponent[];
  SellerSKU?: string;
  FeeDescription?: string;
}

export interface SAFETReimbursementEvent {
  PostedDate?: string;
  SAFETClaimId?: string;
  ReimbursedAmount?: Currency;
  ReasonCode?: string;
}

export interface FinancialEvents {
  ShipmentEventList?: ShipmentEvent[];
  RefundEventList?: ShipmentEvent[];
  GuaranteeClaimEventList?: ShipmentEvent[];
  ChargebackEventList?: ShipmentEvent[];
  ServiceFeeEventList?: ServiceFeeEvent[];
  AdjustmentEventList?: AdjustmentEvent[];
  SAFETReimbursementEventList?: SAFETReimbursementEvent[];
}

export interface ListFinancialEventsResponse {
  payload?: { NextToken?: string; FinancialEvents?: FinancialEvents };
  errors?: ErrorDetail[];
}

// ---- Finances 2024-06-19 ----

export interface TransactionCurrency {
  currencyCode?: string;
  /** A JSON number on the wire. */
  currencyAmount?: number;
}

export type RelatedIdentifierName =
  | 'ORDER_ID'
  | 'SHIPMENT_ID'
  | 'FINANCIAL_EVENT_GROUP_ID'
  | 'REFUND_ID'
  | 'INVOICE_ID'
  | 'DISBURSEMENT_ID'
  | 'TRANSFER_ID'
  | 'DEFERRED_TRANSACTION_ID'
  | 'RELEASE_TRANSACTION_ID'
  | 'SETTLEMENT_ID';

export interface RelatedIdentifier {
  relatedIdentifierName?: RelatedIdentifierName;
  relatedIdentifierValue?: string;
}

export interface Breakdown {
  breakdownType?: string;
  breakdownAmount?: TransactionCurrency;
  breakdowns?: Breakdown[];
}

export interface Transaction {
  sellingPartnerMetadata?: { sellingPartnerId?: string; accountType?: string; marketplaceId?: string };
  relatedIdentifiers?: RelatedIdentifier[];
  transactionType?: string;
  transactionId?: string;
  transactionStatus?: string;
  description?: string;
  postedDate?: string;
  totalAmount?: TransactionCurrency;
  marketplaceDetails?: { marketplaceId?: string; marketplaceName?: string };
  breakdowns?: Breakdown[];
}

export interface ListTransactionsResponse {
  payload?: { nextToken?: string; transactions?: Transaction[] };
}

// ---- Orders v0 (deprecated) ----

export interface OrderMoney {
  CurrencyCode?: string;
  /** A decimal string. */
  Amount?: string;
}

export type OrderStatusV0 =
  | 'Pending'
  | 'Unshipped'
  | 'PartiallyShipped'
  | 'Shipped'
  | 'Canceled'
  | 'Unfulfillable'
  | 'InvoiceUnconfirmed'
  | 'PendingAvailability';

export interface OrderV0 {
  AmazonOrderId: string;
  SellerOrderId?: string;
  PurchaseDate: string;
  LastUpdateDate: string;
  OrderStatus: OrderStatusV0;
  FulfillmentChannel?: 'MFN' | 'AFN';
  SalesChannel?: string;
  OrderTotal?: OrderMoney;
  MarketplaceId?: string;
}

export interface GetOrdersResponse {
  payload?: { Orders: OrderV0[]; NextToken?: string; LastUpdatedBefore?: string; CreatedBefore?: string };
  errors?: ErrorDetail[];
}

// ---- Orders 2026-01-01 ----

export interface Money {
  /** A decimal string. */
  amount: string;
  currencyCode: string;
}

export type FulfillmentStatus =
  | 'PENDING_AVAILABILITY'
  | 'PENDING'
  | 'UNSHIPPED'
  | 'PARTIALLY_SHIPPED'
  | 'SHIPPED'
  | 'CANCELLED'
  | 'UNFULFILLABLE';

export interface OrderItem {
  orderItemId: string;
  quantityOrdered: number;
  product: { asin?: string; sellerSku?: string; title?: string };
}

export interface Order {
  orderId: string;
  createdTime: string;
  lastUpdatedTime: string;
  salesChannel: { channelName: string; marketplaceId?: string; marketplaceName?: string };
  fulfillment?: { fulfillmentStatus: FulfillmentStatus; fulfilledBy?: string };
  proceeds?: { grandTotal?: Money };
  orderItems: OrderItem[];
}

export interface SearchOrdersResponse {
  orders: Order[];
  pagination?: { nextToken?: string };
  lastUpdatedBefore?: string;
  createdBefore?: string;
}

// ---- Listings Items 2021-08-01 ----

export type ListingStatus = 'BUYABLE' | 'DISCOVERABLE';

export type ListingsIncludedData =
  | 'summaries'
  | 'attributes'
  | 'issues'
  | 'offers'
  | 'fulfillmentAvailability'
  | 'procurement'
  | 'relationships'
  | 'productTypes';

export interface ListingsItemSummary {
  marketplaceId: string;
  asin?: string;
  productType: string;
  conditionType?: string;
  /** Empty when the listing is neither buyable nor discoverable in that marketplace. */
  status: ListingStatus[];
  fnSku?: string;
  itemName?: string;
  createdDate: string;
  lastUpdatedDate: string;
  mainImage?: { link: string; height: number; width: number };
}

export interface ListingsIssue {
  code: string;
  message: string;
  severity: 'ERROR' | 'WARNING' | 'INFO';
  attributeNames?: string[];
  categories: string[];
}

export interface FulfillmentAvailability {
  fulfillmentChannelCode: string;
  quantity?: number;
}

export interface ListingsItem {
  sku: string;
  /** One per requested marketplace; present when includedData has `summaries` (the default). */
  summaries?: ListingsItemSummary[];
  issues?: ListingsIssue[];
  fulfillmentAvailability?: FulfillmentAvailability[];
}

export interface ListingsPagination {
  nextToken?: string;
  previousToken?: string;
}

export interface ItemSearchResults {
  /** Every match, although at most 1,000 of them can be paged through. */
  numberOfResults: number;
  pagination?: ListingsPagination;
  items: ListingsItem[];
}

// ---- FBA Inventory v1 ----

export interface InventoryError {
  code: string;
  message?: string;
  details?: string;
}

export interface InventoryGranularity {
  granularityType?: string;
  granularityId?: string;
}

export interface ReservedQuantity {
  totalReservedQuantity?: number;
  pendingCustomerOrderQuantity?: number;
  pendingTransshipmentQuantity?: number;
  fcProcessingQuantity?: number;
}

export interface ResearchingQuantityEntry {
  name: 'researchingQuantityInShortTerm' | 'researchingQuantityInMidTerm' | 'researchingQuantityInLongTerm';
  quantity: number;
}

export interface ResearchingQuantity {
  totalResearchingQuantity?: number;
  researchingQuantityBreakdown?: ResearchingQuantityEntry[];
}

export interface UnfulfillableQuantity {
  totalUnfulfillableQuantity?: number;
  customerDamagedQuantity?: number;
  warehouseDamagedQuantity?: number;
  distributorDamagedQuantity?: number;
  carrierDamagedQuantity?: number;
  defectiveQuantity?: number;
  expiredQuantity?: number;
}

/** Absent from a summary unless the request said `details=true`. */
export interface InventoryDetails {
  fulfillableQuantity?: number;
  inboundWorkingQuantity?: number;
  inboundShippedQuantity?: number;
  inboundReceivingQuantity?: number;
  reservedQuantity?: ReservedQuantity;
  researchingQuantity?: ResearchingQuantity;
  unfulfillableQuantity?: UnfulfillableQuantity;
}

export interface InventorySummary {
  asin?: string;
  fnSku?: string;
  sellerSku?: string;
  condition?: string;
  inventoryDetails?: InventoryDetails;
  /** When any quantity last changed — except the inbound ones, which do not move it. */
  lastUpdatedTime?: string;
  productName?: string;
  totalQuantity?: number;
  stores?: string[];
}

/** `pagination` is a sibling of `payload`, not inside it. */
export interface GetInventorySummariesResponse {
  payload?: { granularity: InventoryGranularity; inventorySummaries: InventorySummary[] };
  pagination?: { nextToken?: string };
  errors?: InventoryError[];
}
