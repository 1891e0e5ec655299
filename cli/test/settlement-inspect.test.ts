/** `mlc settlement inspect` end to end: the real CLI entry as a child process, against the parser's fixtures. */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixtures = 'libs/settlement/test/fixtures';

function mlc(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'cli/src/main.ts', ...args],
      { cwd: repoRoot },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('mlc settlement inspect', () => {
  it('prints the summary, the reconciliation and the totals by type', async () => {
    const { code, stdout, stderr } = await mlc('settlement', 'inspect', `${fixtures}/v2-us-dot.txt`);
    assert.equal(stderr, '');
    assert.equal(code, 0);
    assert.match(stdout, /^settlement {4}9100000001 \(flat-file-v2, USD\)$/m);
    assert.match(stdout, /^start {9}2025-07-01T08:00:00\.000Z$/m);
    assert.match(stdout, /^total {9}1318\.29 USD$/m);
    assert.match(stdout, /^rows {10}7 /m);
    assert.match(stdout, /^sum of rows {3}1318\.29 USD$/m);
    assert.match(stdout, /^reconciles {4}yes$/m);
    assert.match(stdout, /^ {2}Order +ItemFees +Commission +2 +-232\.35$/m);
    assert.match(stdout, /^ {2}other-transaction +other-transaction +Subscription Fee +1 +-39\.99$/m);
  });

  it('prints one JSON object with --json, amounts as decimal strings', async () => {
    const { code, stdout } = await mlc('settlement', 'inspect', `${fixtures}/v2-de-comma.txt`, '--json');
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.equal(report.settlementId, '7293436482');
    assert.equal(report.currency, 'EUR');
    assert.equal(report.totalAmount, '1176.75');
    assert.equal(report.rowCount, 5);
    assert.equal(report.sumOfRows, '1176.75');
    assert.equal(report.reconciles, true);
    assert.equal(report.startDate, '2018-05-03T09:10:07.000Z');
    assert.equal(report.endDate, '2018-05-04T20:30:23.000Z');
    assert.equal(report.depositDate, '2018-05-06T20:30:23.000Z');
    assert.equal(report.format, 'flat-file-v2');
    assert.deepEqual(report.totals[0], {
      transactionType: 'Order',
      amountType: 'ItemFees',
      amountDescription: 'Commission',
      rowCount: 2,
      amount: '-69.84',
    });
  });

  it('answers to the alias "settlements" and reads GZIP and JPY', async () => {
    const gz = await mlc('settlements', 'inspect', `${fixtures}/v2-us-dot.txt.gz`, '--json');
    assert.equal(gz.code, 0);
    assert.equal(JSON.parse(gz.stdout).sumOfRows, '1318.29');
    const jpy = await mlc('settlement', 'inspect', `${fixtures}/v2-jp-jpy.txt`, '--json');
    assert.equal(JSON.parse(jpy.stdout).totalAmount, '10485');
  });

  it('prints the report of a file that does not reconcile, then exits 1 saying why', async () => {
    const file = `${fixtures}/malformed/total-mismatch.txt`;
    const { code, stdout, stderr } = await mlc('settlement', 'inspect', file);
    assert.equal(code, 1);
    assert.match(stdout, /^reconciles {4}NO \(difference 0\.01 USD\)$/m);
    assert.match(
      stderr,
      new RegExp(`${file}: line 2, field "total-amount": the summary's total is 1318\\.30 USD`),
    );
  });

  it('exits 1 naming file, line and field on bad input', async () => {
    const file = `${fixtures}/malformed/bad-amount.txt`;
    const { code, stdout, stderr } = await mlc('settlement', 'inspect', file, '--json');
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(
      stderr,
      new RegExp(`^mlc settlement inspect: ${file}: line 5, field "amount": not a decimal amount`),
    );
  });

  it('passes --date-order to a file whose dates cannot tell', async () => {
    const file = `${fixtures}/malformed/ambiguous-date-order.txt`;
    const without = await mlc('settlement', 'inspect', file);
    assert.equal(without.code, 1);
    assert.match(without.stderr, /line 2, field "settlement-start-date".*dateOrder/);
    const withOrder = await mlc('settlement', 'inspect', file, '--date-order', 'DMY', '--json');
    assert.equal(withOrder.code, 0);
    assert.equal(JSON.parse(withOrder.stdout).startDate, '2025-04-01T00:00:00.000Z');
  });

  it('exits 2 on usage errors', async () => {
    assert.equal((await mlc('settlement', 'inspect')).code, 2);
    assert.equal((await mlc('settlement', 'inspect', 'a.txt', 'b.txt')).code, 2);
    assert.equal((await mlc('settlement', 'inspect', 'a.txt', '--verbose')).code, 2);
    const order = await mlc('settlement', 'inspect', 'a.txt', '--date-order', 'YMD');
    assert.equal(order.code, 2);
    assert.match(order.stderr, /--date-order must be DMY or MDY/);
  });
});
