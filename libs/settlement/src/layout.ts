/**
 * Reads the header line: which flat-file flavour this is and where each column we need sits. Columns are
 * located by name, never by position, because Amazon has shipped V2 files with 23 and with 24 columns; extra
 * columns (known or not) are ignored, missing ones we need are an error, duplicates are an error because
 * we could not know which one to read.
 */
import { SettlementParseError } from './errors.js';
import type { SettlementFormat } from './types.js';

/** One legacy amount column, with where its amount-type and amount-description come from. */
export interface LegacyAmountColumn {
  /** Header name of the amount column, e.g. "price-amount". */
  column: string;
  index: number;
  /** The amount-type given to rows from this column (V2's vocabulary where V2 has the same thing). */
  amountType: string;
  /** Index of the column naming the amount (e.g. "price-type"), or -1 when the description is fixed. */
  descriptionIndex: number;
  /** The description when the column has no type column of its own. */
  fixedDescription: string;
}

export interface Layout {
  format: SettlementFormat;
  /** Number of fields every line must have. */
  width: number;
  names: readonly string[];
  settlementId: number;
  startDate: number;
  endDate: number;
  depositDate: number;
  totalAmount: number;
  currency: number;
  transactionType: number;
  /** The remaining indexes are -1 when the file has no such column. */
  orderId: number;
  merchantOrderId: number;
  adjustmentId: number;
  shipmentId: number;
  marketplace: number;
  fulfillmentId: number;
  postedDate: number;
  postedDateTime: number;
  sku: number;
  quantity: number;
  /** V2 only: amount-type, amount-description, amount (-1 in legacy files). */
  amountType: number;
  amountDescription: number;
  amount: number;
  /** Legacy only: the nine amount columns (empty for V2). */
  legacyAmounts: readonly LegacyAmountColumn[];
}

/**
 * The 23 columns of Amazon's V2 flat file (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2), in Amazon's order.
 * The reader does not depend on this order (it locates columns by name, see above); the list is the one
 * place the names are spelled, for the reader's own lookups and for anything that writes a V2 file.
 */
export const V2_COLUMNS = [
  'settlement-id',
  'settlement-start-date',
  'settlement-end-date',
  'deposit-date',
  'total-amount',
  'currency',
  'transaction-type',
  'order-id',
  'merchant-order-id',
  'adjustment-id',
  'shipment-id',
  'marketplace-name',
  'amount-type',
  'amount-description',
  'amount',
  'fulfillment-id',
  'posted-date',
  'posted-date-time',
  'order-item-code',
  'merchant-order-item-id',
  'merchant-adjustment-item-id',
  'sku',
  'quantity-purchased',
] as const;

export type V2Column = (typeof V2_COLUMNS)[number];

/** Columns every settlement file must have, legacy included (legacy files share these V2 names). */
const SUMMARY_COLUMNS: readonly V2Column[] = [
  'settlement-id',
  'settlement-start-date',
  'settlement-end-date',
  'deposit-date',
  'total-amount',
  'currency',
  'transaction-type',
];

/**
 * The legacy file spreads money over nine columns. Each non-empty cell becomes one normalized row; the
 * amount-type names follow V2 (ItemPrice, ItemFees, Promotion, other-transaction) where V2 has the concept.
 */
const LEGACY_AMOUNTS: ReadonlyArray<{ column: string; amountType: string; description: string }> = [
  { column: 'shipment-fee-amount', amountType: 'ShipmentFees', description: 'shipment-fee-type' },
  { column: 'order-fee-amount', amountType: 'OrderFees', description: 'order-fee-type' },
  { column: 'price-amount', amountType: 'ItemPrice', description: 'price-type' },
  { column: 'item-related-fee-amount', amountType: 'ItemFees', description: 'item-related-fee-type' },
  { column: 'misc-fee-amount', amountType: 'MiscFees', description: '=MiscFee' },
  { column: 'other-fee-amount', amountType: 'OtherFees', description: 'other-fee-reason-description' },
  { column: 'promotion-amount', amountType: 'Promotion', description: 'promotion-type' },
  { column: 'direct-payment-amount', amountType: 'DirectPayment', description: 'direct-payment-type' },
  { column: 'other-amount', amountType: 'other-transaction', description: 'transaction-type' },
];

export function readLayout(headerLine: string, file: string): Layout {
  const names = headerLine.split('\t').map((name) => name.trim());
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (name === '') return;
    if (index.has(name)) {
      throw new SettlementParseError(
        file,
        1,
        name,
        `column appears twice in the header (columns ${index.get(name)! + 1} and ${i + 1})`,
      );
    }
    index.set(name, i);
  });
  const isV2 = index.has('amount-type') || index.has('amount-description') || index.has('amount');
  const isLegacy = LEGACY_AMOUNTS.some((c) => index.has(c.column));
  if (isV2 === isLegacy) {
    const why = isV2
      ? 'has both V2 (amount) and legacy (price-amount, …) amount columns'
      : 'has no amount column';
    throw new SettlementParseError(file, 1, 'header', `not a settlement flat file header: it ${why}`);
  }
  /** Legacy amount columns are not V2 names, so this takes any string; the V2 names go through `column`. */
  const required = (name: string): number => {
    const i = index.get(name);
    if (i === undefined) {
      throw new SettlementParseError(file, 1, name, 'required column is missing from the header');
    }
    return i;
  };
  const column = (name: V2Column): number => required(name);
  const optional = (name: V2Column): number => index.get(name) ?? -1;
  for (const name of SUMMARY_COLUMNS) column(name);

  const postedDate = optional('posted-date');
  const postedDateTime = optional('posted-date-time');
  if (postedDate === -1 && postedDateTime === -1) column(isV2 ? 'posted-date-time' : 'posted-date');

  const legacyAmounts: LegacyAmountColumn[] = isV2
    ? []
    : LEGACY_AMOUNTS.map((c) => ({
        column: c.column,
        index: required(c.column),
        amountType: c.amountType,
        descriptionIndex: c.description.startsWith('=') ? -1 : required(c.description),
        fixedDescription: c.description.startsWith('=') ? c.description.slice(1) : '',
      }));

  return {
    format: isV2 ? 'flat-file-v2' : 'flat-file-legacy',
    width: names.length,
    names,
    settlementId: column('settlement-id'),
    startDate: column('settlement-start-date'),
    endDate: column('settlement-end-date'),
    depositDate: column('deposit-date'),
    totalAmount: column('total-amount'),
    currency: column('currency'),
    transactionType: column('transaction-type'),
    orderId: optional('order-id'),
    merchantOrderId: optional('merchant-order-id'),
    adjustmentId: optional('adjustment-id'),
    shipmentId: optional('shipment-id'),
    marketplace: optional('marketplace-name'),
    fulfillmentId: optional('fulfillment-id'),
    postedDate,
    postedDateTime,
    sku: optional('sku'),
    quantity: optional('quantity-purchased'),
    amountType: isV2 ? column('amount-type') : -1,
    amountDescription: isV2 ? column('amount-description') : -1,
    amount: isV2 ? column('amount') : -1,
    legacyAmounts,
  };
}
