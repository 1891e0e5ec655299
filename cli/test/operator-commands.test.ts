/**
 * The operator commands' checks that need nothing running: usage errors (exit 2), bad files and
 * unreachable services (exit 1, naming what failed), and the CSV checks of `mappings import|diff`,
 * which report every bad line before anything is read from MongoDB.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort } from '@mlc/testkit';
import { fixtures, mlc } from './mlc.js';

const dir = mkdtempSync(path.join(tmpdir(), 'mlc-cli-'));

describe('operator commands without the stack', () => {
  it('list their commands in the group help', async () => {
    const settlement = await mlc(['settlement', '--help']);
    assert.equal(settlement.code, 0);
    for (const command of ['inspect', 'list', 'show', 'release', 'import'])
      assert.match(settlement.stdout, new RegExp(`mlc settlement ${command} `));
    const mappings = await mlc(['mappings', '--help']);
    assert.equal(mappings.code, 0);
    for (const command of ['export', 'import', 'diff'])
      assert.match(mappings.stdout, new RegExp(`mlc mappings ${command} `));
    const top = await mlc(['--help']);
    assert.match(top.stdout, /^ {2}mappings +mapping rule sets as CSV/m);
  });

  it('exit 2 on usage errors, saying what is wrong', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['settlement', 'list', '--status', 'bogus'], /--status must be one of received, announced, held/],
      [['settlement', 'list', '--limit', '0'], /--limit "0" is not a positive whole number/],
      [['settlement', 'show'], /give exactly one settlement id/],
      [['settlement', 'release', 'a', 'b'], /give exactly one settlement id/],
      [['settlement', 'import', 'a.txt'], /--connection is required/],
      [
        ['settlement', 'import', 'a.txt', '--connection', 'c', '--region', 'US'],
        /--region must be NA, EU or FE/,
      ],
      [['mappings', 'import', 'a.csv'], /--connection is required/],
      [['mappings', 'diff', '--connection', 'c'], /give exactly one CSV file/],
      [['mappings', 'export', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [args, why] of cases) {
      const { code, stderr } = await mlc(args);
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, why, args.join(' '));
    }
  });

  it('settlement import: a missing file and an unreachable amazon-ingest exit 1 naming them', async () => {
    const missing = await mlc(['settlement', 'import', 'nope.txt', '--connection', 'c']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^mlc settlement import: nope\.txt: no such file$/m);
    const empty = path.join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const nothing = await mlc(['settlement', 'import', empty, '--connection', 'c']);
    assert.equal(nothing.code, 1);
    assert.match(nothing.stderr, /empty\.txt: the file is empty/);
    const url = `http://127.0.0.1:${await freePort()}`;
    const down = await mlc([
      'settlement',
      'import',
      path.join(fixtures, 'v2-us-dot.txt'),
      '--connection',
      'c',
      '--url',
      url,
    ]);
    assert.equal(down.code, 1);
    assert.match(down.stderr, new RegExp(`cannot reach amazon-ingest at ${url} \\(ECONNREFUSED\\)`));
  });

  it('settlement list: an unreachable MongoDB exits 1 naming it, without its password', async () => {
    const { code, stderr } = await mlc(['settlement', 'list'], {
      MLC_MONGO_URL: `mongodb://ops:s3cret@127.0.0.1:${await freePort()}/x`,
    });
    assert.equal(code, 1);
    assert.match(stderr, /cannot reach MongoDB at mongodb:\/\/ops:\*\*\*@127\.0\.0\.1:\d+\/x/);
    assert.ok(!stderr.includes('s3cret'));
  });

  it('mappings export without --connection writes the default rules as a template', async () => {
    const { code, stdout, stderr } = await mlc(['mappings', 'export']);
    assert.equal(code, 0);
    assert.match(stdout, /^# ml-connector mapping rules v1\n/);
    assert.match(stdout, /^# connection-id: default$/m);
    assert.match(stdout, /^principal,\*,\*,Principal,,M30\.4000,/m);
    assert.match(stderr, /exported the default rules as a template/);
  });

  it('mappings import|diff report every bad line of a CSV and exit 1 before touching MongoDB', async () => {
    const template = (await mlc(['mappings', 'export'])).stdout;
    const lines = template.split('\n');
    const principal = lines.findIndex((l) => l.startsWith('principal,'));
    const shipping = lines.findIndex((l) => l.startsWith('shipping,'));
    lines[principal] = lines[principal]!.replace('M30.4000', '1.4000.ABCDEFGHIJ');
    lines[shipping] = lines[shipping]!.replace('Shipping', '');
    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, lines.join('\n'));
    // No MongoDB listens there: the CSV is refused first.
    const env = { MLC_MONGO_URL: `mongodb://127.0.0.1:${await freePort()}/x` };
    for (const command of ['import', 'diff']) {
      const { code, stderr } = await mlc(['mappings', command, bad, '--connection', 'default'], env);
      assert.equal(code, 1, stderr);
      assert.match(stderr, /is not a valid rule set \(2 problems; nothing saved\)/);
      assert.match(
        stderr,
        new RegExp(
          `${bad}: line ${principal + 1}, column "account": "1\\.4000\\.ABCDEFGHIJ" subsidiary longer than 8`,
        ),
      );
      assert.match(stderr, new RegExp(`${bad}: line ${shipping + 1}, column "amount-description": empty`));
    }
    const other = path.join(dir, 'other.csv');
    writeFileSync(other, template);
    const wrong = await mlc(['mappings', 'diff', other, '--connection', 'acme'], env);
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /other\.csv: the rule set is for connection "default" .*, not "acme"/);
    assert.equal(readFileSync(other, 'utf8'), template);
  });
});
