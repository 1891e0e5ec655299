/**
 * amazon-ingest's poller against the SP-API simulator, on the real broker and FerretDB: every
 * settlement is announced exactly once across a duplicate report, forced 429 and 500 answers (two
 * of each, then 30% and 10% at random), and a restart (a new poller over the same database); a
 * listing that fails part way does not make the next poll download what it had ingested.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kafkaNames } from '@mlc/events';
import { createKafka, EventPublisher, ensureTopics } from '@mlc/kafka';
import { auditModel, connectMongo, ensureIndexes } from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import { buildSimulatorApp, generateSettlementFile } from '@mlc/sim-amazon-sp-api';
import { InProcessTokenProvider, ReportsApi, SpApiClient, SpApiError, scaledClock } from '@mlc/sp-api';
import { rawChunkModel, rawDocumentModel, settlementModel } from '@mlc/store';
import { kafkaBrokers, uniqueMongoUrl, uniqueName, waitFor } from '@mlc/testkit';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { createIngestMetrics, ingestSettlementDocument } from '../src/ingest.js';
import { cursorModel, type PollTarget, SettlementPoller } from '../src/settlement-poller.js';

const logger = createLogger('poller-test', 'error');

describe('settlement poller against the SP-API simulator', () => {
  const simulator = buildSimulatorApp({ timeScale: 600 });
  let simulatorUrl: string;
  let db: Connection;
  let kafka: Kafka;
  let publisher: EventPublisher;
  const { topics } = kafkaNames(uniqueName('poll'));
  const connectionId = 'seller-us';
  const events: string[] = [];
  let stopReader: () => Promise<void>;

  before(async () => {
    simulatorUrl = await simulator.app.listen({ host: '127.0.0.1', port: 0 });
    db = await connectMongo({ url: uniqueMongoUrl('poller') });
    await ensureIndexes([
      auditModel(db),
      rawDocumentModel(db),
      rawChunkModel(db),
      settlementModel(db),
      cursorModel(db),
    ] as never);
    kafka = createKafka({ brokers: kafkaBrokers, clientId: 'poller-test', logger });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topics.settlementAvailable]);
    await admin.disconnect();
    publisher = new EventPublisher(kafka);
    await publisher.connect();
    const reader = kafka.consumer({ groupId: uniqueName('poller-reader') });
    await reader.connect();
    await reader.subscribe({ topic: topics.settlementAvailable.name, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => void events.push(String(message.key)) });
    stopReader = () => reader.disconnect();

    // Three settlements, and the first one's report delivered a second time.
    const files = [1, 2, 3].map((n) =>
      generateSettlementFile({
        seed: `poll-${n}`,
        marketplace: 'US',
        rows: 120,
        start: `2025-0${n}-01T08:00:00Z`,
      }),
    );
    for (const [i, file] of [...files, files[0]!].entries()) {
      const answer = await simulator.app.inject({
        method: 'POST',
        url: `/_sim/settlements?connectionId=${connectionId}&marketplace=US&compress=${i % 2 === 0}`,
        headers: { 'content-type': 'text/plain' },
        payload: file.text,
      });
      assert.ok(answer.statusCode < 300, answer.body);
    }
  });

  after(async () => {
    await stopReader();
    await publisher.disconnect();
    await simulator.app.close();
    await db.dropDatabase();
    await db.close();
  });

  function newPoller(wrap: (api: ReportsApi) => ReportsApi = (api) => api) {
    const registry = new Registry();
    const tokens = new InProcessTokenProvider({
      endpoint: `${simulatorUrl}/auth/o2/token`,
      credentials: (id) => ({
        clientId: 'amzn1.application-oa2-client.simulator',
        clientSecret: 'simulator-client-secret',
        refreshToken: `Atzr|${id}`,
      }),
    });
    const metrics = createIngestMetrics(registry);
    const poller = new SettlementPoller({
      db,
      logger,
      registry,
      ingest: (input) => ingestSettlementDocument(input, { db, publisher, topics, metrics }),
    });
    const api = new ReportsApi(
      new SpApiClient({
        connectionId,
        region: 'NA',
        tokens,
        registry,
        endpoint: `${simulatorUrl}/na`,
        clock: scaledClock(600),
      }),
    );
    return { pollOnce: (target: PollTarget) => poller.pollOnce(target, wrap(api)) };
  }

  const target: PollTarget = { connectionId, region: 'NA', marketplaceIds: ['ATVPDKIKX0DER'] };

  it('announces each settlement once through 429s, 500s, a duplicate report and a restart', async () => {
    await simulator.app.inject({
      method: 'POST',
      url: '/_sim/faults',
      // Two of each for sure, then at random.
      payload: { rate429: 0.3, rate500: 0.1, next429: 2, next500: 2 },
    });
    // Under faults a whole listing may still fail after the client's retries (four 500s in a row):
    // that poll ends with an error and the next one starts over from the cursor, as in the service.
    const poll = async () => {
      try {
        return await newPoller().pollOnce(target);
      } catch (error) {
        assert.ok(error instanceof SpApiError, String(error));
        return { listed: 0, ingested: 0, failed: 0 };
      }
    };
    const first = await poll();
    // A restart: a new poller over the same cursor; and a poll after the faults stop.
    const afterRestart = await poll();
    await simulator.app.inject({ method: 'POST', url: '/_sim/faults', payload: { rate429: 0, rate500: 0 } });
    const clean = await newPoller().pollOnce(target);
    assert.equal(clean.listed, 4, 'four reports listed (one settlement twice)');
    assert.equal(first.ingested + afterRestart.ingested + clean.ingested, 4, 'each report downloaded once');
    assert.equal(clean.failed, 0);

    await waitFor('three announcements', () => events.length >= 3, 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(events.length, 3, `one event per settlement: ${events.join(', ')}`);
    assert.equal(new Set(events).size, 3);

    const state = (await simulator.app.inject('/_sim/state')).json() as {
      counters: { requests: Record<string, Record<string, number>> };
    };
    const statuses = Object.values(state.counters.requests).flatMap((byStatus) => Object.keys(byStatus));
    assert.ok(
      statuses.includes('429') && statuses.includes('500'),
      `faults were injected: ${JSON.stringify(state.counters)}`,
    );
  });

  it('remembers the reports it ingested when the listing fails part way', async () => {
    for (const n of [4, 5, 6]) {
      const file = generateSettlementFile({
        seed: `poll-${n}`,
        marketplace: 'US',
        rows: 50,
        start: `2025-0${n}-01T08:00:00Z`,
      });
      const answer = await simulator.app.inject({
        method: 'POST',
        url: `/_sim/settlements?connectionId=${connectionId}&marketplace=US`,
        headers: { 'content-type': 'text/plain' },
        payload: file.text,
      });
      assert.ok(answer.statusCode < 300, answer.body);
    }
    const downloads: string[] = [];
    let failAfter = 2;
    // The real API, counting downloads; its listing breaks off once `failAfter` reports were downloaded.
    const watched = (api: ReportsApi): ReportsApi =>
      Object.assign(Object.create(api) as ReportsApi, {
        downloadReportDocumentAsDelivered: (documentId: string) => {
          downloads.push(documentId);
          return api.downloadReportDocumentAsDelivered(documentId);
        },
        listReports: async function* (query: Parameters<ReportsApi['listReports']>[0]) {
          for await (const report of api.listReports(query)) {
            yield report;
            if (downloads.length >= failAfter) throw new Error('the next page was refused (test)');
          }
        },
      });
    const before = events.length;
    await assert.rejects(newPoller(watched).pollOnce(target), /the next page was refused/);
    assert.equal(downloads.length, 2);
    failAfter = Number.POSITIVE_INFINITY;
    const next = await newPoller(watched).pollOnce(target);
    assert.equal(next.ingested, 1, 'only the report not ingested yet');
    assert.equal(downloads.length, 3);
    assert.equal(new Set(downloads).size, 3, `no document downloaded twice: ${downloads.join(', ')}`);
    await waitFor('three more announcements', () => events.length >= before + 3, 30_000);
  });
});
