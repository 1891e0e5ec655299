/**
 * `mlc mappings export|import|diff` as processes on a fresh database: the export → import round trip
 * saves the next version with nothing changed, a dry run and a diff save nothing, an edit becomes a
 * new version with its audit event, and a CSV with a bad line is refused naming the line.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { defaultRuleSet, diffRuleSets, formatAccount, parseRuleSet } from '@mlc/mapping';
import { auditModel, connectMongo, ensureIndexes } from '@mlc/mongo';
import { latestRuleSet, ruleSetModel, saveRuleSet } from '@mlc/store';
import { uniqueMongoUrl, uniqueName } from '@mlc/testkit';
import type { Connection } from 'mongoose';
import { mlc } from './mlc.js';

describe('mlc mappings', () => {
  const mongoUrl = uniqueMongoUrl('cli_mappings');
  const env = { MLC_MONGO_URL: mongoUrl, USER: 'tester' };
  const connectionId = uniqueName('acme');
  const dir = mkdtempSync(path.join(tmpdir(), 'mlc-mappings-'));
  let db: Connection;

  const versions = async () =>
    (await ruleSetModel(db).find({ connectionId }).sort({ version: 1 }).lean()).map((r) => r.version);
  const imports = () =>
    auditModel(db).find({ action: 'mappings.imported', connectionId }).sort({ at: 1 }).lean();

  before(async () => {
    db = await connectMongo({ url: mongoUrl });
    await ensureIndexes([ruleSetModel(db), auditModel(db)] as never);
    const v1 = { ...defaultRuleSet(connectionId), id: `${connectionId}-v1`, version: 1 };
    await saveRuleSet(db, { connectionId, definition: JSON.stringify(v1), createdBy: 'test' });
  });

  after(async () => {
    await db.dropDatabase();
    await db.close();
  });

  it('export → import round trip: version 2 saved, nothing changed, audited', async () => {
    const exported = await mlc(['mappings', 'export', '--connection', connectionId], env);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, new RegExp(`^# connection-id: ${connectionId}$`, 'm'));
    assert.match(exported.stdout, /^# version: 1$/m);
    assert.match(
      exported.stderr,
      new RegExp(`exported version 1 of ${connectionId} \\(saved .* by test\\), \\d+ rules`),
    );

    const file = path.join(dir, 'rules.csv');
    const toFile = await mlc(['mappings', 'export', '--connection', connectionId, '--out', file], env);
    assert.equal(toFile.code, 0, toFile.stderr);
    assert.equal(toFile.stdout, '');
    assert.equal(readFileSync(file, 'utf8'), exported.stdout);

    const imported = await mlc(['mappings', 'import', file, '--connection', connectionId], env);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /^no changes: /m);
    assert.match(imported.stdout, new RegExp(`^saved as version 2 of ${connectionId} \\(\\d+ rules\\)`, 'm'));
    assert.deepEqual(await versions(), [1, 2]);

    const v1 = parseRuleSet(
      JSON.parse((await ruleSetModel(db).findOne({ connectionId, version: 1 }).lean())!.definition),
    );
    const latest = await latestRuleSet(db, connectionId);
    assert.equal(latest?.createdBy, 'operator:tester');
    const v2 = parseRuleSet(JSON.parse(latest!.definition));
    assert.equal(v2.version, 2);
    assert.ok(diffRuleSets(v1, v2).same);
    assert.deepEqual(v2.rules, v1.rules);

    const audit = await imports();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor, 'operator:tester');
    assert.deepEqual(
      [audit[0]!.detail?.version, audit[0]!.detail?.previousVersion, audit[0]!.detail?.file],
      [2, 1, 'rules.csv'],
    );

    const diff = await mlc(['mappings', 'diff', file, '--connection', connectionId], env);
    assert.equal(diff.code, 0, diff.stderr);
    assert.match(diff.stdout, /^no changes: .* version 2 of /);
  });

  it('diff and --dry-run show an edit and save nothing; import then saves it as version 3', async () => {
    const csv = (await mlc(['mappings', 'export', '--connection', connectionId], env)).stdout
      .replace(/^(principal,\*,\*,Principal,,)M30\.4000,/m, '$1M30.4001,')
      .replace(/^(# company: )00001$/m, '$100002')
      .replace(/^subscription-fee,.*\n/m, '')
      .concat('mystery-fee,other-transaction,*,Mystery Fee,,M30.6190,,,,,Amazon mystery fee\n');
    const file = path.join(dir, 'edited.csv');
    writeFileSync(file, csv);

    const diff = await mlc(['mappings', 'diff', file, '--connection', connectionId], env);
    assert.equal(diff.code, 0, diff.stderr);
    assert.match(diff.stdout, /^changes from version 2 of /m);
    assert.match(diff.stdout, /^ {2}setting company: 00001 → 00002$/m);
    assert.match(
      diff.stdout,
      /^ {2}\+ mystery-fee: other-transaction \/ \* \/ Mystery Fee → M30\.6190 "Amazon mystery fee"$/m,
    );
    assert.match(diff.stdout, /^ {2}- subscription-fee: \* \/ \* \/ Subscription Fee → M30\.6140/m);
    assert.match(diff.stdout, /^ {2}~ principal: account M30\.4000 → M30\.4001$/m);
    assert.match(diff.stdout, /^1 added, 1 removed, 1 changed, 1 setting\(s\) changed$/m);

    const dry = await mlc(['mappings', 'import', file, '--connection', connectionId, '--dry-run'], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /~ principal: account M30\.4000 → M30\.4001/);
    assert.match(dry.stdout, /^dry run: nothing saved$/m);
    assert.deepEqual(await versions(), [1, 2]);
    assert.equal((await imports()).length, 1);

    const saved = await mlc(['mappings', 'import', file, '--connection', connectionId], env);
    assert.equal(saved.code, 0, saved.stderr);
    assert.match(saved.stdout, /saved as version 3 of /);
    assert.deepEqual(await versions(), [1, 2, 3]);
    const v3 = parseRuleSet(JSON.parse((await latestRuleSet(db, connectionId))!.definition));
    assert.equal(v3.company, '00002');
    assert.equal(formatAccount(v3.rules.find((r) => r.id === 'principal')!.account), 'M30.4001');
    assert.ok(v3.rules.some((r) => r.id === 'mystery-fee'));
    assert.ok(!v3.rules.some((r) => r.id === 'subscription-fee'));
    const audit = (await imports()).at(-1)!;
    assert.deepEqual(
      [
        audit.detail?.version,
        audit.detail?.added,
        audit.detail?.removed,
        audit.detail?.changed,
        audit.detail?.settings,
      ],
      [3, ['mystery-fee'], ['subscription-fee'], ['principal'], ['company']],
    );

    // The file still says version 2: a diff of it notes that version 3 is the newest.
    const stale = await mlc(['mappings', 'diff', file, '--connection', connectionId], env);
    assert.match(stale.stdout, /^no changes: /);
    assert.match(stale.stderr, /edited\.csv says version 2, the newest stored is 3/);
  });

  it('a CSV with a bad line exits 1 naming file, line and column, and saves nothing', async () => {
    const lines = (await mlc(['mappings', 'export', '--connection', connectionId], env)).stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('shipping,'));
    lines[at] = lines[at]!.replace('M30.4010', 'M30.40X0.TOO-LONG-SUB');
    const file = path.join(dir, 'bad.csv');
    writeFileSync(file, lines.join('\n'));
    const { code, stdout, stderr } = await mlc(
      ['mappings', 'import', file, '--connection', connectionId],
      env,
    );
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, new RegExp(`^ {2}${file}: line ${at + 1}, column "account": `, 'm'));
    assert.deepEqual(await versions(), [1, 2, 3]);
    assert.equal((await imports()).length, 2);
  });

  it('export of a connection without a stored version gives the default rules', async () => {
    const other = uniqueName('fresh');
    const { code, stdout, stderr } = await mlc(['mappings', 'export', '--connection', other], env);
    assert.equal(code, 0, stderr);
    assert.match(stderr, new RegExp(`exported the default rules of ${other} \\(no version stored\\)`));
    assert.match(stdout, new RegExp(`^# id: ${other}-default$`, 'm'));
  });
});
