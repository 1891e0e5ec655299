/**
 * Journals built from a settlement's row groups (what amazon-ingest stores and mapping reads) are the
 * journals built from its rows, to the cent and line for line — only the row numbers are left out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RowGroups } from '@mlc/settlement';
import fc from 'fast-check';
import { type BuildResult, buildJournals, defaultRuleSet, type RuleSet } from '../src/index.js';
import { settlementArbitrary } from './generate.js';

const CALENDARS: RuleSet['fiscalCalendar'][] = [
  { kind: 'monthly' },
  { kind: 'weeks', pattern: [4, 4, 5], start: '2023-12-31' },
];

/** The result with every row number dropped: what building from groups cannot know. */
function withoutRowNumbers(result: BuildResult): unknown {
  const strip = <T extends object>(value: T) => {
    const { rowNumbers: _, ...rest } = value as T & { rowNumbers?: unknown };
    return rest;
  };
  if (result.status === 'held')
    return {
      ...result,
      reason: undefined,
      holds: result.holds.map((h) => h.code),
      unmapped: result.unmapped.map(strip),
    };
  return {
    ...result,
    journals: result.journals.map((j) => ({
      ...j,
      lines: j.lines.map((l) => ({ ...l, lineage: strip(l.lineage) })),
    })),
    unmapped: result.unmapped.map(strip),
    lineage: strip(result.lineage),
  };
}

/** A two-week July settlement of this total. */
const summaryOf = (totalAmount: bigint) => ({
  settlementId: '42',
  startDate: '2025-07-25T00:00:00.000Z',
  endDate: '2025-08-08T00:00:00.000Z',
  depositDate: '2025-08-08T00:00:00.000Z',
  totalAmount,
  currency: 'USD',
});

describe('buildJournals from row groups', () => {
  it('gives the journals the rows give, for any settlement, policy and calendar', async () => {
    let held = 0;
    let multiPart = 0;
    await fc.assert(
      fc.asyncProperty(
        settlementArbitrary({ maxRows: 150 }),
        fc.constantFrom<RuleSet['unmappedPolicy']>('suspense', 'hold'),
        fc.constantFrom(...CALENDARS),
        fc.boolean(),
        async (g, policy, calendar, mismatch) => {
          const ruleSet = defaultRuleSet('conn-g', { unmappedPolicy: policy, fiscalCalendar: calendar });
          const summary = mismatch ? { ...g.summary, totalAmount: g.summary.totalAmount + 1n } : g.summary;
          const groups = new RowGroups();
          for (const row of g.rows) groups.add(row);
          const fromRows = await buildJournals(summary, g.rows, ruleSet);
          const fromGroups = await buildJournals(summary, { groups: groups.list() }, ruleSet);
          assert.deepEqual(withoutRowNumbers(fromGroups), withoutRowNumbers(fromRows));
          if (fromGroups.status === 'held') held++;
          else if (fromGroups.journals.length > 1) multiPart++;
          assert.ok(groups.size <= g.rows.length);
        },
      ),
      { numRuns: 150 },
    );
    assert.ok(held > 10, `held cases exercised (${held})`);
    assert.ok(multiPart > 5, `multi-period cases exercised (${multiPart})`);
  });

  it('names the first row of a group in its hold reasons', async () => {
    const summary = summaryOf(-150n);
    const row = (rowNumber: number) => ({
      rowNumber,
      transactionType: 'Mystery',
      amountType: 'Thing',
      amountDescription: 'Stuff',
      amount: -75n,
      postedAt: '2025-07-30T10:00:00.000Z',
      marketplace: 'Amazon.com',
    });
    const groups = new RowGroups();
    groups.add(row(9));
    groups.add(row(4));
    const result = await buildJournals(
      summary,
      { groups: groups.list() },
      defaultRuleSet('c', { unmappedPolicy: 'hold' }),
    );
    assert.equal(result.status, 'held');
    if (result.status !== 'held') return;
    assert.match(
      result.reason,
      /"Mystery" \/ "Thing" \/ "Stuff" @ Amazon.com: 2 row\(s\) \(the first at row 4\)/,
    );
  });

  it('refuses a malformed group with the field named', async () => {
    const summary = summaryOf(0n);
    const group = {
      transactionType: 'Order',
      amountType: 'ItemPrice',
      amountDescription: 'Principal',
      marketplace: null,
      postedDate: '30/07/2025',
      rowCount: 1,
      amount: 0n,
      firstRow: 3,
    };
    await assert.rejects(
      buildJournals(summary, { groups: [group] }, defaultRuleSet('c')),
      /row group of row 3, field "postedDate": "30\/07\/2025" is not YYYY-MM-DD/,
    );
    await assert.rejects(
      buildJournals(summary, { groups: [{ ...group, postedDate: null, rowCount: 0 }] }, defaultRuleSet('c')),
      /field "rowCount": not a positive integer/,
    );
  });
});
