/**
 * `mlc daily-sales settings …` and `mlc daily-sales status` as processes on the real FerretDB: a bad
 * settings file is refused naming the file and the field and stores nothing; a good one is stored
 * and audited; show, disable and enable read and flip it (enable refused before any settings exist);
 * status shows seeded summaries with what was proposed and posted for them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { auditModel, connectMongo, ensureIndexes, jobModel } from '@mlc/mongo';
import {
  dailySalesModel,
  dailySalesProposalModel,
  dailySalesSettingsModel,
  readDailySalesSettings,
} from '@mlc/store';
import { uniqueMongoUrl, uniqueName } from '@mlc/testkit';
import type { Connection } from 'mongoose';
import { mlc } from './mlc.js';

const US = 'ATVPDKIKX0DER';
const UK = 'A1F83G8C2ARO7P';
const utcDay = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);

describe('mlc daily-sales', () => {
  const url = uniqueMongoUrl('cli_daily_sales');
  const env = { MLC_MONGO_URL: url, USER: 'tester' };
  const connectionId = uniqueName('acme');
  const dir = mkdtempSync(path.join(tmpdir(), 'mlc-daily-sales-'));
  let db: Connection;

  const good = {
    enabled: false,
    company: '00100',
    ledgerType: 'U1',
    graceMinutes: 720,
    orchestration: { name: 'ORCH_MLC_AddMemoEntry' },
    marketplaces: [{ marketplaceId: US, currency: 'USD', timeZone: 'UTC', account: '1.4010.AMZ' }],
  };
  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return file;
  };
  const stored = () => dailySalesSettingsModel(db).countDocuments({ _id: connectionId }).exec();
  const audit = () =>
    auditModel(db)
      .find({ connectionId, action: /^daily-sales\./ })
      .sort({ at: 1 })
      .lean()
      .exec();

  before(async () => {
    db = await connectMongo({ url });
    await ensureIndexes([
      dailySalesSettingsModel(db),
      dailySalesModel(db),
      dailySalesProposalModel(db),
      jobModel(db),
      auditModel(db),
    ] as never);
  });

  after(async () => {
    await db.dropDatabase();
    await db.close();
  });

  it('before any settings: show says nothing posts, enable is refused naming the set command', async () => {
    const show = await mlc(['daily-sales', 'settings', 'show', '--connection', connectionId], env);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, new RegExp(`no daily sales settings for ${connectionId}: nothing is posted`));
    const json = await mlc(['daily-sales', 'settings', 'show', '--connection', connectionId, '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    assert.equal(JSON.parse(json.stdout).settings, null);

    const enable = await mlc(['daily-sales', 'settings', 'enable', '--connection', connectionId], env);
    assert.equal(enable.code, 1);
    assert.match(enable.stderr, /there is nothing to enable/);
    assert.match(
      enable.stderr,
      new RegExp(`mlc daily-sales settings set --connection ${connectionId} <file\\.json>`),
    );
    assert.equal(await stored(), 0);
  });

  it('set with a bad file names the file and the field and stores nothing', async () => {
    const bad = write('bad.json', {
      ...good,
      marketplaces: [{ ...good.marketplaces[0], currency: 'usd' }],
    });
    const result = await mlc(['daily-sales', 'settings', 'set', '--connection', connectionId, bad], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^mlc daily-sales settings: /m);
    assert.ok(result.stderr.includes(bad), result.stderr);
    assert.match(result.stderr, /marketplaces\[0\]\.currency "usd" is not an ISO 4217 code/);
    assert.match(result.stderr, /nothing stored/);

    const names = write('names.json', { ...good, orchestration: { inputs: { lines: 'Grid', bogus: 'X' } } });
    const unknown = await mlc(['daily-sales', 'settings', 'set', '--connection', connectionId, names], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /names\.json: orchestration\.inputs\.bogus is not one of company, /);

    const actuals = write('actuals.json', { ...good, ledgerType: 'AA' });
    const aa = await mlc(['daily-sales', 'settings', 'set', '--connection', connectionId, actuals], env);
    assert.equal(aa.code, 1);
    assert.match(aa.stderr, /ledgerType AA is an actuals ledger/);

    const notJson = write('broken.json', '{"enabled": tru');
    const broken = await mlc(['daily-sales', 'settings', 'set', '--connection', connectionId, notJson], env);
    assert.equal(broken.code, 1);
    assert.match(broken.stderr, /broken\.json: not JSON/);

    const other = write('other.json', { ...good, connectionId: 'someone-else' });
    const mismatch = await mlc(['daily-sales', 'settings', 'set', '--connection', connectionId, other], env);
    assert.equal(mismatch.code, 1);
    assert.match(mismatch.stderr, /connectionId is "someone-else", not/);

    assert.equal(await stored(), 0);
    assert.equal((await audit()).length, 0);
  });

  it('set with a good file stores it, prints a summary and audits it; show prints it', async () => {
    const file = write('good.json', good);
    const result = await mlc(['daily-sales', 'settings', 'set', '--connection', connectionId, file], env);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.trim().split('\n').length, 1);
    assert.match(
      result.stdout,
      new RegExp(
        `^saved daily sales settings of ${connectionId} from .*good\\.json: postings disabled, company 00100, JE to ledger U1`,
      ),
    );
    assert.match(result.stdout, /ATVPDKIKX0DER USD/);

    const settings = await readDailySalesSettings(db, connectionId);
    assert.equal(settings?.connectionId, connectionId);
    assert.equal(settings?.enabled, false);
    assert.equal(settings?.graceMinutes, 720);
    assert.equal(settings?.documentType, 'JE');
    const doc = await dailySalesSettingsModel(db).findById(connectionId).lean().exec();
    assert.equal(doc?.updatedBy, 'operator:tester');

    const events = await audit();
    assert.equal(events.length, 1);
    assert.equal(events[0]!.action, 'daily-sales.configured');
    assert.equal(events[0]!.actor, 'operator:tester');
    assert.equal(events[0]!.detail?.file, 'good.json');
    assert.equal(events[0]!.detail?.enabled, false);

    const show = await mlc(['daily-sales', 'settings', 'show', '--connection', connectionId], env);
    assert.equal(show.code, 0, show.stderr);
    assert.match(show.stdout, /^enabled +no: nothing is proposed/m);
    assert.match(show.stdout, /^ledger type +U1$/m);
    assert.match(show.stdout, /^grace +720 minutes/m);
    assert.match(
      show.stdout,
      /^orchestration +ORCH_MLC_AddMemoEntry v3, JDE Standard, job reference in EXR$/m,
    );
    assert.match(show.stdout, /ATVPDKIKX0DER +USD +UTC +1\.4010\.AMZ/);
    const json = await mlc(['daily-sales', 'settings', 'show', '--connection', connectionId, '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout);
    assert.equal(parsed.settings.ledgerType, 'U1');
    assert.equal(parsed.updatedBy, 'operator:tester');
  });

  it('enable and disable flip enabled only, audited; repeating one changes nothing', async () => {
    const enable = await mlc(['daily-sales', 'settings', 'enable', '--connection', connectionId], env);
    assert.equal(enable.code, 0, enable.stderr);
    assert.match(enable.stdout, /^enabled daily sales postings/);
    let settings = await readDailySalesSettings(db, connectionId);
    assert.equal(settings?.enabled, true);
    assert.equal(settings?.graceMinutes, 720);
    assert.equal(settings?.marketplaces[0]?.account, '1.4010.AMZ');

    const again = await mlc(['daily-sales', 'settings', 'enable', '--connection', connectionId], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /already enabled; nothing changed/);

    const disable = await mlc(['daily-sales', 'settings', 'disable', '--connection', connectionId], env);
    assert.equal(disable.code, 0, disable.stderr);
    assert.match(disable.stdout, /proposals already made are still posted/);
    settings = await readDailySalesSettings(db, connectionId);
    assert.equal(settings?.enabled, false);

    assert.deepEqual(
      (await audit()).map((e) => e.action),
      ['daily-sales.configured', 'daily-sales.enabled', 'daily-sales.disabled'],
    );

    const back = await mlc(['daily-sales', 'settings', 'enable', '--connection', connectionId], env);
    assert.equal(back.code, 0, back.stderr);
  });

  it('status shows seeded summaries with what was proposed and posted', async () => {
    const oldest = utcDay(3);
    const older = utcDay(2);
    const yesterday = utcDay(1);
    const summary = (
      marketplaceId: string,
      currency: string,
      day: string,
      orders: number,
      total: string,
    ) => ({
      _id: `${connectionId}:${day}:${marketplaceId}:${currency}`,
      connectionId,
      day,
      marketplaceId,
      currency,
      orders,
      cancelled: 1,
      total,
      updatedAt: new Date(),
    });
    await dailySalesModel(db).insertMany([
      summary(US, 'USD', oldest, 1, '10.00'),
      summary(US, 'USD', older, 3, '123.45'),
      summary(US, 'USD', yesterday, 2, '50.00'),
      summary(UK, 'GBP', yesterday, 1, '9.99'),
      summary(US, 'USD', utcDay(40), 5, '1000.00'),
      { ...summary(US, 'USD', yesterday, 4, '77.00'), _id: 'other:x', connectionId: 'other' },
    ]);
    const base = `ds:${connectionId}:${US}:USD:${older}`;
    const proposal = (jobId: string, adjustment: number, amountMinor: string) => ({
      _id: jobId,
      connectionId,
      marketplaceId: US,
      currency: 'USD',
      day: older,
      adjustment,
      amountMinor,
      event: '{}',
      published: true,
      createdAt: new Date(),
    });
    await dailySalesProposalModel(db).insertMany([
      proposal(base, 0, '12000'),
      proposal(`${base}:adj1`, 1, '345'),
      { ...proposal(`ds:${connectionId}:${US}:USD:${oldest}`, 0, '1000'), day: oldest },
    ]);
    await jobModel(db).create({
      jobId: `ds:${connectionId}:${US}:USD:${oldest}`,
      kind: 'daily-sales',
      connectionId,
      state: 'rejected',
      attempts: 1,
      lastError: 'Account 1.4010.AMZ is not a posting account',
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    await jobModel(db).create({
      jobId: base,
      kind: 'daily-sales',
      connectionId,
      state: 'posted',
      attempts: 1,
      result: { documentNumber: '4711', company: '00100', documentType: 'JE', batchNumber: '900' },
      createdAt: new Date(),
      updatedAt: new Date(),
    });

    const json = await mlc(
      ['daily-sales', 'status', '--connection', connectionId, '--days', '7', '--json'],
      env,
    );
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout);
    assert.equal(report.settings.enabled, true);
    const rows = report.rows as Array<
      Record<string, unknown> & { proposals: Array<Record<string, unknown>> }
    >;
    assert.deepEqual(
      rows.map((r) => [
        r.marketplaceId,
        r.currency,
        r.day,
        r.orders,
        r.total,
        r.proposed,
        r.posted,
        r.unproposed,
      ]),
      [
        [UK, 'GBP', yesterday, 1, '9.99', '0.00', '0.00', '9.99'],
        [US, 'USD', oldest, 1, '10.00', '10.00', '0.00', '0.00'],
        [US, 'USD', older, 3, '123.45', '123.45', '120.00', '0.00'],
        [US, 'USD', yesterday, 2, '50.00', '0.00', '0.00', '50.00'],
      ],
    );
    assert.equal(rows[0]!.state, 'not posted: marketplace not in the settings');
    assert.equal(rows[1]!.state, 'REJECTED (see the dead-letter topic)');
    assert.equal(rows[2]!.state, '1 of 2 not posted yet (proposed)');
    assert.equal(rows[3]!.state, 'not proposed yet');
    assert.deepEqual(
      rows[2]!.proposals.map((p) => [
        p.jobId,
        p.adjustment,
        p.amount,
        (p.job as { state?: string } | null)?.state ?? null,
      ]),
      [
        [base, 0, '120.00', 'posted'],
        [`${base}:adj1`, 1, '3.45', null],
      ],
    );
    assert.equal((rows[2]!.proposals[0]!.job as { document: string }).document, '00100 JE 4711');

    const text = await mlc(['daily-sales', 'status', '--connection', connectionId, '--days', '7'], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /postings ENABLED/);
    assert.match(
      text.stdout,
      new RegExp(
        `${US} +USD +${older} +3 +1 +123\\.45 +123\\.45 \\(2\\) +120\\.00 +1 of 2 not posted yet \\(proposed\\) +00100 JE 4711`,
      ),
    );
    assert.match(
      text.stdout,
      new RegExp(
        `^problems:\\n {2}ds:${connectionId}:${US}:USD:${oldest} \\(rejected\\): Account 1\\.4010\\.AMZ is not a posting account$`,
        'm',
      ),
    );
    assert.ok(!text.stdout.includes('1000.00'), 'a day outside --days is not shown');
    assert.ok(!text.stdout.includes('77.00'), "another connection's day is not shown");

    const disable = await mlc(['daily-sales', 'settings', 'disable', '--connection', connectionId], env);
    assert.equal(disable.code, 0, disable.stderr);
    const disabled = await mlc(['daily-sales', 'status', '--connection', connectionId, '--json'], env);
    const disabledReport = JSON.parse(disabled.stdout);
    assert.equal(
      disabledReport.rows.find(
        (r: { day: string; marketplaceId: string }) => r.day === yesterday && r.marketplaceId === US,
      ).state,
      'not posted: disabled',
    );
    assert.equal(
      disabledReport.rows.length,
      4,
      'the default window (14 days) holds the four days above, not the one 40 days ago',
    );
  });

  it('usage errors exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['daily-sales', 'settings', 'show'], /--connection is required/],
      [['daily-sales', 'settings', 'set', '--connection', 'c'], /give the settings JSON file/],
      [
        ['daily-sales', 'settings', 'frobnicate', '--connection', 'c'],
        /unknown settings action "frobnicate"/,
      ],
      [
        ['daily-sales', 'status', '--connection', 'c', '--days', '0'],
        /--days "0" is not a positive whole number/,
      ],
    ];
    for (const [args, why] of cases) {
      const { code, stderr } = await mlc(args, env);
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, why, args.join(' '));
    }
  });
});
