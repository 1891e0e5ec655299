/**
 * The finances watch against the SP-API simulator on the real FerretDB: a closed payout whose
 * settlement is not recorded is reported once (metric and audit event), a recorded one is not.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { auditModel, connectMongo, ensureIndexes } from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import { buildSimulatorApp, generateSettlementFile } from '@mlc/sim-amazon-sp-api';
import { FinancesApi, InProcessTokenProvider, SpApiClient, scaledClock } from '@mlc/sp-api';
import { recordSettlement, settlementModel } from '@mlc/store';
import { uniqueMongoUrl } from '@mlc/testkit';
import type { Connection } from 'mongoose';
import { Registry } from 'prom-client';
import { FinancesWatch, groupCheckModel } from '../src/finances-watch.js';

describe('finances watch', () => {
  const simulator = buildSimulatorApp({ timeScale: 600 });
  let db: Connection;
  let finances: FinancesApi;
  const connectionId = 'seller-fin';
  const files = [1, 2].map((n) =>
    generateSettlementFile({
      seed: `fin-${n}`,
      marketplace: 'US',
      rows: 40,
      start: `2025-0${n}-01T08:00:00Z`,
    }),
  );

  before(async () => {
    const url = await simulator.app.listen({ host: '127.0.0.1', port: 0 });
    db = await connectMongo({ url: uniqueMongoUrl('finwatch') });
    await ensureIndexes([auditModel(db), settlementModel(db), groupCheckModel(db)] as never);
    for (const file of files) {
      await simulator.app.inject({
        method: 'POST',
        url: `/_sim/settlements?connectionId=${connectionId}&marketplace=US`,
        headers: { 'content-type': 'text/plain' },
        payload: file.text,
      });
    }
    const registry = new Registry();
    const tokens = new InProcessTokenProvider({
      endpoint: `${url}/auth/o2/token`,
      credentials: (id) => ({
        clientId: 'amzn1.application-oa2-client.simulator',
        clientSecret: 'simulator-client-secret',
        refreshToken: `Atzr|${id}`,
      }),
    });
    finances = new FinancesApi(
      new SpApiClient({
        connectionId,
        region: 'NA',
        tokens,
        registry,
        endpoint: `${url}/na`,
        clock: scaledClock(600),
      }),
    );
    // Only the first settlement reached us.
    await recordSettlement(db, {
      connectionId,
      settlementId: files[0]!.summary.settlementId,
      status: 'posted',
      rawDocumentId: 'd1',
      checksum: 'x',
    });
  });

  after(async () => {
    await simulator.app.close();
    await db.dropDatabase();
    await db.close();
  });

  it('reports the closed payout whose settlement report is missing, once', async () => {
    const registry = new Registry();
    const watch = new FinancesWatch({
      db,
      logger: createLogger('fin', 'silent'),
      registry,
      graceMs: 72 * 3600_000,
      lookbackMs: 5 * 365 * 24 * 3600_000,
      now: () => new Date('2025-06-01T00:00:00Z'),
    });
    const target = { connectionId, region: 'NA' as const, marketplaceIds: ['ATVPDKIKX0DER'] };
    const first = await watch.check(target, finances);
    assert.equal(first.closedGroups, 2);
    assert.deepEqual(
      first.missing.map((m) => m.settlementId),
      [files[1]!.summary.settlementId],
    );
    assert.match(await registry.metrics(), /mlc_ingest_settlement_reports_missing\{region="NA"\} 1/);

    const second = await watch.check(target, finances);
    assert.equal(second.missing.length, 1, 'still missing');
    const audits = await auditModel(db).find({ action: 'settlement.report-missing' }).lean();
    assert.equal(audits.length, 1, 'reported once');
    assert.equal(audits[0]?.settlementId, files[1]!.summary.settlementId);
  });
});
