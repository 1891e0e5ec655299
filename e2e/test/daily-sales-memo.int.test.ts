/**
 * Daily sales to the JDE memo ledger end to end, every service its own process on the real stack:
 * orders over several days in US and CA become one memo entry per closed marketplace-local day in
 * the simulated F0911 (ledger U1, single-sided), a late change of a posted day gives exactly one
 * adjustment for the difference, a connection with daily sales off posts nothing, and replaying
 * the consumer groups from the earliest offset posts nothing more.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jobReference } from '@mlc/ais';
import { kafkaNames, type OrdersV1 } from '@mlc/events';
import { createKafka, EventPublisher } from '@mlc/kafka';
import { createLogger } from '@mlc/observability';
import { saveDailySalesSettings } from '@mlc/store';
import { kafkaBrokers, uniqueName, waitFor } from '@mlc/testkit';
import { LocalStack } from '../src/local-stack.js';

const US = { marketplaceId: 'ATVPDKIKX0DER', currency: 'USD', timeZone: 'America/Los_Angeles' };
const CA = { marketplaceId: 'A2EUQ1WTGCTBG2', currency: 'CAD', timeZone: 'America/Toronto' };

interface MemoRow {
  LT: string;
  AA: string;
  CRCD: string;
  EXR: string;
  MCU: string;
  OBJ: string;
  glDate: string;
}

/** [market, orderId, purchaseDate, total, status]: each order's versions in the order they happen. */
const ORDERS: Array<[typeof US, string, string, string, string]> = [
  [US, 'o1', '2026-10-05T18:00:00Z', '100.00', 'Shipped'],
  // 20:00 on 10-05 in Los Angeles, already 10-06 in UTC.
  [US, 'o2', '2026-10-06T03:00:00Z', '50.50', 'Shipped'],
  [US, 'o3', '2026-10-06T12:00:00Z', '20.00', 'Shipped'],
  [US, 'o4', '2026-10-06T20:00:00Z', '30.00', 'Pending'],
  [US, 'o4', '2026-10-06T20:00:00Z', '30.00', 'Canceled'],
  [US, 'o5', '2026-10-07T17:00:00Z', '75.25', 'Shipped'],
  [CA, 'c1', '2026-10-05T15:00:00Z', '40.00', 'Shipped'],
  // 22:00 on 10-05 in Toronto.
  [CA, 'c2', '2026-10-06T02:00:00Z', '60.00', 'Shipped'],
  [CA, 'c3', '2026-10-06T16:00:00Z', '10.10', 'Shipped'],
];
/** The memo amounts each (marketplace, local day) must end up with: sales as a credit. */
const EXPECTED: Record<string, string> = {
  'ATVPDKIKX0DER:USD:2026-10-05': '-150.50',
  'ATVPDKIKX0DER:USD:2026-10-06': '-20.00',
  'ATVPDKIKX0DER:USD:2026-10-07': '-75.25',
  'A2EUQ1WTGCTBG2:CAD:2026-10-05': '-100.00',
  'A2EUQ1WTGCTBG2:CAD:2026-10-06': '-10.10',
};

describe('daily sales: closed days to the JDE memo ledger', () => {
  let stack: LocalStack;
  let publisher: EventPublisher;
  const name = uniqueName('e2e-ds');
  const { topics, groups } = kafkaNames(name);
  const kafka = createKafka({
    brokers: kafkaBrokers,
    clientId: 'daily-sales-e2e',
    logger: createLogger('e2e', 'error'),
  });
  let version = 0;

  const order = (
    connectionId: string,
    [market, orderId, purchaseDate, total, status]: (typeof ORDERS)[number],
  ) => {
    const event: OrdersV1 = {
      connectionId,
      marketplaceId: market.marketplaceId,
      orderId,
      status,
      purchaseDate: new Date(purchaseDate).toISOString(),
      // Every version is newer than the one before.
      lastUpdateDate: new Date(Date.UTC(2026, 9, 8, 0, 0, version++)).toISOString(),
      currency: market.currency,
      orderTotal: total,
      emittedAt: new Date().toISOString(),
    };
    return publisher.publish(topics.orders, `${connectionId}:${orderId}`, event);
  };
  const memoRows = async (connectionId: string): Promise<Map<string, MemoRow[]>> => {
    const rows = (await (await fetch(`${stack.urls.ais}/_sim/f0911`)).json()) as MemoRow[];
    const byJob = new Map<string, MemoRow[]>();
    for (const key of Object.keys(EXPECTED)) {
      for (let adjustment = 0; adjustment < 5; adjustment++) {
        const jobId = `ds:${connectionId}:${key}${adjustment ? `:adj${adjustment}` : ''}`;
        const found = rows.filter((r) => r.EXR === jobReference(jobId));
        if (found.length > 0) byJob.set(jobId, found);
      }
    }
    return byJob;
  };

  before(async () => {
    stack = await LocalStack.start({ name, dailySalesSweepMs: 1_500 });
    const settings = (connectionId: string, enabled: boolean) =>
      saveDailySalesSettings(
        stack.db,
        {
          connectionId,
          enabled,
          company: '00001',
          ledgerType: 'U1',
          graceMinutes: 60,
          adjustmentWindowDays: 400,
          marketplaces: [
            { ...US, account: '100.5010' },
            { ...CA, account: '100.5010' },
          ],
        },
        'e2e',
      );
    // Time zones first, postings off: a backfill of past days arrives spread over partitions, and a
    // day posted half-way would be completed by adjustments (right, but not what this test checks).
    for (const connectionId of ['ds-on', 'ds-off']) {
      await stack.createConnection(connectionId);
      await settings(connectionId, false);
    }
    publisher = new EventPublisher(kafka);
    await publisher.connect();
    for (const connectionId of ['ds-on', 'ds-off']) for (const o of ORDERS) await order(connectionId, o);
    await waitFor(
      'the orders summarised',
      async () => {
        const summaries = await stack.db.collection('daily_sales').find({ connectionId: 'ds-on' }).toArray();
        const totals = new Map(
          summaries.map((d) => [`${d.marketplaceId}:${d.currency}:${d.day}`, `-${d.total}`]),
        );
        return Object.entries(EXPECTED).every(([key, amount]) => totals.get(key) === amount);
      },
      60_000,
      500,
    );
    await settings('ds-on', true);
  });

  after(async () => {
    await publisher?.disconnect();
    if (stack) await stack.stop();
  });

  it('posts each closed marketplace-local day once, to the memo ledger', async () => {
    const posted = await waitFor(
      'five memo entries',
      async () => {
        const rows = await memoRows('ds-on');
        return rows.size >= 5 ? rows : null;
      },
      90_000,
      500,
    );
    for (const [key, amount] of Object.entries(EXPECTED)) {
      const rows = posted.get(`ds:ds-on:${key}`) ?? [];
      assert.equal(rows.length, 1, `one single-sided line for ${key}`);
      assert.equal(rows[0]?.LT, 'U1');
      assert.equal(rows[0]?.AA, amount, key);
      assert.equal(rows[0]?.CRCD, key.split(':')[1]);
      assert.equal(rows[0]?.glDate, key.split(':')[2]);
      assert.equal(`${rows[0]?.MCU.trim()}.${rows[0]?.OBJ.trim()}`, '100.5010');
    }
  });

  it('posts exactly one adjustment for the difference when a posted day changes later', async () => {
    await order('ds-on', [US, 'o3', '2026-10-06T12:00:00Z', '35.00', 'Shipped']);
    const key = 'ds:ds-on:ATVPDKIKX0DER:USD:2026-10-06';
    const adjustment = await waitFor(
      'the adjustment',
      async () => (await memoRows('ds-on')).get(`${key}:adj1`),
      60_000,
      500,
    );
    assert.deepEqual(
      adjustment.map((r) => [r.LT, r.AA, r.glDate]),
      [['U1', '-15.00', '2026-10-06']],
    );
    // Several sweeps later: still one adjustment, nothing else re-posted.
    await new Promise((r) => setTimeout(r, 6_000));
    const rows = await memoRows('ds-on');
    assert.equal(rows.size, 6, [...rows.keys()].join(', '));
    assert.equal(rows.has(`${key}:adj2`), false);
  });

  it('posts nothing for a connection whose daily sales are off (its summaries are still kept)', async () => {
    assert.equal((await memoRows('ds-off')).size, 0);
    const summaries = await stack.db.collection('daily_sales').countDocuments({ connectionId: 'ds-off' });
    assert.equal(summaries, 5, 'the orders of ds-off were consumed');
  });

  it('replaying the consumer groups from the earliest offset posts nothing more', async () => {
    const before = (await (await fetch(`${stack.urls.ais}/_sim/f0911`)).json()) as MemoRow[];
    const plans = await stack.replayFromEarliest([
      { groupId: groups.mappingOrders, topic: topics.orders.name },
      { groupId: groups.jdePosterDailySales, topic: topics.dailySalesProposed.name },
    ]);
    for (const plan of plans) {
      assert.ok(
        plan.partitions.some((p) => p.current !== p.target),
        `${plan.groupId} had consumed messages to replay`,
      );
    }
    // Time for both topics to run through and several sweeps (1.5 s each) to pass.
    await new Promise((r) => setTimeout(r, 10_000));
    const afterReplay = (await (await fetch(`${stack.urls.ais}/_sim/f0911`)).json()) as MemoRow[];
    assert.equal(afterReplay.length, before.length, 'F0911 unchanged after the replay');
    assert.equal((await memoRows('ds-on')).size, 6);
  });
});
