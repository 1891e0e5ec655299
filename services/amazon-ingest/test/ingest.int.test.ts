/**
 * The ingest path on the real broker and FerretDB: a settlement is announced exactly once however
 * often its report arrives (plain or GZIP), an invalid report is held with the parser's reason and
 * never announced, and the admin import route feeds a file through the same path.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { topics } from '@mlc/events';
import { createKafka, EventPublisher, ensureTopics } from '@mlc/kafka';
import { auditModel, connectMongo, ensureIndexes } from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import { rawChunkModel, rawDocumentModel, readRowGroups, settlementModel } from '@mlc/store';
import { kafkaBrokers, repoRoot, uniqueMongoUrl, uniqueName, waitFor } from '@mlc/testkit';
import Fastify from 'fastify';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { createIngestMetrics, ingestSettlementDocument } from '../src/ingest.js';
import { settlementRoutes } from '../src/routes/settlements.js';

const fixtures = path.join(repoRoot, 'libs', 'settlement', 'test', 'fixtures');
const logger = createLogger('ingest-test', 'warn');

describe('ingest on the real stack', () => {
  let db: Connection;
  let kafka: Kafka;
  let publisher: EventPublisher;
  const metrics = createIngestMetrics(new Registry());
  const connectionId = uniqueName('conn');
  const announced: Array<{ key: string; settlementId: string }> = [];
  let stopReader: () => Promise<void>;

  before(async () => {
    db = await connectMongo({ url: uniqueMongoUrl('ingest') });
    await ensureIndexes([
      auditModel(db),
      rawDocumentModel(db),
      rawChunkModel(db),
      settlementModel(db),
    ] as never);
    kafka = createKafka({ brokers: kafkaBrokers, clientId: 'ingest-test', logger });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topics.settlementAvailable]);
    await admin.disconnect();
    publisher = new EventPublisher(kafka);
    await publisher.connect();
    // Read every announcement for this test's connection.
    const consumer = kafka.consumer({ groupId: uniqueName('ingest-test-reader') });
    await consumer.connect();
    await consumer.subscribe({ topic: topics.settlementAvailable.name, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const key = String(message.key);
        if (!key.startsWith(connectionId)) return;
        announced.push({ key, settlementId: JSON.parse(String(message.value)).settlementId });
      },
    });
    stopReader = () => consumer.disconnect();
  });

  after(async () => {
    await stopReader();
    await publisher.disconnect();
    await db.dropDatabase();
    await db.close();
  });

  const deps = () => ({ db, publisher, topics, metrics });

  it('announces a settlement once across duplicate and GZIP deliveries of its report', async () => {
    const plain = readFileSync(path.join(fixtures, 'v2-us-dot.txt'));
    const input = { connectionId, region: 'NA' as const, reportId: 'R1', bytes: plain, fileName: 'R1' };
    const first = await ingestSettlementDocument(input, deps());
    assert.deepEqual(first, { kind: 'announced', settlementId: '9100000001' });
    const again = await ingestSettlementDocument(
      { ...input, reportId: 'R2', bytes: gzipSync(plain) },
      deps(),
    );
    assert.equal(again.kind, 'duplicate');
    await waitFor('the announcement', () => announced.length >= 1);
    await new Promise((r) => setTimeout(r, 1_000));
    assert.deepEqual(announced, [{ key: `${connectionId}:9100000001`, settlementId: '9100000001' }]);

    const record = await settlementModel(db).findOne({ connectionId, settlementId: '9100000001' }).lean();
    assert.equal(record?.status, 'announced');
    assert.equal(record?.totalAmount, '1318.29');
    // The rows summed per kind and day for mapping, from the same pass: 7 rows, 1318.29 in all.
    const groups = (await readRowGroups(db, record?.rawDocumentId ?? '')) ?? [];
    assert.equal(
      groups.reduce((n, g) => n + g.rowCount, 0),
      7,
    );
    assert.equal(
      groups.reduce((sum, g) => sum + g.amount, 0n),
      131829n,
    );
    assert.ok(
      groups.some((g) => g.amountDescription === 'Subscription Fee' && g.postedDate === '2025-07-03'),
    );
    const trail = await auditModel(db)
      .find({ connectionId, settlementId: '9100000001' })
      .sort({ at: 1 })
      .lean();
    assert.deepEqual(
      trail.map((e) => e.action),
      ['settlement.received', 'settlement.announced'],
    );
  });

  it('re-announces a settlement left `received` by a crash before its event', async () => {
    const bytes = readFileSync(path.join(fixtures, 'v2-de-comma.txt'));
    const input = { connectionId, region: 'EU' as const, reportId: 'R3', bytes, fileName: 'R3' };
    const first = await ingestSettlementDocument(input, deps());
    assert.equal(first.kind, 'announced');
    // As if the process died after recording but before publishing.
    await settlementModel(db).updateOne(
      { connectionId, settlementId: first.settlementId },
      { $set: { status: 'received' } },
    );
    const second = await ingestSettlementDocument(input, deps());
    assert.equal(second.kind, 'announced');
    const third = await ingestSettlementDocument(input, deps());
    assert.equal(third.kind, 'duplicate');
  });

  it('holds an invalid report with the reason naming file, line and field, and announces nothing', async () => {
    const before = announced.length;
    const bytes = readFileSync(path.join(fixtures, 'malformed', 'total-mismatch.txt'));
    // Its own connection: the fixture reuses a settlement id the first test announced.
    const badConnection = `${connectionId}-bad`;
    const outcome = await ingestSettlementDocument(
      { connectionId: badConnection, region: 'NA', reportId: 'R9', bytes, fileName: 'R9.txt' },
      deps(),
    );
    assert.equal(outcome.kind, 'held');
    assert.match(outcome.kind === 'held' ? outcome.reason : '', /^R9\.txt: line \d+, field "total-amount"/);
    const record = await settlementModel(db)
      .findOne({ connectionId: badConnection, settlementId: outcome.settlementId })
      .lean();
    assert.equal(record?.status, 'held');
    assert.equal(await readRowGroups(db, record?.rawDocumentId ?? ''), null, 'no groups for a held report');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(announced.length, before);
  });

  it('a corrected report replaces one held because it did not reconcile', async () => {
    const fixed = `${connectionId}-fixed`;
    const broken = await ingestSettlementDocument(
      {
        connectionId: fixed,
        region: 'NA',
        reportId: null,
        bytes: readFileSync(path.join(fixtures, 'malformed', 'total-mismatch.txt')),
        fileName: 'broken.txt',
      },
      deps(),
    );
    assert.equal(broken.kind, 'held');
    const corrected = await ingestSettlementDocument(
      {
        connectionId: fixed,
        region: 'NA',
        reportId: null,
        bytes: readFileSync(path.join(fixtures, 'v2-us-dot.txt')),
        fileName: 'corrected.txt',
      },
      deps(),
    );
    assert.deepEqual(corrected, { kind: 'announced', settlementId: broken.settlementId });
    const record = await settlementModel(db)
      .findOne({ connectionId: fixed, settlementId: broken.settlementId })
      .lean();
    assert.equal(record?.status, 'announced');
    assert.equal(record?.reason, undefined);
    assert.equal(record?.totalAmount, '1318.29');
  });

  it('imports a file through the admin route', async () => {
    const app = Fastify();
    await app.register(settlementRoutes(deps()));
    const bytes = readFileSync(path.join(fixtures, 'v2-negative.txt'));
    const answer = await app.inject({
      method: 'POST',
      url: `/admin/settlements/import?connectionId=${connectionId}&fileName=v2-negative.txt`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: bytes,
    });
    assert.equal(answer.statusCode, 200, answer.body);
    assert.equal(answer.json().kind, 'announced');
    const bad = await app.inject({
      method: 'POST',
      url: `/admin/settlements/import?connectionId=${connectionId}&fileName=empty.txt`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: readFileSync(path.join(fixtures, 'malformed', 'mixed-settlement-ids.txt')),
    });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.json().reason, /empty\.txt: line \d+/);
    await app.close();
  });
});
