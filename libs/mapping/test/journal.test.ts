import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  type BuildResult,
  buildJournals,
  defaultRuleSet,
  expandRowRanges,
  journalsFromJson,
  journalsToJson,
  parseAccount,
  periodOf,
  type RuleSet,
  type SettlementRowInput,
  type SettlementSummaryInput,
  utcDateOf,
  validateAccounts,
} from '../src/index.js';
import { type GeneratedSettlement, settlementArbitrary, shuffled } from './generate.js';

const CALENDARS: RuleSet['fiscalCalendar'][] = [
  { kind: 'monthly' },
  { kind: 'weeks', pattern: [4, 4, 5], start: '2023-12-31' },
];

function row(
  rowNumber: number,
  tt: string,
  at: string,
  ad: string,
  amount: bigint,
  postedAt: string | null,
  marketplace: string | null = 'Amazon.com',
): SettlementRowInput {
  return {
    rowNumber,
    transactionType: tt,
    amountType: at,
    amountDescription: ad,
    amount,
    postedAt,
    marketplace,
  };
}

function summary(
  total: bigint,
  currency = 'USD',
  start = '2025-07-25T00:00:00Z',
  end = '2025-08-08T00:00:00Z',
): SettlementSummaryInput {
  return {
    settlementId: '1234567890',
    startDate: start,
    endDate: end,
    depositDate: end,
    totalAmount: total,
    currency,
  };
}

function sum(values: bigint[]): bigint {
  return values.reduce((a, b) => a + b, 0n);
}

/** The invariants every ready result must satisfy. */
function checkReady(
  result: BuildResult & { status: 'ready' },
  s: SettlementSummaryInput,
  rows: SettlementRowInput[],
  ruleSet: RuleSet,
) {
  const { journals } = result;
  if (rows.length === 0) {
    assert.equal(journals.length, 0);
    return;
  }
  const count = journals.length;
  journals.forEach((journal, k) => {
    assert.equal(sum(journal.lines.map((l) => l.amount)), 0n, `journal ${journal.jobId} balances`);
    assert.equal(journal.totals.debit, journal.totals.credit);
    assert.equal(journal.part.index, k + 1);
    assert.equal(journal.part.count, count);
    assert.ok(journal.explanation.length <= 30);
    assert.ok(journal.lines.every((l) => l.explanation.length <= 30));
    assert.ok(journal.glDate >= journal.part.period.start && journal.glDate <= journal.part.period.end);
    const clearing = journal.lines.filter((l) => l.kind === 'clearing');
    const expected = k === count - 1 && s.totalAmount !== 0n ? 1 : 0;
    assert.equal(clearing.length, expected, 'only the last part hits clearing (a zero deposit has no line)');
    assert.ok(
      journal.lines.every((l) => l.amount !== 0n || l.lineage.rowCount > 0),
      'no empty zero lines',
    );
    if (k > 0)
      assert.ok(journal.part.period.start > journals[k - 1]!.part.period.end, 'parts in period order');
  });
  const posting = journals.flatMap((j) =>
    j.lines.filter((l) => l.kind === 'mapped' || l.kind === 'suspense'),
  );
  // Amazon sign is the negated JDE sign: the rows' lines sum to minus the settlement total.
  assert.equal(-sum(posting.map((l) => l.amount)), s.totalAmount, 'parts sum to the settlement total');
  const carried = journals.flatMap((j) => j.lines.filter((l) => l.kind === 'carried-forward'));
  assert.equal(sum(carried.map((l) => l.amount)), 0n, 'carried forward nets to zero');
  const last = journals[count - 1]!;
  assert.equal(last.totals.deposit, s.totalAmount);
  assert.equal(
    last.lines.find((l) => l.kind === 'clearing')?.amount ?? 0n,
    s.totalAmount,
    'clearing debited with the deposit',
  );
  // Every row in exactly one line.
  const lineageRows = posting
    .flatMap((l) => expandRowRanges(l.lineage.rowNumbers ?? []))
    .sort((a, b) => a - b);
  assert.deepEqual(
    lineageRows,
    rows.map((r) => r.rowNumber).sort((a, b) => a - b),
  );
  assert.equal(sum(posting.map((l) => BigInt(l.lineage.rowCount))), BigInt(rows.length));
  // Each row's period is its journal's period.
  const periodOfRow = new Map(
    rows.map((r) => [r.rowNumber, periodOf(ruleSet.fiscalCalendar, utcDateOf(r.postedAt ?? s.endDate))!.id]),
  );
  for (const journal of journals) {
    for (const line of journal.lines) {
      for (const n of expandRowRanges(line.lineage.rowNumbers ?? []))
        assert.equal(periodOfRow.get(n), journal.part.period.id);
    }
  }
  assert.equal(new Set(journals.map((j) => j.jobId)).size, count, 'job ids unique');
  // Suspense lines hold exactly the unmapped rows.
  const suspenseRows = journals
    .flatMap((j) => j.lines.filter((l) => l.kind === 'suspense'))
    .reduce((n, l) => n + l.lineage.rowCount, 0);
  assert.equal(
    suspenseRows,
    result.unmapped.reduce((n, g) => n + g.rowCount, 0),
  );
}

describe('buildJournals: worked examples', () => {
  it('posts a one-period settlement: revenue credited, fees debited, clearing debited with the deposit', async () => {
    const rules = defaultRuleSet('acme');
    const rows = [
      row(3, 'Order', 'ItemPrice', 'Principal', 10000n, '2025-08-02T10:00:00Z'),
      row(4, 'Order', 'ItemFees', 'Commission', -1500n, '2025-08-02T10:00:00Z'),
      row(5, 'Order', 'ItemPrice', 'Principal', 5000n, '2025-08-03T10:00:00Z'),
    ];
    const result = await buildJournals(summary(13500n), rows, rules);
    assert.equal(result.status, 'ready');
    if (result.status !== 'ready') return;
    const [journal] = result.journals;
    assert.ok(journal);
    assert.equal(journal.jobId, 'mlc:acme:1234567890:2025-08');
    assert.equal(journal.glDate, '2025-08-03');
    assert.deepEqual(
      journal.lines.map((l) => [l.kind, l.accountText, l.amount, l.lineage.rowNumbers, l.ruleIds]),
      [
        [
          'mapped',
          'M30.4000',
          -15000n,
          [
            [3, 3],
            [5, 5],
          ],
          ['principal'],
        ],
        ['mapped', 'M30.6100', 1500n, [[4, 4]], ['commission']],
        ['clearing', '1.1200', 13500n, [], []],
      ],
    );
    assert.equal(journal.company, '00001');
    assert.equal(journal.currency, 'USD');
  });

  it('splits a settlement across two months through carried-forward; only the last part carries the deposit', async () => {
    const rules = defaultRuleSet('acme');
    const rows = [
      row(3, 'Order', 'ItemPrice', 'Principal', 10000n, '2025-07-30T10:00:00Z'),
      row(4, 'Order', 'ItemFees', 'Commission', -1000n, '2025-07-30T10:00:00Z'),
      row(5, 'Order', 'ItemPrice', 'Principal', 4000n, '2025-08-05T10:00:00Z'),
      row(6, 'other-transaction', 'other-transaction', 'Storage Fee', -500n, null), // → end date's period
    ];
    const result = await buildJournals(summary(12500n), rows, rules);
    assert.equal(result.status, 'ready');
    if (result.status !== 'ready') return;
    const [july, august] = result.journals;
    assert.ok(july && august);
    assert.deepEqual([july.part.period.id, august.part.period.id], ['2025-07', '2025-08']);
    assert.deepEqual(
      july.lines.map((l) => [l.kind, l.accountText, l.amount]),
      [
        ['mapped', 'M30.4000', -10000n],
        ['mapped', 'M30.6100', 1000n],
        ['carried-forward', '1.1290', 9000n], // April-style: the early part DEBITS carried forward
      ],
    );
    assert.deepEqual(
      august.lines.map((l) => [l.kind, l.accountText, l.amount]),
      [
        ['mapped', 'M30.4000', -4000n],
        ['mapped', 'M30.6120', 500n],
        ['carried-forward', '1.1290', -9000n],
        ['clearing', '1.1200', 12500n],
      ],
    );
    assert.equal(july.totals.deposit, 0n);
    assert.equal(august.glDate, '2025-08-08');
    assert.equal(july.explanation, 'AMZ 1234567890 2025-07 1/2');
  });

  it('credits clearing for a negative settlement', async () => {
    const rows = [
      row(3, 'other-transaction', 'other-transaction', 'Subscription Fee', -3999n, '2025-08-02T00:00:00Z'),
      row(4, 'ServiceFee', 'Cost of Advertising', 'TransactionTotalAmount', -2232n, '2025-08-02T00:00:00Z'),
    ];
    const result = await buildJournals(summary(-6231n, 'CAD'), rows, defaultRuleSet('acme'));
    assert.equal(result.status, 'ready');
    if (result.status !== 'ready') return;
    const clearing = result.journals[0]!.lines.at(-1)!;
    assert.equal(clearing.kind, 'clearing');
    assert.equal(clearing.amount, -6231n);
    assert.equal(clearing.explanation, 'Amazon owed 1234567890');
  });

  it('sends unmapped rows to suspense and lists them, or holds under the hold policy', async () => {
    const rows = [
      row(3, 'Order', 'ItemPrice', 'Principal', 1000n, '2025-08-02T00:00:00Z'),
      row(4, 'other-transaction', 'other-transaction', 'Brand New Fee', -100n, '2025-08-02T00:00:00Z'),
      row(7, 'other-transaction', 'other-transaction', 'Brand New Fee', -50n, '2025-08-03T00:00:00Z'),
    ];
    const suspense = await buildJournals(summary(850n), rows, defaultRuleSet('acme'));
    assert.equal(suspense.status, 'ready');
    if (suspense.status !== 'ready') return;
    const line = suspense.journals[0]!.lines.find((l) => l.kind === 'suspense')!;
    assert.equal(line.accountText, '1.9999');
    assert.equal(line.amount, 150n);
    assert.deepEqual(suspense.unmapped, [
      {
        transactionType: 'other-transaction',
        amountType: 'other-transaction',
        amountDescription: 'Brand New Fee',
        marketplace: 'Amazon.com',
        rowCount: 2,
        amount: -150n,
        firstRow: 4,
        rowNumbers: [
          [4, 4],
          [7, 7],
        ],
      },
    ]);
    const held = await buildJournals(summary(850n), rows, defaultRuleSet('acme', { unmappedPolicy: 'hold' }));
    assert.equal(held.status, 'held');
    if (held.status !== 'held') return;
    assert.equal(held.code, 'unmapped');
    assert.match(
      held.reason,
      /"other-transaction" \/ "other-transaction" \/ "Brand New Fee" @ Amazon.com: 2 row\(s\) \(rows 4, 7\)/,
    );
  });

  it('holds a currency the currency mode does not allow, and uses the per-currency company', async () => {
    const rows = [row(3, 'Order', 'ItemPrice', 'Principal', 1000n, '2025-08-02T00:00:00Z')];
    const onlyUsd = defaultRuleSet('acme', {
      currency: { mode: 'foreign-currency', allowedCurrencies: ['USD'] },
    });
    const held = await buildJournals(summary(1000n, 'EUR'), rows, onlyUsd);
    assert.equal(held.status, 'held');
    assert.equal(held.status === 'held' && held.code, 'currency-not-allowed');
    const perCurrency = defaultRuleSet('acme', {
      currency: { mode: 'company-per-currency', companies: { USD: '00100', JPY: '00200' } },
    });
    const jpy = await buildJournals(summary(1000n, 'JPY'), rows, perCurrency);
    assert.equal(jpy.status === 'ready' && jpy.journals[0]!.company, '00200');
    const eur = await buildJournals(summary(1000n, 'EUR'), rows, perCurrency);
    assert.equal(eur.status, 'held');
  });

  it('holds when the rows do not add up to the settlement total', async () => {
    const rows = [row(3, 'Order', 'ItemPrice', 'Principal', 1000n, '2025-08-02T00:00:00Z')];
    const result = await buildJournals(summary(999n), rows, defaultRuleSet('acme'));
    assert.equal(result.status === 'held' && result.code, 'total-mismatch');
  });

  it('routes a row to the cost center of its marketplace when the rule says so', async () => {
    const rules = defaultRuleSet('acme');
    rules.rules = rules.rules.map((r) =>
      r.id === 'principal' ? { ...r, costCenterByMarketplace: { 'amazon.ca': 'M31' } } : r,
    );
    const rows = [
      row(3, 'Order', 'ItemPrice', 'Principal', 1000n, '2025-08-02T00:00:00Z', 'Amazon.ca'),
      row(4, 'Order', 'ItemPrice', 'Principal', 2000n, '2025-08-02T00:00:00Z', 'Amazon.com'),
    ];
    const result = await buildJournals(summary(3000n), rows, rules);
    assert.equal(result.status, 'ready');
    if (result.status !== 'ready') return;
    const mapped = result.journals[0]!.lines.filter((l) => l.kind === 'mapped');
    assert.deepEqual(
      mapped.map((l) => [l.accountText, l.costCenter, l.amount]),
      [
        ['M30.4000', 'M30', -2000n],
        ['M31.4000', 'M31', -1000n],
      ],
    );
  });

  it('accepts an async iterable of rows and gives new job ids for a repost revision', async () => {
    async function* rows() {
      yield row(3, 'Order', 'ItemPrice', 'Principal', 1000n, '2025-08-02T00:00:00Z');
    }
    const result = await buildJournals(summary(1000n), rows(), defaultRuleSet('acme'), { revision: 2 });
    assert.equal(result.status === 'ready' && result.journals[0]!.jobId, 'mlc:acme:1234567890:2025-08:r2');
  });

  it('names the row and field of a bad posted date', async () => {
    const rows = [row(9, 'Order', 'ItemPrice', 'Principal', 1000n, 'yesterday')];
    await assert.rejects(
      buildJournals(summary(1000n), rows, defaultRuleSet('acme')),
      /row 9, field "postedAt"/,
    );
  });

  it('holds a row outside a table calendar', async () => {
    const rules = defaultRuleSet('acme', {
      fiscalCalendar: { kind: 'table', periods: [{ id: 'P1', start: '2025-08-01', end: '2025-08-31' }] },
    });
    const rows = [row(3, 'Order', 'ItemPrice', 'Principal', 1000n, '2025-07-31T00:00:00Z')];
    const result = await buildJournals(summary(1000n), rows, rules);
    assert.equal(result.status === 'held' && result.code, 'period-not-found');
  });
});

describe('serialization and account checks', () => {
  it('round-trips journals through JSON with decimal-string amounts', async () => {
    const rows = [
      row(3, 'Order', 'ItemPrice', 'Principal', 10005n, '2025-07-30T10:00:00Z'),
      row(4, 'Order', 'ItemPrice', 'Principal', -7n, '2025-08-05T10:00:00Z'),
    ];
    const result = await buildJournals(summary(9998n), rows, defaultRuleSet('acme'));
    assert.equal(result.status, 'ready');
    if (result.status !== 'ready') return;
    const text = JSON.stringify(journalsToJson(result.journals));
    assert.match(text, /"amount":"-100.05"/);
    assert.deepEqual(journalsFromJson(JSON.parse(text)), result.journals);
  });

  it('reports missing, non-postable and subledger problems once per account', async () => {
    const rules = defaultRuleSet('acme');
    const rows = [
      row(3, 'Order', 'ItemPrice', 'Principal', 1000n, '2025-08-02T00:00:00Z'),
      row(4, 'Order', 'ItemFees', 'Commission', -100n, '2025-08-02T00:00:00Z'),
      row(5, 'other-transaction', 'other-transaction', 'Storage Fee', -100n, '2025-08-02T00:00:00Z'),
    ];
    const result = await buildJournals(summary(800n), rows, rules);
    assert.equal(result.status, 'ready');
    if (result.status !== 'ready') return;
    let lookups = 0;
    const issues = await validateAccounts(result.journals, async (account) => {
      lookups++;
      const text = `${account.businessUnit}.${account.object}`;
      if (text === 'M30.4000') return { exists: false, postable: false };
      if (text === 'M30.6100') return { exists: true, postable: true, postingEditCode: 'N' };
      if (text === 'M30.6120') return { exists: true, postable: true, postingEditCode: 'S' };
      return { exists: true, postable: true };
    });
    assert.equal(lookups, 4);
    assert.deepEqual(
      issues.map((i) => [i.account, i.problem]),
      [
        ['M30.4000', 'missing'],
        ['M30.6100', 'not-postable'],
        ['M30.6120', 'subledger-required'],
      ],
    );
    assert.deepEqual(issues[0]!.jobIds, ['mlc:acme:1234567890:2025-08']);
    assert.equal(parseAccount('M30.4000').object, '4000');
  });
});

describe('buildJournals: properties over generated settlements', () => {
  async function build(g: GeneratedSettlement, rows: SettlementRowInput[], ruleSet: RuleSet) {
    return buildJournals(g.summary, rows, ruleSet);
  }

  it('balances, sums to the total, loses no row, and ignores row order', async () => {
    await fc.assert(
      fc.asyncProperty(
        settlementArbitrary(),
        fc.constantFrom<RuleSet['unmappedPolicy']>('suspense', 'hold'),
        fc.constantFrom(...CALENDARS),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        async (g, policy, calendar, seed) => {
          const ruleSet = defaultRuleSet('conn-1', { unmappedPolicy: policy, fiscalCalendar: calendar });
          const result = await build(g, g.rows, ruleSet);
          if (policy === 'hold' && g.unknownCount > 0) {
            assert.equal(result.status, 'held');
            if (result.status !== 'held') return;
            assert.equal(result.code, 'unmapped');
            assert.equal(
              result.unmapped.reduce((n, u) => n + u.rowCount, 0),
              g.unknownCount,
            );
            return;
          }
          assert.equal(result.status, 'ready');
          if (result.status !== 'ready') return;
          checkReady(result, g.summary, g.rows, ruleSet);
          assert.equal(
            result.unmapped.reduce((n, u) => n + u.rowCount, 0),
            g.unknownCount,
          );
          const again = await build(g, shuffled(g.rows, seed), ruleSet);
          assert.deepEqual(again, result, 'row order does not change the output');
          assert.deepEqual(
            journalsFromJson(JSON.parse(JSON.stringify(journalsToJson(result.journals)))),
            result.journals,
          );
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('splits long settlements into one journal per period and chains them through carried forward', async () => {
    let multi = 0;
    await fc.assert(
      fc.asyncProperty(settlementArbitrary({ unknownShare: 0, maxRows: 120 }), async (g) => {
        const ruleSet = defaultRuleSet('conn-2');
        const result = await build(g, g.rows, ruleSet);
        assert.equal(result.status, 'ready');
        if (result.status !== 'ready') return;
        checkReady(result, g.summary, g.rows, ruleSet);
        const periods = new Set(g.rows.map((r) => utcDateOf(r.postedAt ?? g.summary.endDate).slice(0, 7)));
        assert.equal(result.journals.length, periods.size);
        if (periods.size > 1) multi++;
        for (const journal of result.journals) {
          assert.equal(journal.jobId, `mlc:conn-2:${g.summary.settlementId}:${journal.part.period.id}`);
        }
      }),
      { numRuns: 1000 },
    );
    assert.ok(multi > 50, `enough period-spanning settlements were generated (${multi})`);
  });

  it('holds every settlement with unmapped rows under the hold policy and never under suspense', async () => {
    await fc.assert(
      fc.asyncProperty(settlementArbitrary(), async (g) => {
        const hold = await build(g, g.rows, defaultRuleSet('c', { unmappedPolicy: 'hold' }));
        const suspense = await build(g, g.rows, defaultRuleSet('c'));
        assert.equal(hold.status, g.unknownCount > 0 ? 'held' : 'ready');
        assert.equal(suspense.status, 'ready');
      }),
      { numRuns: 1000 },
    );
  });
});
