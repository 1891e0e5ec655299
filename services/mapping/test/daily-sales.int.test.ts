/**
 * Daily sales on the real FerretDB: a day of generated orders — some changed later, some
 * cancelled — gives one summary per (day, marketplace, currency) equal to the latest totals of the
 * orders still standing; consuming the same orders again, in any order, changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { OrdersV1 } from '@mlc/events';
import { formatMinor } from '@mlc/money';
import { connectMongo, ensureIndexes } from '@mlc/mongo';
import { uniqueMongoUrl } from '@mlc/testkit';
import fc from 'fast-check';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { DailySalesBook, dailySalesModel, orderVersionModel } from '../src/daily-sales.js';

const MARKETS = [
  { marketplaceId: 'ATVPDKIKX0DER', currency: 'USD' },
  { marketplaceId: 'A2EUQ1WTGCTBG2', currency: 'CAD' },
];

/** Orders with their later versions; the last version of each is what must count. */
function generateOrders(seed: number): { events: OrdersV1[]; expected: Map<string, bigint> } {
  const events: OrdersV1[] = [];
  const latest = new Map<string, OrdersV1>();
  fc.sample(
    fc.record({
      market: fc.constantFrom(...MARKETS),
      day: fc.constantFrom('2025-06-01', '2025-06-02'),
      cents: fc.array(fc.integer({ min: 0, max: 500_000 }), { minLength: 1, maxLength: 3 }),
      cancelled: fc.boolean(),
    }),
    { numRuns: 80, seed },
  ).forEach((o, i) => {
    o.cents.forEach((cents, version) => {
      const last = version === o.cents.length - 1;
      const event: OrdersV1 = {
        connectionId: 'c1',
        marketplaceId: o.market.marketplaceId,
        orderId: `111-${seed}-${i}`,
        status: last && o.cancelled ? 'Canceled' : version === 0 ? 'Pending' : 'Shipped',
        purchaseDate: `${o.day}T10:00:00.000Z`,
        lastUpdateDate: new Date(Date.UTC(2025, 5, 3, 0, version)).toISOString(),
        currency: o.market.currency,
        orderTotal: formatMinor(BigInt(cents), o.market.currency),
        emittedAt: new Date().toISOString(),
      };
      events.push(event);
      latest.set(event.orderId, event);
    });
  });
  const expected = new Map<string, bigint>();
  for (const order of latest.values()) {
    const key = `${order.purchaseDate.slice(0, 10)}:${order.marketplaceId}:${order.currency}`;
    const amount = order.status === 'Canceled' ? 0n : BigInt(order.orderTotal.replace('.', ''));
    expected.set(key, (expected.get(key) ?? 0n) + amount);
  }
  return { events, expected };
}

describe('daily sales summaries', () => {
  let db: Connection;
  before(async () => {
    db = await connectMongo({ url: uniqueMongoUrl('sales') });
    await ensureIndexes([orderVersionModel(db), dailySalesModel(db)] as never);
  });
  after(async () => {
    await db.dropDatabase();
    await db.close();
  });

  it('equal the latest totals of the standing orders, and replays change nothing', async () => {
    const book = new DailySalesBook(db, new Registry());
    const { events, expected } = generateOrders(42);
    for (const event of events) await book.record(event);

    const read = async () =>
      new Map(
        (await dailySalesModel(db).find({ connectionId: 'c1' }).lean()).map((s) => [
          `${s.day}:${s.marketplaceId}:${s.currency}`,
          s.total,
        ]),
      );
    const first = await read();
    assert.equal(first.size, expected.size, 'one summary per (day, marketplace, currency)');
    for (const [key, minor] of expected) {
      const currency = key.split(':')[2] ?? 'USD';
      assert.equal(first.get(key), formatMinor(minor, currency), key);
    }

    // The same events again, newest first: nothing changes.
    for (const event of [...events].reverse()) await book.record(event);
    assert.deepEqual(await read(), first);
  });
});
