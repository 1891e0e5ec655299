/**
 * Proposing closed days on the real FerretDB and broker: days are proposed only once closed and
 * quiet, in the marketplace's time zone; two mapping instances sweeping at once propose each day
 * once; a proposal recorded by an instance that died before publishing it is published by the
 * next sweep; a later change proposes only the difference; disabled connections propose nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type DailySalesProposedV1, kafkaNames, type OrdersV1 } from '@mlc/events';
import { createKafka, EventPublisher, ensureTopics } from '@mlc/kafka';
import { connectMongo, ensureIndexes } from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import { dailySalesSettingsModel, saveDailySalesSettings } from '@mlc/store';
import { kafkaBrokers, uniqueMongoUrl, uniqueName, waitFor } from '@mlc/testkit';
import type { Consumer, Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { DailySalesBook, dailySalesModel, orderVersionModel } from '../src/daily-sales.js';
import { DailySalesProposer, dailySalesProposalModel } from '../src/daily-sales-proposer.js';

const logger = createLogger('proposer-test', 'error');
const US = 'ATVPDKIKX0DER';

describe('daily sales proposals', () => {
  let db: Connection;
  let kafka: Kafka;
  let publisher: EventPublisher;
  let reader: Consumer;
  const { topics } = kafkaNames(uniqueName('dsprop'));
  const seen: DailySalesProposedV1[] = [];
  let now = new Date('2026-10-06T06:00:00Z');
  let version = 0;
  const proposer = (overrides: Partial<ConstructorParameters<typeof DailySalesProposer>[0]> = {}) =>
    new DailySalesProposer({
      db,
      publisher,
      topics,
      logger,
      now: () => now,
      quietMs: 0,
      settingsTtlMs: 0,
      ...overrides,
    });
  const record = (
    book: DailySalesBook,
    orderId: string,
    purchaseDate: string,
    total: string,
    connectionId = 'c1',
  ) => {
    const order: OrdersV1 = {
      connectionId,
      marketplaceId: US,
      orderId,
      status: 'Shipped',
      purchaseDate,
      lastUpdateDate: new Date(Date.UTC(2026, 9, 5, 0, 0, version++)).toISOString(),
      currency: 'USD',
      orderTotal: total,
      emittedAt: new Date().toISOString(),
    };
    return book.record(order);
  };

  before(async () => {
    db = await connectMongo({ url: uniqueMongoUrl('dsprop') });
    await ensureIndexes([
      orderVersionModel(db),
      dailySalesModel(db),
      dailySalesProposalModel(db),
      dailySalesSettingsModel(db),
    ] as never);
    for (const [connectionId, enabled] of [
      ['c1', true],
      ['c2', false],
    ] as const) {
      await saveDailySalesSettings(
        db,
        {
          connectionId,
          enabled,
          company: '00001',
          ledgerType: 'U2',
          graceMinutes: 120,
          marketplaces: [
            {
              marketplaceId: US,
              currency: 'USD',
              timeZone: 'America/Los_Angeles',
              account: '100.5010',
              offsetAccount: '1.1110.AMZN',
            },
          ],
        },
        'test',
      );
    }
    kafka = createKafka({ brokers: kafkaBrokers, clientId: 'proposer-test', logger });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topics.dailySalesProposed]);
    await admin.disconnect();
    publisher = new EventPublisher(kafka);
    await publisher.connect();
    reader = kafka.consumer({ groupId: uniqueName('proposals-reader') });
    await reader.connect();
    await reader.subscribe({ topic: topics.dailySalesProposed.name, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) => void seen.push(JSON.parse(String(message.value))),
    });
  });

  after(async () => {
    await reader.disconnect();
    await publisher.disconnect();
    await db.dropDatabase();
    await db.close();
  });

  it('proposes a Los Angeles day once it has ended there and the grace has passed, once across two instances', async () => {
    const first = proposer();
    const book = new DailySalesBook(db, new Registry(), first.timeZoneOf);
    await record(book, 'o1', '2026-10-05T18:00:00Z', '100.00');
    // 02:00 UTC on the 6th is still the 5th in Los Angeles.
    const late = await record(book, 'o2', '2026-10-06T02:00:00Z', '20.00');
    assert.equal(late.day, '2026-10-05');
    await record(book, 'o9', '2026-10-05T18:00:00Z', '1.00', 'c2');

    // The day ends at 07:00 UTC; with two hours of grace it is closed at 09:00 UTC.
    now = new Date('2026-10-06T08:59:00Z');
    assert.equal(
      await first.consider({ connectionId: 'c1', marketplaceId: US, currency: 'USD', day: '2026-10-05' }),
      'open',
    );
    now = new Date('2026-10-06T09:00:00Z');
    await Promise.all([first.sweep(), proposer().sweep(), proposer().sweep()]);
    await waitFor('the proposal', () => seen.length >= 1);
    await new Promise((r) => setTimeout(r, 1_000));
    assert.deepEqual(
      seen.map((p) => p.jobId),
      [`ds:c1:${US}:USD:2026-10-05`],
      'one proposal however many instances swept',
    );
    const [day] = seen;
    assert.equal(day?.jobId, `ds:c1:${US}:USD:2026-10-05`);
    assert.equal(day?.ledgerType, 'U2');
    assert.equal(day?.dayTotal, '120.00');
    assert.deepEqual(
      day?.lines.map((l) => [l.account, l.amount]),
      [
        ['100.5010', '-120.00'],
        ['1.1110.AMZN', '120.00'],
      ],
    );
    assert.equal(seen.filter((p) => p.connectionId === 'c2').length, 0, 'c2 has daily sales off');
  });

  it('waits while a closed day is still changing (quiet time)', async () => {
    const quiet = proposer({ quietMs: 60 * 60_000 });
    const book = new DailySalesBook(db, new Registry(), quiet.timeZoneOf);
    await record(book, 'o3', '2026-10-04T18:00:00Z', '5.00');
    assert.equal(
      await quiet.consider({ connectionId: 'c1', marketplaceId: US, currency: 'USD', day: '2026-10-04' }),
      'settling',
    );
  });

  it('publishes a proposal whose instance died between recording and publishing it', async () => {
    const book = new DailySalesBook(db, new Registry(), proposer().timeZoneOf);
    await record(book, 'o4', '2026-10-05T20:00:00Z', '-30.00');
    // As if an instance had recorded adjustment 1 and died before publishing it.
    const jobId = `ds:c1:${US}:USD:2026-10-05:adj1`;
    const event: DailySalesProposedV1 = { ...(seen[0] as DailySalesProposedV1), jobId, adjustment: 1 };
    await dailySalesProposalModel(db).create({
      _id: jobId,
      connectionId: 'c1',
      marketplaceId: US,
      currency: 'USD',
      day: '2026-10-05',
      adjustment: 1,
      amountMinor: '-3000',
      event: JSON.stringify({
        ...event,
        lines: [{ account: '100.5010', amount: '30.00', explanation: 'x' }],
      }),
      published: false,
      createdAt: now,
    });
    await proposer().sweep();
    await waitFor('the quiet day of the test before', () => seen.find((p) => p.day === '2026-10-04'));
    const before = seen.length;
    await proposer().sweep();
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(seen.length, before, 'not yet: its own instance may still be publishing it');
    now = new Date(now.getTime() + 60_000);
    await proposer().sweep();
    await waitFor('the republished proposal', () => seen.find((p) => p.jobId === jobId));
    await new Promise((r) => setTimeout(r, 1_000));
    assert.deepEqual(
      seen.slice(before).map((p) => p.jobId),
      [jobId],
      'republished, and no further adjustment: the day now adds up',
    );
    assert.equal((await dailySalesProposalModel(db).findById(jobId).lean())?.published, true);
  });

  it('proposes only the difference when a posted day changes later', async () => {
    const book = new DailySalesBook(db, new Registry(), proposer().timeZoneOf);
    await record(book, 'o1', '2026-10-05T18:00:00Z', '110.00');
    await proposer().sweep();
    const jobId = `ds:c1:${US}:USD:2026-10-05:adj2`;
    const adjustment = await waitFor('the adjustment', () => seen.find((p) => p.jobId === jobId));
    assert.equal(adjustment.dayTotal, '100.00');
    assert.deepEqual(
      adjustment.lines.map((l) => l.amount),
      ['-10.00', '10.00'],
    );
    await proposer().sweep();
    await new Promise((r) => setTimeout(r, 1_000));
    assert.equal(seen.filter((p) => p.jobId.endsWith(':adj3')).length, 0);
  });
});
