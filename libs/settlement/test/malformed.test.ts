import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseSettlement, parseSettlementFile, SettlementParseError } from '../src/index.js';
import { malformedDir, textSource, v2File } from './helpers.js';

/** Every malformed fixture, the line and field its error must name, and what the message must say. */
const cases: Array<[file: string, line: number, field: string, message: RegExp]> = [
  ['empty.txt', 1, 'header', /the file is empty/],
  ['header-only.txt', 2, 'summary', /header but no summary row/],
  ['not-a-settlement.txt', 1, 'header', /not a settlement flat file header: it has no amount column/],
  ['missing-column.txt', 1, 'amount-description', /required column is missing from the header/],
  ['duplicate-column.txt', 1, 'sku', /column appears twice in the header \(columns 22 and 24\)/],
  ['summary-missing.txt', 2, 'settlement-start-date', /summary row missing/],
  ['unknown-currency.txt', 2, 'currency', /"XYZ" is not a settlement currency we know/],
  [
    'mixed-settlement-ids.txt',
    6,
    'settlement-id',
    /"9100000099" differs from the summary's "9100000001" \(line 2\)/,
  ],
  ['empty-settlement-id.txt', 4, 'settlement-id', /is empty/],
  ['second-summary-row.txt', 5, 'total-amount', /a second summary row/],
  ['wrong-column-count.txt', 8, 'columns', /the line has 24 tab-separated fields, the header has 23/],
  ['bad-amount.txt', 5, 'amount', /not a decimal amount: "12,3,4"/],
  ['too-many-decimals.txt', 4, 'amount', /"-194.851" has more decimals than USD allows \(2\)/],
  ['empty-amount.txt', 5, 'amount', /is empty: every V2 row has an amount/],
  [
    'mixed-decimal-separators.txt',
    6,
    'amount',
    /"249,99" uses "," as the decimal separator, but line 2 \("1,318.29"\) set "."/,
  ],
  [
    'ambiguous-decimal-separator.txt',
    2,
    'total-amount',
    /"1.234" could have "." or "," as its decimal separator/,
  ],
  ['non-numeric-quantity.txt', 6, 'quantity-purchased', /"two" is not a whole number/],
  ['bad-date.txt', 7, 'posted-date-time', /"2025-02-30 23:59:59 UTC" is not a calendar date/],
  [
    'ambiguous-date-order.txt',
    2,
    'settlement-start-date',
    /"01\/04\/2025" could be DD\/MM or MM\/DD .*dateOrder/,
  ],
  [
    'contradictory-date-order.txt',
    3,
    'posted-date',
    /"04\/14\/2025" reads only as MM\/DD, but line 2 \("13\/04\/2025"\)/,
  ],
  ['truncated.txt.gz', 9, 'gzip', /truncated or corrupt GZIP data/],
  [
    'total-mismatch.txt',
    2,
    'total-amount',
    /total is 1318.30 USD but the 7 rows sum to 1318.29 \(difference 0.01\)/,
  ],
];

describe('malformed input is rejected naming file, line and field', () => {
  for (const [name, line, field, message] of cases) {
    it(name, async () => {
      const file = path.join(malformedDir, name);
      await assert.rejects(parseSettlementFile(file), (error: unknown) => {
        assert.ok(
          error instanceof SettlementParseError,
          `expected a SettlementParseError, got ${String(error)}`,
        );
        assert.equal(error.file, file);
        assert.equal(error.line, line);
        assert.equal(error.field, field);
        assert.match(error.message, message);
        assert.ok(error.message.startsWith(`${file}: line ${line}, field "${field}": `), error.message);
        return true;
      });
    });
  }

  it('covers every file in the malformed folder', async () => {
    assert.deepEqual((await readdir(malformedDir)).sort(), cases.map(([name]) => name).sort());
  });
});

describe('explicit options settle what the file cannot', () => {
  it('reads the ambiguous-date file once dateOrder is given', async () => {
    const file = path.join(malformedDir, 'ambiguous-date-order.txt');
    const asMdy = await parseSettlementFile(file, { dateOrder: 'MDY' });
    assert.equal(asMdy.summary.startDate, '2025-01-04T00:00:00.000Z');
    const asDmy = await parseSettlementFile(file, { dateOrder: 'DMY' });
    assert.equal(asDmy.summary.startDate, '2025-04-01T00:00:00.000Z');
  });

  it('reads the ambiguous-separator file once decimalSeparator is given', async () => {
    const file = path.join(malformedDir, 'ambiguous-decimal-separator.txt');
    assert.equal((await parseSettlementFile(file, { decimalSeparator: ',' })).summary.totalAmount, 123400n);
    await assert.rejects(
      parseSettlementFile(file, { decimalSeparator: '.' }),
      /more decimals than EUR allows/,
    );
  });

  it('rejects a date that contradicts the given dateOrder', async () => {
    const text = v2File(
      {
        id: '1',
        start: '01/04/2025',
        end: '13/04/2025',
        deposit: '15/04/2025',
        total: '1.00',
        currency: 'GBP',
      },
      [['1.00', '02/04/2025']],
    );
    await assert.rejects(
      parseSettlement(textSource(text), { fileName: 'uk.txt', dateOrder: 'MDY' }),
      /uk.txt: line 2, field "settlement-end-date": "13\/04\/2025" is not a calendar date as MM\/DD/,
    );
  });

  it('returns a non-reconciling file when requireReconciled is false', async () => {
    const parsed = await parseSettlementFile(path.join(malformedDir, 'total-mismatch.txt'), {
      requireReconciled: false,
    });
    assert.equal(parsed.reconciles, false);
    assert.equal(parsed.difference, 1n);
  });
});
