/**
 * The simulator's listings and FBA stock: the traps the connector must survive (the 1,000-item search
 * cap, nextTokens that expire after 30 simulated seconds or lack the first call's startDateTime,
 * inbound changes that do not move lastUpdatedTime), the admin routes and the deterministic generator.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildSimulatorApp } from '../src/app.js';
import { generateListings } from '../src/listings-generator.js';

const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const INVENTORY = `/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}&details=true`;

describe('simulated listings and FBA stock', () => {
  // 100x: a nextToken's 30 simulated seconds are 300 wall ms, plenty for the calls that must be in time.
  const { app, state } = buildSimulatorApp({ timeScale: 100, enforceRateLimits: false });
  let token = '';
  const get = async (url: string) => {
    const response = await app.inject({ method: 'GET', url, headers: { 'x-amz-access-token': token } });
    return { status: response.statusCode, body: response.json() };
  };

  before(async () => {
    const seeded = await app.inject({
      method: 'POST',
      url: '/_sim/listings/generate',
      payload: {
        connectionId: 'seller-1',
        sellerId: 'A1SIM',
        count: 1005,
        marketplaces: ['US', 'CA'],
        seed: 7,
      },
    });
    assert.equal(seeded.statusCode, 201, seeded.body);
    assert.deepEqual(
      seeded.json().seeded.map((s: { marketplaceId: string; seeded: number }) => [s.marketplaceId, s.seeded]),
      [
        [US, 1005],
        [CA, 1005],
      ],
    );
    token = state.issueAccessToken('seller-1').token;
  });
  after(() => app.close());

  it('pages through 1,000 items at most; numberOfResults counts all 1,005', async () => {
    const seen = new Set<string>();
    let url = `/listings/2021-08-01/items/A1SIM?marketplaceIds=${US}&pageSize=20&sortBy=sku&sortOrder=ASC`;
    let pages = 0;
    for (;;) {
      const { status, body } = await get(url);
      assert.equal(status, 200);
      assert.equal(body.numberOfResults, 1005);
      for (const item of body.items) seen.add(item.sku);
      pages++;
      if (!body.pagination?.nextToken) break;
      url = `/listings/2021-08-01/items/A1SIM?marketplaceIds=${US}&pageSize=20&sortBy=sku&sortOrder=ASC&pageToken=${body.pagination.nextToken}`;
    }
    assert.equal(pages, 50);
    assert.equal(seen.size, 1000);
    assert.ok(!seen.has('SKU-01001') && seen.has('SKU-01000'), 'the 1,001st item is never returned');
    const other = await get(
      `/listings/2021-08-01/items/A1SIM?marketplaceIds=${US}&pageSize=20&sortBy=createdDate&pageToken=${encodeURIComponent('eyJmIjoieCIsIm8iOjIwfQ')}`,
    );
    assert.equal(other.status, 400, 'a pageToken of another search is refused');
  });

  it('refuses a nextToken after 30 simulated seconds, or without the first call’s startDateTime', async () => {
    const start = '&startDateTime=2025-06-01T00:00:00.000Z';
    const first = await get(INVENTORY + start);
    assert.equal(first.status, 200);
    const next = first.body.pagination.nextToken;
    assert.ok(next);
    const missing = await get(`${INVENTORY}&nextToken=${next}`);
    assert.equal(missing.status, 400);
    assert.match(missing.body.errors[0].message, /startDateTime is required/);
    const other = await get(`${INVENTORY}&startDateTime=2025-07-01T00:00:00.000Z&nextToken=${next}`);
    assert.equal(other.status, 400);
    assert.equal(
      (await get(`${INVENTORY}${start}&nextToken=${next}`)).status,
      200,
      'in time, with startDateTime',
    );
    await new Promise((resolve) => setTimeout(resolve, 400)); // 40 s simulated
    const expired = await get(`${INVENTORY}${start}&nextToken=${next}`);
    assert.equal(expired.status, 400);
    assert.match(expired.body.errors[0].message, /expired/);
  });

  it('moves lastUpdatedTime for a fulfillable change, not for an inbound-only one', async () => {
    const fba = generateListings({ count: 1005, marketplace: 'US', seed: 7 }).filter((l) => l.stock);
    const [a, b] = fba;
    const before = Date.now();
    const read = async (sku: string) =>
      (
        await get(
          `/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=${US}&marketplaceIds=${US}&details=true&sellerSkus=${sku}`,
        )
      ).body.payload.inventorySummaries[0];
    const aBefore = await read(a!.sku);
    const inbound = await app.inject({
      method: 'POST',
      url: '/_sim/listings/update',
      payload: { connectionId: 'seller-1', marketplaceId: 'US', sku: a!.sku, stock: { inboundShipped: 999 } },
    });
    assert.equal(inbound.statusCode, 200, inbound.body);
    const aAfter = await read(a!.sku);
    assert.equal(aAfter.inventoryDetails.inboundShippedQuantity, 999);
    assert.equal(aAfter.lastUpdatedTime, aBefore.lastUpdatedTime, 'inbound changes are not detected');
    state.updateListing({
      connectionId: 'seller-1',
      marketplaceId: US,
      sku: b!.sku,
      stock: { fulfillable: 1234 },
    });
    const bAfter = await read(b!.sku);
    assert.equal(bAfter.inventoryDetails.fulfillableQuantity, 1234);
    assert.ok(Date.parse(bAfter.lastUpdatedTime) >= before);
    const since = new Date(before).toISOString();
    const changed = await get(`${INVENTORY}&startDateTime=${since}`);
    const skus = changed.body.payload.inventorySummaries.map((s: { sellerSku: string }) => s.sellerSku);
    assert.ok(skus.includes(b!.sku) && !skus.includes(a!.sku));
  });

  it('moves lastUpdatedDate when a listing changes', async () => {
    const sku = 'SKU-00003';
    const updated = state.updateListing({
      connectionId: 'seller-1',
      marketplaceId: 'CA',
      sku,
      itemName: 'Renamed',
    });
    const { body } = await get(
      `/listings/2021-08-01/items/A1SIM?marketplaceIds=${CA}&lastUpdatedAfter=${new Date(updated.lastUpdatedDate).toISOString()}`,
    );
    assert.deepEqual(
      body.items.map((i: { sku: string }) => i.sku),
      [sku],
    );
    assert.equal(body.items[0].summaries[0].itemName, 'Renamed');
  });

  it('admin routes refuse bad input naming the field, and show the searches seen', async () => {
    const bad = await app.inject({
      method: 'POST',
      url: '/_sim/listings',
      payload: { marketplaceId: 'US', listings: [{ sku: 'OK' }, { sku: 'X', createdDate: 'yesterday' }] },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().errors[0].message, /listings\[1\]\.createdDate/);
    const unknown = await app.inject({
      method: 'POST',
      url: '/_sim/listings/update',
      payload: { marketplaceId: 'US', sku: 'NOPE' },
    });
    assert.equal(unknown.statusCode, 400);
    const view = (await app.inject({ method: 'GET', url: '/_sim/listings?connectionId=seller-1' })).json();
    assert.equal(view.sellerId, 'A1SIM');
    assert.equal(view.marketplaces[US].listings, 1005);
    assert.ok(view.searches.some((s: { numberOfResults: number }) => s.numberOfResults === 1005));
  });

  it('generates the same catalogue every time, one ASIN per SKU across marketplaces', () => {
    const us = generateListings({ count: 200, marketplace: 'US', seed: 3 });
    assert.deepEqual(us, generateListings({ count: 200, marketplace: 'US', seed: 3 }));
    const ca = generateListings({ count: 200, marketplace: 'CA', seed: 3 });
    assert.deepEqual(
      us.map((l) => [l.sku, l.asin, l.fnSku]),
      ca.map((l) => [l.sku, l.asin, l.fnSku]),
    );
    assert.notDeepEqual(
      us.map((l) => l.stock),
      ca.map((l) => l.stock),
    );
    const fba = us.filter((l) => l.stock).length;
    assert.ok(fba > 80 && fba < 160, `about 60% FBA, got ${fba}`);
    assert.equal(new Set(us.map((l) => l.sku)).size, 200);
  });
});
