/**
 * UnpostedWatch on the real FerretDB: settlements not posted are counted per connection and status,
 * the age of the oldest deposit date is exported at scrape time, posted ones are left out, and a
 * series disappears once its settlements are posted.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connectMongo, ensureIndexes } from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import { recordSettlement, type SettlementStatus, setSettlementStatus, settlementModel } from '@mlc/store';
import { uniqueMongoUrl } from '@mlc/testkit';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { UnpostedWatch } from '../src/unposted-watch.js';

const logger = createLogger('unposted-test', 'silent');
const NOW = Date.parse('2026-03-10T12:00:00Z');
const HOUR = 3600;

async function settlement(
  db: Connection,
  connectionId: string,
  settlementId: string,
  status: SettlementStatus,
  depositDate?: string,
) {
  await recordSettlement(db, {
    connectionId,
    settlementId,
    status,
    rawDocumentId: `raw-${settlementId}`,
    checksum: 'x',
    ...(depositDate ? { depositDate: new Date(depositDate) } : {}),
  });
}

async function values(registry: Registry, name: string) {
  const metric = await registry.getSingleMetric(name)?.get();
  return Object.fromEntries(
    (metric?.values ?? []).map((v) => [`${v.labels.connection}/${v.labels.status}`, v.value]),
  );
}

describe('UnpostedWatch on the real FerretDB', () => {
  let db: Connection;
  before(async () => {
    db = await connectMongo({ url: uniqueMongoUrl('unposted') });
    await ensureIndexes([settlementModel(db)] as never);
  });
  after(async () => {
    await db.dropDatabase();
    await db.close();
  });

  it('exports the count and the oldest deposit age per connection and status, without posted ones', async () => {
    await settlement(db, 'acme', 'A1', 'proposed', '2026-03-08T12:00:00Z'); // 48 h ago
    await settlement(db, 'acme', 'A2', 'proposed', '2026-03-10T06:00:00Z'); // 6 h ago
    await settlement(db, 'acme', 'A3', 'held', '2026-03-09T12:00:00Z'); // 24 h ago
    await settlement(db, 'acme', 'A4', 'held'); // a report that did not parse: no deposit date
    await settlement(db, 'acme', 'A5', 'posted', '2025-01-01T00:00:00Z');
    await settlement(db, 'globex', 'G1', 'announced', '2026-03-12T12:00:00Z'); // 48 h ahead
    await settlement(db, 'globex', 'G2', 'posted', '2026-03-01T00:00:00Z');

    const registry = new Registry();
    const watch = new UnpostedWatch({ db, registry, logger, intervalMs: 60_000, now: () => NOW });
    await watch.refresh();

    assert.deepEqual(await values(registry, 'mlc_settlements_not_posted'), {
      'acme/proposed': 2,
      'acme/held': 2,
      'globex/announced': 1,
    });
    assert.deepEqual(await values(registry, 'mlc_settlements_not_posted_oldest_deposit_age_seconds'), {
      'acme/proposed': 48 * HOUR,
      'acme/held': 24 * HOUR,
      'globex/announced': -48 * HOUR,
    });

    // A1 gets posted, the held ones are released and posted: their series go away on the next read.
    await setSettlementStatus(db, { connectionId: 'acme', settlementId: 'A1' }, 'posted');
    await setSettlementStatus(db, { connectionId: 'acme', settlementId: 'A3' }, 'posted');
    await setSettlementStatus(db, { connectionId: 'acme', settlementId: 'A4' }, 'posted');
    await watch.refresh();
    assert.deepEqual(await values(registry, 'mlc_settlements_not_posted'), {
      'acme/proposed': 1,
      'globex/announced': 1,
    });
    assert.deepEqual(await values(registry, 'mlc_settlements_not_posted_oldest_deposit_age_seconds'), {
      'acme/proposed': 6 * HOUR,
      'globex/announced': -48 * HOUR,
    });
  });

  it('reads again on its interval until stopped', async () => {
    const registry = new Registry();
    const watch = new UnpostedWatch({ db, registry, logger, intervalMs: 50, now: () => NOW });
    watch.start();
    await settlement(db, 'initech', 'I1', 'rejected', '2026-03-01T12:00:00Z');
    const deadline = Date.now() + 10_000;
    while (
      !(await values(registry, 'mlc_settlements_not_posted'))['initech/rejected'] &&
      Date.now() < deadline
    )
      await new Promise((r) => setTimeout(r, 20));
    assert.equal((await values(registry, 'mlc_settlements_not_posted'))['initech/rejected'], 1);
    await watch.stop();
    await setSettlementStatus(db, { connectionId: 'initech', settlementId: 'I1' }, 'posted');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(
      (await values(registry, 'mlc_settlements_not_posted'))['initech/rejected'],
      1,
      'no read after stop',
    );
  });
});
