import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { describe, it } from 'node:test';
import { parseSettlement, parseSettlementFile, type SettlementRow, totalsByType } from '../src/index.js';
import { fixture } from './helpers.js';

const amounts = (rows: SettlementRow[]) => rows.map((row) => row.amount);

describe('V2 flat file, US style (dot decimals, MM/DD/YY posted-date)', () => {
  it('reads the summary, the rows and reconciles', async () => {
    const parsed = await parseSettlementFile(fixture('v2-us-dot.txt'));
    assert.deepEqual(parsed.summary, {
      settlementId: '9100000001',
      startDate: '2025-07-01T08:00:00.000Z',
      endDate: '2025-07-15T08:00:00.000Z',
      depositDate: '2025-07-17T08:00:00.000Z',
      totalAmount: 131829n,
      currency: 'USD',
      format: 'flat-file-v2',
    });
    assert.equal(parsed.rowCount, 7);
    assert.equal(parsed.sumOfRows, 131829n);
    assert.equal(parsed.reconciles, true);
    assert.equal(parsed.decimalSeparator, '.');
    assert.equal(parsed.dateOrder, 'MDY');
    assert.deepEqual(amounts(parsed.rows), [129900n, -19485n, -540n, 24999n, -3750n, -3999n, 4704n]);
    assert.deepEqual(parsed.rows[0], {
      rowNumber: 3,
      transactionType: 'Order',
      amountType: 'ItemPrice',
      amountDescription: 'Principal',
      amount: 129900n,
      postedAt: '2025-07-02T14:05:09.000Z',
      orderId: '111-0000001-0000001',
      adjustmentId: null,
      shipmentId: 'S0001',
      merchantOrderId: '111-0000001-0000001',
      sku: 'SKU-A',
      quantity: 1,
      marketplace: 'Amazon.com',
      fulfillmentId: 'AFN',
      sourceColumn: 'amount',
    });
    const refund = parsed.rows[6]!;
    assert.equal(refund.transactionType, 'Refund');
    assert.equal(refund.adjustmentId, 'amzn1:crow:abc');
    assert.equal(refund.rowNumber, 9);
  });

  for (const variant of ['v2-us-dot.txt.gz', 'v2-us-bom.txt', 'v2-us-crlf.txt']) {
    it(`reads ${variant} exactly like the plain LF file`, async () => {
      const plain = await parseSettlementFile(fixture('v2-us-dot.txt'));
      const other = await parseSettlementFile(fixture(variant));
      assert.deepEqual(other.summary, plain.summary);
      assert.deepEqual(other.rows, plain.rows);
    });
  }

  it('detects GZIP by its magic bytes, not by the name', async () => {
    const parsed = await parseSettlement(createReadStream(fixture('v2-us-dot.txt.gz')), {
      fileName: 'report.txt',
    });
    assert.equal(parsed.rowCount, 7);
  });
});

describe('V2 flat file, DE style (comma decimals, DD.MM.YYYY dates)', () => {
  it('reads 1.099,00 as 1099.00 EUR and the dotted dates as UTC instants', async () => {
    const parsed = await parseSettlementFile(fixture('v2-de-comma.txt'));
    assert.equal(parsed.summary.startDate, '2018-05-03T09:10:07.000Z');
    assert.equal(parsed.summary.depositDate, '2018-05-06T20:30:23.000Z');
    assert.equal(parsed.summary.totalAmount, 117675n);
    assert.equal(parsed.decimalSeparator, ',');
    assert.deepEqual(amounts(parsed.rows), [17999n, -2700n, 109900n, -4284n, -3240n]);
    assert.equal(parsed.rows[0]!.postedAt, '2018-05-03T11:00:00.000Z');
    assert.equal(parsed.rows[4]!.quantity, null, 'Refund rows leave quantity-purchased empty');
    assert.equal(parsed.reconciles, true);
  });
});

describe('legacy 36-column flat file', () => {
  it('turns each filled amount column into one row, keeping the line number', async () => {
    const parsed = await parseSettlementFile(fixture('legacy-ca.txt'));
    assert.equal(parsed.summary.format, 'flat-file-legacy');
    assert.equal(parsed.summary.totalAmount, -321n);
    assert.equal(parsed.lineCount, 11, 'summary + 10 transaction lines; the blank line 7 is skipped');
    assert.equal(parsed.rowCount, 10, 'the quantity-only line 3 carries no money and yields no row');
    assert.equal(parsed.reconciles, true);
    const byLine = (line: number) => parsed.rows.filter((row) => row.rowNumber === line);
    assert.deepEqual(
      byLine(4).map((r) => [r.amountType, r.amountDescription, r.amount, r.sourceColumn]),
      [['ItemPrice', 'Principal', 3500n, 'price-amount']],
    );
    assert.deepEqual(
      byLine(8).map((r) => [r.transactionType, r.amountType, r.amountDescription, r.amount, r.sourceColumn]),
      [
        ['ServiceFee', 'ItemFees', 'Cost of Advertising', -116n, 'item-related-fee-amount'],
        ['ServiceFee', 'OtherFees', 'TaxAmount', -14n, 'other-fee-amount'],
      ],
    );
    assert.deepEqual(
      byLine(11).map((r) => [r.transactionType, r.amountType, r.amountDescription, r.amount]),
      [['Successful charge', 'other-transaction', 'Successful charge', 32169n]],
      'the trailing spaces of "321.69    " are trimmed',
    );
    const mcf = byLine(12)[0]!;
    assert.equal(mcf.amountType, 'ShipmentFees');
    assert.equal(mcf.amountDescription, 'FBA transportation fee');
    assert.equal(mcf.marketplace, 'Non-Amazon CA');
    assert.equal(mcf.postedAt, '2025-08-10T16:00:00.000Z', '12:00 at -04:00 is 16:00 UTC');
    assert.equal(byLine(13)[0]!.quantity, 2);
  });
});

describe('other shapes', () => {
  it('accepts a 24-column V2 file (promotion-id) by locating columns by name', async () => {
    const parsed = await parseSettlementFile(fixture('v2-24-columns.txt'));
    assert.equal(parsed.summary.currency, 'GBP');
    assert.deepEqual(amounts(parsed.rows), [2500n, -250n, -500n]);
    assert.equal(parsed.rows[1]!.amountType, 'Promotion');
    assert.equal(parsed.reconciles, true);
  });

  it('reads JPY amounts, which have no minor unit, with digit grouping', async () => {
    const parsed = await parseSettlementFile(fixture('v2-jp-jpy.txt'));
    assert.equal(parsed.summary.totalAmount, 10485n);
    assert.deepEqual(amounts(parsed.rows), [12000n, -1200n, -315n]);
    assert.equal(parsed.rows[0]!.quantity, 3);
    assert.equal(parsed.reconciles, true);
  });

  it('reads a negative settlement', async () => {
    const parsed = await parseSettlementFile(fixture('v2-negative.txt'));
    assert.equal(parsed.summary.totalAmount, -6231n);
    assert.equal(parsed.sumOfRows, -6231n);
    assert.equal(parsed.reconciles, true);
  });

  it('learns DD/MM from a slash date whose first part is above 12', async () => {
    const parsed = await parseSettlementFile(fixture('v2-uk-dmy-slash.txt'));
    assert.equal(parsed.dateOrder, 'DMY');
    assert.equal(parsed.summary.startDate, '2025-04-01T10:00:00.000Z');
    assert.equal(parsed.summary.endDate, '2025-04-15T10:00:00.000Z');
    assert.deepEqual(
      parsed.rows.map((row) => row.postedAt),
      ['2025-04-02T00:00:00.000Z', '2025-04-03T00:00:00.000Z'],
    );
  });
});

describe('totalsByType', () => {
  it('sums per (transaction type, amount type, amount description), sorted', async () => {
    const parsed = await parseSettlementFile(fixture('v2-us-dot.txt'));
    assert.deepEqual(totalsByType(parsed.rows), [
      {
        transactionType: 'Order',
        amountType: 'ItemFees',
        amountDescription: 'Commission',
        rowCount: 2,
        amount: -23235n,
      },
      {
        transactionType: 'Order',
        amountType: 'ItemFees',
        amountDescription: 'FBAPerUnitFulfillmentFee',
        rowCount: 1,
        amount: -540n,
      },
      {
        transactionType: 'Order',
        amountType: 'ItemPrice',
        amountDescription: 'Principal',
        rowCount: 2,
        amount: 154899n,
      },
      {
        transactionType: 'Refund',
        amountType: 'ItemPrice',
        amountDescription: 'Principal',
        rowCount: 1,
        amount: 4704n,
      },
      {
        transactionType: 'other-transaction',
        amountType: 'other-transaction',
        amountDescription: 'Subscription Fee',
        rowCount: 1,
        amount: -3999n,
      },
    ]);
  });
});
