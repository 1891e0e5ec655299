import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { buildSimulatorApp } from '../src/app.js';
import { generateSettlementFile } from '../src/generator.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const samples = path.resolve(repoRoot, '..', 'shared', 'amazon', 'samples');

const CLIENT = {
  client_id: 'amzn1.application-oa2-client.simulator',
  client_secret: 'simulator-client-secret',
};
const V2 = 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2';
const US = 'ATVPDKIKX0DER';

describe('SP-API simulator', () => {
  const { app, state } = buildSimulatorApp({ timeScale: 1000 });
  after(() => app.close());
  beforeEach(() => state.reset());

  async function token(connection = 'seller-1'): Promise<string> {
    const response = await app.inject({
      method: 'POST',
      url: '/auth/o2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
      payload: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: `Atzr|${connection}`,
        ...CLIENT,
      }).toString(),
    });
    assert.equal(response.statusCode, 200);
    return response.json().access_token;
  }

  const get = async (url: string, accessToken?: string) =>
    app.inject({ method: 'GET', url, headers: accessToken ? { 'x-amz-access-token': accessToken } : {} });

  it('answers LWA errors as Amazon does', async () => {
    const form = (fields: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/auth/o2/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(fields).toString(),
      });
    const badGrant = await form({ grant_type: 'refresh_token', refresh_token: 'x', ...CLIENT });
    assert.equal(badGrant.statusCode, 400);
    assert.equal(badGrant.json().error, 'invalid_grant');
    const badClient = await form({
      grant_type: 'refresh_token',
      refresh_token: 'Atzr|a',
      client_id: 'x',
      client_secret: 'y',
    });
    assert.equal(badClient.statusCode, 401);
    assert.deepEqual(badClient.json(), {
      error: 'invalid_client',
      error_description: 'Client authentication failed',
    });
  });

  it('refuses a missing or expired access token with 403', async () => {
    const missing = await get(`/reports/2021-06-30/reports?reportTypes=${V2}`);
    assert.equal(missing.statusCode, 403);
    assert.equal(missing.json().errors[0].code, 'Unauthorized');
    assert.ok(missing.headers['x-amzn-requestid']);
    const short = buildSimulatorApp({ timeScale: 1000, accessTokenTtlSeconds: 1 });
    const issued = short.state.issueAccessToken('seller-1').token;
    await new Promise((resolve) => setTimeout(resolve, 20)); // 20 virtual seconds
    const expired = await short.app.inject({
      method: 'GET',
      url: `/reports/2021-06-30/reports?reportTypes=${V2}`,
      headers: { 'x-amz-access-token': issued },
    });
    assert.equal(expired.statusCode, 403);
    assert.match(expired.json().errors[0].details, /expired/);
    await short.app.close();
  });

  it('turns a seeded settlement into a DONE report and a closed financial event group', async () => {
    const { text, summary } = generateSettlementFile({ seed: 1, marketplace: 'US', rows: 40 });
    const seeded = await app.inject({
      method: 'POST',
      url: '/_sim/settlements?connectionId=seller-1',
      headers: { 'content-type': 'text/plain' },
      payload: text,
    });
    assert.equal(seeded.statusCode, 201);
    const accessToken = await token();
    const reports = await get(
      `/reports/2021-06-30/reports?reportTypes=${V2}&processingStatuses=DONE`,
      accessToken,
    );
    assert.equal(reports.statusCode, 200);
    assert.equal(reports.headers['x-amzn-ratelimit-limit'], '0.0222');
    const [report] = reports.json().reports;
    assert.equal(report.reportType, V2);
    assert.equal(report.processingStatus, 'DONE');
    assert.deepEqual(report.marketplaceIds, [US]);
    assert.equal(report.dataStartTime, summary.startDate);
    const groups = await get('/finances/v0/financialEventGroups', accessToken);
    const [group] = groups.json().payload.FinancialEventGroupList;
    assert.equal(group.ProcessingStatus, 'Closed');
    assert.equal(group.OriginalTotal.CurrencyCode, 'USD');
    assert.equal(group.FinancialEventGroupStart, summary.startDate);
    const other = await get(`/reports/2021-06-30/reports?reportTypes=${V2}`, await token('seller-2'));
    assert.deepEqual(other.json().reports, [], 'another connection sees nothing');
  });

  it('insists that nextToken travels alone', async () => {
    for (let i = 0; i < 3; i++) {
      state.seedSettlement({
        content: generateSettlementFile({ seed: i, marketplace: 'US', rows: 5 }).text,
        connectionId: 'seller-1',
      });
    }
    const accessToken = await token();
    const first = await get(`/reports/2021-06-30/reports?reportTypes=${V2}&pageSize=2`, accessToken);
    const { nextToken } = first.json();
    assert.ok(nextToken);
    const mixed = await get(
      `/reports/2021-06-30/reports?reportTypes=${V2}&nextToken=${nextToken}`,
      accessToken,
    );
    assert.equal(mixed.statusCode, 400);
    assert.equal(mixed.json().errors[0].code, 'InvalidInput');
    const second = await get(`/reports/2021-06-30/reports?nextToken=${nextToken}`, accessToken);
    assert.equal(second.json().reports.length, 1);
    assert.equal(second.json().nextToken, undefined);
  });

  it('refuses to create a settlement report', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/reports/2021-06-30/reports',
      headers: { 'x-amz-access-token': await token() },
      payload: { reportType: V2, marketplaceIds: [US] },
    });
    assert.equal(response.statusCode, 400);
    assert.deepEqual(response.json(), {
      errors: [
        {
          code: 'InvalidInput',
          message: 'Request for report type 1118 is not allowed at this time',
          details: '',
        },
      ],
    });
  });

  it('enforces the usage plan with 429 QuotaExceeded and no rate header', async () => {
    const slow = buildSimulatorApp({ timeScale: 1 });
    const accessToken = slow.state.issueAccessToken('seller-1').token;
    const statuses: number[] = [];
    let throttled: Awaited<ReturnType<typeof slow.app.inject>> | undefined;
    for (let i = 0; i < 11; i++) {
      const response = await slow.app.inject({
        method: 'GET',
        url: `/reports/2021-06-30/reports?reportTypes=${V2}`,
        headers: { 'x-amz-access-token': accessToken },
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) throttled = response;
    }
    assert.deepEqual(statuses, [...new Array(10).fill(200), 429], 'burst of 10, then 0.0222/s');
    assert.deepEqual(throttled!.json().errors[0], {
      code: 'QuotaExceeded',
      message: 'You exceeded your quota for the requested resource.',
      details: '',
    });
    assert.equal(throttled!.headers['x-amzn-ratelimit-limit'], undefined);
    await slow.app.close();
  });

  it('keeps one usage plan per regional endpoint', async () => {
    const slow = buildSimulatorApp({ timeScale: 1 });
    const accessToken = slow.state.issueAccessToken('seller-1').token;
    const call = async (prefix: string) =>
      (
        await slow.app.inject({
          method: 'GET',
          url: `${prefix}/reports/2021-06-30/reports?reportTypes=${V2}`,
          headers: { 'x-amz-access-token': accessToken },
        })
      ).statusCode;
    for (let i = 0; i < 10; i++) assert.equal(await call('/na'), 200);
    assert.equal(await call('/na'), 429);
    assert.equal(await call('/eu'), 200, 'the EU stream has its own bucket');
    await slow.app.close();
  });

  it('injects faults from the admin route', async () => {
    const accessToken = await token();
    const set = await app.inject({
      method: 'POST',
      url: '/_sim/faults',
      payload: { next500: 2, next429: 1 },
    });
    assert.equal(set.json().next500, 2);
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await get(`/reports/2021-06-30/reports?reportTypes=${V2}`, accessToken)).statusCode);
    assert.deepEqual(statuses, [429, 500, 500, 200]);
    const snapshot = (await get('/_sim/state')).json();
    assert.deepEqual(snapshot.counters.requests.getReports, { 200: 1, 429: 1, 500: 2 });
  });

  it('serves documents from an expiring presigned URL, optionally gzipped', async () => {
    // 200×: the URL lives 1.5 s of wall time — ample for the first download, then we outwait it.
    const timed = buildSimulatorApp({ timeScale: 200 });
    const { text } = generateSettlementFile({ seed: 7, marketplace: 'DE', rows: 30 });
    const seeded = await timed.app.inject({
      method: 'POST',
      url: '/_sim/settlements',
      payload: { content: text, connectionId: 'seller-1', compress: true },
    });
    const { reportDocumentId } = seeded.json();
    const accessToken = timed.state.issueAccessToken('seller-1').token;
    const document = (
      await timed.app.inject({
        method: 'GET',
        url: `/reports/2021-06-30/documents/${reportDocumentId}`,
        headers: { 'x-amz-access-token': accessToken },
      })
    ).json();
    assert.equal(document.compressionAlgorithm, 'GZIP');
    const url = new URL(document.url);
    const download = await timed.app.inject({ method: 'GET', url: url.pathname + url.search });
    assert.equal(download.statusCode, 200);
    assert.equal(gunzipSync(download.rawPayload).toString('utf8'), text);
    await new Promise((resolve) => setTimeout(resolve, 1600)); // 320 virtual seconds > 300
    const late = await timed.app.inject({ method: 'GET', url: url.pathname + url.search });
    assert.equal(late.statusCode, 403);
    assert.match(late.body, /Request has expired/);
    await timed.app.close();
  });

  it('generates and seeds a series through the admin route', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/_sim/generate',
      payload: {
        seed: 'g',
        marketplace: 'CA',
        rows: 50,
        count: 3,
        negativeAt: [1],
        connectionId: 'seller-1',
      },
    });
    assert.equal(response.statusCode, 201);
    const { settlements } = response.json();
    assert.equal(settlements.length, 3);
    assert.match(settlements[1].totalAmount, /^-/);
    assert.equal(settlements[0].marketplaceId, 'A2EUQ1WTGCTBG2');
  });

  it('seeds the real legacy sample files when ../shared is present', async (t) => {
    if (!existsSync(samples)) {
      t.skip(`../shared/amazon/samples not found at ${samples}; real-sample seeding not checked`);
      return;
    }
    const accessToken = await token();
    for (const name of readdirSync(samples).filter((n) => n.startsWith('ca_'))) {
      state.seedSettlement({
        content: readFileSync(path.join(samples, name), 'utf8'),
        connectionId: 'seller-1',
      });
    }
    const groups = (await get('/finances/v0/financialEventGroups?MaxResultsPerPage=100', accessToken)).json()
      .payload.FinancialEventGroupList;
    assert.equal(groups.length, 3);
    assert.ok(
      groups.some(
        (g: { OriginalTotal: { CurrencyAmount: number } }) => g.OriginalTotal.CurrencyAmount === -62.31,
      ),
    );
    const settlement = state.settlements.find((s) => s.settlementId === '23874397121')!;
    const total = state.detail(settlement).events.reduce((sum, e) => sum + e.total, 0n);
    assert.equal(total, settlement.totalAmount, 'the sample’s amounts sum to its total');
  });
});
