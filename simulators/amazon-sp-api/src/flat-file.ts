/**
 * A lenient reader of settlement flat files, just enough for the simulator to turn a seeded file into
 * a report, a financial event group, financial events, transactions and orders.
 *
 * It is not the connector's parser (that is @mlc/settlement, deliberately not reused so the simulator
 * stays an independent oracle): it maps columns by header name, reads
 * Flat File V2 (one amount per row) and the legacy 36-column file (several amount columns per row,
 * each becoming its own row here), and accepts the date forms seen in real files. It never validates.
 */
import { type DecimalSeparator, parseDecimalToMinor } from '@mlc/money';

export interface SettlementSummary {
  settlementId: string;
  /** ISO instants ("…Z"), '' when unreadable. */
  startDate: string;
  endDate: string;
  depositDate: string;
  totalAmount: bigint;
  currency: string;
  format: 'flat-file-v2' | 'flat-file-legacy';
}

/** One amount; a legacy line with several amount columns becomes several rows. */
export interface SettlementRow {
  rowNumber: number;
  transactionType: string;
  amountType: string;
  amountDescription: string;
  amount: bigint;
  postedAt: string | null;
  orderId: string | null;
  adjustmentId: string | null;
  shipmentId: string | null;
  merchantOrderId: string | null;
  orderItemCode: string | null;
  merchantAdjustmentItemId: string | null;
  sku: string | null;
  quantity: number | null;
  marketplace: string | null;
  fulfillmentId: string | null;
}

export interface ReadSettlement {
  summary: SettlementSummary;
  rows: SettlementRow[];
}

/** Legacy columns that carry an amount, with the column holding its type and the V2 amount-type. */
const LEGACY_AMOUNTS: Array<{ amount: string; type?: string; amountType: string }> = [
  { amount: 'price-amount', type: 'price-type', amountType: 'ItemPrice' },
  { amount: 'item-related-fee-amount', type: 'item-related-fee-type', amountType: 'ItemFees' },
  { amount: 'shipment-fee-amount', type: 'shipment-fee-type', amountType: 'ShipmentFees' },
  { amount: 'order-fee-amount', type: 'order-fee-type', amountType: 'OrderFees' },
  { amount: 'promotion-amount', type: 'promotion-type', amountType: 'Promotion' },
  { amount: 'direct-payment-amount', type: 'direct-payment-type', amountType: 'DirectPayment' },
  { amount: 'other-fee-amount', type: 'other-fee-reason-description', amountType: 'OtherFees' },
  { amount: 'misc-fee-amount', amountType: 'MiscFees' },
  { amount: 'other-amount', amountType: 'other-transaction' },
];

export function readSettlementFlatFile(text: string): ReadSettlement {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length < 2) throw new Error('settlement file: expected a header and a summary row');
  const header = lines[0]!
    .replace(/^\uFEFF/, '')
    .split('\t')
    .map((h) => h.trim());
  const index = new Map(header.map((name, i) => [name, i]));
  const format: SettlementSummary['format'] = index.has('amount-type') ? 'flat-file-v2' : 'flat-file-legacy';
  const summaryFields = lines[1]!.split('\t');
  const field = (fields: string[], name: string) => {
    const i = index.get(name);
    return i === undefined ? '' : (fields[i] ?? '').trim();
  };
  const currency = field(summaryFields, 'currency');
  const totalText = field(summaryFields, 'total-amount');
  const decimalSeparator: DecimalSeparator = /,\d{1,2}$/.test(totalText) ? ',' : '.';
  const amount = (value: string) => parseDecimalToMinor(value, currency, { decimalSeparator });
  const summary: SettlementSummary = {
    settlementId: field(summaryFields, 'settlement-id'),
    startDate: toIso(field(summaryFields, 'settlement-start-date')) ?? '',
    endDate: toIso(field(summaryFields, 'settlement-end-date')) ?? '',
    depositDate: toIso(field(summaryFields, 'deposit-date')) ?? '',
    totalAmount: amount(totalText),
    currency,
    format,
  };

  const rows: SettlementRow[] = [];
  for (let n = 2; n < lines.length; n++) {
    const fields = lines[n]!.split('\t');
    const quantity = Number.parseInt(field(fields, 'quantity-purchased'), 10);
    const base: SettlementRow = {
      rowNumber: n + 1,
      transactionType: field(fields, 'transaction-type'),
      amountType: '',
      amountDescription: '',
      amount: 0n,
      postedAt: toIso(field(fields, 'posted-date-time') || field(fields, 'posted-date')),
      orderId: field(fields, 'order-id') || null,
      adjustmentId: field(fields, 'adjustment-id') || null,
      shipmentId: field(fields, 'shipment-id') || null,
      merchantOrderId: field(fields, 'merchant-order-id') || null,
      orderItemCode: field(fields, 'order-item-code') || null,
      merchantAdjustmentItemId: field(fields, 'merchant-adjustment-item-id') || null,
      sku: field(fields, 'sku') || null,
      quantity: Number.isNaN(quantity) ? null : quantity,
      marketplace: field(fields, 'marketplace-name') || null,
      fulfillmentId: field(fields, 'fulfillment-id') || null,
    };
    if (format === 'flat-file-v2') {
      rows.push({
        ...base,
        amountType: field(fields, 'amount-type'),
        amountDescription: field(fields, 'amount-description'),
        amount: amount(field(fields, 'amount') || '0'),
      });
      continue;
    }
    for (const column of LEGACY_AMOUNTS) {
      const value = field(fields, column.amount);
      if (value === '') continue;
      const description = (column.type ? field(fields, column.type) : '') || base.transactionType;
      rows.push({
        ...base,
        amountType: column.amountType,
        amountDescription: description,
        amount: amount(value),
      });
    }
  }
  return { summary, rows };
}

/** The date forms seen in settlement files, as an ISO instant ("…Z"), or null when unreadable. */
export function toIso(text: string): string | null {
  const value = text.trim();
  if (value === '') return null;
  let match = /^(\d{2})\.(\d{2})\.(\d{4})(?: (\d{2}):(\d{2}):(\d{2})(?: UTC)?)?$/.exec(value);
  if (match) return instant(match[3]!, match[2]!, match[1]!, match[4], match[5], match[6]);
  match = /^(\d{2})\/(\d{2})\/(\d{2}|\d{4})$/.exec(value);
  if (match) return instant(match[3]!.length === 2 ? `20${match[3]}` : match[3]!, match[1]!, match[2]!);
  match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?: UTC|Z)$/.exec(value);
  if (match) return instant(match[1]!, match[2]!, match[3]!, match[4], match[5], match[6]);
  const parsed = Date.parse(value);
  return Number.isNaN(parsed) ? null : new Date(parsed).toISOString().replace('.000Z', 'Z');
}

function instant(y: string, m: string, d: string, hh = '00', mm = '00', ss = '00'): string {
  return `${y}-${m}-${d}T${hh}:${mm}:${ss}Z`;
}
