import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RowGroups } from '../src/index.js';

const row = (rowNumber: number, amount: bigint, postedAt: string | null, description = 'Principal') => ({
  rowNumber,
  transactionType: 'Order',
  amountType: 'ItemPrice',
  amountDescription: description,
  marketplace: 'Amazon.com',
  postedAt,
  amount,
});

describe('RowGroups', () => {
  it('sums per kind and UTC day exactly, past 2^53, and keeps the lowest row number', () => {
    const groups = new RowGroups();
    const big = 2n ** 51n + 3n; // each fits a safe integer; their sum does not
    for (let i = 0; i < 10; i++) groups.add(row(20 - i, big, '2025-07-02T23:59:59.000Z'));
    groups.add(row(5, 10n ** 20n, '2025-07-02T10:00:00.000Z')); // beyond the safe range
    groups.add(row(7, -1n, '2025-07-03T00:00:00.000Z'));
    groups.add(row(8, 4n, '2025-07-02T20:00:00-05:00')); // 01:00 UTC on the 3rd
    groups.add(row(9, 6n, null));
    const list = groups.list();
    assert.deepEqual(
      list.map((g) => [g.postedDate, g.rowCount, g.amount, g.firstRow]),
      [
        [null, 1, 6n, 9],
        ['2025-07-02', 11, 10n * big + 10n ** 20n, 5],
        ['2025-07-03', 2, 3n, 7],
      ],
    );
  });

  it('drops everything past its limit and says so', () => {
    const groups = new RowGroups(2);
    groups.add(row(2, 1n, null, 'a'));
    groups.add(row(3, 1n, null, 'b'));
    groups.add(row(4, 1n, null, 'a'));
    assert.equal(groups.overflowed, false);
    assert.equal(groups.list().length, 2);
    groups.add(row(5, 1n, null, 'c'));
    assert.equal(groups.overflowed, true);
    assert.equal(groups.size, 0);
    assert.throws(() => groups.list(), /more than 2 row groups/);
  });

  it('names the row of an unreadable posted instant', () => {
    assert.throws(() => new RowGroups().add(row(12, 1n, 'yesterday')), /row 12: posted instant "yesterday"/);
  });
});
