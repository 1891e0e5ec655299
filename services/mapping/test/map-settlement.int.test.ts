/**
 * mapSettlement on the real broker and FerretDB: an announced settlement becomes balanced journals
 * on ledger.journal.proposed.v1 whose lines sum to the settlement total; mapping it again proposes
 * nothing; unmapped rows under the `hold` policy and unusable accounts hold the settlement; with
 * the row groups amazon-ingest stores, the same journals come without reading the rows.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type JournalProposedV1, type SettlementAvailableV1, topics } from '@mlc/events';
import { createKafka, EventPublisher, ensureTopics } from '@mlc/kafka';
import { defaultRuleSet } from '@mlc/mapping';
import { parseDecimalToMinor } from '@mlc/money';
import { auditModel, connectMongo, ensureIndexes } from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import { RowGroups, SettlementReader } from '@mlc/settlement';
import {
  rawChunkModel,
  rawDocumentModel,
  recordSettlement,
  rowGroupsModel,
  ruleSetModel,
  saveRowGroups,
  saveRuleSet,
  settlementModel,
  storeRawDocument,
} from '@mlc/store';
import { kafkaBrokers, repoRoot, uniqueMongoUrl, uniqueName, waitFor } from '@mlc/testkit';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { createMappingMetrics, mapSettlement } from '../src/map-settlement.js';

const fixtures = path.join(repoRoot, 'libs', 'settlement', 'test', 'fixtures');
const logger = createLogger('mapping-test', 'warn');

describe('mapping on the real stack', () => {
  let db: Connection;
  let kafka: Kafka;
  let publisher: EventPublisher;
  const metrics = createMappingMetrics(new Registry());
  const proposed: JournalProposedV1[] = [];
  let stopReader: () => Promise<void>;
  const prefix = uniqueName('map');

  before(async () => {
    db = await connectMongo({ url: uniqueMongoUrl('mapping') });
    await ensureIndexes([
      auditModel(db),
      rawDocumentModel(db),
      rawChunkModel(db),
      settlementModel(db),
      ruleSetModel(db),
    ] as never);
    kafka = createKafka({ brokers: kafkaBrokers, clientId: 'mapping-test', logger });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topics.journalProposed]);
    await admin.disconnect();
    publisher = new EventPublisher(kafka);
    await publisher.connect();
    const consumer = kafka.consumer({ groupId: uniqueName('mapping-test-reader') });
    await consumer.connect();
    await consumer.subscribe({ topic: topics.journalProposed.name, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const journal = JSON.parse(String(message.value)) as JournalProposedV1;
        if (journal.connectionId.startsWith(prefix)) proposed.push(journal);
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

  async function announce(connectionId: string, bytes: Buffer): Promise<SettlementAvailableV1> {
    const { document } = await storeRawDocument(db, { connectionId, bytes, source: 'test' });
    const event: SettlementAvailableV1 = {
      connectionId,
      region: 'NA',
      settlementId: '9100000001',
      reportId: null,
      rawDocumentId: document._id,
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
      connectionId,
      settlementId: event.settlementId,
      status: 'announced',
      rawDocumentId: document._id,
      checksum: document.sha256,
    });
    return event;
  }

  it('proposes balanced journals that sum to the settlement total, once', async () => {
    const connectionId = `${prefix}-ok`;
    const event = await announce(connectionId, readFileSync(path.join(fixtures, 'v2-us-dot.txt')));
    const outcome = await mapSettlement(event, { db, publisher, topics, metrics, accounts: null });
    assert.equal(outcome.kind, 'proposed');
    const jobIds = outcome.kind === 'proposed' ? outcome.jobIds : [];
    await waitFor(
      'proposed journals',
      () => proposed.filter((j) => j.connectionId === connectionId).length >= jobIds.length,
    );
    const journals = proposed.filter((j) => j.connectionId === connectionId);
    assert.deepEqual(journals.map((j) => j.jobId).sort(), [...jobIds].sort());

    let clearing = 0n;
    for (const journal of journals) {
      const amounts = journal.lines.map((l) =>
        parseDecimalToMinor(l.amount, 'USD', { decimalSeparator: '.' }),
      );
      assert.equal(
        amounts.reduce((a, b) => a + b, 0n),
        0n,
        `${journal.jobId} balances`,
      );
      for (const line of journal.lines) {
        if (line.lineage.rowCount === 0) {
          clearing += parseDecimalToMinor(line.amount, 'USD', { decimalSeparator: '.' });
        }
      }
    }
    assert.equal(journals.length, 1, 'one period, one part');
    assert.equal(clearing, 131829n, 'the balancing line carries the deposit, 1318.29');
    const rowsTraced = journals.flatMap((j) => j.lines).reduce((n, l) => n + l.lineage.rowCount, 0);
    assert.equal(rowsTraced, 7, 'every row is in exactly one line');
    const record = await settlementModel(db).findOne({ connectionId }).lean();
    assert.equal(record?.status, 'proposed');
    assert.deepEqual(record?.jobIds, jobIds);

    const again = await mapSettlement(event, { db, publisher, topics, metrics, accounts: null });
    assert.deepEqual(again, { kind: 'skipped', status: 'proposed' });
  });

  it('maps from the stored row groups without reading the rows, to the same journals', async () => {
    const bytes = readFileSync(path.join(fixtures, 'v2-us-dot.txt'));
    const fromRows = `${prefix}-rows`;
    const fromGroups = `${prefix}-groups`;
    const rowsEvent = await announce(fromRows, bytes);
    assert.equal(
      (await mapSettlement(rowsEvent, { db, publisher, topics, metrics, accounts: null })).kind,
      'proposed',
    );

    // As amazon-ingest leaves it: the groups stored with the raw document, the summary on the record.
    const event = await announce(fromGroups, bytes);
    const reader = new SettlementReader(
      (async function* () {
        yield bytes;
      })(),
    );
    const summary = await reader.summary();
    const groups = new RowGroups();
    for await (const batch of reader.batches()) for (const row of batch) groups.add(row);
    const { rawDocumentId } = event;
    assert.equal(await saveRowGroups(db, rawDocumentId, groups.list()), true);
    await settlementModel(db)
      .updateOne(
        { connectionId: fromGroups },
        {
          $set: {
            currency: summary.currency,
            totalAmount: event.totalAmount,
            startDate: new Date(summary.startDate),
            endDate: new Date(summary.endDate),
            depositDate: new Date(summary.depositDate),
          },
        },
      )
      .exec();
    // The rows are gone: only the groups can give the journals now.
    assert.ok((await rawChunkModel(db).deleteMany({ documentId: rawDocumentId }).exec()).deletedCount > 0);

    const outcome = await mapSettlement(event, { db, publisher, topics, metrics, accounts: null });
    assert.equal(outcome.kind, 'proposed', JSON.stringify(outcome));
    const linesOf = (connectionId: string) =>
      proposed
        .filter((j) => j.connectionId === connectionId)
        .flatMap((j) =>
          j.lines.map((l) => [j.part.period, l.account, l.amount, l.lineage.rowCount].join(' ')),
        );
    await waitFor(
      'both mappings proposed',
      () => linesOf(fromGroups).length > 0 && linesOf(fromRows).length > 0,
    );
    assert.deepEqual(linesOf(fromGroups), linesOf(fromRows));
    assert.equal(await rowGroupsModel(db).countDocuments({ _id: rawDocumentId }).exec(), 1);
  });

  it('holds a settlement with unmapped rows when the policy is hold, naming the type', async () => {
    const connectionId = `${prefix}-hold`;
    const ruleSet = { ...defaultRuleSet(connectionId), unmappedPolicy: 'hold' as const };
    await saveRuleSet(db, { connectionId, definition: JSON.stringify(ruleSet), createdBy: 'test' });
    const text = readFileSync(path.join(fixtures, 'v2-us-dot.txt'), 'utf8').replace(
      'Subscription Fee',
      'Mystery Fee',
    );
    const event = await announce(connectionId, Buffer.from(text));
    const outcome = await mapSettlement(event, { db, publisher, topics, metrics, accounts: null });
    assert.equal(outcome.kind, 'held');
    assert.match(outcome.kind === 'held' ? outcome.reason : '', /Mystery Fee/);
    const record = await settlementModel(db).findOne({ connectionId }).lean();
    assert.equal(record?.status, 'held');
    assert.match(record?.reason ?? '', /Mystery Fee/);
  });

  it('holds a settlement whose accounts JDE cannot post to', async () => {
    const connectionId = `${prefix}-acct`;
    const event = await announce(connectionId, readFileSync(path.join(fixtures, 'v2-us-dot.txt')));
    const outcome = await mapSettlement(event, {
      db,
      publisher,
      topics,
      metrics,
      accounts: () => (account) => ({ exists: account.object !== '6100', postable: true }),
    });
    assert.equal(outcome.kind, 'held');
    assert.match(outcome.kind === 'held' ? outcome.reason : '', /6100/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(proposed.filter((j) => j.connectionId === connectionId).length, 0, 'nothing proposed');
  });
});
