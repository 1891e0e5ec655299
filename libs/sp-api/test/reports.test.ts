import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { generateSettlementFile } from '@mlc/sim-amazon-sp-api';
import { SpApiError } from '../src/client.js';
import { MARKETPLACES } from '../src/regions.js';
import { ReportDocumentExpiredError, ReportsApi, SETTLEMENT_REPORT_TYPE } from '../src/reports.js';
import { collect, type Harness, makeClient, manualClock, requestCount, startSimulator } from './support.js';

const US = MARKETPLACES.US!.marketplaceId;

function seed(
  sim: Harness,
  count: number,
  options: { compress?: boolean; connectionId?: string } = {},
): string[] {
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const { text } = generateSettlementFile({ seed: `r${i}`, marketplace: 'US', rows: 30 });
    sim.state.seedSettlement({
      content: text,
      connectionId: options.connectionId ?? 'seller-1',
      compress: options.compress,
    });
    texts.push(text);
  }
  return texts;
}

describe('Reports API against the simulator', () => {
  let sim: Harness;
  before(async () => {
    // 100×: a document URL lives 3 s of wall time, plenty for a download on a loaded machine.
    sim = await startSimulator({ timeScale: 100 });
  });
  beforeEach(() => sim.state.reset());
  after(() => sim.close());

  it('follows nextToken until the last page', async () => {
    seed(sim, 25);
    seed(sim, 2, { connectionId: 'someone-else' });
    const { client, registry } = makeClient(sim, { timeScale: 100 });
    const reports = new ReportsApi(client);
    const listed = await collect(
      reports.listReports({ reportTypes: [SETTLEMENT_REPORT_TYPE], marketplaceIds: [US] }),
    );
    assert.equal(listed.length, 25, 'only this connection’s reports');
    assert.equal(new Set(listed.map((r) => r.reportId)).size, 25);
    assert.ok(listed.every((r) => r.processingStatus === 'DONE' && r.reportDocumentId));
    assert.equal(await requestCount(registry, 'getReports', '200'), 3, 'pages of 10, 10 and 5');
  });

  it('downloads a document at once and gunzips it', async () => {
    const [plain] = seed(sim, 1);
    const [zipped] = seed(sim, 1, { compress: true });
    const { client } = makeClient(sim, { timeScale: 100 });
    const reports = new ReportsApi(client);
    const listed = await collect(
      reports.listReports({ reportTypes: [SETTLEMENT_REPORT_TYPE], marketplaceIds: [US] }),
    );
    const texts = await Promise.all(
      listed.map(async (r) => (await reports.downloadReportDocument(r.reportDocumentId!)).toString('utf8')),
    );
    assert.deepEqual(new Set(texts), new Set([plain, zipped]));
    const document = await reports.getReportDocument(
      listed.find((r) => r.reportDocumentId)!.reportDocumentId!,
    );
    assert.ok(document.url.includes('/documents/'));
  });

  it('downloads a document as delivered: GZIP stays compressed', async () => {
    const [zipped] = seed(sim, 1, { compress: true });
    const { client } = makeClient(sim, { timeScale: 100 });
    const reports = new ReportsApi(client);
    const [listed] = await collect(
      reports.listReports({ reportTypes: [SETTLEMENT_REPORT_TYPE], marketplaceIds: [US] }),
    );
    const bytes = await reports.downloadReportDocumentAsDelivered(listed!.reportDocumentId!);
    assert.deepEqual([bytes[0], bytes[1]], [0x1f, 0x8b], 'the GZIP magic bytes');
    assert.equal(gunzipSync(bytes).toString('utf8'), zipped);
  });

  it('reports an expired document URL as such', async () => {
    const expiring = await startSimulator({ timeScale: 20_000 });
    try {
      seed(expiring, 1);
      const { client, registry } = makeClient(expiring, { timeScale: 20_000 });
      const reports = new ReportsApi(client);
      const [report] = await collect(
        reports.listReports({ reportTypes: [SETTLEMENT_REPORT_TYPE], marketplaceIds: [US] }),
      );
      const document = await reports.getReportDocument(report!.reportDocumentId!);
      await new Promise((resolve) => setTimeout(resolve, 100)); // 100 ms × 20 000 = 33 virtual minutes
      await assert.rejects(reports.download(document), ReportDocumentExpiredError);
      assert.equal(await requestCount(registry, 'reportDocumentDownload', '403'), 1);
    } finally {
      await expiring.close();
    }
  });

  it('answers createReport for a settlement type with Amazon’s 400', async () => {
    const { client } = makeClient(sim, { timeScale: 100 });
    await assert.rejects(
      new ReportsApi(client).createReport({ reportType: SETTLEMENT_REPORT_TYPE, marketplaceIds: [US] }),
      (error: unknown) =>
        error instanceof SpApiError &&
        error.status === 400 &&
        error.code === 'InvalidInput' &&
        error.message.includes('Request for report type 1118 is not allowed at this time'),
    );
  });

  it('runs one independent stream per region', async () => {
    const us = generateSettlementFile({ seed: 'us', marketplace: 'US', rows: 10 });
    const de = generateSettlementFile({ seed: 'de', marketplace: 'DE', rows: 10 });
    sim.state.seedSettlement({ content: us.text, connectionId: 'seller-1' });
    sim.state.seedSettlement({ content: de.text, connectionId: 'seller-1' });
    const na = makeClient(sim, { timeScale: 100, region: 'NA', endpoint: `${sim.baseUrl}/na` });
    const eu = makeClient(sim, { timeScale: 100, region: 'EU', endpoint: `${sim.baseUrl}/eu` });
    const list = (client: typeof na.client, marketplaceId: string) =>
      collect(
        new ReportsApi(client).listReports({
          reportTypes: [SETTLEMENT_REPORT_TYPE],
          marketplaceIds: [marketplaceId],
        }),
      );
    const naReports = await list(na.client, US);
    const euReports = await list(eu.client, MARKETPLACES.DE!.marketplaceId);
    assert.deepEqual(
      naReports.map((r) => r.marketplaceIds),
      [[US]],
    );
    assert.deepEqual(
      euReports.map((r) => r.marketplaceIds),
      [[MARKETPLACES.DE!.marketplaceId]],
    );
    const text = await new ReportsApi(eu.client).downloadReportDocument(euReports[0]!.reportDocumentId!);
    assert.equal(text.toString('utf8'), de.text);
  });

  it('refuses a marketplace of another region before calling', async () => {
    const { client, registry } = makeClient(sim, { timeScale: 100 });
    assert.throws(
      () =>
        new ReportsApi(client).listReports({
          reportTypes: [SETTLEMENT_REPORT_TYPE],
          marketplaceIds: [MARKETPLACES.DE!.marketplaceId],
        }),
      /belongs to region EU, not NA/,
    );
    assert.equal(await requestCount(registry, 'getReports', '200'), 0);
  });
});

describe('retries and throttling', () => {
  let sim: Harness;
  before(async () => {
    sim = await startSimulator({ timeScale: 1000 });
  });
  beforeEach(() => sim.state.reset());
  after(() => sim.close());

  it('backs off on 429 and waits at least one token interval before retrying', async () => {
    const [report] = seed(sim, 1);
    assert.ok(report);
    const reportId = sim.state.settlements[0]!.report.reportId;
    sim.state.setFaults({ next429: 3 });
    const clock = manualClock(Date.now());
    const startedAt = clock.time;
    const { client, registry } = makeClient(sim, { clock });
    const got = await new ReportsApi(client).getReport(reportId);
    assert.equal(got.reportId, reportId);
    assert.equal(await requestCount(registry, 'getReport', '429'), 3);
    assert.equal(await requestCount(registry, 'getReport', '200'), 1);
    // getReport's plan is 2/s: after each 429 the drained bucket holds the next try ≥ 500 ms back.
    const waited = clock.time - startedAt;
    assert.ok(waited >= 3 * 500, `waited ${waited} ms`);
  });

  it('recovers from the server’s own rate limit and adopts the advertised rate', async () => {
    // Slower time here, so the simulator's bucket (getReport: 2/s, burst 15) cannot refill during the burst.
    const slow = await startSimulator({ timeScale: 10 });
    try {
      seed(slow, 1);
      const reportId = slow.state.settlements[0]!.report.reportId;
      // A client that believes in a far higher plan than Amazon grants runs into 429s and must recover.
      const { client, registry } = makeClient(slow, {
        timeScale: 10,
        usagePlans: { getReport: { rate: 1000, burst: 40 } },
      });
      const api = new ReportsApi(client);
      const results = await Promise.all(Array.from({ length: 40 }, () => api.getReport(reportId)));
      assert.equal(results.length, 40);
      assert.equal(await requestCount(registry, 'getReport', '200'), 40);
      assert.ok(
        (await requestCount(registry, 'getReport', '429')) > 0,
        'the simulator throttled the burst beyond 15',
      );
    } finally {
      await slow.close();
    }
  });

  it('gives up on 5xx after the bounded number of retries', async () => {
    seed(sim, 1);
    const reportId = sim.state.settlements[0]!.report.reportId;
    sim.state.setFaults({ next500: 10 });
    const { client, registry } = makeClient(sim, { retry: { maxServerRetries: 3 } });
    await assert.rejects(
      new ReportsApi(client).getReport(reportId),
      (e: unknown) => e instanceof SpApiError && e.status === 500,
    );
    assert.equal(await requestCount(registry, 'getReport', '500'), 4, 'one try and three retries');
  });

  it('retries network errors a bounded number of times', async () => {
    let calls = 0;
    const failing: typeof fetch = async (input, init) => {
      if (String(input).includes('/reports/')) {
        calls++;
        throw new TypeError('fetch failed');
      }
      return fetch(input, init);
    };
    const { client, registry } = makeClient(sim, { fetch: failing, retry: { maxServerRetries: 2 } });
    await assert.rejects(
      new ReportsApi(client).getReport('1'),
      (e: unknown) => e instanceof SpApiError && e.status === 0,
    );
    assert.equal(calls, 3);
    assert.equal(await requestCount(registry, 'getReport', 'network_error'), 3);
  });

  it('renews a refused access token once and carries on', async () => {
    seed(sim, 1);
    const reportId = sim.state.settlements[0]!.report.reportId;
    const { client, registry } = makeClient(sim);
    const api = new ReportsApi(client);
    await api.getReport(reportId);
    const exchanges = sim.state.counters.lwa;
    sim.state.accessTokens.clear(); // Amazon no longer knows the cached token
    await api.getReport(reportId);
    assert.equal(sim.state.counters.lwa, exchanges + 1);
    assert.equal(await requestCount(registry, 'getReport', '403'), 1);
  });

  it('labels metrics with operation and status only', async () => {
    seed(sim, 1);
    const { client, registry } = makeClient(sim);
    await new ReportsApi(client).getReport(sim.state.settlements[0]!.report.reportId);
    const text = await registry.metrics();
    assert.match(text, /mlc_spapi_requests_total\{operation="getReport",status="200"\} 1/);
    assert.match(text, /mlc_spapi_request_duration_seconds_count\{operation="getReport",status="200"\} 1/);
    assert.doesNotMatch(text, /seller-1|Atza|Atzr/);
  });
});
