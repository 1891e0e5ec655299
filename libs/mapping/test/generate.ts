/**
 * A small generator of settlements (summary + rows) for the property tests: random mixes of the known
 * Amazon combinations plus unknown ones, currencies with 0 and 2 decimals, settlements spanning one to
 * three fiscal periods, negative totals, rows without a posted date, several marketplaces.
 */

import fc from 'fast-check';
import type { SettlementRowInput, SettlementSummaryInput } from '../src/index.js';

/** Combinations the default rules map (V2 shapes and legacy-normalized shapes). */
export const KNOWN_COMBOS: ReadonlyArray<readonly [string, string, string]> = [
  ['Order', 'ItemPrice', 'Principal'],
  ['Order', 'ItemPrice', 'Shipping'],
  ['Order', 'ItemPrice', 'Tax'],
  ['Order', 'ItemPrice', 'ShippingTax'],
  ['Order', 'ItemWithheldTax', 'MarketplaceFacilitatorTax-Principal'],
  ['Order', 'Promotion', 'Principal'],
  ['Order', 'Promotion', 'Shipping'],
  ['Order', 'ItemFees', 'Commission'],
  ['Order', 'ItemFees', 'FBAPerUnitFulfillmentFee'],
  ['Order', 'ItemFees', 'ShippingChargeback'],
  ['Order', 'ItemFees', 'DigitalServicesFee'],
  ['Refund', 'ItemPrice', 'Principal'],
  ['Refund', 'ItemPrice', 'Shipping'],
  ['Refund', 'Promotion', 'Shipping'],
  ['Refund', 'ItemFees', 'Commission'],
  ['Refund', 'ItemFees', 'RefundCommission'],
  ['Chargeback Refund', 'ItemPrice', 'Principal'],
  ['A-to-z Guarantee Refund', 'ItemPrice', 'Principal'],
  ['SAFE-T Reimbursement', 'other-transaction', 'SAFE-T Reimbursement'],
  ['FBA Inventory Reimbursement', 'FBA Inventory Reimbursement', 'WAREHOUSE_DAMAGE'],
  ['other-transaction', 'other-transaction', 'REVERSAL_REIMBURSEMENT'],
  ['other-transaction', 'other-transaction', 'Storage Fee'],
  ['Storage Fee', 'other-transaction', 'Storage Fee'],
  ['other-transaction', 'other-transaction', 'Previous Reserve Amount Balance'],
  ['other-transaction', 'other-transaction', 'Current Reserve Amount'],
  ['other-transaction', 'other-transaction', 'Subscription Fee'],
  ['ServiceFee', 'Cost of Advertising', 'TransactionTotalAmount'],
  ['ServiceFee', 'ItemFees', 'Cost of Advertising'],
  ['ServiceFee', 'OtherFees', 'TaxAmount'],
  ['Payable to Amazon', 'other-transaction', 'Payable to Amazon'],
  ['Successful charge', 'other-transaction', 'Successful charge'],
  ['Order', 'ShipmentFees', 'FBA transportation fee'],
  ['Micro Deposit', 'other-transaction', 'Micro Deposit'],
];

/** Combinations no default rule maps. */
export const UNKNOWN_COMBOS: ReadonlyArray<readonly [string, string, string]> = [
  ['other-transaction', 'other-transaction', 'Brand New Fee'],
  ['Mystery', 'Thing', 'Stuff'],
];

export const CURRENCIES = ['USD', 'EUR', 'JPY', 'CAD'] as const;
const MARKETPLACES = ['Amazon.com', 'Amazon.ca', 'Amazon.de', 'Non-Amazon CA', null] as const;
const DAY = 86_400_000;

export interface GeneratedSettlement {
  summary: SettlementSummaryInput;
  rows: SettlementRowInput[];
  unknownCount: number;
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', '+00:00');
}

export function settlementArbitrary(
  options: { unknownShare?: number; maxRows?: number } = {},
): fc.Arbitrary<GeneratedSettlement> {
  const maxRows = options.maxRows ?? 60;
  const unknownWeight = options.unknownShare === 0 ? 0 : 1;
  const comboArb = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...KNOWN_COMBOS) },
    { weight: unknownWeight, arbitrary: fc.constantFrom(...UNKNOWN_COMBOS) },
  );
  return fc
    .record({
      settlementId: fc.bigInt({ min: 10_000_000_000n, max: 99_999_999_999n }).map(String),
      currency: fc.constantFrom(...CURRENCIES),
      // 2024-01-01 … 2026-12-31
      startMs: fc
        .integer({ min: Date.UTC(2024, 0, 1) / 1000, max: Date.UTC(2026, 11, 31) / 1000 })
        .map((s) => s * 1000),
      days: fc.constantFrom(14, 14, 14, 45, 1),
      rows: fc.array(
        fc.record({
          combo: comboArb,
          amount: fc.oneof(fc.bigInt({ min: -50_000n, max: 50_000n }), fc.constant(0n)),
          offset: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { freq: 8 }),
          marketplace: fc.constantFrom(...MARKETPLACES),
          gap: fc.constantFrom(1, 1, 1, 2, 5),
        }),
        { maxLength: maxRows },
      ),
    })
    .map(({ settlementId, currency, startMs, days, rows }) => {
      const endMs = startMs + days * DAY;
      let rowNumber = 2;
      let unknownCount = 0;
      const out: SettlementRowInput[] = rows.map((r) => {
        rowNumber += r.gap;
        if (UNKNOWN_COMBOS.includes(r.combo)) unknownCount++;
        return {
          rowNumber,
          transactionType: r.combo[0],
          amountType: r.combo[1],
          amountDescription: r.combo[2],
          amount: r.amount,
          postedAt:
            r.offset === null
              ? null
              : iso(startMs + Math.floor((r.offset * (endMs - startMs)) / 1000) * 1000),
          marketplace: r.marketplace,
        };
      });
      const total = out.reduce((sum, row) => sum + row.amount, 0n);
      return {
        summary: {
          settlementId,
          startDate: iso(startMs),
          endDate: iso(endMs),
          depositDate: iso(endMs + 2 * DAY),
          totalAmount: total,
          currency,
        },
        rows: out,
        unknownCount,
      };
    });
}

/** A deterministic Fisher–Yates shuffle from a seed. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
