import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  buildJournals,
  defaultRuleSet,
  type Journal,
  netByAccount,
  parseAccount,
  reversalJobId,
  reverseJournal,
  samePosting,
} from '../src/index.js';
import { settlementArbitrary } from './generate.js';

async function journalsOf(
  g: { summary: Parameters<typeof buildJournals>[0]; rows: Parameters<typeof buildJournals>[1] },
  ruleSet = defaultRuleSet('conn-r'),
  revision = 0,
): Promise<Journal[]> {
  const result = await buildJournals(g.summary, g.rows, ruleSet, { revision });
  return result.status === 'ready' ? result.journals : [];
}

const sum = (journal: Journal) => journal.lines.reduce((n, l) => n + l.amount, 0n);

describe('reverseJournal', () => {
  it('negates every line, keeps accounts and lineage, marks each text REV; original plus reversal nets to zero', async () => {
    await fc.assert(
      fc.asyncProperty(settlementArbitrary({ unknownShare: 0.1 }), async (g) => {
        const journals = await journalsOf(g);
        for (const journal of journals) {
          const reversal = reverseJournal(journal, { generation: 2, documentNumber: '4711' });
          assert.equal(reversal.jobId, `${journal.jobId}:rev2`);
          assert.equal(sum(reversal), 0n, 'a reversal balances');
          assert.equal(reversal.lines.length, journal.lines.length);
          journal.lines.forEach((line, i) => {
            const r = reversal.lines[i]!;
            assert.equal(r.amount, -line.amount);
            assert.equal(r.accountText, line.accountText);
            assert.deepEqual(r.subledger, line.subledger);
            assert.equal(r.explanation, `REV ${line.explanation}`.slice(0, 30));
            assert.deepEqual(r.lineage, line.lineage);
          });
          assert.equal(reversal.totals.debit, journal.totals.credit);
          assert.equal(reversal.totals.credit, journal.totals.debit);
          assert.equal(reversal.totals.deposit, -journal.totals.deposit);
          assert.equal(reversal.glDate, journal.glDate);
          assert.ok(reversal.explanation.length <= 30);
          assert.equal(netByAccount([journal, reversal]).size, 0);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('names the reversed document, takes a G/L date override, and refuses nonsense', async () => {
    const [journal] = await journalsOf(
      fc.sample(settlementArbitrary({ unknownShare: 0 }), { numRuns: 1, seed: 7 })[0]!,
    );
    assert.ok(journal);
    const reversal = reverseJournal(journal, {
      generation: 3,
      documentNumber: '1002',
      glDate: '2026-02-01',
    });
    assert.equal(reversal.explanation, `REV 1002 AMZ ${journal.settlementId}`.slice(0, 30));
    assert.equal(reversal.glDate, '2026-02-01');
    assert.equal(reversalJobId('mlc:c:s:2025-07:r2', 3), 'mlc:c:s:2025-07:r2:rev3');
    assert.throws(() => reverseJournal(journal, { generation: 1, documentNumber: '1' }), /from 2/);
    assert.throws(
      () => reverseJournal(journal, { generation: 2, documentNumber: '1', glDate: '01/02/2026' }),
      /YYYY-MM-DD/,
    );
  });

  it('reversal of the old plus the new mapping nets to exactly the new mapping, to the cent', async () => {
    await fc.assert(
      fc.asyncProperty(settlementArbitrary({ unknownShare: 0 }), async (g) => {
        const before = defaultRuleSet('conn-r');
        // The fix: every "Commission"-like rule now posts to another account.
        const after = {
          ...before,
          version: 2,
          rules: before.rules.map((r) =>
            r.amountDescription === 'Commission' ? { ...r, account: parseAccount('1.6999') } : r,
          ),
        };
        const old = await journalsOf(g, before);
        const fresh = await journalsOf(g, after, 2);
        const reversals = old.map((j, i) =>
          reverseJournal(j, { generation: 2, documentNumber: String(1000 + i) }),
        );
        assert.deepEqual(netByAccount([...old, ...reversals, ...fresh]), netByAccount(fresh));
      }),
      { numRuns: 40 },
    );
  });
});

describe('samePosting', () => {
  it('is true for the same mapping under another revision and false when an amount moves', async () => {
    const g = fc.sample(settlementArbitrary({ unknownShare: 0 }), { numRuns: 1, seed: 11 })[0]!;
    const first = await journalsOf(g);
    const again = await journalsOf(g, defaultRuleSet('conn-r'), 2);
    assert.ok(first.length > 0);
    assert.notEqual(first[0]!.jobId, again[0]!.jobId);
    assert.ok(samePosting(first, again));
    const moved = again.map((j, i) =>
      i === 0
        ? {
            ...j,
            lines: j.lines.map((l, k) => (k === 0 ? { ...l, accountText: '9.9999' } : l)),
          }
        : j,
    );
    assert.ok(!samePosting(first, moved));
  });
});
