/**
 * The journal builder's fast paths give what the plain ones give: row numbers already in file order are
 * compressed without sorting, rows handed over in batches (as SettlementReader.batches() does) build the same
 * journals as rows one by one, and the per-kind classification cache keeps rows of different marketplaces apart.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildJournals,
  compressRowNumbers,
  defaultRuleSet,
  type SettlementRowInput,
  type SettlementSummaryInput,
} from '../src/index.js';

describe('compressRowNumbers', () => {
  it('gives the same ranges for sorted input (with repeats) as for the same numbers shuffled', () => {
    const sorted = [3, 3, 4, 5, 5, 5, 9, 10, 12, 12, 13];
    const expected: Array<[number, number]> = [
      [3, 5],
      [9, 10],
      [12, 13],
    ];
    assert.deepEqual(compressRowNumbers(sorted), expected);
    assert.deepEqual(compressRowNumbers([12, 5, 3, 13, 9, 4, 3, 10, 5, 12, 5]), expected);
    assert.deepEqual(compressRowNumbers(new Set(sorted)), expected);
    assert.deepEqual(compressRowNumbers([]), []);
    assert.deepEqual(compressRowNumbers([7]), [[7, 7]]);
  });

  it('does not change its input', () => {
    const input = [5, 3, 4];
    compressRowNumbers(input);
    assert.deepEqual(input, [5, 3, 4]);
  });
});

describe('buildJournals from batches', () => {
  const summary = (total: bigint): SettlementSummaryInput => ({
    settlementId: '55',
    startDate: '2025-07-25T00:00:00Z',
    endDate: '2025-08-08T00:00:00Z',
    depositDate: '2025-08-08T00:00:00Z',
    totalAmount: total,
    currency: 'USD',
  });
  const rows: SettlementRowInput[] = [];
  const kinds = [
    ['Order', 'ItemPrice', 'Principal', 'Amazon.com'],
    ['Order', 'ItemFees', 'Commission', 'Amazon.com'],
    ['Order', 'ItemPrice', 'Principal', 'Amazon.ca'],
    ['Refund', 'ItemPrice', 'Principal', null],
    ['Mystery', 'Unknown', 'Nothing maps this', 'Amazon.com'],
  ] as const;
  for (let i = 0; i < 500; i++) {
    const [transactionType, amountType, amountDescription, marketplace] = kinds[i % kinds.length]!;
    rows.push({
      rowNumber: 3 + i,
      transactionType,
      amountType,
      amountDescription,
      amount: BigInt(((i * 7919) % 20_000) - 10_000),
      // two fiscal months, a posted instant shared by runs of rows
      postedAt: `2025-0${i < 250 ? 7 : 8}-${String(1 + Math.floor((i % 250) / 10)).padStart(2, '0')}T10:00:0${i % 3}.000Z`,
      marketplace,
    });
  }
  const total = rows.reduce((sum, row) => sum + row.amount, 0n);

  it('builds the same journals as rows one by one', async () => {
    const ruleSet = defaultRuleSet('conn-fast');
    const oneByOne = await buildJournals(summary(total), rows, ruleSet);
    const batched = await buildJournals(
      summary(total),
      {
        async *batches() {
          for (let i = 0; i < rows.length; i += 64) yield rows.slice(i, i + 64);
        },
      },
      ruleSet,
    );
    assert.equal(oneByOne.status, 'ready');
    assert.deepEqual(batched, oneByOne);
  });

  it('sums every row exactly once, whatever its kind', async () => {
    const result = await buildJournals(summary(total), rows, defaultRuleSet('conn-fast'));
    assert.equal(result.status, 'ready');
    if (result.status !== 'ready') return;
    assert.equal(result.journals.length, 2, 'July and August');
    const counted = result.journals
      .flatMap((journal) => journal.lines)
      .reduce((n, line) => n + line.lineage.rowCount, 0);
    assert.equal(counted, rows.length);
    assert.equal(result.lineage.rowCount, rows.length);
    assert.deepEqual(result.lineage.rowNumbers, [[3, 502]]);
    const unmapped = result.unmapped.find((group) => group.transactionType === 'Mystery');
    assert.equal(unmapped?.rowCount, 100);
  });
});

describe('the posted day of consecutive rows', () => {
  const summary = (total: bigint): SettlementSummaryInput => ({
    settlementId: '56',
    startDate: '2025-07-25T00:00:00Z',
    endDate: '2025-08-08T00:00:00Z',
    depositDate: '2025-08-08T00:00:00Z',
    totalAmount: total,
    currency: 'USD',
  });
  const at = (rowNumber: number, postedAt: string): SettlementRowInput => ({
    rowNumber,
    transactionType: 'Order',
    amountType: 'ItemPrice',
    amountDescription: 'Principal',
    amount: 100n,
    postedAt,
    marketplace: 'Amazon.com',
  });

  it('is read anew whenever the instant is not plainly on the last day', async () => {
    const rows = [
      at(3, '2025-07-31T23:59:59.999Z'),
      at(4, '2025-07-31T24:00:00.000Z'), // Date.parse: the next day's midnight
      at(5, '2025-07-31T22:00:00-03:00'), // 1 August in UTC
      at(6, '2025-08-01T00:00:00.000Z'),
    ];
    const result = await buildJournals(summary(400n), rows, defaultRuleSet('conn-day'));
    assert.equal(result.status, 'ready');
    if (result.status !== 'ready') return;
    assert.deepEqual(
      result.journals.map((journal) => [journal.part.period.id, journal.lines[0]!.lineage.rowNumbers]),
      [
        ['2025-07', [[3, 3]]],
        ['2025-08', [[4, 6]]],
      ],
    );
  });

  it('still rejects an impossible time on the same day', async () => {
    const rows = [at(3, '2025-07-31T10:00:00.000Z'), at(4, '2025-07-31T10:61:00.000Z')];
    await assert.rejects(
      buildJournals(summary(200n), rows, defaultRuleSet('conn-day')),
      /row 4, field "postedAt"/,
    );
  });
});
