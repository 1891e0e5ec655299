import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseDecimalToMinor } from '@mlc/money';
import { generateSettlementSeries } from '@mlc/sim-amazon-sp-api';
import { FinancesApi } from '../src/finances.js';
import { OrdersV0Source, OrdersV2026Source } from '../src/orders.js';
import { MARKETPLACES } from '../src/regions.js';
import type { Currency, FinancialEvents } from '../src/types.js';
import { collect, type Harness, makeClient, requestCount, startSimulator } from './support.js';

/** Every amount in a v0 FinancialEvents page, in minor units (amounts arrive as JSON numbers). */
function sumEvents(events: FinancialEvents): bigint {
  let total = 0n;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const currency = value as Currency;
    if (typeof currency.CurrencyAmount === 'number' && currency.CurrencyCode) {
      total += parseDecimalToMinor(String(currency.CurrencyAmount), currency.CurrencyCode);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      // AdjustmentItemList repeats its event's AdjustmentAmount per item.
      if (key !== 'AdjustmentItemList') visit(child);
    }
  };
  visit(events);
  return total;
}

describe('Finances and Orders against the simulator', () => {
  let sim: Harness;
  const settlements = generateSettlementSeries(
    { seed: 'fin', marketplace: 'CA', rows: 120, holdReserve: true },
    12,
    new Set([3]),
  );

  before(async () => {
    sim = await startSimulator({ timeScale: 1000, transactionsPageSize: 7 });
    for (const { text } of settlements) sim.state.seedSettlement({ content: text, connectionId: 'seller-1' });
  });
  after(() => sim.close());

  it('lists every financial event group across pages', async () => {
    const { client, registry } = makeClient(sim);
    const groups = await collect(new FinancesApi(client).listFinancialEventGroups({ maxResultsPerPage: 5 }));
    assert.equal(groups.length, 12);
    assert.equal(await requestCount(registry, 'listFinancialEventGroups', '200'), 3);
    assert.ok(
      groups.every((g) => g.ProcessingStatus === 'Closed' && g.OriginalTotal?.CurrencyCode === 'CAD'),
    );
  });

  it('pages a group’s events, which sum to the settlement total', async () => {
    const { client } = makeClient(sim);
    const finances = new FinancesApi(client);
    const groups = await collect(finances.listFinancialEventGroups({ maxResultsPerPage: 100 }));
    const negative = settlements[3]!.summary;
    assert.ok(negative.totalAmount < 0n);
    const group = groups.find((g) => g.TraceId === negative.settlementId)!;
    const pages = await collect(
      finances.listFinancialEventsByGroupId(group.FinancialEventGroupId!, { maxResultsPerPage: 10 }),
    );
    assert.ok(pages.length > 1);
    assert.equal(
      pages.reduce((sum, page) => sum + sumEvents(page), 0n),
      negative.totalAmount,
    );
  });

  it('lists the 2024-06-19 transactions of a group, with its settlement id', async () => {
    const { client, registry } = makeClient(sim);
    const finances = new FinancesApi(client);
    const groups = await collect(finances.listFinancialEventGroups({ maxResultsPerPage: 100 }));
    const target = settlements[0]!.summary;
    const group = groups.find((g) => g.TraceId === target.settlementId)!;
    const transactions = await collect(
      finances.listTransactions({
        relatedIdentifierName: 'FINANCIAL_EVENT_GROUP_ID',
        relatedIdentifierValue: group.FinancialEventGroupId,
      }),
    );
    assert.ok(transactions.length > 7);
    assert.ok((await requestCount(registry, 'listTransactions', '200')) > 1);
    const total = transactions.reduce(
      (sum, t) =>
        sum + parseDecimalToMinor(String(t.totalAmount!.currencyAmount), t.totalAmount!.currencyCode!),
      0n,
    );
    assert.equal(total, target.totalAmount);
    assert.ok(
      transactions.every((t) =>
        t.relatedIdentifiers?.some(
          (r) =>
            r.relatedIdentifierName === 'SETTLEMENT_ID' && r.relatedIdentifierValue === target.settlementId,
        ),
      ),
    );
  });

  it('yields the same orders from Orders v0 and 2026-01-01', async () => {
    const { client, registry } = makeClient(sim);
    const query = {
      marketplaceIds: [MARKETPLACES.CA!.marketplaceId],
      createdAfter: '2020-01-01T00:00:00Z',
      maxResultsPerPage: 50,
    };
    const v0 = await collect(new OrdersV0Source(client).searchOrders(query));
    const v2026 = await collect(new OrdersV2026Source(client).searchOrders(query));
    assert.ok(v0.length > 50, 'more than one page');
    assert.deepEqual(
      v2026.map((o) => o.amazonOrderId),
      v0.map((o) => o.amazonOrderId),
    );
    assert.ok(
      v0.every((o) => o.orderTotal?.currencyCode === 'CAD' && /^-?\d+\.\d{2}$/.test(o.orderTotal.amount)),
    );
    assert.deepEqual(
      v2026.map((o) => o.orderTotal),
      v0.map((o) => o.orderTotal),
    );
    assert.ok((await requestCount(registry, 'getOrders', '200')) > 1);
    assert.ok((await requestCount(registry, 'searchOrders', '200')) > 1);
  });

  it('needs exactly one of createdAfter and lastUpdatedAfter', () => {
    const { client } = makeClient(sim);
    assert.throws(
      () => new OrdersV2026Source(client).searchOrders({ marketplaceIds: [MARKETPLACES.CA!.marketplaceId] }),
      /exactly one of createdAfter and lastUpdatedAfter/,
    );
  });
});
