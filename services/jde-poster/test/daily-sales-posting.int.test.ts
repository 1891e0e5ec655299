/**
 * Daily sales memo entries through jde-poster's consumer on the real broker and FerretDB, with a
 * scripted JDE: the memo orchestration and input names come from the connection's settings, a job
 * is posted once however often its proposal arrives, a rejection is dead-lettered with JDE's words
 * — and a rejection whose dead letter was never written (the process died after recording the
 * rejection) is dead-lettered when its message comes again, without calling JDE again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AisError, jobReference } from '@mlc/ais';
import { type DailySalesProposedV1, kafkaNames } from '@mlc/events';
import {
  createKafka,
  DeadLetter,
  DLT_HEADERS,
  deadLetterTopic,
  EventPublisher,
  ensureTopics,
  type RunningConsumer,
  startConsumer,
} from '@mlc/kafka';
import { auditModel, connectMongo, ensureIndexes, jobClaimModel, jobModel } from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import { dailySalesSettingsModel, saveDailySalesSettings } from '@mlc/store';
import { kafkaBrokers, uniqueMongoUrl, uniqueName, waitFor } from '@mlc/testkit';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { type MemoClient, postDailySales } from '../src/daily-sales-posting.js';

const logger = createLogger('daily-sales-posting-test', 'error');

type Pairs = Array<{ name: string; value: string }>;

/** A JDE stand-in for the memo orchestration: keeps documents by reference, rejects on cue. */
class ScriptedMemoJde implements MemoClient {
  calls: Array<{ name: string; header: Record<string, string>; rows: Record<string, string>[] }> = [];
  documents = new Map<string, number>();
  rejectReferences = new Set<string>();
  next = 7000;

  async dateFormat() {
    return 'MM/dd/yyyy';
  }

  async orchestrate(name: string, body: unknown) {
    const request = body as {
      inputs: Pairs;
      detailInputs: Array<{ name: string; repeatingInputs: Array<{ inputs: Pairs }> }>;
    };
    const header = Object.fromEntries(request.inputs.map((p) => [p.name, p.value]));
    const grid = request.detailInputs[0];
    const rows = (grid?.repeatingInputs ?? []).map((r) =>
      Object.fromEntries(r.inputs.map((p) => [p.name, p.value])),
    );
    this.calls.push({ name: `${name}/${grid?.name}`, header, rows });
    const reference = header.JobReference ?? '';
    if (this.rejectReferences.has(reference)) {
      throw new AisError('business', 'orchestration refused: 0028 Account Number Invalid (1.0.12)', {
        operation: 'orchestration',
      });
    }
    const documentNumber = this.next++;
    this.documents.set(reference, documentNumber);
    return { DocumentNumber: documentNumber, BatchNumber: 55, DocumentCompany: '00001', DocumentType: 'JE' };
  }

  async findJournalEntry(reference: string) {
    const documentNumber = this.documents.get(reference);
    return {
      documents:
        documentNumber === undefined
          ? []
          : [{ documentCompany: '00001', documentType: 'JE', documentNumber, glDate: '', batchNumber: 55 }],
      rows: [],
    };
  }
}

function proposal(day: string, amount: string, adjustment = 0): DailySalesProposedV1 {
  const jobId = `ds:c1:ATVPDKIKX0DER:USD:${day}${adjustment ? `:adj${adjustment}` : ''}`;
  return {
    jobId,
    connectionId: 'c1',
    marketplaceId: 'ATVPDKIKX0DER',
    currency: 'USD',
    day,
    adjustment,
    company: '00001',
    documentType: 'JE',
    ledgerType: 'U1',
    explanation: `Amazon sales ${day}`,
    lines: [{ account: '100.5010', amount: `-${amount}`, explanation: 'ATVPDKIKX0DER USD' }],
    dayTotal: amount,
    orders: 3,
    proposedAt: new Date().toISOString(),
  };
}

describe('daily sales memo entries in jde-poster', () => {
  let db: Connection;
  let kafka: Kafka;
  let publisher: EventPublisher;
  let consumer: RunningConsumer;
  const jde = new ScriptedMemoJde();
  const { topics, groups } = kafkaNames(uniqueName('dsp'));
  const dead: Array<{ reason: string; jobId: string }> = [];
  let dltReader: ReturnType<Kafka['consumer']>;
  const deps = () => ({ db, client: jde, holder: 'test-poster', leaseMs: 60_000 });

  before(async () => {
    db = await connectMongo({ url: uniqueMongoUrl('dsposter') });
    await ensureIndexes([
      jobModel(db),
      jobClaimModel(db),
      auditModel(db),
      dailySalesSettingsModel(db),
    ] as never);
    await saveDailySalesSettings(
      db,
      {
        connectionId: 'c1',
        enabled: true,
        company: '00001',
        ledgerType: 'U1',
        orchestration: { name: 'ORCH_ACME_DailySales', inputs: { lines: 'SalesRows', amount: 'Amt' } },
        marketplaces: [{ marketplaceId: 'ATVPDKIKX0DER', currency: 'USD', account: '100.5010' }],
      },
      'test',
    );
    kafka = createKafka({ brokers: kafkaBrokers, clientId: 'daily-sales-posting-test', logger });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topics.dailySalesProposed]);
    await admin.disconnect();
    publisher = new EventPublisher(kafka);
    await publisher.connect();
    consumer = await startConsumer({
      kafka,
      groupId: groups.jdePosterDailySales,
      spec: topics.dailySalesProposed,
      publisher,
      logger,
      retryBaseMs: 50,
      handler: async (event) => void (await postDailySales(event, deps())),
    });
    dltReader = kafka.consumer({ groupId: uniqueName('dlt-reader') });
    await dltReader.connect();
    await dltReader.subscribe({
      topic: deadLetterTopic(topics.dailySalesProposed.name),
      fromBeginning: true,
    });
    await dltReader.run({
      eachMessage: async ({ message }) => {
        dead.push({
          reason: String(message.headers?.[DLT_HEADERS.reason]),
          jobId: (JSON.parse(String(message.value)) as DailySalesProposedV1).jobId,
        });
      },
    });
  });

  after(async () => {
    await consumer.stop();
    await dltReader.disconnect();
    await publisher.disconnect();
    await db.dropDatabase();
    await db.close();
  });

  const publish = (event: DailySalesProposedV1) =>
    publisher.publish(topics.dailySalesProposed, `${event.connectionId}:${event.day}`, event);
  const jobState = async (jobId: string) => (await jobModel(db).findOne({ jobId }).lean())?.state;

  it('posts a day once through the orchestration the settings name, however often it is proposed', async () => {
    const day = proposal('2026-10-01', '1234.56');
    await publish(day);
    await publish(day);
    await waitFor('the day posted', async () => (await jobState(day.jobId)) === 'posted', 30_000);
    // The second copy is handled after the first (same key, same partition): give it the time.
    await publish(proposal('2026-10-02', '10.00'));
    await waitFor(
      'the next day posted',
      async () => (await jobState(proposal('2026-10-02', '10.00').jobId)) === 'posted',
    );
    const calls = jde.calls.filter((c) => c.header.GLDate === '10/01/2026');
    assert.equal(calls.length, 1, 'one orchestration call for the day');
    assert.equal(calls[0]?.name, 'ORCH_ACME_DailySales/SalesRows');
    assert.equal(calls[0]?.header.LedgerType, 'U1');
    assert.deepEqual(calls[0]?.rows, [
      { AccountNumber: '100.5010', Amt: '-1234.56', LineExplanation: 'ATVPDKIKX0DER USD' },
    ]);
    const audit = await auditModel(db).find({ jobId: day.jobId }).lean();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['daily-sales.posting', 'daily-sales.posted'],
    );
  });

  it('dead-letters a rejected memo entry with JDE words', async () => {
    const bad = proposal('2026-10-03', '5.00');
    jde.rejectReferences.add(jobReference(bad.jobId));
    await publish(bad);
    await waitFor('the dead letter', () => dead.find((d) => d.jobId === bad.jobId), 30_000);
    assert.match(
      dead.find((d) => d.jobId === bad.jobId)?.reason ?? '',
      /JDE rejected .*0028 Account Number Invalid/,
    );
    assert.equal(await jobState(bad.jobId), 'rejected');
  });

  it('dead-letters a redelivered rejected job whose first dead letter was never written, without calling JDE', async () => {
    const lost = proposal('2026-10-04', '6.00');
    jde.rejectReferences.add(jobReference(lost.jobId));
    // The first delivery: JDE rejects, the rejection is recorded on the job — and the process dies
    // before it writes the dead letter (here: the DeadLetter thrown never reaches a consumer).
    await assert.rejects(postDailySales(lost, deps()), DeadLetter);
    assert.equal(await jobState(lost.jobId), 'rejected');
    assert.equal(dead.filter((d) => d.jobId === lost.jobId).length, 0);
    const callsBefore = jde.calls.length;

    // The message comes again (its offset was never committed).
    await publish(lost);
    await waitFor(
      'the dead letter of the redelivery',
      () => dead.find((d) => d.jobId === lost.jobId),
      30_000,
    );
    assert.match(dead.find((d) => d.jobId === lost.jobId)?.reason ?? '', /0028 Account Number Invalid/);
    assert.equal(jde.calls.length, callsBefore, 'JDE was not called again');
  });
});
