/**
 * The simulator's Listings Items 2021-08-01 and FBA Inventory v1 answers against Amazon's official
 * models: every status it gives (200, 400, 403, 404, 429) validated against the schema the model
 * declares for that path, method and status. Skipped when ../shared is absent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildSimulatorApp } from '../src/app.js';
import { generateListings } from '../src/listings-generator.js';
import { loadModel, type Model, modelsSkip, validate } from './model-validator.js';

const SEARCH = '/listings/2021-08-01/items/{sellerId}';
const ITEM = '/listings/2021-08-01/items/{sellerId}/{sku}';
const SUMMARIES = '/fba/inventory/v1/summaries';

describe('listings and inventory conformance to the official models', { skip: modelsSkip }, () => {
  const { app, state } = buildSimulatorApp({ timeScale: 1000, inventoryPageSize: 7 });
  let token = '';
  let listings: Model;
  let inventory: Model;

  before(() => {
    listings = loadModel('listingsItems_2021-08-01.json');
    inventory = loadModel('fbaInventory.json');
    for (const marketplace of ['US', 'CA']) {
      state.seedListings({
        connectionId: 'seller-1',
        sellerId: 'A1CONFORM',
        marketplaceId: marketplace,
        listings: generateListings({
          count: 50,
          marketplace,
          specialCharacters: true,
          createdFrom: '2026-01-01T00:00:00Z',
          createdTo: '2026-06-30T00:00:00Z',
        }),
      });
    }
    token = state.issueAccessToken('seller-1').token;
  });
  after(() => app.close());

  async function check(model: Model, modelPath: string, url: string, status: number) {
    const response = await app.inject({ method: 'GET', url, headers: { 'x-amz-access-token': token } });
    assert.equal(response.statusCode, status, `${url}: ${response.body}`);
    const schema = model.paths[modelPath]?.get?.responses[String(status)]?.schema;
    assert.ok(schema, `GET ${modelPath} has no ${status} response in the model`);
    const problems: string[] = [];
    const body = response.json();
    validate(model, body, schema, String(status), problems);
    assert.deepEqual(problems, [], url);
    assert.ok(response.headers['x-amzn-requestid'], 'x-amzn-RequestId header');
    return body;
  }

  it('searchListingsItems: pages with every data set, and its errors', async () => {
    const all =
      'summaries,attributes,issues,offers,fulfillmentAvailability,procurement,relationships,productTypes';
    const first = await check(
      listings,
      SEARCH,
      `/listings/2021-08-01/items/A1CONFORM?marketplaceIds=ATVPDKIKX0DER,A2EUQ1WTGCTBG2&includedData=${all}&pageSize=20`,
      200,
    );
    assert.equal(first.numberOfResults, 50);
    assert.equal(first.items[0].summaries.length, 2, 'one summary per marketplace');
    const second = await check(
      listings,
      SEARCH,
      `/listings/2021-08-01/items/A1CONFORM?marketplaceIds=ATVPDKIKX0DER,A2EUQ1WTGCTBG2&includedData=${all}&pageSize=20&pageToken=${first.pagination.nextToken}`,
      200,
    );
    assert.ok(second.pagination.previousToken && second.pagination.nextToken);
    await check(
      listings,
      SEARCH,
      '/listings/2021-08-01/items/A1CONFORM?marketplaceIds=ATVPDKIKX0DER&pageSize=21',
      400,
    );
    await check(listings, SEARCH, '/listings/2021-08-01/items/A1CONFORM', 400);
    await check(listings, SEARCH, '/listings/2021-08-01/items/A9SOMEONE?marketplaceIds=ATVPDKIKX0DER', 403);
    state.setFaults({ next429: 1 });
    await check(listings, SEARCH, '/listings/2021-08-01/items/A1CONFORM?marketplaceIds=ATVPDKIKX0DER', 429);
  });

  it('getListingsItem: an encoded SKU, and 404', async () => {
    const sku = generateListings({ count: 50, marketplace: 'US', specialCharacters: true }).find((l) =>
      /[ /&]/.test(l.sku),
    )!.sku;
    const item = await check(
      listings,
      ITEM,
      `/listings/2021-08-01/items/A1CONFORM/${encodeURIComponent(sku)}?marketplaceIds=ATVPDKIKX0DER&includedData=summaries,issues`,
      200,
    );
    assert.equal(item.sku, sku);
    await check(
      listings,
      ITEM,
      '/listings/2021-08-01/items/A1CONFORM/NOPE?marketplaceIds=ATVPDKIKX0DER',
      404,
    );
  });

  it('getInventorySummaries: with and without details, paged, and its errors', async () => {
    const base =
      '/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=ATVPDKIKX0DER&marketplaceIds=ATVPDKIKX0DER';
    const first = await check(
      inventory,
      SUMMARIES,
      `${base}&details=true&startDateTime=2026-01-01T00:00:00Z`,
      200,
    );
    assert.ok(first.pagination.nextToken, 'pagination is a sibling of payload');
    assert.ok(first.payload.inventorySummaries[0].inventoryDetails);
    await check(
      inventory,
      SUMMARIES,
      `${base}&details=true&startDateTime=2026-01-01T00:00:00Z&nextToken=${first.pagination.nextToken}`,
      200,
    );
    const plain = await check(inventory, SUMMARIES, base, 200);
    assert.equal(plain.payload.inventorySummaries[0].inventoryDetails, undefined);
    await check(inventory, SUMMARIES, `${base}&details=true&nextToken=${first.pagination.nextToken}`, 400);
    await check(inventory, SUMMARIES, '/fba/inventory/v1/summaries?granularityType=Marketplace', 400);
    const denied = await app.inject({ method: 'GET', url: base });
    assert.equal(denied.statusCode, 403);
    const problems: string[] = [];
    validate(
      inventory,
      denied.json(),
      inventory.paths[SUMMARIES]!.get!.responses['403']!.schema!,
      '403',
      problems,
    );
    assert.deepEqual(problems, []);
  });
});
