/**
 * A generator of realistic Amazon settlement reports (GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2).
 *
 * Output is the 23-column tab-separated V2 flat file: a header, the summary row (first six columns
 * only), then one row per amount. The vocabulary is the one in shared/reference/amazon-sp-api.md §1.7:
 * Order / ItemPrice (Principal, Shipping, Tax), ItemWithheldTax (MarketplaceFacilitatorTax-Principal),
 * Promotion, ItemFees (Commission, FBAPerUnitFulfillmentFee, ShippingChargeback); Refund and
 * Chargeback Refund with RefundCommission; other-transaction rows for Storage Fee, Subscription Fee,
 * reserves, SAFE-T and FBA Inventory Reimbursement; and the carry of a negative settlement
 * (Payable to Amazon + Successful charge) paid in the next one.
 * Only the Order/Refund ItemPrice and ItemFees lines are confirmed by a real V2 file; the other-transaction,
 * reserve, SAFE-T, chargeback and withheld-tax spellings come from third-party parsers (§1.7 B), and the
 * V2 form of the legacy Payable to Amazon / Successful charge lines is our assumption.
 *
 * Formats per marketplace: US and CA use "." decimals and Amazon's V2 dates (`MM/DD/YY` posted-date,
 * `YYYY-MM-DD HH:MM:SS UTC` posted-date-time and summary dates, per the V2 changelog); DE uses ","
 * decimals and `DD.MM.YYYY` / `DD.MM.YYYY HH:MM:SS UTC` as in a real 2018 Amazon.de V2 file.
 *
 * Deterministic from a seed, and streaming: rows are produced twice from the same seed — a first pass
 * sums them (bigint) so the summary row, which comes first, carries the exact total; the second pass
 * writes them. Memory stays flat for a million rows.
 */
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { formatMinor } from '@mlc/money';

/**
 * Amazon's V2 columns, in order. The connector's parser has its own list (@mlc/settlement
 * V2_COLUMNS); this one is kept apart on purpose, like the rest of the simulator, so a mistake in
 * one is caught by the other rather than shared (see flat-file.ts).
 */
export const SETTLEMENT_V2_HEADERS = [
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

export type GeneratorMarketplace = 'US' | 'CA' | 'DE';

export interface SettlementGeneratorOptions {
  /** Same seed and options → byte-identical file. */
  seed: number | string;
  marketplace: GeneratorMarketplace;
  /** Data rows wanted (after header and summary); the last event may run a few rows over. Default 200. */
  rows?: number;
  /** Default: an 11-digit id derived from the seed. */
  settlementId?: string;
  /** ISO instant the settlement opens. Default: derived from the seed (within 2025). */
  start?: string;
  /** Length of the settlement window in days (Amazon's cycle is 14). */
  days?: number;
  /** Place the window across a month end (when `start` is not given). */
  spanMonthEnd?: boolean;
  /** Make the total negative: nothing is deposited and the next settlement carries the debt. */
  negative?: boolean;
  /** The previous settlement's negative total (minor units, < 0), charged in this one. */
  carryOver?: bigint;
  /** Reserve held by the previous settlement (minor units, > 0), released in this one. */
  previousReserve?: bigint;
  /** Hold back a reserve (Current Reserve Amount) when the total is positive. */
  holdReserve?: boolean;
}

export interface GeneratedSettlementSummary {
  settlementId: string;
  marketplace: GeneratorMarketplace;
  marketplaceId: string;
  marketplaceName: string;
  currency: string;
  /** ISO instants (UTC). */
  startDate: string;
  endDate: string;
  depositDate: string;
  totalAmount: bigint;
  /** Data rows written (not counting header and summary). */
  rows: number;
  /** The Current Reserve Amount held (positive), 0n when none; feed to the next settlement. */
  reserveHeld: bigint;
}

interface MarketplaceProfile {
  marketplaceId: string;
  name: string;
  currency: string;
  decimal: '.' | ',';
  dates: 'v2-us' | 'de';
  orderPrefixes: string[];
  /** Sales tax rates in basis points; empty where prices include VAT. */
  taxRates: number[];
  subscriptionFee: bigint;
  mfnShare: number;
}

const PROFILES: Record<GeneratorMarketplace, MarketplaceProfile> = {
  US: {
    marketplaceId: 'ATVPDKIKX0DER',
    name: 'Amazon.com',
    currency: 'USD',
    decimal: '.',
    dates: 'v2-us',
    orderPrefixes: ['111', '112', '113', '114'],
    taxRates: [600, 625, 700, 725, 825, 887, 950],
    subscriptionFee: 3999n,
    mfnShare: 0.05,
  },
  CA: {
    marketplaceId: 'A2EUQ1WTGCTBG2',
    name: 'Amazon.ca',
    currency: 'CAD',
    decimal: '.',
    dates: 'v2-us',
    orderPrefixes: ['701', '702'],
    taxRates: [500, 1300, 1500],
    subscriptionFee: 2999n,
    mfnShare: 0.05,
  },
  DE: {
    marketplaceId: 'A1PA6795UKMFR9',
    name: 'Amazon.de',
    currency: 'EUR',
    decimal: ',',
    dates: 'de',
    orderPrefixes: ['302', '303', '304', '305', '306'],
    taxRates: [],
    subscriptionFee: 3900n,
    mfnShare: 0.15,
  },
};

/** One amount line before formatting; `posted` is epoch ms. */
interface Row {
  transactionType: string;
  orderId: string;
  merchantOrderId: string;
  adjustmentId: string;
  shipmentId: string;
  marketplaceName: string;
  amountType: string;
  amountDescription: string;
  amount: bigint;
  fulfillmentId: string;
  posted: number;
  orderItemCode: string;
  merchantOrderItemId: string;
  merchantAdjustmentItemId: string;
  sku: string;
  quantity: string;
}

interface Plan {
  options: SettlementGeneratorOptions;
  profile: MarketplaceProfile;
  settlementId: string;
  start: number;
  end: number;
  deposit: number;
  rows: number;
  seed: number;
}

/** The settlement's lines (no line terminators): header, summary, data rows. */
export function* settlementLines(
  options: SettlementGeneratorOptions,
  done?: (summary: GeneratedSettlementSummary) => void,
): Generator<string, void, undefined> {
  const plan = makePlan(options);
  const { total, closing, reserveHeld, count } = firstPass(plan);
  const profile = plan.profile;
  const summary: GeneratedSettlementSummary = {
    settlementId: plan.settlementId,
    marketplace: options.marketplace,
    marketplaceId: profile.marketplaceId,
    marketplaceName: profile.name,
    currency: profile.currency,
    startDate: iso(plan.start),
    endDate: iso(plan.end),
    depositDate: iso(plan.deposit),
    totalAmount: total,
    rows: count,
    reserveHeld,
  };
  yield SETTLEMENT_V2_HEADERS.join('\t');
  const summaryFields = [
    plan.settlementId,
    formatInstant(plan.start, profile),
    formatInstant(plan.end, profile),
    formatInstant(plan.deposit, profile),
    formatAmount(total, profile),
    profile.currency,
  ];
  yield [...summaryFields, ...new Array(SETTLEMENT_V2_HEADERS.length - summaryFields.length).fill('')].join(
    '\t',
  );
  for (const row of coreRows(plan)) yield formatRow(plan, row);
  for (const row of closing) yield formatRow(plan, row);
  done?.(summary);
}

/** The whole file in memory (small settlements: tests, seeding). */
export function generateSettlementFile(options: SettlementGeneratorOptions): {
  text: string;
  summary: GeneratedSettlementSummary;
} {
  let summary: GeneratedSettlementSummary | undefined;
  const lines = [...settlementLines(options, (s) => (summary = s))];
  return { text: `${lines.join('\n')}\n`, summary: summary! };
}

/** Streams the file to `out` (optionally gzipped), respecting backpressure; ends `out`. */
export async function writeSettlementFile(
  out: Writable,
  options: SettlementGeneratorOptions & { gzip?: boolean },
): Promise<GeneratedSettlementSummary> {
  let summary: GeneratedSettlementSummary | undefined;
  function* chunks(): Generator<string> {
    let batch: string[] = [];
    for (const line of settlementLines(options, (s) => (summary = s))) {
      batch.push(line);
      if (batch.length === 2000) {
        yield `${batch.join('\n')}\n`;
        batch = [];
      }
    }
    if (batch.length > 0) yield `${batch.join('\n')}\n`;
  }
  const source = Readable.from(chunks());
  if (options.gzip) await pipeline(source, createGzip(), out);
  else await pipeline(source, out);
  return summary!;
}

/**
 * Back-to-back settlements: each opens where the previous closed, carries a negative total into the
 * next (Payable to Amazon / Successful charge) and releases the previous reserve.
 */
export function generateSettlementSeries(
  options: SettlementGeneratorOptions,
  count: number,
  negativeAt: ReadonlySet<number> = new Set(),
): Array<{ text: string; summary: GeneratedSettlementSummary }> {
  const out: Array<{ text: string; summary: GeneratedSettlementSummary }> = [];
  let start = options.start;
  let carryOver: bigint | undefined;
  let previousReserve: bigint | undefined;
  for (let index = 0; index < count; index++) {
    const file = generateSettlementFile({
      ...options,
      seed: `${options.seed}/${index}`,
      settlementId: options.settlementId ? String(BigInt(options.settlementId) + BigInt(index)) : undefined,
      start,
      negative: negativeAt.has(index),
      carryOver,
      previousReserve,
    });
    out.push(file);
    start = file.summary.endDate;
    carryOver = file.summary.totalAmount < 0n ? file.summary.totalAmount : undefined;
    previousReserve = file.summary.reserveHeld > 0n ? file.summary.reserveHeld : undefined;
  }
  return out;
}

// ---- planning and the two passes ----

const DAY = 86_400_000;

function makePlan(options: SettlementGeneratorOptions): Plan {
  const profile = PROFILES[options.marketplace];
  if (!profile) throw new RangeError(`unknown marketplace "${options.marketplace}" (US, CA or DE)`);
  const seed = hashSeed(`${options.seed}|${options.marketplace}`);
  const rng = new Rng(seed ^ 0x5bd1e995);
  const days = options.days ?? 14;
  let start: number;
  if (options.start) {
    start = Date.parse(options.start);
    if (Number.isNaN(start)) throw new RangeError(`start "${options.start}" is not an ISO instant`);
  } else {
    const month = rng.int(0, 11);
    const monthDays = new Date(Date.UTC(2025, month + 1, 0)).getUTCDate();
    const day = options.spanMonthEnd ? monthDays - rng.int(2, Math.min(days - 2, 10)) : rng.int(1, 28 - days);
    start = Date.UTC(2025, month, day, rng.int(0, 23), rng.int(0, 59), rng.int(0, 59));
  }
  const end = start + days * DAY;
  const settlementId = options.settlementId ?? `${rng.int(1, 2)}${rng.digits(10)}`;
  return {
    options,
    profile,
    settlementId,
    start,
    end,
    deposit: end + 2 * DAY,
    rows: options.rows ?? 200,
    seed,
  };
}

function firstPass(plan: Plan): { total: bigint; closing: Row[]; reserveHeld: bigint; count: number } {
  let total = 0n;
  let count = 0;
  for (const row of coreRows(plan)) {
    total += row.amount;
    count++;
  }
  const closing: Row[] = [];
  const rng = new Rng(plan.seed ^ 0x1b873593);
  if (plan.options.negative && total >= 0n) {
    const unit = 100n;
    const shortfall = total + BigInt(rng.int(5, 400)) * unit + BigInt(rng.int(0, 99));
    closing.push(
      other(plan, 'other-transaction', 'Storage Fee', -shortfall, plan.end - rng.int(1, 20) * 3_600_000),
    );
  }
  let reserveHeld = 0n;
  const closingTotal = closing.reduce((sum, row) => sum + row.amount, 0n);
  if (plan.options.holdReserve && total + closingTotal > 0n) {
    reserveHeld = ((total + closingTotal) * BigInt(rng.int(5, 25))) / 100n;
    closing.push(other(plan, 'other-transaction', 'Current Reserve Amount', -reserveHeld, plan.end));
  }
  for (const row of closing) total += row.amount;
  return { total, closing, reserveHeld, count: count + closing.length };
}

interface Sku {
  sku: string;
  price: bigint;
  fbaFee: bigint;
}

/** Every row but the closing ones, in posting order; the same sequence on each call for a plan. */
function* coreRows(plan: Plan): Generator<Row, void, undefined> {
  const rng = new Rng(plan.seed);
  const { profile, options, start, end } = plan;
  const catalogue = makeCatalogue(rng, options.marketplace);
  let emitted = 0;
  const span = end - start;
  const at = () =>
    Math.min(end - 1000, start + Math.floor((span * emitted) / plan.rows) + rng.int(0, 600_000));

  if (options.carryOver !== undefined && options.carryOver < 0n) {
    yield other(plan, 'other-transaction', 'Payable to Amazon', options.carryOver, start);
    yield other(
      plan,
      'other-transaction',
      'Successful charge',
      -options.carryOver,
      start + rng.int(600, 7200) * 1000,
    );
    emitted += 2;
  }
  if (options.previousReserve !== undefined && options.previousReserve > 0n) {
    yield other(plan, 'other-transaction', 'Previous Reserve Amount Balance', options.previousReserve, start);
    emitted += 1;
  }
  const subscriptionAt = Math.floor(plan.rows * rng.next());
  const storageAt = Math.floor(plan.rows * rng.next());
  let subscriptionDone = false;
  let storageDone = false;
  while (emitted < plan.rows) {
    if (!subscriptionDone && emitted >= subscriptionAt) {
      subscriptionDone = true;
      emitted++;
      yield other(plan, 'other-transaction', 'Subscription Fee', -profile.subscriptionFee, at());
      continue;
    }
    if (!storageDone && emitted >= storageAt) {
      storageDone = true;
      emitted++;
      const storage = -BigInt(rng.int(150, 600) + Math.floor(plan.rows * rng.next() * 2));
      yield other(plan, 'other-transaction', 'Storage Fee', storage, at());
      continue;
    }
    const dice = rng.next();
    const rows =
      dice < 0.9
        ? orderRows(plan, rng, catalogue, at())
        : dice < 0.965
          ? refundRows(plan, rng, catalogue, at(), 'Refund')
          : dice < 0.97
            ? refundRows(plan, rng, catalogue, at(), 'Chargeback Refund')
            : dice < 0.99
              ? [reimbursement(plan, rng, catalogue, at())]
              : [safeT(plan, rng, at())];
    emitted += rows.length;
    yield* rows;
  }
}

function makeCatalogue(rng: Rng, marketplace: GeneratorMarketplace): Sku[] {
  const prices = [999, 1299, 1499, 1999, 2499, 2999, 3499, 3999, 4999, 5999, 7999, 8999];
  const fees = [322, 388, 475, 545, 612, 695, 825, 868];
  const families = ['SALT', 'XMO', 'VPN', 'EDF', 'KTL', 'BRW'];
  const colours = ['BLK', 'WHT', 'RED', 'BLU', 'GRN', 'ALLT', 'FRUT', 'MELN'];
  const size = rng.int(8, 24);
  const catalogue: Sku[] = [];
  for (let i = 0; i < size; i++) {
    const price = BigInt(rng.pick(prices));
    catalogue.push({
      sku: `${rng.pick(families)}${rng.int(10, 99)}-${marketplace}${i}-${rng.pick(colours)}`,
      price,
      fbaFee: BigInt(rng.pick(fees)),
    });
  }
  return catalogue;
}

/** Referral fee: 15 % of the item and its shipping, rounded half up to the minor unit. */
function commissionOf(base: bigint): bigint {
  return (base * 15n + 50n) / 100n;
}

function percentOf(amount: bigint, basisPoints: number): bigint {
  return (amount * BigInt(basisPoints) + 5_000n) / 10_000n;
}

function orderRows(plan: Plan, rng: Rng, catalogue: Sku[], posted: number): Row[] {
  const { profile } = plan;
  const orderId = orderIdFor(rng, profile);
  const mfn = rng.next() < profile.mfnShare;
  const shipmentId = rng.alnum(9);
  const taxRate = profile.taxRates.length > 0 ? rng.pick(profile.taxRates) : 0;
  const items = rng.next() < 0.15 ? 2 : 1;
  const rows: Row[] = [];
  for (let i = 0; i < items; i++) {
    const item = rng.pick(catalogue);
    const quantity = rng.next() < 0.9 ? 1 : rng.int(2, 3);
    const principal = item.price * BigInt(quantity);
    const shipping = rng.next() < 0.3 ? BigInt(rng.pick([399, 499, 699, 899])) : 0n;
    const base: Row = {
      transactionType: 'Order',
      orderId,
      merchantOrderId: orderId,
      adjustmentId: '',
      shipmentId,
      marketplaceName: profile.name,
      amountType: '',
      amountDescription: '',
      amount: 0n,
      fulfillmentId: mfn ? 'MFN' : 'AFN',
      posted,
      orderItemCode: rng.digits(14),
      merchantOrderItemId: '',
      merchantAdjustmentItemId: '',
      sku: item.sku,
      quantity: String(quantity),
    };
    const line = (amountType: string, amountDescription: string, amount: bigint) =>
      rows.push({ ...base, amountType, amountDescription, amount });
    line('ItemPrice', 'Principal', principal);
    if (shipping > 0n) line('ItemPrice', 'Shipping', shipping);
    if (taxRate > 0) {
      const tax = percentOf(principal + shipping, taxRate);
      line('ItemPrice', 'Tax', tax);
      line('ItemWithheldTax', 'MarketplaceFacilitatorTax-Principal', -tax);
    }
    if (shipping > 0n && rng.next() < 0.4) line('Promotion', 'Shipping', -shipping);
    line('ItemFees', 'Commission', -commissionOf(principal + shipping));
    if (!mfn) line('ItemFees', 'FBAPerUnitFulfillmentFee', -item.fbaFee * BigInt(quantity));
    if (!mfn && shipping > 0n && rng.next() < 0.2) line('ItemFees', 'ShippingChargeback', -shipping);
  }
  return rows;
}

function refundRows(
  plan: Plan,
  rng: Rng,
  catalogue: Sku[],
  posted: number,
  transactionType: 'Refund' | 'Chargeback Refund',
): Row[] {
  const { profile } = plan;
  const orderId = orderIdFor(rng, profile);
  const item = rng.pick(catalogue);
  const principal = item.price;
  const shipping = rng.next() < 0.2 ? BigInt(rng.pick([399, 499, 699])) : 0n;
  const taxRate = profile.taxRates.length > 0 ? rng.pick(profile.taxRates) : 0;
  const commission = commissionOf(principal + shipping);
  const refundCommission = min(percentOf(commission, 2000), 500n);
  const base: Row = {
    transactionType,
    orderId,
    merchantOrderId: orderId,
    adjustmentId: `amzn1:crow:${rng.base64(22)}`,
    shipmentId: '',
    marketplaceName: profile.name,
    amountType: '',
    amountDescription: '',
    amount: 0n,
    fulfillmentId: rng.next() < profile.mfnShare ? 'MFN' : 'AFN',
    posted,
    orderItemCode: rng.digits(14),
    merchantOrderItemId: '',
    merchantAdjustmentItemId: rng.digits(19),
    sku: item.sku,
    quantity: '',
  };
  const rows: Row[] = [];
  const line = (amountType: string, amountDescription: string, amount: bigint) =>
    rows.push({ ...base, amountType, amountDescription, amount });
  line('ItemPrice', 'Principal', -principal);
  if (shipping > 0n) line('ItemPrice', 'Shipping', -shipping);
  if (taxRate > 0) {
    const tax = percentOf(principal + shipping, taxRate);
    line('ItemPrice', 'Tax', -tax);
    line('ItemWithheldTax', 'MarketplaceFacilitatorTax-Principal', tax);
  }
  line('ItemFees', 'Commission', commission);
  line('ItemFees', 'RefundCommission', -refundCommission);
  return rows;
}

function reimbursement(plan: Plan, rng: Rng, catalogue: Sku[], posted: number): Row {
  const item = rng.pick(catalogue);
  const quantity = rng.int(1, 3);
  const reversal = rng.next() < 0.4;
  const orderId = reversal ? orderIdFor(rng, plan.profile) : '';
  return {
    ...other(
      plan,
      'FBA Inventory Reimbursement',
      reversal ? 'REVERSAL_REIMBURSEMENT' : 'WAREHOUSE_DAMAGE',
      (item.price * BigInt(quantity) * 7n) / 10n,
      posted,
    ),
    orderId,
    merchantOrderId: orderId,
    adjustmentId: reversal ? `amzn1:crow:${rng.base64(22)}` : '',
    sku: item.sku,
    quantity: String(quantity),
  };
}

function safeT(plan: Plan, rng: Rng, posted: number): Row {
  const orderId = orderIdFor(rng, plan.profile);
  return {
    ...other(plan, 'other-transaction', 'SAFE-T Reimbursement', BigInt(rng.int(500, 9000)), posted),
    orderId,
    merchantOrderId: orderId,
  };
}

/** A row that belongs to no order: transaction-type other-transaction. */
function other(
  plan: Plan,
  amountType: string,
  amountDescription: string,
  amount: bigint,
  posted: number,
): Row {
  return {
    transactionType: 'other-transaction',
    orderId: '',
    merchantOrderId: '',
    adjustmentId: '',
    shipmentId: '',
    marketplaceName: amountType === 'FBA Inventory Reimbursement' ? plan.profile.name : '',
    amountType,
    amountDescription,
    amount,
    fulfillmentId: '',
    posted,
    orderItemCode: '',
    merchantOrderItemId: '',
    merchantAdjustmentItemId: '',
    sku: '',
    quantity: '',
  };
}

function orderIdFor(rng: Rng, profile: MarketplaceProfile): string {
  return `${rng.pick(profile.orderPrefixes)}-${rng.digits(7)}-${rng.digits(7)}`;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

// ---- formatting ----

function formatRow(plan: Plan, row: Row): string {
  const { profile } = plan;
  return [
    plan.settlementId,
    '',
    '',
    '',
    '',
    '',
    row.transactionType,
    row.orderId,
    row.merchantOrderId,
    row.adjustmentId,
    row.shipmentId,
    row.marketplaceName,
    row.amountType,
    row.amountDescription,
    formatAmount(row.amount, profile),
    row.fulfillmentId,
    formatDate(row.posted, profile),
    formatInstant(row.posted, profile),
    row.orderItemCode,
    row.merchantOrderItemId,
    row.merchantAdjustmentItemId,
    row.sku,
    row.quantity,
  ].join('\t');
}

function formatAmount(minor: bigint, profile: MarketplaceProfile): string {
  const text = formatMinor(minor, profile.currency);
  return profile.decimal === ',' ? text.replace('.', ',') : text;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function formatDate(ms: number, profile: MarketplaceProfile): string {
  const d = new Date(ms);
  if (profile.dates === 'de') {
    return `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.${d.getUTCFullYear()}`;
  }
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${pad(d.getUTCFullYear() % 100)}`;
}

function formatInstant(ms: number, profile: MarketplaceProfile): string {
  const d = new Date(ms);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} UTC`;
  if (profile.dates === 'de') return `${formatDate(ms, profile)} ${time}`;
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${time}`;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

// ---- deterministic randomness ----

function hashSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const BASE64 = `${ALNUM}+/`;

/** mulberry32: small, fast and good enough for test data. */
class Rng {
  constructor(private state: number) {}

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  digits(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += String(Math.floor(this.next() * 10));
    return out;
  }

  alnum(count: number): string {
    let out = ALNUM[Math.floor(this.next() * 26)]!;
    for (let i = 1; i < count; i++) out += ALNUM[Math.floor(this.next() * ALNUM.length)]!;
    return out;
  }

  base64(count: number): string {
    let out = '';
    for (let i = 0; i < count; i++) out += BASE64[Math.floor(this.next() * BASE64.length)]!;
    return out;
  }
}
