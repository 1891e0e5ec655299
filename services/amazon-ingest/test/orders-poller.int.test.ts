/**
 * The orders poller against the SP-API simulator on the real broker and FerretDB: the orders Amazon
 * holds are announced on amazon.orders.v1 with valid events, and the next poll starts from the cursor.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kafkaNames } from '@mlc/events';
import { createKafka, decodeEvent, EventPublisher, ensureTopics } from '@mlc/kafka';
import { connectMongo, ensureIndexes } from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import { buildSimulatorApp, generateSettlementFile } from '@mlc/sim-amazon-sp-api';
import { InProcessTokenProvider, OrdersV2026Source, SpApiClient, scaledClock } from '@mlc/sp-api';
import { kafkaBrokers, uniqueMongoUrl, uniqueName, waitFor } from '@mlc/testkit';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { OrdersPoller, ordersCursorModel } from '../src/orders-poller.js';

describe('orders poller against the SP-API simulator', () => {
  const simulator = buildSimulatorApp({ timeScale: 600 });
  let db: Connection;
  let kafka: Kafka;
  let publisher: EventPublisher;
  let source: OrdersV2026Source;
  const { topics } = kafkaNames(uniqueName('orders'));
  const orderIds = new Set<string>();
  let stopReader: () => Promise<void>;

  before(async () => {
    const url = await simulator.app.listen({ host: '127.0.0.1', port: 0 });
    await simulator.app.inject({
      method: 'POST',
      url: '/_sim/settlements?connectionId=seller-o&marketplace=US',
      headers: { 'content-type': 'text/plain' },
      payload: generateSettlementFile({
        seed: 'orders-1',
        marketplace: 'US',
        rows: 80,
        start: '2025-06-01T08:00:00Z',
      }).text,
    });
    db = await connectMongo({ url: uniqueMongoUrl('orders') });
    await ensureIndexes([ordersCursorModel(db)] as never);
    const logger = createLogger('orders-test', 'error');
    kafka = createKafka({ brokers: kafkaBrokers, clientId: 'orders-test', logger });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topics.orders]);
    await admin.disconnect();
    publisher = new EventPublisher(kafka);
    await publisher.connect();
    const reader = kafka.consumer({ groupId: uniqueName('orders-reader') });
    await reader.connect();
    await reader.subscribe({ topic: topics.orders.name, fromBeginning: true });
    await reader.run({
      eachMessage: async ({ message }) =>
        void orderIds.add(decodeEvent(topics.orders, message.value).orderId),
    });
    stopReader = () => reader.disconnect();
    const tokens = new InProcessTokenProvider({
      endpoint: `${url}/auth/o2/token`,
      credentials: (id) => ({
        clientId: 'amzn1.application-oa2-client.simulator',
        clientSecret: 'simulator-client-secret',
        refreshToken: `Atzr|${id}`,
      }),
    });
    source = new OrdersV2026Source(
      new SpApiClient({
        connectionId: 'seller-o',
        region: 'NA',
        tokens,
        registry: new Registry(),
        endpoint: `${url}/na`,
        clock: scaledClock(600),
      }),
    );
  });

  after(async () => {
    await stopReader();
    await publisher.disconnect();
    await simulator.app.close();
    await db.dropDatabase();
    await db.close();
  });

  it('announces every order once per change, and moves its cursor', async () => {
    const poller = new OrdersPoller({ db, publisher, topics, initialLookbackMs: 5 * 365 * 24 * 3600_000 });
    const target = { connectionId: 'seller-o', region: 'NA' as const, marketplaceIds: ['ATVPDKIKX0DER'] };
    const count = await poller.pollOnce(target, source);
    assert.ok(count > 0, 'the simulator derived orders from the settlement');
    await waitFor('all orders on the topic', () => orderIds.size >= count);
    assert.equal(orderIds.size, count, 'one event per order');
    const cursor = await ordersCursorModel(db).findById('seller-o:NA').lean();
    assert.ok(cursor && cursor.lastUpdatedAfter.getTime() > Date.now() - 5 * 365 * 24 * 3600_000);
  });
});
