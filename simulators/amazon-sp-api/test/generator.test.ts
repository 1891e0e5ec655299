import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { formatMinor, parseDecimalToMinor } from '@mlc/money';
import fc from 'fast-check';
import {
  type GeneratorMarketplace,
  generateSettlementFile,
  generateSettlementSeries,
  SETTLEMENT_V2_HEADERS,
  writeSettlementFile,
} from '../src/generator.js';

/** The reference's §1.7 vocabulary: transaction-type / amount-type / amount-description. */
const ALLOWED = new Set([
  'Order/ItemPrice/Principal',
  'Order/ItemPrice/Shipping',
  'Order/ItemPrice/Tax',
  'Order/ItemWithheldTax/MarketplaceFacilitatorTax-Principal',
  'Order/Promotion/Shipping',
  'Order/ItemFees/Commission',
  'Order/ItemFees/FBAPerUnitFulfillmentFee',
  'Order/ItemFees/ShippingChargeback',
  'Refund/ItemPrice/Principal',
  'Refund/ItemPrice/Shipping',
  'Refund/ItemPrice/Tax',
  'Refund/ItemWithheldTax/MarketplaceFacilitatorTax-Principal',
  'Refund/ItemFees/Commission',
  'Refund/ItemFees/RefundCommission',
  'Chargeback Refund/ItemPrice/Principal',
  'Chargeback Refund/ItemPrice/Shipping',
  'Chargeback Refund/ItemPrice/Tax',
  'Chargeback Refund/ItemWithheldTax/MarketplaceFacilitatorTax-Principal',
  'Chargeback Refund/ItemFees/Commission',
  'Chargeback Refund/ItemFees/RefundCommission',
  'other-transaction/other-transaction/Storage Fee',
  'other-transaction/other-transaction/Subscription Fee',
  'other-transaction/other-transaction/Current Reserve Amount',
  'other-transaction/other-transaction/Previous Reserve Amount Balance',
  'other-transaction/other-transaction/SAFE-T Reimbursement',
  'other-transaction/other-transaction/Payable to Amazon',
  'other-transaction/other-transaction/Successful charge',
  'other-transaction/FBA Inventory Reimbursement/WAREHOUSE_DAMAGE',
  'other-transaction/FBA Inventory Reimbursement/REVERSAL_REIMBURSEMENT',
]);

interface Parsed {
  header: string[];
  summary: string[];
  rows: string[][];
  total: bigint;
  sum: bigint;
}

function parse(text: string): Parsed {
  const lines = text
    .trimEnd()
    .split('\n')
    .map((line) => line.split('\t'));
  const [header, summary, ...rows] = lines;
  const currency = summary![5]!;
  const separator = currency === 'EUR' ? ',' : '.';
  const amount = (value: string) => parseDecimalToMinor(value, currency, { decimalSeparator: separator });
  return {
    header: header!,
    summary: summary!,
    rows,
    total: amount(summary![4]!),
    sum: rows.reduce((s, row) => s + amount(row[14]!), 0n),
  };
}

const column = (name: (typeof SETTLEMENT_V2_HEADERS)[number]) => SETTLEMENT_V2_HEADERS.indexOf(name);

describe('settlement generator', () => {
  it('writes Amazon’s 23 V2 headers, full-width rows and a summary row of six fields', () => {
    const { text } = generateSettlementFile({ seed: 1, marketplace: 'US', rows: 300 });
    const file = parse(text);
    assert.equal(
      file.header.join('\t'),
      'settlement-id\tsettlement-start-date\tsettlement-end-date\tdeposit-date\ttotal-amount\tcurrency\ttransaction-type\torder-id\tmerchant-order-id\tadjustment-id\tshipment-id\tmarketplace-name\tamount-type\tamount-description\tamount\tfulfillment-id\tposted-date\tposted-date-time\torder-item-code\tmerchant-order-item-id\tmerchant-adjustment-item-id\tsku\tquantity-purchased',
    );
    assert.ok(file.rows.length >= 300);
    for (const row of [file.summary, ...file.rows]) assert.equal(row.length, 23);
    assert.ok(file.summary.slice(6).every((f) => f === ''));
    assert.ok(file.rows.every((r) => r[0] === file.summary[0] && r.slice(1, 6).every((f) => f === '')));
    assert.ok(
      file.rows.every((r) => r[12] !== '' && r[13] !== '' && r[14] !== ''),
      'V2: amount columns never empty',
    );
  });

  it('uses only the reference’s transaction / amount combinations', () => {
    for (const marketplace of ['US', 'CA', 'DE'] as const) {
      const [first, second] = generateSettlementSeries(
        { seed: 5, marketplace, rows: 3000, holdReserve: true },
        2,
        new Set([0]),
      );
      for (const { text } of [first!, second!]) {
        for (const row of parse(text).rows) {
          const combination = `${row[6]}/${row[12]}/${row[13]}`;
          assert.ok(ALLOWED.has(combination), `unexpected ${combination}`);
        }
      }
    }
  });

  it('is deterministic from its seed', () => {
    const a = generateSettlementFile({ seed: 'same', marketplace: 'DE', rows: 500 }).text;
    const b = generateSettlementFile({ seed: 'same', marketplace: 'DE', rows: 500 }).text;
    const c = generateSettlementFile({ seed: 'other', marketplace: 'DE', rows: 500 }).text;
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it('keeps the summary total equal to the sum of the rows, for any seed and size', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom<GeneratorMarketplace>('US', 'CA', 'DE'),
        fc.integer({ min: 1, max: 400 }),
        fc.boolean(),
        fc.boolean(),
        (seed, marketplace, rows, negative, holdReserve) => {
          const { text, summary } = generateSettlementFile({
            seed,
            marketplace,
            rows,
            negative,
            holdReserve,
          });
          const file = parse(text);
          assert.equal(file.sum, file.total);
          assert.equal(summary.totalAmount, file.total);
          assert.equal(summary.rows, file.rows.length);
          if (negative) assert.ok(file.total < 0n);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('formats US and CA with dots and V2 US dates, DE with commas and DD.MM.YYYY', () => {
    const us = parse(generateSettlementFile({ seed: 2, marketplace: 'US', rows: 50 }).text);
    assert.equal(us.summary[5], 'USD');
    assert.match(us.summary[1]!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    assert.ok(us.rows.every((r) => /^-?\d+\.\d{2}$/.test(r[14]!) && /^\d{2}\/\d{2}\/\d{2}$/.test(r[16]!)));
    assert.ok(us.rows.some((r) => r[11] === 'Amazon.com'));

    const ca = parse(generateSettlementFile({ seed: 2, marketplace: 'CA', rows: 50 }).text);
    assert.equal(ca.summary[5], 'CAD');
    assert.ok(ca.rows.some((r) => r[11] === 'Amazon.ca'));

    const de = parse(generateSettlementFile({ seed: 2, marketplace: 'DE', rows: 50 }).text);
    assert.equal(de.summary[5], 'EUR');
    assert.match(de.summary[1]!, /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2} UTC$/);
    assert.match(de.summary[4]!, /^-?\d+,\d{2}$/);
    assert.ok(de.rows.every((r) => /^-?\d+,\d{2}$/.test(r[14]!) && /^\d{2}\.\d{2}\.\d{4}$/.test(r[16]!)));
    assert.ok(de.rows.every((r) => /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2} UTC$/.test(r[17]!)));
    assert.ok(de.rows.some((r) => r[11] === 'Amazon.de'));
  });

  it('pays a negative settlement in the next one and releases the previous reserve', () => {
    const series = generateSettlementSeries(
      { seed: 9, marketplace: 'CA', rows: 200, holdReserve: true },
      3,
      new Set([1]),
    );
    const [first, second, third] = series.map((s) => ({ ...s, file: parse(s.text) }));
    const find = (rows: string[][], description: string) => rows.filter((r) => r[13] === description);
    assert.ok(first!.summary.reserveHeld > 0n);
    assert.ok(second!.summary.totalAmount < 0n);
    assert.equal(second!.summary.startDate, first!.summary.endDate, 'back to back');
    assert.equal(
      find(second!.file.rows, 'Previous Reserve Amount Balance')[0]?.[14],
      formatMinor(first!.summary.reserveHeld, 'CAD'),
    );
    const payable = find(third!.file.rows, 'Payable to Amazon');
    const charge = find(third!.file.rows, 'Successful charge');
    assert.equal(payable.length, 1);
    assert.equal(parseDecimalToMinor(payable[0]![14]!, 'CAD'), second!.summary.totalAmount);
    assert.equal(parseDecimalToMinor(charge[0]![14]!, 'CAD'), -second!.summary.totalAmount);
    assert.equal(
      find(second!.file.rows, 'Current Reserve Amount').length,
      0,
      'no reserve held on a negative settlement',
    );
  });

  it('can span a month end', () => {
    for (let seed = 0; seed < 20; seed++) {
      const { summary } = generateSettlementFile({ seed, marketplace: 'US', rows: 20, spanMonthEnd: true });
      assert.notEqual(summary.startDate.slice(0, 7), summary.endDate.slice(0, 7), `seed ${seed}`);
      const inside = generateSettlementFile({ seed, marketplace: 'US', rows: 20 }).summary;
      assert.equal(inside.startDate.slice(0, 7), inside.endDate.slice(0, 7), `seed ${seed}`);
    }
  });

  it('covers the reference vocabulary in a large file: refunds, chargebacks, fees, SAFE-T, reimbursements', () => {
    const rows = parse(generateSettlementFile({ seed: 3, marketplace: 'US', rows: 5000 }).text).rows;
    const seen = new Set(rows.map((r) => `${r[6]}/${r[12]}/${r[13]}`));
    for (const wanted of [
      'Order/ItemPrice/Principal',
      'Order/ItemFees/Commission',
      'Order/ItemFees/FBAPerUnitFulfillmentFee',
      'Order/ItemWithheldTax/MarketplaceFacilitatorTax-Principal',
      'Order/Promotion/Shipping',
      'Refund/ItemFees/RefundCommission',
      'Chargeback Refund/ItemPrice/Principal',
      'other-transaction/other-transaction/Storage Fee',
      'other-transaction/other-transaction/Subscription Fee',
      'other-transaction/other-transaction/SAFE-T Reimbursement',
      'other-transaction/FBA Inventory Reimbursement/WAREHOUSE_DAMAGE',
    ]) {
      assert.ok(seen.has(wanted), `missing ${wanted}`);
    }
    const refund = rows.find((r) => r[6] === 'Refund')!;
    assert.match(refund[column('adjustment-id')]!, /^amzn1:crow:/);
    assert.equal(refund[column('quantity-purchased')], '');
  });

  it('streams the same bytes, gzipped or not, with flat memory', async () => {
    const options = { seed: 4, marketplace: 'DE' as const, rows: 20_000 };
    const expected = generateSettlementFile(options).text;
    const sink = () => {
      const chunks: Buffer[] = [];
      const stream = new Writable({
        write(chunk, _encoding, done) {
          chunks.push(Buffer.from(chunk));
          done();
        },
      });
      return { stream, bytes: () => Buffer.concat(chunks) };
    };
    const plain = sink();
    const summary = await writeSettlementFile(plain.stream, options);
    assert.equal(plain.bytes().toString('utf8'), expected);
    assert.equal(summary.rows, parse(expected).rows.length);
    const zipped = sink();
    await writeSettlementFile(zipped.stream, { ...options, gzip: true });
    assert.equal(gunzipSync(zipped.bytes()).toString('utf8'), expected);
  });
});
