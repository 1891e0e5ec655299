/**
 * Listings Items searchListingsItems / getListingsItem and FBA Inventory getInventorySummaries
 * against the in-process simulator: paging, the 1,000-item cap, URL-encoded SKUs, the usage plans
 * with 429 backoff, 5xx retries, startDateTime resent with every nextToken, and an expired nextToken.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateListings } from '@mlc/sim-amazon-sp-api';
import { FbaInventoryApi, InventoryNextTokenError } from '../src/inventory.js';
import { ListingsApi } from '../src/listings.js';
import { collect, type Harness, makeClient, requestCount, startSimulator } from './support.js';

const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const SELLER = 'A1SELLERTEST01';

describe('Listings Items and FBA Inventory against the simulator', () => {
  let sim: Harness;

  before(async () => {
    sim = await startSimulator({ timeScale: 1000 });
    sim.state.seedListings({
      connectionId: 'seller-1',
      sellerId: SELLER,
      marketplaceId: 'US',
      listings: generateListings({ count: 1005, marketplace: 'US', fbaShare: 0.5, specialCharacters: true }),
    });
    sim.state.seedListings({
      connectionId: 'seller-1',
      marketplaceId: 'CA',
      listings: generateListings({ count: 45, marketplace: 'CA', skuPrefix: 'CA' }),
    });
  });
  after(() => sim.close());

  it('pages a search with pagination.nextToken, 20 a page, in the order asked', async () => {
    const { client, registry } = makeClient(sim);
    const pages = await collect(
      new ListingsApi(client).searchListingsItems({
        sellerId: SELLER,
        marketplaceIds: [CA],
        sortBy: 'sku',
        sortOrder: 'ASC',
        pageSize: 20,
      }),
    );
    assert.deepEqual(
      pages.map((p) => p.items.length),
      [20, 20, 5],
    );
    assert.ok(pages.every((p) => p.numberOfResults === 45));
    const skus = pages.flatMap((p) => p.items.map((i) => i.sku));
    assert.deepEqual(skus, [...skus].sort());
    const summary = pages[0]!.items[0]!.summaries![0]!;
    assert.equal(summary.marketplaceId, CA);
    assert.match(summary.asin!, /^B0[0-9A-Z]{8}$/);
    assert.ok(summary.createdDate && summary.lastUpdatedDate && Array.isArray(summary.status));
    assert.equal(await requestCount(registry, 'searchListingsItems', '200'), 3);
  });

  it('cannot page past 1,000 items, while numberOfResults counts them all', async () => {
    const { client } = makeClient(sim);
    const pages = await collect(
      new ListingsApi(client).searchListingsItems({
        sellerId: SELLER,
        marketplaceIds: [US],
        sortBy: 'lastUpdatedDate',
        sortOrder: 'ASC',
        pageSize: 20,
      }),
    );
    assert.equal(pages[0]!.numberOfResults, 1005);
    assert.equal(
      pages.reduce((n, p) => n + p.items.length, 0),
      1000,
    );
    assert.equal(pages.length, 50);
  });

  it('honours inclusive lastUpdated bounds', async () => {
    const { client } = makeClient(sim);
    const api = new ListingsApi(client);
    const [first] = await collect(
      api.searchListingsItems({
        sellerId: SELLER,
        marketplaceIds: [CA],
        sortBy: 'lastUpdatedDate',
        sortOrder: 'ASC',
        pageSize: 3,
      }),
    ).then((pages) => pages.slice(0, 1));
    const third = first!.items[2]!.summaries![0]!.lastUpdatedDate;
    const second = first!.items[1]!.summaries![0]!.lastUpdatedDate;
    const window = await collect(
      api.searchListingsItems({
        sellerId: SELLER,
        marketplaceIds: [CA],
        lastUpdatedAfter: second,
        lastUpdatedBefore: third,
        sortOrder: 'ASC',
      }),
    );
    assert.deepEqual(
      window.flatMap((p) => p.items.map((i) => i.sku)),
      first!.items.slice(1, 3).map((i) => i.sku),
    );
  });

  it('gets one listing by a SKU with "/", " " or "&" in it (URL-encoded)', async () => {
    const { client } = makeClient(sim);
    const special = generateListings({ count: 1005, marketplace: 'US', specialCharacters: true })
      .map((l) => l.sku)
      .filter((sku) => /[ /&]/.test(sku));
    assert.ok(special.length >= 3);
    for (const sku of special.slice(0, 3)) {
      const item = await new ListingsApi(client).getListingsItem(SELLER, sku, [US]);
      assert.equal(item.sku, sku);
      assert.equal(item.summaries?.[0]?.marketplaceId, US);
    }
  });

  it('waits out 429s when a too-generous plan is configured, and retries a 500', async () => {
    // 20x time: Amazon's 5 requests/s are 100 wall requests/s, which an in-process loop outruns.
    const slow = await startSimulator({ timeScale: 20 });
    try {
      slow.state.seedListings({
        connectionId: 'seller-1',
        sellerId: SELLER,
        marketplaceId: 'US',
        listings: generateListings({ count: 205, marketplace: 'US' }),
      });
      const { client, registry } = makeClient(slow, {
        timeScale: 20,
        usagePlans: { searchListingsItems: { rate: 1000, burst: 1000 } },
      });
      slow.state.setFaults({ next500: 1 });
      const pages = await collect(
        new ListingsApi(client).searchListingsItems({ sellerId: SELLER, marketplaceIds: [US], pageSize: 20 }),
      );
      assert.equal(
        pages.reduce((n, p) => n + p.items.length, 0),
        205,
      );
      assert.ok((await requestCount(registry, 'searchListingsItems', '429')) > 0, 'the simulator throttled');
      assert.equal(await requestCount(registry, 'searchListingsItems', '500'), 1);
    } finally {
      await slow.close();
    }
  });

  it('refuses another seller id with 403', async () => {
    const { client } = makeClient(sim);
    await assert.rejects(
      collect(new ListingsApi(client).searchListingsItems({ sellerId: 'A9OTHER', marketplaceIds: [US] })),
      (error: Error & { status?: number }) => error.status === 403,
    );
  });

  it('pages inventory summaries, sending startDateTime again with every nextToken', async () => {
    // 20x: a nextToken's 30 simulated seconds are 1.5 wall seconds, so a busy machine never loses one.
    const calm = await startSimulator({ timeScale: 20 });
    try {
      calm.state.seedListings({
        connectionId: 'seller-1',
        sellerId: SELLER,
        marketplaceId: 'US',
        listings: generateListings({
          count: 1005,
          marketplace: 'US',
          fbaShare: 0.5,
          specialCharacters: true,
        }),
      });
      const { client, registry } = makeClient(calm, { timeScale: 20 });
      const api = new FbaInventoryApi(client);
      const all = await collect(api.getInventorySummaries({ marketplaceId: US }));
      const summaries = all.flatMap((p) => p.summaries);
      const fba = generateListings({
        count: 1005,
        marketplace: 'US',
        fbaShare: 0.5,
        specialCharacters: true,
      }).filter((l) => l.stock);
      assert.equal(summaries.length, fba.length);
      assert.ok(all.length > 2, 'several pages of 50');
      assert.ok(
        summaries.every(
          (s) => s.inventoryDetails && typeof s.inventoryDetails.fulfillableQuantity === 'number',
        ),
      );
      // Half of them changed after the midpoint: the incremental read pages with startDateTime each time.
      const times = summaries.map((s) => Date.parse(s.lastUpdatedTime!)).sort((a, b) => a - b);
      const middle = new Date(times[Math.floor(times.length / 2)]!).toISOString();
      const changed = (
        await collect(api.getInventorySummaries({ marketplaceId: US, startDateTime: middle }))
      ).flatMap((p) => p.summaries);
      assert.equal(changed.length, times.filter((t) => t >= Date.parse(middle)).length);
      assert.ok(changed.length > 50, 'more than one page');
      assert.equal(await requestCount(registry, 'getInventorySummaries', '400'), 0);
    } finally {
      await calm.close();
    }
  });

  it('reports a nextToken that expired (30 s) as InventoryNextTokenError', async () => {
    let calls = 0;
    const slowFetch: typeof fetch = async (input, init) => {
      calls++;
      // 60 wall ms at 1000x is a minute of simulated time: the first page's token is dead by then.
      if (String(input).includes('nextToken=')) await new Promise((resolve) => setTimeout(resolve, 60));
      return fetch(input, init);
    };
    const { client, registry } = makeClient(sim, { fetch: slowFetch });
    await assert.rejects(
      collect(new FbaInventoryApi(client).getInventorySummaries({ marketplaceId: US })),
      (error: unknown) =>
        error instanceof InventoryNextTokenError && error.pagesRead === 1 && /expired/i.test(error.message),
    );
    assert.ok(calls >= 2);
    assert.equal(await requestCount(registry, 'getInventorySummaries', '400'), 1);
  });
});
