import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AccountFormatError,
  compileMatcher,
  compileRuleSet,
  DEFAULT_CHART,
  defaultRuleSet,
  formatAccount,
  globsIntersect,
  type MappingRule,
  parseAccount,
  parseRuleSet,
  periodOf,
  type RuleSet,
  RuleSetError,
  ruleSpecificity,
  specificityScore,
  validateRuleSet,
} from '../src/index.js';

function rule(
  id: string,
  tt: string,
  at: string,
  ad: string,
  account: string,
  marketplace?: string,
): MappingRule {
  return {
    id,
    transactionType: tt,
    amountType: at,
    amountDescription: ad,
    account: parseAccount(account),
    ...(marketplace === undefined ? {} : { marketplace }),
  };
}

function ruleSet(rules: MappingRule[]): RuleSet {
  return { ...defaultRuleSet('t'), rules };
}

function classify(
  rs: RuleSet,
  tt: string,
  at: string,
  ad: string,
  marketplace: string | null = null,
): string | null {
  return (
    compileRuleSet(rs).classify({ transactionType: tt, amountType: at, amountDescription: ad, marketplace })
      ?.id ?? null
  );
}

describe('match expressions', () => {
  it('treats "*" as wildcard, globs and /regex/ as patterns, anything else as exact', () => {
    assert.equal(compileMatcher('*').kind, 'wildcard');
    assert.equal(compileMatcher('*Reimbursement*').kind, 'pattern');
    assert.equal(compileMatcher('/^SAFE-?T/i').kind, 'pattern');
    assert.equal(compileMatcher('Principal').kind, 'exact');
    assert.equal(compileMatcher('=a*b').kind, 'exact');
    assert.throws(() => compileMatcher('  '), /empty match expression/);
    assert.throws(() => compileMatcher('/(/'), /bad regex/);
  });

  it('matches exact and glob case-insensitively after trimming; regex as written', () => {
    assert.ok(compileMatcher('Successful charge').test(' SUCCESSFUL CHARGE '));
    assert.ok(compileMatcher('*reimbursement*').test('SAFE-T Reimbursement'));
    assert.ok(compileMatcher('FBA?ee').test('FBAFee'));
    assert.ok(!compileMatcher('FBA?ee').test('FBAFFee'));
    assert.ok(compileMatcher('=a*b').test('A*B'));
    assert.ok(!compileMatcher('=a*b').test('axxb'));
    assert.ok(compileMatcher('=').test(''));
    assert.ok(!compileMatcher('=').test('x'));
    assert.ok(compileMatcher('/^SAFE-?T/').test('SAFE-T reimbursement'));
    assert.ok(!compileMatcher('/^SAFE-?T/').test('safe-t'));
    assert.ok(!compileMatcher('Principal').test(null));
    assert.ok(compileMatcher('*').test(null));
  });

  it('decides whether two globs can match the same text', () => {
    assert.ok(globsIntersect('*fee', 'fba*'));
    assert.ok(!globsIntersect('a*', 'b*'));
    assert.ok(!globsIntersect('*x', '*y'));
    assert.ok(globsIntersect('a?c', 'a*'));
    assert.ok(!globsIntersect('a?c', 'ab'));
    assert.ok(globsIntersect('*reimbursement*', '*removal*'));
  });
});

describe('specificity', () => {
  it('scores exact 2, pattern 1, wildcard 0 per field, weighted tt > at > ad > marketplace', () => {
    assert.deepEqual(ruleSpecificity(rule('a', 'Refund', '*Fee*', '*', '1.1')), [2, 1, 0, 0]);
    assert.deepEqual(ruleSpecificity(rule('a', '*', '*', '*', '1.1', 'Amazon.ca')), [0, 0, 0, 2]);
    assert.equal(specificityScore([2, 0, 0, 0]), 54);
    assert.ok(specificityScore([1, 0, 0, 0]) > specificityScore([0, 2, 2, 2]));
    assert.ok(specificityScore([0, 1, 0, 0]) > specificityScore([0, 0, 2, 2]));
  });

  it('picks exact over pattern over wildcard in the same field', () => {
    const rs = ruleSet([
      rule('any', '*', '*', '*', '1.1'),
      rule('glob', '*', '*', '*Fee', '1.2'),
      rule('exact', '*', '*', 'Storage Fee', '1.3'),
    ]);
    assert.equal(classify(rs, 'x', 'y', 'Storage Fee'), 'exact');
    assert.equal(classify(rs, 'x', 'y', 'Other Fee'), 'glob');
    assert.equal(classify(rs, 'x', 'y', 'Principal'), 'any');
  });

  it('lets a more specific earlier field win over later ones', () => {
    const rs = ruleSet([
      rule('by-description', '*', 'ItemFees', 'Commission', '1.1'),
      rule('by-transaction', 'Refund', '*', '*', '1.2'),
      rule('by-marketplace', '*', 'ItemFees', 'Commission', '1.3', 'Amazon.ca'),
    ]);
    assert.equal(classify(rs, 'Refund', 'ItemFees', 'Commission'), 'by-transaction');
    assert.equal(classify(rs, 'Order', 'ItemFees', 'Commission'), 'by-description');
    assert.equal(classify(rs, 'Order', 'ItemFees', 'Commission', 'amazon.CA'), 'by-marketplace');
    assert.equal(classify(rs, 'Order', 'ItemFees', 'Commission', null), 'by-description');
  });

  it('rejects ties between equally specific rules that can match the same row at load time', () => {
    const tie = ruleSet([
      rule('a', 'Refund', '*', '*', '1.1'),
      rule('b', '*', '*', '*', '1.1'),
      rule('c', 'Refund', '*', '*', '1.2'),
    ]);
    assert.throws(
      () => parseRuleSet(tie),
      (error: unknown) => {
        assert.ok(error instanceof RuleSetError);
        assert.match(error.message, /rules "a" and "c" are equally specific/);
        return true;
      },
    );
    const globs = ruleSet([
      rule('a', '*', '*', '*Reimbursement*', '1.1'),
      rule('b', '*', '*', '*Removal*', '1.1'),
    ]);
    assert.match(validateRuleSet(globs)[0]?.message ?? '', /"a" and "b"/);
    const regex = ruleSet([rule('a', '*', '*', '/^x/', '1.1'), rule('b', '*', '*', 'y*', '1.1')]);
    assert.equal(validateRuleSet(regex).length, 1, 'a regex is assumed to overlap another pattern');
  });

  it('accepts equally specific rules that are provably disjoint', () => {
    const ok = ruleSet([
      rule('a', 'Refund', '*', 'Principal', '1.1'),
      rule('b', 'Refund', '*', 'Shipping', '1.1'),
      rule('c', '*', '*', 'FBA*', '1.1'),
      rule('d', '*', '*', 'Storage*', '1.1'),
      rule('e', '*', '*', '/^x/', '1.1', 'Amazon.ca'),
      rule('f', '*', '*', 'y', '1.1', 'Amazon.ca'),
    ]);
    assert.deepEqual(validateRuleSet(ok), []);
  });

  it('reports duplicate ids, bad accounts and bad expressions with their paths', () => {
    const bad = ruleSet([rule('a', '*', '*', 'x', '1.1'), { ...rule('a', '/(/', '*', 'y', '1.1') }]);
    bad.rules.push({
      ...rule('z', '*', '*', 'z', '1.1'),
      account: { businessUnit: '1', object: '1234567', subsidiary: '' },
    });
    const paths = validateRuleSet(bad).map((i) => `${i.path}: ${i.message}`);
    assert.ok(
      paths.some((p) => p.startsWith('rules[1].id: "a" also used by rules[0]')),
      paths.join('\n'),
    );
    assert.ok(paths.some((p) => p.startsWith('rules[1].transactionType: bad regex')));
    assert.ok(paths.some((p) => p === 'rules[2].account: "1.1234567" object longer than 6'));
  });
});

describe('accounts', () => {
  it('parses and formats BU.OBJ.SUB', () => {
    assert.deepEqual(parseAccount('M30.4000.A1'), { businessUnit: 'M30', object: '4000', subsidiary: 'A1' });
    assert.deepEqual(parseAccount(' 1.1200 '), { businessUnit: '1', object: '1200', subsidiary: '' });
    assert.equal(formatAccount(parseAccount('1.1200')), '1.1200');
    assert.equal(formatAccount(parseAccount('123456789012.000456.12345678')), '123456789012.000456.12345678');
  });

  it('names the segment that is wrong', () => {
    const cases: Array<[string, RegExp]> = [
      ['1.4000.ABCDEFGHIJ', /subsidiary longer than 8/],
      ['1234567890123.4000', /business unit longer than 12/],
      ['1.1234567', /object longer than 6/],
      ['1', /not BU.OBJ or BU.OBJ.SUB/],
      ['1.2.3.4', /not BU.OBJ or BU.OBJ.SUB/],
      ['.4000', /business unit is empty/],
    ];
    for (const [text, pattern] of cases) {
      assert.throws(
        () => parseAccount(text),
        (error: unknown) => error instanceof AccountFormatError && pattern.test(error.message),
      );
    }
  });
});

describe('fiscal calendars', () => {
  it('monthly: calendar months', () => {
    assert.deepEqual(periodOf({ kind: 'monthly' }, '2024-02-29'), {
      id: '2024-02',
      start: '2024-02-01',
      end: '2024-02-29',
    });
  });

  it('weeks: 4-4-5 from the fiscal-year start, 364-day years, before and after the start', () => {
    const cal = { kind: 'weeks' as const, pattern: [4, 4, 5], start: '2024-12-29' };
    assert.deepEqual(periodOf(cal, '2024-12-29'), {
      id: 'FY2024-P01',
      start: '2024-12-29',
      end: '2025-01-25',
    });
    assert.deepEqual(periodOf(cal, '2025-02-23'), {
      id: 'FY2024-P03',
      start: '2025-02-23',
      end: '2025-03-29',
    });
    assert.deepEqual(periodOf(cal, '2025-12-27'), {
      id: 'FY2024-P12',
      start: '2025-11-23',
      end: '2025-12-27',
    });
    assert.equal(periodOf(cal, '2025-12-28')?.id, 'FY2025-P01');
    assert.equal(periodOf(cal, '2024-12-28')?.id, 'FY2023-P12');
  });

  it('table: explicit periods; validation catches overlaps', () => {
    const cal = { kind: 'table' as const, periods: [{ id: 'A', start: '2025-01-01', end: '2025-01-20' }] };
    assert.equal(periodOf(cal, '2025-01-20')?.id, 'A');
    assert.equal(periodOf(cal, '2025-01-21'), null);
    const overlapping = defaultRuleSet('t', {
      fiscalCalendar: {
        kind: 'table',
        periods: [
          { id: 'A', start: '2025-01-01', end: '2025-01-20' },
          { id: 'B', start: '2025-01-20', end: '2025-02-20' },
        ],
      },
    });
    assert.match(
      validateRuleSet(overlapping)
        .map((i) => i.message)
        .join(),
      /"A" and "B" overlap/,
    );
    const badWeeks = defaultRuleSet('t', {
      fiscalCalendar: { kind: 'weeks', pattern: [4, 4, 4], start: '2025-01-01' },
    });
    assert.match(
      validateRuleSet(badWeeks)
        .map((i) => i.message)
        .join(),
      /sums to 12 weeks/,
    );
  });
});

describe('default rule set', () => {
  const rs = defaultRuleSet('acme');

  it('loads without issues and survives a JSON round trip through parseRuleSet', () => {
    assert.deepEqual(validateRuleSet(rs), []);
    assert.deepEqual(parseRuleSet(JSON.parse(JSON.stringify(rs))), rs);
  });

  it('only posts to accounts of DEFAULT_CHART', () => {
    const chart = new Set(DEFAULT_CHART.map((a) => a.account));
    for (const account of [
      rs.clearingAccount,
      rs.carriedForwardAccount,
      rs.suspenseAccount,
      ...rs.rules.map((r) => r.account),
    ]) {
      assert.ok(chart.has(formatAccount(account)), formatAccount(account));
    }
  });

  it('classifies the common Amazon combinations', () => {
    const cases: Array<[string, string, string, string]> = [
      ['Order', 'ItemPrice', 'Principal', 'M30.4000'],
      ['Refund', 'ItemPrice', 'Principal', 'M30.4060'],
      ['Order', 'Promotion', 'Principal', 'M30.4050'],
      ['Refund', 'Promotion', 'Shipping', 'M30.4050'],
      ['Order', 'promotion-type', 'Shipping', 'M30.4050'],
      ['Order', 'ItemPrice', 'Tax', '1.2310'],
      ['Order', 'ItemWithheldTax', 'MarketplaceFacilitatorTax-Shipping', '1.2310'],
      ['Refund', 'ItemFees', 'Commission', 'M30.6100'],
      ['Refund', 'ItemFees', 'RefundCommission', 'M30.6100'],
      ['Order', 'ItemFees', 'FBAPerOrderFulfillmentFee', 'M30.6110'],
      ['other-transaction', 'other-transaction', 'Storage Fee', 'M30.6120'],
      ['Storage Fee', 'other-amount', '', 'M30.6120'],
      ['FBA Inventory Reimbursement', 'FBA Inventory Reimbursement', 'WAREHOUSE_LOST', 'M30.4800'],
      ['SAFE-T reimbursement', 'x', 'y', 'M30.4800'],
      ['other-transaction', 'other-transaction', 'SAFE-T Reimbursement', 'M30.4800'],
      ['Chargeback Refund', 'ItemPrice', 'Principal', 'M30.4070'],
      ['other-transaction', 'other-transaction', 'Previous Reserve Amount Balance', '1.1210'],
      ['other-transaction', 'other-transaction', 'Current Reserve Amount', '1.1210'],
      ['ServiceFee', 'Cost of Advertising', 'TransactionTotalAmount', 'M30.6150'],
      ['ServiceFee', 'Cost of Advertising', 'TaxAmount', '1.1410'],
      ['Subscription Fee', 'other-transaction', 'Subscription Fee', 'M30.6140'],
      ['Payable to Amazon', 'other-transaction', 'Payable to Amazon', '1.1200'],
      ['Successful charge', 'other-transaction', 'Successful charge', '1.1230'],
    ];
    const compiled = compileRuleSet(rs);
    for (const [tt, at, ad, account] of cases) {
      const found = compiled.classify({
        transactionType: tt,
        amountType: at,
        amountDescription: ad,
        marketplace: 'Amazon.com',
      });
      assert.equal(found && formatAccount(found.account), account, `${tt} / ${at} / ${ad}`);
    }
    assert.equal(
      compiled.classify({
        transactionType: 'x',
        amountType: 'y',
        amountDescription: 'Brand New Fee',
        marketplace: null,
      }),
      null,
    );
  });
});
