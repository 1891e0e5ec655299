/**
 * The listings and stock pollers against the SP-API simulator, on the real broker and FerretDB:
 * - 2,500 US listings changed inside one incremental window (Amazon pages through 1,000 at most) are
 *   all announced, because the window is split in halves until each holds ≤ 1,000;
 * - a CA marketplace's first pass is a full one;
 * - a second incremental pass with nothing changed announces only the overlap, a full pass all of them;
 * - a stock pass whose nextToken expired starts again and still announces every FBA SKU;
 * - an inbound-only stock change (which does not move lastUpdatedTime) is seen by the full pass only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kafkaNames, type ListingV1, type StockV1 } from '@mlc/events';
import { createKafka, decodeEvent, EventPublisher, ensureTopics } from '@mlc/kafka';
import { connectMongo, ensureIndexes } from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import { buildSimulatorApp, generateListings, type SeedListing } from '@mlc/sim-amazon-sp-api';
import { FbaInventoryApi, InProcessTokenProvider, ListingsApi, SpApiClient, scaledClock } from '@mlc/sp-api';
import { kafkaBrokers, uniqueMongoUrl, uniqueName, waitFor } from '@mlc/testkit';
import type { Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { InventoryPoller } from '../src/inventory-poller.js';
import { itemsCursorModel, writeCursor } from '../src/items-cursors.js';
import { createItemsMetrics } from '../src/items-metrics.js';
import { ListingsPoller } from '../src/listings-poller.js';

/** Simulated seconds per wall second: a nextToken's 30 s are 300 wall ms. */
const SCALE = 100;
const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
const CONNECTION = 'seller-items';
const SELLER = 'A1ITEMSSELLER';
const HOUR = 3600_000;
const OVERLAP = 10 * 60_000;
const logger = createLogger('items-poller-test', 'error');

describe('listings and stock pollers against the SP-API simulator', () => {
  const simulator = buildSimulatorApp({ timeScale: SCALE });
  const simNow = () => new Date(simulator.state.now());
  let db: Connection;
  let kafka: Kafka;
  let publisher: EventPublisher;
  let stopReader: () => Promise<void>;
  const { topics } = kafkaNames(uniqueName('items'));
  const listingEvents: ListingV1[] = [];
  const stockEvents: StockV1[] = [];
  /** Keys that are not `<connection>:<marketplace>:<sku>` of their event. */
  const badKeys: string[] = [];
  const registry = new Registry();
  const metrics = createItemsMetrics(registry);
  let listingsApi: ListingsApi;
  let inventoryApi: FbaInventoryApi;
  /** Set to make the next nextToken request wait this many wall ms (the pass then dawdles past 30 s). */
  let delayNextTokenOnce = 0;
  let seededStart = 0;
  let us: SeedListing[] = [];

  before(async () => {
    const url = await simulator.app.listen({ host: '127.0.0.1', port: 0 });
    // 2,500 US listings all changed within one hour that ended two hours ago, 200 CA listings.
    seededStart = simulator.state.now() - 3 * HOUR;
    us = generateListings({
      count: 2500,
      marketplace: 'US',
      seed: 'items-int',
      updatedFrom: new Date(seededStart).toISOString(),
      updatedTo: new Date(seededStart + HOUR).toISOString(),
    });
    simulator.state.seedListings({
      connectionId: CONNECTION,
      sellerId: SELLER,
      marketplaceId: US,
      listings: us,
    });
    simulator.state.seedListings({
      connectionId: CONNECTION,
      marketplaceId: CA,
      listings: generateListings({ count: 200, marketplace: 'CA', seed: 'items-int' }),
    });

    db = await connectMongo({ url: uniqueMongoUrl('items') });
    await ensureIndexes([itemsCursorModel(db)] as never);
    kafka = createKafka({ brokers: kafkaBrokers, clientId: 'items-test', logger });
    const admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topics.listings, topics.stock]);
    await admin.disconnect();
    publisher = new EventPublisher(kafka);
    await publisher.connect();
    const reader = kafka.consumer({ groupId: uniqueName('items-reader') });
    await reader.connect();
    await reader.subscribe({ topics: [topics.listings.name, topics.stock.name], fromBeginning: true });
    await reader.run({
      eachMessage: async ({ topic, message }) => {
        const key = String(message.key);
        if (topic === topics.listings.name) {
          const event = decodeEvent(topics.listings, message.value);
          if (key !== `${event.connectionId}:${event.marketplaceId}:${event.sku}`) badKeys.push(key);
          listingEvents.push(event);
        } else {
          const event = decodeEvent(topics.stock, message.value);
          if (key !== `${event.connectionId}:${event.marketplaceId}:${event.sku}`) badKeys.push(key);
          stockEvents.push(event);
        }
      },
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
    const dawdlingFetch: typeof fetch = async (input, init) => {
      if (delayNextTokenOnce > 0 && String(input).includes('nextToken=')) {
        const wait = delayNextTokenOnce;
        delayNextTokenOnce = 0;
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
      return fetch(input, init);
    };
    const client = new SpApiClient({
      connectionId: CONNECTION,
      region: 'NA',
      tokens,
      registry: new Registry(),
      endpoint: `${url}/na`,
      clock: scaledClock(SCALE),
      fetch: dawdlingFetch,
    });
    listingsApi = new ListingsApi(client);
    inventoryApi = new FbaInventoryApi(client);
  });

  after(async () => {
    await stopReader();
    await publisher.disconnect();
    await simulator.app.close();
    await db.dropDatabase();
    await db.close();
  });

  const deps = () => ({
    db,
    publisher,
    topics,
    metrics,
    logger,
    overlapMs: OVERLAP,
    fullPassIntervalMs: 24 * HOUR,
    now: simNow,
  });
  const target = (marketplaceId: string) => ({
    connectionId: CONNECTION,
    region: 'NA' as const,
    marketplaceId,
  });
  const counterValue = async (name: string, labels: Record<string, string>) =>
    (await registry.getSingleMetric(name)?.get())?.values.find((v) =>
      Object.entries(labels).every(([k, value]) => v.labels[k] === value),
    )?.value ?? 0;

  it('reads all 2,500 listings changed inside one window by splitting it', async () => {
    // A cursor from just before the changes, with a recent full pass: the next pass is incremental.
    const watermark = new Date(seededStart - 60_000);
    await writeCursor(db, `${CONNECTION}:${US}:listings`, { watermark, lastFullPassAt: simNow() }, simNow());
    const from = new Date(watermark.getTime() - OVERLAP).toISOString();

    // Unsplit, Amazon hands out 1,000 of them and no more.
    let unsplit = 0;
    let matched = 0;
    for await (const page of listingsApi.searchListingsItems({
      sellerId: SELLER,
      marketplaceIds: [US],
      lastUpdatedAfter: from,
      sortBy: 'lastUpdatedDate',
      sortOrder: 'ASC',
      pageSize: 20,
    })) {
      matched = page.numberOfResults;
      unsplit += page.items.length;
    }
    assert.equal(matched, 2500);
    assert.equal(unsplit, 1000);

    const searchesBefore = simulator.state.listingsStore.searches.length;
    const result = await new ListingsPoller(deps()).pollOnce(
      { ...target(US), sellerId: SELLER },
      listingsApi,
    );
    assert.equal(result.pass, 'incremental');
    assert.equal(result.announced, 2500);
    await waitFor(
      '2,500 US listing events',
      () => listingEvents.filter((e) => e.marketplaceId === US).length >= 2500,
    );
    const usEvents = listingEvents.filter((e) => e.marketplaceId === US);
    assert.equal(new Set(usEvents.map((e) => e.sku)).size, 2500, 'every SKU, once');
    assert.ok(usEvents.every((e) => e.pass === 'incremental' && e.connectionId === CONNECTION));
    assert.deepEqual(new Set(usEvents.map((e) => e.sku)), new Set(us.map((l) => l.sku)));

    // What the simulator saw: the whole window (2,500), then halves until every window read holds ≤ 1,000.
    const searches = simulator.state.listingsStore.searches.slice(searchesBefore);
    assert.equal(searches[0]!.lastUpdatedAfter, from);
    assert.equal(searches[0]!.numberOfResults, 2500);
    const read = searches.filter((s) => !s.paged && s.numberOfResults <= 1000);
    assert.ok(read.length >= 3, `windows read: ${read.length}`);
    assert.equal(
      read.reduce((n, s) => n + s.numberOfResults, 0),
      2500,
      'the windows read partition the 2,500',
    );
    assert.ok((await counterValue('mlc_ingest_listings_windows_split_total', { marketplace: US })) >= 2);
    assert.equal(
      await counterValue('mlc_ingest_items_read_total', {
        kind: 'listing',
        marketplace: US,
        pass: 'incremental',
      }),
      2500,
    );
    const cursor = await itemsCursorModel(db).findById(`${CONNECTION}:${US}:listings`).lean();
    const newest = Math.max(...us.map((l) => Date.parse(l.lastUpdatedDate!)));
    assert.equal(cursor!.watermark!.getTime(), newest, 'the watermark is the newest lastUpdatedDate read');
  });

  it('reads a new marketplace (CA) with a full pass first', async () => {
    const result = await new ListingsPoller(deps()).pollOnce(
      { ...target(CA), sellerId: SELLER },
      listingsApi,
    );
    assert.equal(result.pass, 'full');
    assert.equal(result.announced, 200);
    await waitFor(
      '200 CA listing events',
      () => listingEvents.filter((e) => e.marketplaceId === CA).length >= 200,
    );
    assert.ok(listingEvents.filter((e) => e.marketplaceId === CA).every((e) => e.pass === 'full'));
  });

  it('announces only the overlap when nothing changed', async () => {
    const before = listingEvents.length;
    const newest = Math.max(...us.map((l) => Date.parse(l.lastUpdatedDate!)));
    const overlap = us.filter((l) => Date.parse(l.lastUpdatedDate!) >= newest - OVERLAP).map((l) => l.sku);
    assert.ok(overlap.length > 0 && overlap.length < 1000);
    const poller = new ListingsPoller(deps());
    const result = await poller.pollOnce({ ...target(US), sellerId: SELLER }, listingsApi);
    assert.equal(result.pass, 'incremental');
    assert.equal(result.announced, overlap.length);
    await waitFor('the overlap re-announced', () => listingEvents.length >= before + overlap.length);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const again = listingEvents.slice(before);
    assert.equal(again.length, overlap.length, 'nothing beyond the overlap');
    assert.deepEqual(new Set(again.map((e) => e.sku)), new Set(overlap));

    // The same poller does not announce the window's unchanged listings a second time; a change it does.
    const quiet = await poller.pollOnce({ ...target(US), sellerId: SELLER }, listingsApi);
    assert.equal(quiet.pass, 'incremental');
    assert.equal(quiet.announced, 0, 'nothing changed since the last pass');
    simulator.state.updateListing({
      connectionId: CONNECTION,
      marketplaceId: US,
      sku: overlap[0]!,
      itemName: 'renamed while polled',
    });
    const changed = await poller.pollOnce({ ...target(US), sellerId: SELLER }, listingsApi);
    assert.equal(changed.announced, 1);
    await waitFor('the changed listing', () =>
      listingEvents.some((e) => e.sku === overlap[0] && e.itemName === 'renamed while polled'),
    );
  });

  it('reads all 2,500 again in a full pass, splitting by createdDate', async () => {
    const before = listingEvents.length;
    const split = await counterValue('mlc_ingest_listings_windows_split_total', { marketplace: US });
    const result = await new ListingsPoller(deps()).pollOnce(
      { ...target(US), sellerId: SELLER },
      listingsApi,
      'full',
    );
    assert.equal(result.pass, 'full');
    assert.equal(result.announced, 2500);
    await waitFor('the full pass', () => listingEvents.length >= before + 2500);
    const full = listingEvents.slice(before);
    assert.equal(new Set(full.map((e) => e.sku)).size, 2500);
    assert.ok(full.every((e) => e.pass === 'full'));
    assert.ok((await counterValue('mlc_ingest_listings_windows_split_total', { marketplace: US })) > split);
  });

  it('starts a stock pass again when its nextToken expired, and misses nothing', async () => {
    const fba = us.filter((l) => l.stock);
    assert.ok(fba.length > 100, 'several pages of summaries');
    const refusedBefore = simulator.state.counters.requests.getInventorySummaries?.['400'] ?? 0;
    delayNextTokenOnce = 600; // 60 simulated seconds between two pages: the token dies after 30
    const result = await new InventoryPoller(deps()).pollOnce(target(US), inventoryApi);
    assert.equal(result.pass, 'full');
    assert.ok(result.restarts >= 1, 'the pass started again');
    assert.equal(
      (simulator.state.counters.requests.getInventorySummaries?.['400'] ?? 0) - refusedBefore,
      result.restarts,
    );
    assert.equal(result.announced, fba.length);
    await waitFor('every FBA SKU', () => new Set(stockEvents.map((e) => e.sku)).size >= fba.length);
    assert.deepEqual(new Set(stockEvents.map((e) => e.sku)), new Set(fba.map((l) => l.sku)));
    assert.ok(stockEvents.every((e) => e.pass === 'full' && e.marketplaceId === US));
    assert.ok((await counterValue('mlc_ingest_stock_pass_restarts_total', { marketplace: US })) >= 1);
  });

  it('sees an inbound-only change in the full pass only', async () => {
    // The two FBA SKUs changed longest ago: far outside the incremental pass's overlap.
    const [inboundOnly, sold] = us
      .filter((l) => l.stock)
      .sort((a, b) => Date.parse(a.lastUpdatedDate!) - Date.parse(b.lastUpdatedDate!));
    simulator.state.updateListing({
      connectionId: CONNECTION,
      marketplaceId: US,
      sku: inboundOnly!.sku,
      stock: { inboundWorking: (inboundOnly!.stock!.inboundWorking ?? 0) + 50 },
    });
    simulator.state.updateListing({
      connectionId: CONNECTION,
      marketplaceId: US,
      sku: sold!.sku,
      stock: { fulfillable: (sold!.stock!.fulfillable ?? 0) + 7 },
    });

    let before = stockEvents.length;
    const incremental = await new InventoryPoller(deps()).pollOnce(target(US), inventoryApi);
    assert.equal(incremental.pass, 'incremental');
    await waitFor('the incremental stock events', () => stockEvents.length >= before + incremental.announced);
    const seen = stockEvents.slice(before);
    assert.ok(seen.every((e) => e.pass === 'incremental'));
    const soldEvent = seen.find((e) => e.sku === sold!.sku);
    assert.equal(
      soldEvent?.fulfillable,
      (sold!.stock!.fulfillable ?? 0) + 7,
      'the fulfillable change is seen',
    );
    assert.equal(
      seen.find((e) => e.sku === inboundOnly!.sku),
      undefined,
      'the inbound-only change is not',
    );

    before = stockEvents.length;
    const full = await new InventoryPoller(deps()).pollOnce(target(US), inventoryApi, 'full');
    assert.equal(full.pass, 'full');
    await waitFor('the full stock pass', () => stockEvents.length >= before + full.announced);
    const inbound = stockEvents.slice(before).find((e) => e.sku === inboundOnly!.sku);
    assert.equal(inbound?.pass, 'full');
    assert.equal(inbound?.inboundWorking, (inboundOnly!.stock!.inboundWorking ?? 0) + 50);
    assert.deepEqual(badKeys, [], 'every event keyed <connection>:<marketplace>:<sku>');
  });
});
