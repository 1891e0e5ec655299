/**
 * The normalized shape of an Amazon settlement, whatever flat-file flavour it came from
 * (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 or the legacy GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE).
 * Amounts are integer minor units of the settlement currency.
 */

export type SettlementFormat = 'flat-file-v2' | 'flat-file-legacy';

export interface SettlementSummary {
  settlementId: string;
  /** ISO 8601 instants (UTC, "Z"). */
  startDate: string;
  endDate: string;
  depositDate: string;
  /** The settlement total Amazon reports on the summary row, in minor units. */
  totalAmount: bigint;
  currency: string;
  format: SettlementFormat;
}

export interface SettlementRow {
  /** 1-based line number in the file (the header is line 1), so errors and lineage can point at it. */
  rowNumber: number;
  transactionType: string;
  amountType: string;
  amountDescription: string;
  amount: bigint;
  /** ISO 8601 instant, or null when the row carries no posted date. */
  postedAt: string | null;
  orderId: string | null;
  adjustmentId: string | null;
  shipmentId: string | null;
  merchantOrderId: string | null;
  sku: string | null;
  quantity: number | null;
  marketplace: string | null;
  fulfillmentId: string | null;
  /**
   * The column the amount came from: "amount" in V2; in the legacy file, which spreads money over nine
   * columns, e.g. "price-amount" (one legacy line can yield several rows with the same rowNumber).
   */
  sourceColumn: string;
}
