/**
 * `mlc settlement list|show|release` as processes on the real stack: settlement records, audit events
 * and jobs seeded straight into a fresh database, a namespace of its own on the broker, and the
 * released settlement's amazon.settlement.available.v1 event read back from the namespaced topic.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kafkaNames, type SettlementAvailableV1 } from '@mlc/events';
import { createKafka, ensureTopics } from '@mlc/kafka';
import {
  appendAudit,
  auditModel,
  connectMongo,
  ensureIndexes,
  ensureJob,
  jobModel,
  updateJob,
} from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import { recordSettlement, type SettlementRecord, settlementModel } from '@mlc/store';
import { freePort, kafkaBrokers, uniqueMongoUrl, uniqueName, waitFor } from '@mlc/testkit';
import type { Consumer } from 'kafkajs';
import type { Connection } from 'mongoose';
import { mlc } from './mlc.js';

const checksum = 'ab'.repeat(32);
const longReason =
  'JDE accounts not usable: M30.4000 is not a posting account; M30.6100 does not exist in F0901 for company 00001 — fix the chart or the mapping, then release';

type Seed = Omit<SettlementRecord, 'createdAt' | 'updatedAt'>;
const parsed = (connectionId: string, settlementId: string, status: Seed['status']): Seed => ({
  connectionId,
  settlementId,
  status,
  region: 'EU',
  reportId: `R-${settlementId}`,
  rawDocumentId: `raw-${settlementId}`,
  checksum,
  format: 'flat-file-v2',
  currency: 'EUR',
  totalAmount: '1176.75',
  startDate: new Date('2025-07-01T00:00:00Z'),
  endDate: new Date('2025-07-15T00:00:00Z'),
  depositDate: new Date('2025-07-17T00:00:00Z'),
  rowCount: 5,
});

describe('mlc settlement list, show and release', () => {
  const mongoUrl = uniqueMongoUrl('cli_settlements');
  const namespace = uniqueName('clirel');
  const env = {
    MLC_MONGO_URL: mongoUrl,
    MLC_KAFKA_BROKERS: kafkaBrokers.join(','),
    MLC_KAFKA_NAMESPACE: namespace,
    USER: 'tester',
  };
  const { topics } = kafkaNames(namespace);
  const a = uniqueName('conn-a');
  const b = uniqueName('conn-b');
  const jobId = `mlc:${a}:S1:2025-07`;
  let db: Connection;
  let consumer: Consumer;
  const received: Array<{ key: string; value: SettlementAvailableV1 }> = [];

  before(async () => {
    db = await connectMongo({ url: mongoUrl });
    await ensureIndexes([settlementModel(db), auditModel(db), jobModel(db)] as never);
    const at = (minutes: number) => new Date(Date.UTC(2025, 6, 18, 9, minutes));

    // a/S1 posted: the whole trail, one job posted to JDE.
    await recordSettlement(db, { ...parsed(a, 'S1', 'posted'), jobIds: [jobId] });
    await appendAudit(db, {
      at: at(0),
      actor: 'amazon-ingest',
      action: 'settlement.received',
      connectionId: a,
      settlementId: 'S1',
      detail: { rows: 5, total: '1176.75', currency: 'EUR' },
    });
    await appendAudit(db, {
      at: at(1),
      actor: 'amazon-ingest',
      action: 'settlement.announced',
      connectionId: a,
      settlementId: 'S1',
      detail: { topic: topics.settlementAvailable.name },
    });
    await appendAudit(db, {
      at: at(2),
      actor: 'mapping',
      action: 'settlement.proposed',
      connectionId: a,
      settlementId: 'S1',
      detail: {
        ruleSet: `${a}-default@1`,
        parts: 1,
        jobIds: [jobId],
        suspenseRows: 2,
        unmapped: ['other-transaction / Fee / Mystery (2 rows)'],
      },
    });
    await appendAudit(db, {
      at: at(3),
      actor: 'jde-poster',
      action: 'journal.posting',
      connectionId: a,
      settlementId: 'S1',
      jobId,
      detail: { attempt: 1, lines: 6 },
    });
    await appendAudit(db, {
      at: at(4),
      actor: 'jde-poster',
      action: 'journal.posted',
      connectionId: a,
      settlementId: 'S1',
      jobId,
      detail: {
        documentNumber: '4711',
        documentType: 'JE',
        company: '00001',
        batchNumber: '808',
        via: 'orchestration',
      },
    });
    await ensureJob(db, { jobId, kind: 'journal', connectionId: a, settlementId: 'S1' });
    await updateJob(db, jobId, {
      state: 'posted',
      attempts: 1,
      result: {
        documentNumber: '4711',
        documentType: 'JE',
        company: '00001',
        batchNumber: '808',
        via: 'orchestration',
        postedAt: at(4).toISOString(),
      },
    });

    // a/S2 held by mapping (its report parsed), b/S1 the same id as a/S1, b/S3 held unparsed.
    await recordSettlement(db, { ...parsed(a, 'S2', 'held'), reason: longReason });
    await appendAudit(db, {
      at: at(5),
      actor: 'mapping',
      action: 'settlement.held',
      connectionId: a,
      settlementId: 'S2',
      detail: { reason: longReason, code: 'account-check' },
    });
    await recordSettlement(db, {
      ...parsed(b, 'S1', 'announced'),
      region: 'NA',
      currency: 'USD',
      totalAmount: '10.00',
    });
    await recordSettlement(db, {
      connectionId: b,
      settlementId: 'S3',
      status: 'held',
      reason: 'S3.txt: line 2, field "total-amount": not a decimal amount',
      region: 'NA',
      reportId: null,
      rawDocumentId: 'raw-S3',
      checksum,
    });

    const kafka = createKafka({
      brokers: kafkaBrokers,
      clientId: 'cli-release-test',
      logger: createLogger('cli-release-test', 'warn'),
    });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topics.settlementAvailable]);
    await admin.disconnect();
    consumer = kafka.consumer({ groupId: uniqueName('cli-release-reader') });
    await consumer.connect();
    await consumer.subscribe({ topic: topics.settlementAvailable.name, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push({ key: String(message.key), value: JSON.parse(String(message.value)) });
      },
    });
  });

  after(async () => {
    await consumer?.disconnect();
    await db.dropDatabase();
    await db.close();
  });

  it('list: a table of the records, the reason truncated; filters; full reasons in --json', async () => {
    const all = await mlc(['settlement', 'list'], env);
    assert.equal(all.code, 0, all.stderr);
    const rows = all.stdout.trimEnd().split('\n');
    assert.match(
      rows[0]!,
      /^connection +settlement +status +currency +total +rows +deposit +updated +reason$/,
    );
    assert.equal(rows.length, 5);
    const s2 = rows.find((r) => r.includes(' S2 '))!;
    assert.match(
      s2,
      new RegExp(
        `^${a} +S2 +held +EUR +1176\\.75 +5 +2025-07-17 +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d +JDE accounts not usable: M30\\.4000`,
      ),
    );
    assert.ok(s2.endsWith('…') && !s2.includes('then release'));

    const held = await mlc(['settlement', 'list', '--status', 'held', '--json'], env);
    assert.equal(held.code, 0, held.stderr);
    const records = JSON.parse(held.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(
      records.map((r) => `${r.connectionId}/${r.settlementId}`).sort(),
      [`${a}/S2`, `${b}/S3`].sort(),
    );
    assert.equal(records.find((r) => r.settlementId === 'S2')?.reason, longReason);

    const onlyB = await mlc(['settlement', 'list', '--connection', b, '--json'], env);
    assert.deepEqual(
      JSON.parse(onlyB.stdout)
        .map((r: { settlementId: string }) => r.settlementId)
        .sort(),
      ['S1', 'S3'],
    );
    const limited = await mlc(['settlement', 'list', '--limit', '2'], env);
    assert.match(limited.stdout, /\(the newest 2 of 4; see --limit\)/);
    const none = await mlc(['settlement', 'list', '--status', 'rejected'], env);
    assert.equal(none.stdout, '(no settlements)\n');
  });

  it('show: the record, the audit trail in time order, the jobs, and what is stored of the lineage', async () => {
    const ambiguous = await mlc(['settlement', 'show', 'S1'], env);
    assert.equal(ambiguous.code, 2);
    assert.match(
      ambiguous.stderr,
      /settlement S1 is recorded under several connections \(.*\): say which with --connection/,
    );
    const missing = await mlc(['settlement', 'show', 'S9'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /no settlement S9 is recorded/);

    const text = await mlc(['settlement', 'show', 'S1', '--connection', a], env);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^status +posted$/m);
    assert.match(text.stdout, /^total +1176\.75 EUR$/m);
    assert.match(text.stdout, /^audit trail \(5\):$/m);
    const actions = [...text.stdout.matchAll(/^ {2}\S+ +\S+ +(settlement|journal)\.(\w+)/gm)].map(
      (m) => `${m[1]}.${m[2]}`,
    );
    assert.deepEqual(actions, [
      'settlement.received',
      'settlement.announced',
      'settlement.proposed',
      'journal.posting',
      'journal.posted',
    ]);
    assert.match(text.stdout, /^jobs \(1\):$/m);
    assert.match(text.stdout, new RegExp(`^ {2}${jobId} +posted +1 +00001 JE 4711$`, 'm'));
    assert.match(text.stdout, /Journal lines are not stored in MongoDB/);
    assert.match(text.stdout, new RegExp(`rule set +${a}-default@1`));
    assert.match(text.stdout, /unmapped +other-transaction \/ Fee \/ Mystery \(2 rows\)/);
    assert.match(text.stdout, new RegExp(`^ {2}${jobId} +\\S+ +6 +00001 JE 4711 +808$`, 'm'));

    const json = await mlc(['settlement', 'show', 'S1', '--connection', a, '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    const shown = JSON.parse(json.stdout);
    assert.equal(shown.settlement.status, 'posted');
    assert.equal(shown.audit.length, 5);
    assert.equal(shown.audit[4].detail.documentNumber, '4711');
    assert.deepEqual(
      shown.jobs.map((j: { jobId: string; state: string; attempts: number }) => [
        j.jobId,
        j.state,
        j.attempts,
      ]),
      [[jobId, 'posted', 1]],
    );
    assert.equal(shown.jobs[0].result.documentNumber, '4711');
    assert.equal(shown.lineage.jobs[0].lines, 6);
    assert.equal(shown.lineage.ruleSet, `${a}-default@1`);
    assert.match(shown.lineage.note, /not stored in MongoDB/);
  });

  it('release: refuses what is not held, a held report that never parsed, and an unreachable Kafka', async () => {
    const posted = await mlc(['settlement', 'release', 'S1', '--connection', a], env);
    assert.equal(posted.code, 1);
    assert.match(posted.stderr, new RegExp(`settlement S1 of connection ${a} is posted, not held`));
    const ambiguous = await mlc(['settlement', 'release', 'S1'], env);
    assert.equal(ambiguous.code, 2);
    const unparsed = await mlc(['settlement', 'release', 'S3'], env);
    assert.equal(unparsed.code, 1);
    assert.match(unparsed.stderr, /cannot be released: its report never parsed .*field "total-amount"/);
    const s3 = await settlementModel(db).findOne({ connectionId: b, settlementId: 'S3' }).lean();
    assert.equal(s3?.status, 'held');
    const down = await mlc(['settlement', 'release', 'S2', '--connection', a], {
      ...env,
      MLC_KAFKA_BROKERS: `127.0.0.1:${await freePort()}`,
    });
    assert.equal(down.code, 1);
    assert.match(down.stderr, /cannot reach Kafka at 127\.0\.0\.1:\d+ \(MLC_KAFKA_BROKERS\)/);
    const s2 = await settlementModel(db).findOne({ connectionId: a, settlementId: 'S2' }).lean();
    assert.equal(s2?.status, 'held');
    assert.equal(await auditModel(db).countDocuments({ action: 'settlement.released' }), 0);
  });

  it('release: a held settlement is announced again, audited, and its event re-published', async () => {
    const { code, stdout, stderr } = await mlc(
      ['settlement', 'release', 'S2', '--reason', 'account M30.4000 opened in JDE'],
      env,
    );
    assert.equal(code, 0, stderr);
    assert.match(
      stdout,
      new RegExp(
        `released settlement S2 of connection ${a}: status announced, event published to ${topics.settlementAvailable.name}`,
      ),
    );

    const record = await settlementModel(db).findOne({ connectionId: a, settlementId: 'S2' }).lean();
    assert.equal(record?.status, 'announced');
    assert.equal(record?.reason, undefined);
    const audit = await auditModel(db).find({ action: 'settlement.released' }).lean();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor, 'operator:tester');
    assert.equal(audit[0]!.settlementId, 'S2');
    assert.equal(audit[0]!.detail?.reason, 'account M30.4000 opened in JDE');
    assert.equal(audit[0]!.detail?.heldBecause, longReason);

    const event = await waitFor('the re-published event', () => received.find((m) => m.key === `${a}:S2`));
    const { emittedAt, ...rest } = event.value;
    assert.ok(Date.now() - Date.parse(emittedAt) < 60_000);
    assert.deepEqual(rest, {
      connectionId: a,
      region: 'EU',
      settlementId: 'S2',
      reportId: 'R-S2',
      rawDocumentId: 'raw-S2',
      checksum,
      format: 'flat-file-v2',
      currency: 'EUR',
      startDate: '2025-07-01T00:00:00.000Z',
      endDate: '2025-07-15T00:00:00.000Z',
      depositDate: '2025-07-17T00:00:00.000Z',
      totalAmount: '1176.75',
      rowCount: 5,
    });

    const again = await mlc(['settlement', 'release', 'S2'], env);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /is announced, not held/);
  });
});
