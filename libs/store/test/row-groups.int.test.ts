/**
 * Row groups on the real FerretDB: stored and read back exactly (amounts past 2^53, null marketplace
 * and date), refused past MAX_STORED_ROW_GROUPS, and a damaged stored document named on reading.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { uniqueMongoUrl } from '@mlc/testkit';
import mongoose, { type Connection } from 'mongoose';
import {
  MAX_STORED_ROW_GROUPS,
  type RowGroup,
  readRowGroups,
  rowGroupsModel,
  saveRowGroups,
} from '../src/index.js';

describe('row groups on FerretDB', () => {
  let db: Connection;
  before(async () => {
    db = await mongoose.createConnection(uniqueMongoUrl('row-groups')).asPromise();
  });
  after(async () => {
    await db.dropDatabase();
    await db.close();
  });

  const group = (i: number, amount: bigint): RowGroup => ({
    transactionType: 'Order',
    amountType: 'ItemPrice',
    amountDescription: `Principal ${i} "quoted" \t tab`,
    marketplace: i % 2 === 0 ? 'Amazon.com' : null,
    postedDate: i % 3 === 0 ? null : '2025-07-02',
    rowCount: i + 1,
    amount,
    firstRow: i + 3,
  });

  it('reads back what was stored, exactly, and overwrites on a second save', async () => {
    const groups = [group(0, 2n ** 60n + 1n), group(1, -(2n ** 53n) - 7n), group(2, 0n), group(3, -1n)];
    assert.equal(await saveRowGroups(db, 'doc-1', groups), true);
    assert.deepEqual(await readRowGroups(db, 'doc-1'), groups);
    assert.equal(await saveRowGroups(db, 'doc-1', groups.slice(0, 2)), true);
    assert.deepEqual(await readRowGroups(db, 'doc-1'), groups.slice(0, 2));
    assert.equal(await readRowGroups(db, 'doc-unknown'), null);
  });

  it('stores nothing past the limit, so mapping reads the rows', async () => {
    const many = Array.from({ length: MAX_STORED_ROW_GROUPS + 1 }, (_, i) => group(i, 1n));
    assert.equal(await saveRowGroups(db, 'doc-many', many), false);
    assert.equal(await readRowGroups(db, 'doc-many'), null);
  });

  it('names the document and the group when a stored one is damaged', async () => {
    await rowGroupsModel(db).create({
      _id: 'doc-bad',
      groups: JSON.stringify([['Order', 'ItemPrice', 'Principal', null, null, 1, '12.50', 3]]),
      createdAt: new Date(),
    });
    await assert.rejects(
      readRowGroups(db, 'doc-bad'),
      /row_groups doc-bad: group 1 is not a stored row group/,
    );
  });
});
