import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  defaultRuleSet,
  diffRuleSets,
  exportRulesCsv,
  importRulesCsv,
  parseAccount,
  type RuleSet,
  RulesCsvError,
} from '../src/index.js';

function sample(): RuleSet {
  const rs = defaultRuleSet('acme', {
    id: 'acme-v3',
    version: 3,
    unmappedPolicy: 'hold',
    fiscalCalendar: { kind: 'weeks', pattern: [4, 4, 5], start: '2024-12-29' },
    currency: { mode: 'company-per-currency', companies: { USD: '00100', CAD: '00200' } },
  });
  rs.rules.push({
    id: 'special',
    transactionType: '/^Order(_Retro)?$/i',
    amountType: '=',
    amountDescription: 'Odd, "quoted" text',
    marketplace: 'Amazon.ca',
    account: parseAccount('M31.4000.SUB1'),
    costCenter: 'M31',
    costCenterByMarketplace: { 'Amazon.ca': 'M32', 'Non-Amazon CA': 'M33' },
    subledger: { value: '12345', type: 'A' },
    explanation: 'Odd, special',
  });
  return rs;
}

function importErrors(text: string): string[] {
  try {
    importRulesCsv(text, { file: 'mappings.csv' });
  } catch (error) {
    assert.ok(error instanceof RulesCsvError, String(error));
    return error.errors;
  }
  assert.fail('import should have failed');
}

describe('rules CSV', () => {
  it('round-trips a rule set exactly', () => {
    const rs = sample();
    const text = exportRulesCsv(rs);
    assert.deepEqual(importRulesCsv(text, { file: 'mappings.csv' }), rs);
    assert.equal(exportRulesCsv(importRulesCsv(text, { file: 'x.csv' })), text);
    const plain = defaultRuleSet('plain');
    assert.deepEqual(importRulesCsv(exportRulesCsv(plain), { file: 'p.csv' }), plain);
  });

  it('accepts CRLF line endings, a BOM, blank lines, comments and columns in any order', () => {
    const text = exportRulesCsv(sample());
    const lines = text.trimEnd().split('\n');
    const headerAt = lines.findIndex((l) => l.startsWith('id,'));
    const header = lines[headerAt]!.split(',');
    // swap the first two columns in every rule line (none of the first two cells is quoted here)
    const swapped = lines.map((line, i) => {
      if (i < headerAt || line.startsWith('special')) return line;
      const cells = line.split(',');
      return [cells[1], cells[0], ...cells.slice(2)].join(',');
    });
    swapped[headerAt] = [header[1], header[0], ...header.slice(2)].join(',');
    const special = swapped.findIndex((l) => l.startsWith('special'));
    swapped.splice(special, 1);
    const back = importRulesCsv(`\uFEFF${swapped.join('\r\n')}\r\n\r\n# a comment\r\n`, { file: 'm.csv' });
    assert.equal(back.rules.length, sample().rules.length - 1);
  });

  it('rejects every bad line, naming file, line and column', () => {
    const good = exportRulesCsv(defaultRuleSet('acme')).trimEnd().split('\n');
    const headerLine = good.findIndex((l) => l.startsWith('id,')) + 1; // 1-based
    const lines = [
      ...good.slice(0, headerLine),
      'r1,*,*,Odd,,1.4000.ABCDEFGHIJ,,,,,',
      'r2,*,,Odd2,,1.4000,,,,,',
      'r3,*,*,Odd3,,1.4000,,,12,,',
      'r4,*,*,/(/,,1.4000,,,,,',
      'r5,*,*,Odd5,,1.4000,,Amazon.ca,,,',
      'r6,*,*,Odd6,,1.4000,,,,,this explanation is far longer than thirty',
      'r7,*,*,Odd7,,1.4000,,,',
    ];
    const errors = importErrors(lines.join('\n'));
    const n = headerLine;
    assert.deepEqual(errors, [
      `mappings.csv: line ${n + 1}, column "account": "1.4000.ABCDEFGHIJ" subsidiary longer than 8`,
      `mappings.csv: line ${n + 2}, column "amount-type": empty; write "*" for any value or "=" for the empty value`,
      `mappings.csv: line ${n + 3}, column "subledger-type": subledger and subledger-type go together`,
      `mappings.csv: line ${n + 4}, column "amount-description": bad regex /(/: Invalid regular expression: /(/: Unterminated group`,
      `mappings.csv: line ${n + 5}, column "cost-center-by-marketplace": "Amazon.ca" is not marketplace=business-unit`,
      `mappings.csv: line ${n + 6}, column "explanation": longer than 30`,
      `mappings.csv: line ${n + 7}: 9 cells, the header has 11`,
    ]);
  });

  it('validates the header and the settings', () => {
    const text = exportRulesCsv(defaultRuleSet('acme'));
    const noAccount = text.replace(',account,', ',acount,');
    assert.deepEqual(
      importErrors(noAccount)
        .slice(0, 2)
        .map((e) => e.replace(/line \d+/, 'line H')),
      [
        'mappings.csv: line H, column "acount": unknown column',
        'mappings.csv: line H, column "account": missing column',
      ],
    );
    const badSettings = text
      .replace('# clearing-account: 1.1200', '# clearing-account: 1.1200.TOOLONGSUB')
      .replace('# unmapped-policy: suspense', '# unmapped-policy: maybe')
      .replace(/# currency: .*/, '# currency: {"mode":"nope"}');
    const errors = importErrors(badSettings);
    assert.ok(
      errors.some((e) =>
        /line 7, column "clearing-account": "1.1200.TOOLONGSUB" subsidiary longer than 8/.test(e),
      ),
      errors.join('\n'),
    );
    assert.ok(errors.some((e) => /column "unmapped-policy": "maybe" must be suspense or hold/.test(e)));
    assert.ok(errors.some((e) => /column "currency": /.test(e)));
    assert.deepEqual(importErrors('id,foo\n'), [
      'mappings.csv: line 1, column "foo": unknown column',
      ...[
        'transaction-type',
        'amount-type',
        'amount-description',
        'marketplace',
        'account',
        'cost-center',
        'cost-center-by-marketplace',
        'subledger',
        'subledger-type',
        'explanation',
      ].map((c) => `mappings.csv: line 1, column "${c}": missing column`),
    ]);
    assert.match(importErrors('# nothing\n')[0]!, /no header row/);
  });

  it('reports ties and duplicate ids with their lines', () => {
    const text = `${exportRulesCsv(defaultRuleSet('acme')).trimEnd()}\nx1,Refund,*,*,,1.4000,,,,,\nx2,Refund,*,*,,1.4001,,,,,\nprincipal,A,B,C,,1.4000,,,,,\n`;
    const errors = importErrors(text);
    const total = text.trimEnd().split('\n').length;
    assert.ok(
      errors.includes(`mappings.csv: line ${total}, column "id": "principal" also used by rules[0]`),
      errors.join('\n'),
    );
    assert.ok(
      errors.includes(
        `mappings.csv: rules "x1" and "x2" are equally specific and can match the same row; make one more specific (lines ${total - 2} and ${total - 1})`,
      ),
      errors.join('\n'),
    );
  });
});

describe('rule set diff', () => {
  it('lists added, removed and changed rules and changed settings', () => {
    const before = defaultRuleSet('acme');
    const after: RuleSet = { ...defaultRuleSet('acme', { version: 2, unmappedPolicy: 'hold' }) };
    after.rules = after.rules
      .filter((r) => r.id !== 'goodwill')
      .map((r) =>
        r.id === 'principal' ? { ...r, account: parseAccount('M30.4001'), explanation: 'Sales' } : r,
      );
    after.rules.push({
      id: 'new-fee',
      transactionType: '*',
      amountType: '*',
      amountDescription: 'New Fee',
      account: parseAccount('M30.6190'),
    });
    const diff = diffRuleSets(before, after);
    assert.deepEqual(
      diff.added.map((r) => r.id),
      ['new-fee'],
    );
    assert.deepEqual(
      diff.removed.map((r) => r.id),
      ['goodwill'],
    );
    assert.deepEqual(
      diff.changed.map((c) => [c.id, c.fields]),
      [['principal', ['account', 'explanation']]],
    );
    assert.deepEqual(diff.settings, [{ setting: 'unmappedPolicy', before: 'suspense', after: 'hold' }]);
    assert.equal(diff.same, false);
    assert.equal(diffRuleSets(before, defaultRuleSet('acme', { version: 9 })).same, true);
  });
});
