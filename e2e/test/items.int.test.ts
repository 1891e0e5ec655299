/**
 * Items end to end, every service its own process on the real stack: listings seeded in the SP-API
 * simulator (US and CA) are polled by amazon-ingest (searchListingsItems, FBA inventory), matched
 * by mapping against the AIS simulator's F4101 / F4104, and the missing ASIN / FNSKU cross
 * references are written by jde-poster through the cross-reference orchestration — each exactly
 * once in the simulated F4104, and not again after every consumer group is replayed from the
 * earliest offset. `mlc items status` then reports every SKU with its reason.
 *
 * MLC_E2E_ITEMS_SKUS sets the SKUs per marketplace (default 250: 500 listings; the 5,000-listing
 * volume run is services/mapping/test/items.int.test.ts, which publishes the listing events itself).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kafkaNames } from '@mlc/events';
import { consumerLag, createKafka } from '@mlc/kafka';
import { createLogger } from '@mlc/observability';
import { type ItemState, itemSettingsModel, itemStateModel, saveItemSettings } from '@mlc/store';
import { kafkaBrokers, uniqueName, waitFor } from '@mlc/testkit';
import { mlc } from '../../cli/test/mlc.js';
import { LocalStack } from '../src/local-stack.js';

const SKUS = Number(process.env.MLC_E2E_ITEMS_SKUS ?? 250);
const AN8 = 4242;
const MARKETPLACES = { US: 'ATVPDKIKX0DER', CA: 'A2EUQ1WTGCTBG2' } as const;

/** SKU i: matched by LITM (JDE lacks its ASIN and FNSKU when i % 5 === 0), unmatched, too long, or ambiguous (two AZ cross references). */
type Kind = 'matched' | 'unmatched' | 'too_long' | 'ambiguous';
const kindOf = (i: number): Kind =>
  i % 25 === 24 ? 'too_long' : i % 25 === 23 ? 'unmatched' : i % 25 === 22 ? 'ambiguous' : 'matched';
const skuOf = (i: number) =>
  kindOf(i) === 'too_long' ? `E2E-LONG-${String(i).padStart(5, '0')}-ABCDEFGHIJKLMNO` : `E2E-${i}`;
const asinOf = (i: number) => `B1${String(i).padStart(8, '0')}`;
const fnskuOf = (i: number) => `X1${String(i).padStart(8, '0')}`;
const lacks = (i: number) => i % 5 === 0;
const indexOf = (sku: string) =>
  sku.startsWith('E2E-LONG-') ? Number(sku.slice(9, 14)) : Number(sku.slice(4));

describe('items through amazon-ingest, mapping and jde-poster', () => {
  const name = uniqueName('e2e-items');
  const connectionId = 'acmeitems';
  let stack: LocalStack;
  let expectedWrites = 0;

  before(async () => {
    stack = await LocalStack.start({
      name,
      logLevel: 'warn',
      pollIntervalMs: 1_000,
      itemsPollIntervalMs: 2_000,
    });
    await stack.broker.createConnection({
      connectionId,
      displayName: 'items e2e',
      amazon: {
        lwaClientId: 'amzn1.application-oa2-client.simulator',
        lwaClientSecret: 'simulator-client-secret',
        refreshToken: `Atzr|${connectionId}`,
        regions: ['NA'],
        marketplaceIds: Object.values(MARKETPLACES),
        lwaEndpoint: `${stack.urls.spApi}/auth/o2/token`,
        spApiEndpoint: `${stack.urls.spApi}/{region}`,
        sellerId: 'A1ITEMSSELLER',
      },
      jde: {
        aisBaseUrl: stack.urls.ais,
        username: 'JDE',
        password: 'JDE',
        environment: 'JDV920',
        role: '*ALL',
        deviceName: 'ml-connector',
        allowInsecureHttp: true,
      },
    });
    await itemSettingsModel(stack.db).createIndexes();
    await itemStateModel(stack.db).createIndexes();
    await saveItemSettings(stack.db, {
      connectionId,
      createdBy: 'e2e',
      settings: {
        match: 'xref:AZ',
        crossReferenceTypes: { asin: 'AS', fnsku: 'FN' },
        addressNumber: String(AN8),
        createCrossReferences: true,
      },
    });

    const items: unknown[] = [];
    const crossReferences: unknown[] = [];
    for (let i = 0; i < SKUS; i++) {
      const kind = kindOf(i);
      if (kind === 'matched') {
        items.push({ itm: 20_000 + i, litm: skuOf(i) });
        if (lacks(i)) expectedWrites += 2;
        else
          crossReferences.push(
            { itm: 20_000 + i, xrt: 'AS', an8: AN8, citm: asinOf(i) },
            { itm: 20_000 + i, xrt: 'FN', an8: AN8, citm: fnskuOf(i) },
          );
      }
      if (kind === 'ambiguous') {
        items.push({ itm: 20_000 + i, litm: `JDE-${i}` }, { itm: 40_000 + i, litm: `JDE-${i}-B` });
        crossReferences.push(
          { itm: 20_000 + i, xrt: 'AZ', an8: AN8, citm: skuOf(i) },
          { itm: 40_000 + i, xrt: 'AZ', an8: AN8, citm: skuOf(i) },
        );
      }
    }
    await post(`${stack.urls.ais}/_sim/items`, { items, crossReferences });

    for (const marketplaceId of Object.values(MARKETPLACES)) {
      await post(`${stack.urls.spApi}/_sim/listings`, {
        connectionId,
        sellerId: 'A1ITEMSSELLER',
        marketplaceId,
        listings: Array.from({ length: SKUS }, (_, i) => ({
          sku: skuOf(i),
          asin: asinOf(i),
          fnSku: fnskuOf(i),
          itemName: `E2E product ${i}`,
          createdDate: '2026-10-01T00:00:00Z',
          // Now: the stock's lastUpdatedTime follows it, so ingest's incremental stock pass sees it.
          lastUpdatedDate: new Date().toISOString(),
          stock: { fulfillable: 3, inboundShipped: 2, reserved: 1 },
        })),
      });
    }
  });

  after(async () => {
    await stack?.stop({ dropDatabase: true });
  });

  async function f4104(): Promise<
    Array<{ ITM: number; XRT: string; AN8: number; CITM: string; USER: string }>
  > {
    return (await (await fetch(`${stack.urls.ais}/_sim/f4104`)).json()) as never;
  }

  it('matches every SKU with its reason and writes each missing cross reference once', async () => {
    const states = itemStateModel(stack.db);
    await waitFor(
      'every listing matched',
      async () =>
        (await states.countDocuments({ connectionId, status: { $exists: true } }).exec()) === 2 * SKUS,
      600_000,
      2_000,
    );
    await waitFor(
      'every missing cross reference written',
      async () => (await f4104()).filter((r) => r.USER !== 'SEED').length >= expectedWrites,
      600_000,
      2_000,
    );
    const written = (await f4104()).filter((r) => r.USER !== 'SEED');
    assert.equal(written.length, expectedWrites);
    assert.equal(new Set(written.map((r) => `${r.ITM}|${r.XRT}|${r.AN8}|${r.CITM}`)).size, expectedWrites);
    for (const row of written) assert.ok(lacks(row.ITM - 20_000), `written for ${row.ITM}`);

    const docs = (await states.find({ connectionId }).lean().exec()) as ItemState[];
    for (const doc of docs) {
      const i = indexOf(doc.sku);
      const where = `${doc.marketplaceId} ${doc.sku}: ${doc.status} ${doc.reason}`;
      assert.equal(doc.status, kindOf(i), where);
      if (kindOf(i) === 'matched') assert.equal(doc.itemNumber, String(20_000 + i), where);
      if (kindOf(i) === 'too_long') assert.match(doc.reason ?? '', /F4104\.CITM holds 25/, where);
      if (kindOf(i) === 'ambiguous') assert.equal(doc.candidates, `${20_000 + i},${40_000 + i}`, where);
    }
    // FBA stock came through amazon-ingest's inventory poll for (at least) some SKUs.
    await waitFor(
      'FBA stock stored',
      async () => (await states.countDocuments({ connectionId, 'stock.fulfillable': 3 }).exec()) > 0,
      300_000,
      2_000,
    );

    // The metrics the dashboards chart: stock per marketplace, SKUs by status, cross references by outcome.
    const mappingMetrics = await (await fetch(`${stack.urls.admin.mapping}/metrics`)).text();
    assert.match(
      mappingMetrics,
      new RegExp(
        `mlc_item_skus\\{marketplace="ATVPDKIKX0DER",status="too_long"[^}]*\\} ${Math.floor(SKUS / 25)}\\b`,
      ),
    );
    assert.match(mappingMetrics, /mlc_fba_fulfillable_units\{marketplace="A2EUQ1WTGCTBG2"[^}]*\} \d+/);
    for (const name of ['mlc_fba_inbound_units', 'mlc_fba_reserved_units', 'mlc_fba_unfulfillable_units'])
      assert.match(mappingMetrics, new RegExp(`# TYPE ${name} gauge`));
    const posterMetrics = await (await fetch(`${stack.urls.admin['jde-poster']}/metrics`)).text();
    assert.match(
      posterMetrics,
      new RegExp(`mlc_jde_item_xrefs_total\\{outcome="created"[^}]*\\} ${expectedWrites}\\b`),
    );

    const status = await mlc(
      ['items', 'status', '--connection', connectionId, '--status', 'too_long', '--json'],
      {
        MLC_MONGO_URL: `mongodb://127.0.0.1:27017/${name.replace(/-/g, '_')}`,
      },
    );
    assert.equal(status.code, 0, status.stderr);
    assert.equal((JSON.parse(status.stdout) as { total: number }).total, 2 * Math.floor((SKUS + 0) / 25));
  });

  it('a replay of every consumer group from the earliest offset writes nothing more', async () => {
    const before = (await f4104()).length;
    const { topics, groups } = kafkaNames(name);
    const replayedAt = new Date();
    const plans = await stack.replayFromEarliest([
      { groupId: groups.mappingListings, topic: topics.listings.name },
      { groupId: groups.mappingStock, topic: topics.stock.name },
      { groupId: groups.jdePosterItems, topic: topics.itemCrossReferenceProposed.name },
    ]);
    assert.ok(plans.every((p) => p.executed));
    // Every replayed listing, stock figure and proposal consumed: each group past the end its topic
    // had at the replay (amazon-ingest keeps polling, so the ends move on).
    const kafka = createKafka({
      brokers: kafkaBrokers,
      clientId: 'items-e2e',
      logger: createLogger('t', 'error'),
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const [groupId, topic] of [
        [groups.mappingListings, topics.listings.name],
        [groups.mappingStock, topics.stock.name],
        [groups.jdePosterItems, topics.itemCrossReferenceProposed.name],
      ] as const) {
        const ends = await admin.fetchTopicOffsets(topic);
        await waitFor(
          `${groupId} to consume the replay`,
          async () => {
            const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
            return consumerLag(committed?.partitions ?? [], ends) === 0;
          },
          600_000,
          2_000,
        );
      }
    } finally {
      await admin.disconnect();
    }
    // Decided again: the SKUs whose cross references jde-poster wrote now find them present (a
    // change, so written with a new matchedAt); every other SKU decides the same and is not rewritten.
    const after = (await itemStateModel(stack.db).find({ connectionId }).lean().exec()) as ItemState[];
    for (const doc of after) {
      const i = indexOf(doc.sku);
      const where = `${doc.marketplaceId} ${doc.sku}`;
      if (kindOf(i) === 'matched' && lacks(i)) {
        assert.equal(doc.crossReferences?.asin?.state, 'present', where);
        assert.equal(doc.crossReferences?.fnsku?.state, 'present', where);
      } else {
        assert.ok((doc.matchedAt?.getTime() ?? 0) < replayedAt.getTime(), `${where} not rewritten`);
      }
    }
    assert.equal((await f4104()).length, before);
  });
});

async function post(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
}
