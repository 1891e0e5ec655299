/**
 * `mlc settlement repost` and `settlement show` lineage on the real broker and FerretDB, with the JDE AIS
 * simulator and the mapping and jde-poster logic consuming the namespaced topics in this process
 * (the handlers the services run: mapSettlement, repostSettlement, checkRepostOrder + postJournal +
 * auditRepostPosting). A settlement is posted, a rule is fixed, the CLI reposts it: F0911 gets a
 * reversal and the new document, and the ledger nets to exactly the new mapping. Running the command
 * again and replaying both consumer groups from the beginning posts nothing more.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AisClient, InProcessSessionProvider } from '@mlc/ais';
import { type JournalProposedV1, kafkaNames, type SettlementAvailableV1 } from '@mlc/events';
import { createKafka, DeadLetter, EventPublisher, ensureTopics, startConsumer } from '@mlc/kafka';
import { buildJournals, defaultRuleSet, type Journal, netByAccount, parseAccount } from '@mlc/mapping';
import { auditModel, connectMongo, ensureIndexes, jobClaimModel, jobModel } from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import { SettlementReader } from '@mlc/settlement';
import { buildSimulatorApp, DEFAULT_CHART_OF_ACCOUNTS, isoToJulian, type LedgerRow } from '@mlc/sim-jde-ais';
import {
  rawChunkModel,
  rawDocumentModel,
  readRawDocument,
  recordRepost,
  recordSettlement,
  repostModel,
  ruleSetModel,
  saveRuleSet,
  setSettlementStatus,
  settlementModel,
  storeRawDocument,
} from '@mlc/store';
import { kafkaBrokers, uniqueMongoUrl, uniqueName, waitFor } from '@mlc/testkit';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { JournalRejected, postJournal } from '../../services/jde-poster/src/posting.js';
import { auditRepostPosting, checkRepostOrder } from '../../services/jde-poster/src/repost-order.js';
import { createMappingMetrics, mapSettlement } from '../../services/mapping/src/map-settlement.js';
import { repostSettlement } from '../../services/mapping/src/repost.js';
import { fixtures, mlc } from './mlc.js';

const logger = createLogger('repost-test', process.env.MLC_TEST_LOG ?? 'error');

describe('mlc settlement repost and show on the real stack', { timeout: 240_000 }, () => {
  const mongoUrl = uniqueMongoUrl('cli_repost');
  const namespace = uniqueName('repost');
  const { topics } = kafkaNames(namespace);
  const connectionId = uniqueName('conn');
  const settlementId = '9100000001';
  const key = { connectionId, settlementId };
  const env = {
    MLC_MONGO_URL: mongoUrl,
    MLC_KAFKA_BROKERS: kafkaBrokers.join(','),
    MLC_KAFKA_NAMESPACE: namespace,
    USER: 'tester',
  };
  let db: Connection;
  let publisher: EventPublisher;
  let sim: ReturnType<typeof buildSimulatorApp>;
  let client: AisClient;
  const stops: Array<() => Promise<void>> = [];
  const handled = { reposts: 0, journals: 0 };
  let rawDocumentId = '';

  const kafka = createKafka({ brokers: kafkaBrokers, clientId: 'repost-test', logger });
  // The simulator is this test's own: its whole F0911 is this settlement's.
  const ledger = (): LedgerRow[] => [...sim.state.ledger];

  /** mapping's repost consumer and jde-poster's journal consumer, as service.ts wires them. */
  async function startPipeline(suffix: string) {
    const reposts = await startConsumer({
      kafka,
      groupId: `${namespace}.mapping.reposts.${suffix}`,
      spec: topics.settlementRepostRequested,
      publisher,
      logger,
      handler: async (event) => {
        await repostSettlement(event, { db, publisher, topics, accounts: null });
        handled.reposts++;
      },
    });
    const journals = await startConsumer({
      kafka,
      groupId: `${namespace}.jde-poster.${suffix}`,
      spec: topics.journalProposed,
      publisher,
      logger,
      retryBaseMs: 50,
      handler: async (journal: JournalProposedV1) => {
        const k = { connectionId: journal.connectionId, settlementId: journal.settlementId };
        try {
          await checkRepostOrder(db, journal);
          const outcome = await postJournal(journal, { db, target: client, holder: 'test', leaseMs: 60_000 });
          await auditRepostPosting(db, journal, outcome);
          const record = await settlementModel(db).findOne(k).lean().exec();
          const ids = record?.jobIds ?? [];
          const posted = await jobModel(db)
            .countDocuments({ jobId: { $in: ids }, state: 'posted' })
            .exec();
          if (ids.length > 0 && posted === ids.length) await setSettlementStatus(db, k, 'posted');
        } catch (error) {
          if (!(error instanceof JournalRejected)) throw error;
          const reason = `JDE rejected ${journal.jobId}: ${error.message}`;
          await setSettlementStatus(db, k, 'rejected', { reason });
          throw new DeadLetter(reason);
        } finally {
          handled.journals++;
        }
      },
    });
    const stop = async () => {
      await reposts.stop();
      await journals.stop();
    };
    stops.push(stop);
    return stop;
  }

  before(async () => {
    db = await connectMongo({ url: mongoUrl });
    await ensureIndexes([
      auditModel(db),
      jobModel(db),
      jobClaimModel(db),
      settlementModel(db),
      rawDocumentModel(db),
      rawChunkModel(db),
      ruleSetModel(db),
      repostModel(db),
    ] as never);
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topics.journalProposed, topics.settlementRepostRequested]);
    await admin.disconnect();
    publisher = new EventPublisher(kafka);
    await publisher.connect();

    // The simulator's chart plus every account the default rules post to.
    const rules = defaultRuleSet(connectionId);
    const used = new Map(
      [
        rules.clearingAccount,
        rules.carriedForwardAccount,
        rules.suspenseAccount,
        ...rules.rules.map((r) => r.account),
      ].map((a) => [`${a.businessUnit}.${a.object}.${a.subsidiary ?? ''}`, a]),
    );
    sim = buildSimulatorApp({
      accounts: [
        ...DEFAULT_CHART_OF_ACCOUNTS,
        ...[...used.values()].map((a, i) => ({
          company: rules.company,
          aid: `9${String(i).padStart(7, '0')}`,
          businessUnit: a.businessUnit,
          object: a.object,
          subsidiary: a.subsidiary ?? '',
          description: `test ${a.object}`,
          postingEditCode: '',
          levelOfDetail: 7,
        })),
      ],
    });
    const baseUrl = await sim.app.listen({ host: '127.0.0.1', port: 0 });
    const connection = {
      id: connectionId,
      baseUrl,
      allowInsecureHttp: true,
      username: 'JDE',
      password: 'JDE',
      deviceName: 'mlc-repost-test',
      environment: 'JDV920',
      role: '*ALL',
    };
    client = new AisClient({ connection, sessions: new InProcessSessionProvider([connection]) });
    await startPipeline('first');

    // Generation 1: the settlement announced, mapped by the default rules and posted.
    const bytes = readFileSync(path.join(fixtures, 'v2-us-dot.txt'));
    const { document } = await storeRawDocument(db, { connectionId, bytes, source: 'test' });
    rawDocumentId = document._id;
    const event: SettlementAvailableV1 = {
      connectionId,
      region: 'NA',
      settlementId,
      reportId: null,
      rawDocumentId,
      checksum: document.sha256,
      format: 'flat-file-v2',
      currency: 'USD',
      startDate: '2025-07-01T08:00:00.000Z',
      endDate: '2025-07-15T08:00:00.000Z',
      depositDate: '2025-07-17T08:00:00.000Z',
      totalAmount: '1318.29',
      rowCount: 7,
      emittedAt: new Date().toISOString(),
    };
    await recordSettlement(db, {
      ...key,
      status: 'announced',
      region: 'NA',
      rawDocumentId,
      checksum: document.sha256,
      format: 'flat-file-v2',
      currency: 'USD',
      totalAmount: '1318.29',
      rowCount: 7,
    });
    const metrics = createMappingMetrics(new Registry());
    const outcome = await mapSettlement(event, { db, publisher, topics, metrics, accounts: null });
    assert.equal(outcome.kind, 'proposed');
    await waitFor(
      'generation 1 posted',
      async () => {
        const now = await status();
        if (now === 'rejected')
          throw new Error(`rejected: ${JSON.stringify(await jobModel(db).find(key).lean())}`);
        return now === 'posted';
      },
      60_000,
    );
  });

  after(async () => {
    for (const stop of stops) await stop().catch(() => undefined);
    await publisher?.disconnect();
    await sim?.app.close();
    await db?.dropDatabase();
    await db?.close();
  });

  async function status() {
    return (await settlementModel(db).findOne(key).lean().exec())?.status;
  }

  /** The settlement mapped by `ruleSet` as the journal builder gives it (what F0911 must net to). */
  async function mapped(ruleSet = defaultRuleSet(connectionId)): Promise<Journal[]> {
    const reader = new SettlementReader(readRawDocument(db, rawDocumentId));
    const result = await buildJournals(await reader.summary(), reader, ruleSet);
    assert.equal(result.status, 'ready');
    return result.status === 'ready' ? result.journals : [];
  }

  function netOf(rows: LedgerRow[]): Map<string, bigint> {
    const net = new Map<string, bigint>();
    for (const row of rows) {
      const account = row.SBL.trim() ? `${row.ANI} ${row.SBLT}/${row.SBL.trim()}` : row.ANI;
      net.set(account, (net.get(account) ?? 0n) + row.AA);
    }
    for (const [account, amount] of net) if (amount === 0n) net.delete(account);
    return net;
  }

  const repostArgs = ['settlement', 'repost', settlementId, '--connection', connectionId];
  const reason = ['--reason', 'commission was mapped to referral fees; it belongs with FBA fees'];

  it('a settlement that is not posted is refused, and nothing is recorded', async () => {
    await recordSettlement(db, {
      connectionId,
      settlementId: 'S-PROPOSED',
      status: 'proposed',
      rawDocumentId,
      checksum: 'ab'.repeat(32),
    });
    const result = await mlc(
      ['settlement', 'repost', 'S-PROPOSED', '--connection', connectionId, ...reason, '--yes'],
      env,
    );
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /is proposed: only a posted settlement can be reposted/);
    assert.equal(await repostModel(db).countDocuments({ settlementId: 'S-PROPOSED' }).exec(), 0);
  });

  it('when the rules give what is posted, there is nothing to repost', async () => {
    const result = await mlc([...repostArgs, ...reason, '--yes'], env);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /nothing to repost/);
    assert.equal(await repostModel(db).countDocuments(key).exec(), 0);
  });

  it('reposts after a rule fix: reversal + new document in F0911, netting to the new mapping to the cent', async () => {
    const before = ledger();
    const firstDocs = new Set(before.map((r) => r.DOC));
    assert.equal(firstDocs.size, 1, 'generation 1 is one document');
    assert.deepEqual(netOf(before), netByAccount(await mapped()));

    // The fix: commissions go to the FBA fee account (both exist in the simulator's chart).
    const rules = defaultRuleSet(connectionId);
    const fbaAccount = rules.rules.find((r) => r.amountDescription === 'FBAPerUnitFulfillmentFee')!.account;
    const fixed = {
      ...rules,
      id: `${connectionId}-fixed`,
      version: 1,
      rules: rules.rules.map((r) =>
        r.amountDescription === 'Commission'
          ? { ...r, account: parseAccount(`${fbaAccount.businessUnit}.${fbaAccount.object}`) }
          : r,
      ),
    };
    await saveRuleSet(db, { connectionId, definition: JSON.stringify(fixed), createdBy: 'test' });

    const unconfirmed = await mlc([...repostArgs, ...reason], env);
    assert.equal(unconfirmed.code, 3, unconfirmed.stderr);
    assert.match(unconfirmed.stdout, /generation 2, mapped by .*-fixed@1/);
    assert.match(unconfirmed.stdout, /nothing done: run the same command with --yes/);
    const dry = await mlc([...repostArgs, ...reason, '--dry-run'], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /dry run: nothing recorded or posted/);
    assert.equal(await repostModel(db).countDocuments(key).exec(), 0);

    const done = await mlc([...repostArgs, ...reason, '--yes', '--actor', 'alice'], env);
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /requested repost generation 2/);
    await waitFor(
      'generation 2 posted',
      async () => (await status()) === 'posted' && new Set(ledger().map((r) => r.DOC)).size === 3,
      60_000,
    );

    const rows = ledger();
    const docs = [...new Set(rows.map((r) => r.DOC))];
    assert.equal(docs.length, 3, 'original, reversal, new');
    for (const doc of docs) {
      const sum = rows.filter((r) => r.DOC === doc).reduce((n, r) => n + r.AA, 0n);
      assert.equal(sum, 0n, `document ${doc} balances`);
    }
    const newMapping = await mapped(fixed);
    assert.deepEqual(netOf(rows), netByAccount(newMapping), 'F0911 nets to exactly the new mapping');
    // The reversal is the original negated, document for document.
    const [original, reversal] = docs;
    const lines = (doc: number) =>
      rows
        .filter((r) => r.DOC === doc)
        .map((r) => `${r.ANI}|${r.AA}`)
        .sort();
    assert.deepEqual(
      lines(reversal!),
      rows
        .filter((r) => r.DOC === original)
        .map((r) => `${r.ANI}|${-r.AA}`)
        .sort(),
    );
    // Every reversing row says so in F0911, next to the text of the row it negates.
    for (const row of rows.filter((r) => r.DOC === reversal)) assert.match(row.EXA, /^REV /);
    // The deposit (clearing) is untouched on net: only the commission moved.
    const clearing = (r: LedgerRow) =>
      r.ANI === newMapping[0]!.lines.find((l) => l.kind === 'clearing')!.accountText;
    assert.equal(
      rows.filter(clearing).reduce((n, r) => n + r.AA, 0n),
      131829n,
    );

    const trail = await auditModel(db).find(key).sort({ at: 1 }).lean().exec();
    const actions = trail.map((e) => e.action);
    const requested = trail.find((e) => e.action === 'settlement.repost-requested');
    assert.equal(requested?.actor, 'operator:alice');
    assert.equal(requested?.detail?.reason, reason[1]);
    assert.ok(actions.includes('settlement.repost-proposed'));
    const reversalPosted = actions.indexOf('settlement.reversal-posted');
    const partPosted = actions.indexOf('settlement.repost-part-posted');
    assert.ok(
      reversalPosted >= 0 && partPosted > reversalPosted,
      `reversal before new part: ${actions.join(', ')}`,
    );
  });

  it('the same command again, and both consumer groups replayed from the start, post nothing more', async () => {
    const count = ledger().length;
    const again = await mlc([...repostArgs, ...reason, '--yes'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing to repost/);
    assert.equal(await repostModel(db).countDocuments(key).exec(), 1);

    const seen = { ...handled };
    const stopReplay = await startPipeline('replay');
    // Every repost request and every journal of this namespace, handled a second time.
    await waitFor(
      'the replay consumed everything',
      () => handled.reposts >= seen.reposts * 2 && handled.journals >= seen.journals * 2,
      60_000,
    );
    assert.equal(ledger().length, count, 'F0911 unchanged');
    assert.equal(await status(), 'posted');
    await stopReplay();
  });

  it('show lists each line with the rows that made it, across the generations', async () => {
    const json = await mlc(
      ['settlement', 'show', settlementId, '--connection', connectionId, '--json', '--rows'],
      env,
    );
    assert.equal(json.code, 0, json.stderr);
    const shown = JSON.parse(json.stdout) as {
      generations: Array<{ generation: number; state: string; reason: string }>;
      journals: Array<{
        jobId: string;
        generation: number;
        kind: string;
        state: string;
        lines: Array<{
          account: string;
          amount: string;
          rows: string;
          rowDetails: Array<{
            row: number;
            amountDescription: string;
            orderId: string | null;
            amount: string;
          }>;
        }>;
      }>;
      postedDeposit: string;
    };
    assert.deepEqual(
      shown.journals.map((j) => [j.generation, j.kind, j.state]),
      [
        [1, 'part', 'posted'],
        [2, 'reversal', 'posted'],
        [2, 'part', 'posted'],
      ],
    );
    assert.equal(shown.generations[0]?.reason, reason[1]);
    assert.equal(shown.postedDeposit, '1318.29');
    // File lines: 1 header, 2 summary, 3 principal, 4 commission, 5 FBA fee, 6 principal, 7 commission,
    // 8 subscription, 9 refund principal.
    const fba = (j: (typeof shown.journals)[number]) =>
      j.lines.find((l) => l.rowDetails.some((r) => r.amountDescription === 'FBAPerUnitFulfillmentFee'))!;
    const [first, , fresh] = shown.journals;
    assert.equal(fba(first!).rows, '5');
    assert.equal(fba(fresh!).rows, '4-5, 7');
    assert.equal(fba(fresh!).amount, '237.75');
    assert.deepEqual(
      fba(fresh!).rowDetails.map((r) => [r.row, r.amountDescription, r.orderId, r.amount]),
      [
        [4, 'Commission', '111-0000001-0000001', '-194.85'],
        [5, 'FBAPerUnitFulfillmentFee', '111-0000001-0000001', '-5.40'],
        [7, 'Commission', '111-0000002-0000002', '-37.50'],
      ],
    );

    const text = await mlc(['settlement', 'show', settlementId, '--connection', connectionId], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /generation 2 reversal of mlc:.*:2025-07 \(JDE document \d+\)/);
    assert.match(text.stdout, /posted deposit, net of reversals: 1318\.29 USD/);
  });

  it('a closed period: JDE rejects the reversal, nothing new posts; again with --gl-date it goes through', async () => {
    const before = ledger().length;
    const documents = () => new Set(ledger().map((r) => r.DOC)).size;
    assert.equal(documents(), 3);
    // July 2025 is closed now; the fix is undone (commission back on the referral account).
    sim.state.options.openPeriods['*'] = [{ from: '2025-08-01', to: '2099-12-31' }];
    const back = { ...defaultRuleSet(connectionId), id: `${connectionId}-back`, version: 2 };
    await saveRuleSet(db, { connectionId, definition: JSON.stringify(back), createdBy: 'test' });
    const undo = ['--reason', 'the commission change was a mistake'];

    const handledBefore = handled.journals;
    const refused = await mlc([...repostArgs, ...undo, '--yes'], env);
    assert.equal(refused.code, 0, refused.stderr);
    assert.match(refused.stdout, /requested repost generation 3/);
    await waitFor('the reversal rejected', async () => (await status()) === 'rejected', 60_000);
    const record = await settlementModel(db).findOne(key).lean().exec();
    assert.match(record?.reason ?? '', /rev3: .*before the open periods/);
    // The new part of generation 3 is not posted while its reversal is not: nothing reached F0911.
    // Both journals of generation 3 — the rejected reversal and the new part after it — were handled.
    await waitFor('generation 3 handled', () => handled.journals >= handledBefore + 2, 30_000);
    assert.equal(ledger().length, before);
    assert.equal(
      await jobModel(db)
        .countDocuments({ jobId: { $regex: ':r3$' }, state: 'posted' })
        .exec(),
      0,
    );

    // A rejected settlement that is not a failed repost is still refused; this one may be reposted.
    const plan = await mlc([...repostArgs, ...undo, '--gl-date', '2025-08-01', '--dry-run'], env);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /generation 4, mapped by .*-back@2/);
    const done = await mlc([...repostArgs, ...undo, '--gl-date', '2025-08-01', '--yes'], env);
    assert.equal(done.code, 0, done.stderr);
    await waitFor(
      'generation 4 posted',
      async () => (await status()) === 'posted' && documents() === 5,
      60_000,
    );
    const rows = ledger();
    const added = rows.slice(before);
    assert.ok(
      added.every((r) => r.DGJ === isoToJulian('2025-08-01')),
      'reversal and new journal on 2025-08-01',
    );
    assert.deepEqual(netOf(rows), netByAccount(await mapped(back)), 'F0911 nets to the rules in force');

    const again = await mlc([...repostArgs, ...undo, '--gl-date', '2025-08-01', '--yes'], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /nothing to repost/);
    assert.equal(ledger().length, rows.length);
  });

  it('mapping refuses a request it cannot carry out whole, and nothing is posted', async () => {
    const count = ledger().length;
    const posted = await settlementModel(db).findOne(key).lean().exec();
    await recordRepost(db, {
      ...key,
      generation: 5,
      reason: 'rules that are not stored',
      requestedBy: 'operator:test',
      requestedAt: new Date(),
      ruleSet: `${connectionId}-nope@9`,
      reverses: [],
    });
    const event = { ...key, generation: 5, requestedAt: new Date().toISOString() };
    const outcome = await repostSettlement(event, { db, publisher, topics, accounts: null });
    assert.equal(outcome.kind, 'refused');
    assert.match(outcome.kind === 'refused' ? outcome.reason : '', /nope@9 is not stored/);
    const refused = await auditModel(db)
      .findOne({ ...key, action: 'settlement.repost-refused' })
      .lean()
      .exec();
    assert.equal(refused?.detail?.generation, 5);
    const after = await settlementModel(db).findOne(key).lean().exec();
    assert.equal(after?.status, 'posted');
    assert.deepEqual(after?.jobIds, posted?.jobIds);
    // A replay of the refused request is skipped.
    assert.equal((await repostSettlement(event, { db, publisher, topics, accounts: null })).kind, 'skipped');
    assert.equal(ledger().length, count);
    const shown = await mlc(['settlement', 'show', settlementId, '--connection', connectionId], env);
    assert.match(shown.stdout, /generation 5 refused: .*\n {4}refused: rule set .*-nope@9 is not stored/);
  });

  it('show says so when the rule set version a journal was mapped with is gone', async () => {
    await ruleSetModel(db).deleteMany({ connectionId }).exec();
    const text = await mlc(['settlement', 'show', settlementId, '--connection', connectionId], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /lines and rows NOT AVAILABLE: rule set .*-fixed@1 is not stored/);
    assert.match(text.stdout, /lines and rows NOT AVAILABLE: rule set .*-back@2 is not stored/);
    assert.match(text.stdout, /posted deposit: cannot be totalled/);
  });
});
