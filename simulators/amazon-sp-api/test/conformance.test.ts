/**
 * The simulator's JSON against Amazon's official models (../shared/amazon/models): every response of
 * every simulated operation is validated against the schema the model declares for that path, method
 * and status — required properties present, JSON types right, enum values valid, no invented
 * properties. Skipped when ../shared is absent.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildSimulatorApp } from '../src/app.js';
import { generateSettlementSeries } from '../src/generator.js';
import { loadModel, type Model, modelsSkip, validate } from './model-validator.js';

const skip = modelsSkip;
const load = loadModel;

describe('simulator conformance to the official models', { skip }, () => {
  const { app, state } = buildSimulatorApp({ timeScale: 1000, transactionsPageSize: 5 });
  let accessToken = '';
  let reports: Model;
  let financesV0: Model;
  let finances2024: Model;
  let ordersV0: Model;
  let orders2026: Model;

  before(() => {
    reports = load('reports_2021-06-30.json');
    financesV0 = load('financesV0.json');
    finances2024 = load('finances_2024-06-19.json');
    ordersV0 = load('ordersV0.json');
    orders2026 = load('orders_2026-01-01.json');
    for (const marketplace of ['US', 'CA', 'DE'] as const) {
      const series = generateSettlementSeries(
        { seed: `c-${marketplace}`, marketplace, rows: 400, holdReserve: true },
        3,
        new Set([1]),
      );
      for (const { text } of series)
        state.seedSettlement({ content: text, connectionId: 'seller-1', compress: marketplace === 'DE' });
    }
    accessToken = state.issueAccessToken('seller-1').token;
  });
  after(() => app.close());

  async function check(
    model: Model,
    modelPath: string,
    method: 'get' | 'post',
    url: string,
    payload?: object,
  ) {
    const response = await app.inject({
      method: method === 'get' ? 'GET' : 'POST',
      url,
      headers: { 'x-amz-access-token': accessToken },
      ...(payload ? { payload } : {}),
    });
    const schema = model.paths[modelPath]?.[method]?.responses[String(response.statusCode)]?.schema;
    assert.ok(
      schema,
      `${method.toUpperCase()} ${modelPath} has no ${response.statusCode} response in the model`,
    );
    const problems: string[] = [];
    const body = response.json();
    validate(model, body, schema, `${response.statusCode}`, problems);
    assert.deepEqual(problems, [], `${url}`);
    assert.ok(response.headers['x-amzn-requestid'], 'x-amzn-RequestId header');
    return body;
  }

  it('has a validator that notices wrong types, enums, missing and invented properties', () => {
    const problems: string[] = [];
    const schema = reports.paths['/reports/2021-06-30/reports']!.get!.responses['200']!.schema!;
    validate(
      reports,
      { reports: [{ reportId: 1, reportType: 'X', processingStatus: 'READY', invented: true }] },
      schema,
      'r',
      problems,
    );
    assert.deepEqual(
      new Set(problems),
      new Set([
        'r.reports[0]: missing required createdTime',
        'r.reports[0]: property invented is not in the model',
        'r.reports[0].processingStatus: "READY" not in enum',
        'r.reports[0].reportId: expected string, got integer',
      ]),
    );
  });

  it('Reports 2021-06-30', async () => {
    const list = await check(
      reports,
      '/reports/2021-06-30/reports',
      'get',
      '/reports/2021-06-30/reports?reportTypes=GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2&pageSize=4',
    );
    await check(
      reports,
      '/reports/2021-06-30/reports',
      'get',
      `/reports/2021-06-30/reports?nextToken=${list.nextToken}`,
    );
    await check(
      reports,
      '/reports/2021-06-30/reports',
      'get',
      '/reports/2021-06-30/reports?pageSize=0&reportTypes=X',
    );
    const [first] = list.reports;
    await check(
      reports,
      '/reports/2021-06-30/reports/{reportId}',
      'get',
      `/reports/2021-06-30/reports/${first.reportId}`,
    );
    await check(reports, '/reports/2021-06-30/reports/{reportId}', 'get', '/reports/2021-06-30/reports/404');
    for (const settlement of state.settlements
      .slice(0, 1)
      .concat(state.settlements.filter((s) => s.compressed).slice(0, 1))) {
      await check(
        reports,
        '/reports/2021-06-30/documents/{reportDocumentId}',
        'get',
        `/reports/2021-06-30/documents/${settlement.report.reportDocumentId}`,
      );
    }
    await check(reports, '/reports/2021-06-30/reports', 'post', '/reports/2021-06-30/reports', {
      reportType: 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2',
      marketplaceIds: ['ATVPDKIKX0DER'],
    });
    await check(reports, '/reports/2021-06-30/reports', 'post', '/reports/2021-06-30/reports', {
      reportType: 'GET_FLAT_FILE_OPEN_LISTINGS_DATA',
      marketplaceIds: ['ATVPDKIKX0DER'],
    });
  });

  it('Finances v0', async () => {
    const groups = await check(
      financesV0,
      '/finances/v0/financialEventGroups',
      'get',
      '/finances/v0/financialEventGroups?MaxResultsPerPage=100',
    );
    for (const group of groups.payload.FinancialEventGroupList) {
      const url = `/finances/v0/financialEventGroups/${group.FinancialEventGroupId}/financialEvents?MaxResultsPerPage=100`;
      await check(financesV0, '/finances/v0/financialEventGroups/{eventGroupId}/financialEvents', 'get', url);
    }
    await check(
      financesV0,
      '/finances/v0/financialEventGroups/{eventGroupId}/financialEvents',
      'get',
      '/finances/v0/financialEventGroups/BADID/financialEvents',
    );
  });

  it('Finances 2024-06-19', async () => {
    const first = await check(
      finances2024,
      '/finances/2024-06-19/transactions',
      'get',
      '/finances/2024-06-19/transactions?postedAfter=2020-01-01T00:00:00Z',
    );
    await check(
      finances2024,
      '/finances/2024-06-19/transactions',
      'get',
      `/finances/2024-06-19/transactions?nextToken=${first.payload.nextToken}`,
    );
    await check(
      finances2024,
      '/finances/2024-06-19/transactions',
      'get',
      '/finances/2024-06-19/transactions',
    );
  });

  it('Orders v0 and 2026-01-01', async () => {
    await check(
      ordersV0,
      '/orders/v0/orders',
      'get',
      '/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&CreatedAfter=2020-01-01T00:00:00Z&MaxResultsPerPage=20',
    );
    await check(ordersV0, '/orders/v0/orders', 'get', '/orders/v0/orders?CreatedAfter=2020-01-01T00:00:00Z');
    await check(
      orders2026,
      '/orders/2026-01-01/orders',
      'get',
      '/orders/2026-01-01/orders?marketplaceIds=A1PA6795UKMFR9&createdAfter=2020-01-01T00:00:00Z&includedData=PROCEEDS,FULFILLMENT',
    );
    await check(orders2026, '/orders/2026-01-01/orders', 'get', '/orders/2026-01-01/orders');
  });

  it('errors: 403 and 429 bodies', async () => {
    const denied = await app.inject({ method: 'GET', url: '/finances/v0/financialEventGroups' });
    const problems: string[] = [];
    validate(
      financesV0,
      denied.json(),
      financesV0.paths['/finances/v0/financialEventGroups']!.get!.responses['403']!.schema!,
      '403',
      problems,
    );
    state.setFaults({ next429: 1 });
    const throttled = await app.inject({
      method: 'GET',
      url: '/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&CreatedAfter=2020-01-01T00:00:00Z',
      headers: { 'x-amz-access-token': accessToken },
    });
    assert.equal(throttled.statusCode, 429);
    validate(
      ordersV0,
      throttled.json(),
      ordersV0.paths['/orders/v0/orders']!.get!.responses['429']!.schema!,
      '429',
      problems,
    );
    assert.deepEqual(problems, []);
  });
});
