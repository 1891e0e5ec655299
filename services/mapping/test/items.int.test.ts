/**
 * Items end to end on the real broker and FerretDB with the AIS simulator (issue #8 acceptance):
 * 5,000 listings (2,500 SKUs on US and CA) go through the mapping service's listing consumer and
 * jde-poster's cross-reference consumer, started exactly as the services start them. The JDE side
 * knows most SKUs; every SKU must end matched, unmatched, ambiguous, too long or conflicting with
 * the right reason; each missing ASIN / FNSKU cross reference must be written to the simulator's
 * F4104 exactly once (US and CA propose the same ones), and after every consumer group is reset to
 * the earliest offset and the consumers run again, nothing more is written.
 *
 * Listings are published straight to Kafka here (the amazon-ingest listings path is tested on its
 * own); the stock consumer and the item metrics are checked on the same run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AisClient, InProcessSessionProvider } from '@mlc/ais';
import { kafkaNames, type ListingV1, type StockV1 } from '@mlc/events';
import {
  consumerLag,
  createKafka,
  EventPublisher,
  encodeEvent,
  ensureTopics,
  resetOffsets,
} from '@mlc/kafka';
import { auditModel, connectMongo, ensureIndexes, jobClaimModel, jobModel } from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import {
  buildSimulatorApp,
  itemsOf,
  type SeedCrossReference,
  type SeedItem,
  seedItems,
} from '@mlc/sim-jde-ais';
import { type ItemState, itemSettingsModel, itemStateModel, saveItemSettings } from '@mlc/store';
import { kafkaBrokers, uniqueMongoUrl, uniqueName, waitFor } from '@mlc/testkit';
import type { Admin, Kafka } from 'kafkajs';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { startCrossReferenceConsumer } from '../../jde-poster/src/cross-reference-consumer.js';
import { startItemConsumers } from '../src/items/index.js';

const logger = createLogger('items-test', (process.env.MLC_ITEMS_TEST_LOG ?? 'warn') as 'warn');
const US = 'ATVPDKIKX0DER';
const CA = 'A2EUQ1WTGCTBG2';
/**
 * SKUs per marketplace: the acceptance size, 2,500 (5,000 listings). About six minutes on this
 * 2-core machine (195 s to match and write, 150 s for the replay; docs/benchmarks.md "items"),
 * MLC_ITEMS_TEST_SKUS=250 for a quick run.
 */
const SKUS = Number(process.env.MLC_ITEMS_TEST_SKUS ?? 2500);
const AN8 = '4242';

/** What the JDE side holds for SKU i, and what the test expects of it. */
type Kind =
  | 'litm'
  | 'xref'
  | 'conflict'
  | 'ambiguous'
  | 'unmatched'
  | 'too_long'
  | 'asin-present'
  | 'asin-elsewhere'
  | 'no-fnsku';
function kindOf(i: number): Kind {
  const k = i % 50;
  if (k < 40) return 'litm';
  if (k < 42) return 'xref';
  if (k === 42) return 'conflict';
  if (k === 43) return 'ambiguous';
  if (k < 46) return 'unmatched';
  if (k === 46) return 'too_long';
  if (k === 47) return 'asin-present';
  if (k === 48) return 'asin-elsewhere';
  return 'no-fnsku';
}
const lacksIdentifiers = (i: number) => i % 10 === 0;
const skuOf = (i: number) =>
  kindOf(i) === 'too_long' ? `LONG-SKU-${String(i).padStart(6, '0')}-XXXXXXXXXXXXXXX` : `SKU-${i}`;
const asinOf = (i: number) => `B0${String(i).padStart(8, '0')}`;
const fnskuOf = (i: number) => `X0${String(i).padStart(8, '0')}`;
/** Short item numbers: item of SKU i is 10000 + i; "other" items 50000 + i, 60000 + i. */
const itemOf = (i: number) => 10_000 + i;

function jdeSeed(): { items: SeedItem[]; crossReferences: SeedCrossReference[]; expectedWrites: number } {
  const items: SeedItem[] = [];
  const crossReferences: SeedCrossReference[] = [];
  let expectedWrites = 0;
  for (let i = 0; i < SKUS; i++) {
    const sku = skuOf(i);
    const kind = kindOf(i);
    switch (kind) {
      case 'litm':
      case 'asin-present':
      case 'asin-elsewhere':
      case 'no-fnsku':
        items.push({ itm: itemOf(i), litm: sku, description: `Item ${i}` });
        break;
      case 'xref':
        items.push({ itm: itemOf(i), litm: `JDE-${i}` });
        crossReferences.push({ itm: itemOf(i), xrt: 'AZ', an8: Number(AN8), citm: sku });
        break;
      case 'conflict':
        items.push({ itm: itemOf(i), litm: `JDE-${i}` }, { itm: 50_000 + i, litm: sku });
        crossReferences.push({ itm: itemOf(i), xrt: 'AZ', an8: Number(AN8), citm: sku });
        break;
      case 'ambiguous':
        items.push({ itm: itemOf(i), litm: `JDE-${i}` }, { itm: 60_000 + i, litm: `JDE-${i}-B` });
        crossReferences.push(
          { itm: itemOf(i), xrt: 'AZ', an8: Number(AN8), citm: sku },
          { itm: 60_000 + i, xrt: 'AZ', an8: Number(AN8), citm: sku },
        );
        break;
      default:
        break;
    }
    if (kind === 'asin-present')
      crossReferences.push({ itm: itemOf(i), xrt: 'AS', an8: Number(AN8), citm: asinOf(i) });
    if (kind === 'asin-elsewhere') {
      items.push({ itm: 70_000 + i, litm: `OTHER-${i}` });
      crossReferences.push({ itm: 70_000 + i, xrt: 'AS', an8: Number(AN8), citm: asinOf(i) });
    }
    // Steady state: JDE already has the ASIN and FNSKU of most matched items; one in ten lacks both.
    if ((kind === 'litm' || kind === 'xref') && !lacksIdentifiers(i)) {
      crossReferences.push(
        { itm: itemOf(i), xrt: 'AS', an8: Number(AN8), citm: asinOf(i) },
        { itm: itemOf(i), xrt: 'FN', an8: Number(AN8), citm: fnskuOf(i) },
      );
    }
    // Writes expected: the missing ASIN and FNSKU of matched SKUs, less what must not be written.
    if ((kind === 'litm' || kind === 'xref') && lacksIdentifiers(i)) expectedWrites += 2;
    if (['asin-present', 'asin-elsewhere', 'no-fnsku'].includes(kind)) expectedWrites += 1;
  }
  return { items, crossReferences, expectedWrites };
}

function listing(connectionId: string, marketplaceId: string, i: number): ListingV1 {
  const event: ListingV1 = {
    connectionId,
    marketplaceId,
    sku: skuOf(i),
    asin: asinOf(i),
    itemName: `Product ${i}`,
    status: ['BUYABLE'],
    lastUpdatedDate: '2026-11-01T10:00:00.000Z',
    pass: 'full',
    emittedAt: new Date().toISOString(),
  };
  if (kindOf(i) !== 'no-fnsku') event.fnSku = fnskuOf(i);
  return event;
}

describe('items: 5,000 listings matched against JDE, cross references written once', () => {
  const sim = buildSimulatorApp();
  const ns = uniqueName('items');
  const { topics, groups } = kafkaNames(ns);
  const connectionId = 'acme-na';
  let db: Connection;
  let kafka: Kafka;
  let admin: Admin;
  let publisher: EventPublisher;
  let client: AisClient;
  const registry = new Registry();
  let expectedWrites = 0;
  let running: Array<{ stop(): Promise<void> }> = [];

  async function startConsumers(metricsRegistry: Registry): Promise<void> {
    const items = await startItemConsumers({
      db,
      kafka,
      publisher,
      topics,
      groups,
      clientFor: async () => client,
      logger,
      registry: metricsRegistry,
      cacheMs: 60_000,
      settingsRefreshMs: 1_000,
      metricsRefreshMs: 0,
    });
    const poster = await startCrossReferenceConsumer({
      db,
      kafka,
      publisher,
      topics,
      groupId: groups.jdePosterItems,
      clientFor: async () => client,
      guard: (_base, call) => call(),
      holder: 'items-test',
      leaseMs: 60_000,
      logger,
      registry: metricsRegistry,
      concurrency: 6,
    });
    running = [items, poster];
  }

  async function stopConsumers(): Promise<void> {
    await Promise.all(running.map((c) => c.stop()));
    running = [];
  }

  /** Every partition of every group at the end of its topic. */
  async function drained(): Promise<boolean> {
    for (const [groupId, topic] of [
      [groups.mappingListings, topics.listings.name],
      [groups.mappingStock, topics.stock.name],
      [groups.jdePosterItems, topics.itemCrossReferenceProposed.name],
    ] as const) {
      const ends = await admin.fetchTopicOffsets(topic);
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      if (consumerLag(committed?.partitions ?? [], ends) > 0) return false;
    }
    return true;
  }

  before(async () => {
    const seed = jdeSeed();
    expectedWrites = seed.expectedWrites;
    seedItems(sim.state, seed);
    const baseUrl = await sim.app.listen({ host: '127.0.0.1', port: 0 });
    const connection = {
      id: connectionId,
      baseUrl,
      allowInsecureHttp: true,
      username: 'JDE',
      password: 'JDE',
      deviceName: 'items-test',
      environment: 'JDV920',
      role: '*ALL',
    };
    client = new AisClient({ connection, sessions: new InProcessSessionProvider([connection]) });

    db = await connectMongo({ url: uniqueMongoUrl('items') });
    await ensureIndexes([
      auditModel(db),
      jobModel(db),
      jobClaimModel(db),
      itemSettingsModel(db),
      itemStateModel(db),
    ] as never);
    await saveItemSettings(db, {
      connectionId,
      createdBy: 'test',
      settings: {
        match: 'xref:AZ',
        crossReferenceTypes: { asin: 'AS', fnsku: 'FN' },
        addressNumber: AN8,
        createCrossReferences: true,
      },
    });

    kafka = createKafka({ brokers: kafkaBrokers, clientId: 'items-test', logger });
    admin = kafka.admin();
    await admin.connect();
    await ensureTopics(admin, [topics.listings, topics.stock, topics.itemCrossReferenceProposed]);
    publisher = new EventPublisher(kafka);
    await publisher.connect();
  });

  after(async () => {
    await stopConsumers();
    await publisher.disconnect();
    const names = [topics.listings, topics.stock, topics.itemCrossReferenceProposed].flatMap((t) => [
      t.name,
      `${t.name}.dlt`,
    ]);
    await admin.deleteTopics({ topics: names }).catch(() => undefined);
    await admin.disconnect();
    await db.dropDatabase();
    await db.close();
    await sim.app.close();
  });

  it('ends every SKU in a status with its reason and writes each missing cross reference once', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const messages = (marketplaceId: string) =>
      Array.from({ length: SKUS }, (_, i) => {
        const event = listing(connectionId, marketplaceId, i);
        return {
          key: `${connectionId}:${marketplaceId}:${event.sku}`,
          value: encodeEvent(topics.listings, event),
        };
      });
    const all = [...messages(US), ...messages(CA)];
    for (let i = 0; i < all.length; i += 500)
      await producer.send({ topic: topics.listings.name, acks: -1, messages: all.slice(i, i + 500) });
    // Stock for the first 100 SKUs in each marketplace: fulfillable i, inbound 1+2+3, reserved 1, unfulfillable 0|1.
    const stock = (marketplaceId: string, i: number): StockV1 => ({
      connectionId,
      marketplaceId,
      sku: skuOf(i),
      fulfillable: i,
      inboundWorking: 1,
      inboundShipped: 2,
      inboundReceiving: 3,
      reserved: 1,
      unfulfillable: i % 2,
      researching: 0,
      total: i + 1 + (i % 2),
      lastUpdatedTime: '2026-11-01T10:00:00.000Z',
      pass: 'full',
      emittedAt: new Date().toISOString(),
    });
    await producer.send({
      topic: topics.stock.name,
      acks: -1,
      messages: [US, CA].flatMap((m) =>
        Array.from({ length: Math.min(100, SKUS) }, (_, i) => ({
          key: `${connectionId}:${m}:${skuOf(i)}`,
          value: encodeEvent(topics.stock, stock(m, i)),
        })),
      ),
    });
    await producer.disconnect();

    await startConsumers(registry);
    const states = itemStateModel(db);
    await waitFor(
      'every listing matched',
      async () => (await states.countDocuments({ status: { $exists: true } }).exec()) === 2 * SKUS,
      1_200_000,
      1_000,
    );
    await waitFor(
      'every cross-reference job settled',
      async () =>
        (await jobModel(db).countDocuments({ kind: 'item-xref', state: 'posted' }).exec()) ===
          expectedWrites && (await drained()),
      1_200_000,
      1_000,
    );

    const docs = (await states.find({}).lean().exec()) as ItemState[];
    const byKey = new Map(docs.map((d) => [`${d.marketplaceId}|${d.sku}`, d]));
    const counts: Record<string, number> = {};
    const proposedSeen = new Set<string>();
    for (const marketplaceId of [US, CA]) {
      for (let i = 0; i < SKUS; i++) {
        const state = byKey.get(`${marketplaceId}|${skuOf(i)}`);
        assert.ok(state, `state of ${skuOf(i)} in ${marketplaceId}`);
        const kind = kindOf(i);
        counts[state.status ?? 'none'] = (counts[state.status ?? 'none'] ?? 0) + 1;
        const where = `${marketplaceId} ${skuOf(i)} (${kind}): ${state.status} — ${state.reason}`;
        switch (kind) {
          case 'litm':
          case 'asin-present':
          case 'asin-elsewhere':
          case 'no-fnsku':
            assert.equal(state.status, 'matched', where);
            assert.equal(state.itemNumber, String(itemOf(i)), where);
            assert.match(state.reason ?? '', /F4101\.LITM = "SKU-\d+"/, where);
            break;
          case 'xref':
            assert.equal(state.status, 'matched', where);
            assert.equal(state.itemNumber, String(itemOf(i)), where);
            assert.match(state.reason ?? '', /^F4104 XRT AZ AN8 4242 CITM/, where);
            break;
          case 'conflict':
            assert.equal(state.status, 'conflict', where);
            assert.equal(state.candidates, `${itemOf(i)},${50_000 + i}`, where);
            break;
          case 'ambiguous':
            assert.equal(state.status, 'ambiguous', where);
            assert.equal(state.candidates, `${itemOf(i)},${60_000 + i}`, where);
            break;
          case 'unmatched':
            assert.equal(state.status, 'unmatched', where);
            assert.match(state.reason ?? '', /no F4101 item has LITM/, where);
            break;
          case 'too_long':
            assert.equal(state.status, 'too_long', where);
            assert.match(state.reason ?? '', /SKU is 31 characters; F4104\.CITM holds 25/, where);
            break;
        }
        const xrefs = state.crossReferences ?? {};
        if ((kind === 'litm' || kind === 'xref') && !lacksIdentifiers(i)) {
          assert.equal(xrefs.asin?.state, 'present', where);
          assert.equal(xrefs.fnsku?.state, 'present', where);
        }
        if ((kind === 'litm' || kind === 'xref') && lacksIdentifiers(i)) {
          // Proposed by whichever marketplace came first; the other may already find it written.
          for (const k of ['asin', 'fnsku'] as const) {
            assert.ok(
              ['proposed', 'present'].includes(xrefs[k]?.state ?? ''),
              `${where}: ${k} ${xrefs[k]?.state}`,
            );
            if (xrefs[k]?.state === 'proposed') proposedSeen.add(`${i}|${k}`);
          }
        }
        if (kind === 'asin-present') assert.equal(xrefs.asin?.state, 'present', where);
        if (kind === 'asin-elsewhere') {
          assert.equal(xrefs.asin?.state, 'conflict', where);
          assert.equal(xrefs.asin?.otherItems, String(70_000 + i), where);
        }
        if (kind === 'no-fnsku') assert.equal(xrefs.fnsku, undefined, where);
      }
    }
    for (let i = 0; i < SKUS; i++) {
      if ((kindOf(i) === 'litm' || kindOf(i) === 'xref') && lacksIdentifiers(i)) {
        assert.ok(proposedSeen.has(`${i}|asin`) && proposedSeen.has(`${i}|fnsku`), `SKU-${i} proposed`);
      }
    }
    assert.equal(
      (counts.matched ?? 0) +
        (counts.unmatched ?? 0) +
        (counts.ambiguous ?? 0) +
        (counts.too_long ?? 0) +
        (counts.conflict ?? 0),
      2 * SKUS,
    );

    // F4104 as JDE holds it: each written row once, none for unmatched, conflicting or ambiguous SKUs.
    const store = itemsOf(sim.state);
    const written = store.crossReferences.filter((row) => row.USER !== 'SEED');
    assert.equal(written.length, expectedWrites);
    assert.equal(store.orchestrationWrites, expectedWrites);
    assert.equal(new Set(written.map((r) => `${r.ITM}|${r.XRT}|${r.AN8}|${r.CITM}`)).size, written.length);
    for (const row of written) {
      const i = row.ITM - 10_000;
      assert.ok(
        lacksIdentifiers(i) || ['asin-present', 'asin-elsewhere', 'no-fnsku'].includes(kindOf(i)),
        `row for ${row.ITM}`,
      );
      assert.equal(row.AN8, Number(AN8));
      assert.equal(row.CITM, row.XRT === 'AS' ? asinOf(i) : fnskuOf(i));
      if (kindOf(i) === 'asin-present' || kindOf(i) === 'asin-elsewhere') assert.equal(row.XRT, 'FN');
      if (kindOf(i) === 'no-fnsku') assert.equal(row.XRT, 'AS');
    }

    // Metrics: stock summed per marketplace from the latest event per SKU; SKUs by status.
    const text = await registry.metrics();
    const stocked = Math.min(100, SKUS);
    const fulfillable = (stocked * (stocked - 1)) / 2;
    for (const marketplace of [US, CA]) {
      assert.match(
        text,
        new RegExp(`mlc_fba_fulfillable_units\\{marketplace="${marketplace}"\\} ${fulfillable}\\b`),
      );
      assert.match(
        text,
        new RegExp(`mlc_fba_inbound_units\\{marketplace="${marketplace}"\\} ${stocked * 6}\\b`),
      );
      assert.match(
        text,
        new RegExp(`mlc_fba_reserved_units\\{marketplace="${marketplace}"\\} ${stocked}\\b`),
      );
      assert.match(
        text,
        new RegExp(
          `mlc_fba_unfulfillable_units\\{marketplace="${marketplace}"\\} ${Math.floor(stocked / 2)}\\b`,
        ),
      );
      assert.match(
        text,
        new RegExp(`mlc_item_skus\\{marketplace="${marketplace}",status="too_long"\\} ${SKUS / 50}\\b`),
      );
      assert.match(
        text,
        new RegExp(
          `mlc_item_skus\\{marketplace="${marketplace}",status="unmatched"\\} ${(2 * SKUS) / 50}\\b`,
        ),
      );
    }
    assert.doesNotMatch(text, /sku=/);
  });

  it('a replay of every consumer group from the earliest offset writes nothing again', async () => {
    await stopConsumers();
    const before = itemsOf(sim.state).crossReferences.length;
    const writesBefore = itemsOf(sim.state).orchestrationWrites;
    for (const [groupId, topic] of [
      [groups.mappingListings, topics.listings.name],
      [groups.mappingStock, topics.stock.name],
      [groups.jdePosterItems, topics.itemCrossReferenceProposed.name],
    ] as const) {
      const plan = await resetOffsets(admin, { groupId, topic, to: { kind: 'earliest' }, execute: true });
      assert.ok(
        plan.partitions.some((p) => p.current !== null && p.current !== p.target),
        `${groupId} moved back`,
      );
    }
    assert.equal(await drained(), false);
    await startConsumers(new Registry());
    await waitFor('the replay to be consumed', () => drained(), 1_200_000, 1_000);
    assert.equal(itemsOf(sim.state).crossReferences.length, before);
    assert.equal(itemsOf(sim.state).orchestrationWrites, writesBefore);
    assert.equal(await itemStateModel(db).countDocuments({ status: 'matched' }).exec(), 2 * SKUS * (45 / 50));
  });
});
