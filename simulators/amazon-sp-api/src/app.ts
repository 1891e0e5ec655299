/**
 * The Amazon SP-API simulator as a fastify app: the LWA token endpoint, the Reports, Finances, Orders,
 * Listings Items and FBA Inventory operations the connector calls — with Amazon's paths, shapes, headers (x-amzn-RequestId,
 * x-amzn-RateLimit-Limit), error bodies ({errors:[{code,message,details}]}), per-operation usage plans
 * answered with 429 QuotaExceeded, NextToken paging, five-minute presigned document URLs and 403s for
 * missing or expired access tokens — plus /_sim admin routes to seed settlements and inject faults.
 *
 * A refresh token `Atzr|<connectionId>` identifies the selling-partner connection; every call sees only
 * that connection's data. One instance stands for the three regional hosts: point a region's client at
 * `<base>/na`, `<base>/eu` or `<base>/fe` to see only that region's marketplaces, or at `<base>` for all.
 */
import { randomUUID } from 'node:crypto';
import { formatMinor } from '@mlc/money';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { amountNumber } from './derive.js';
import { generateSettlementSeries, type SettlementGeneratorOptions } from './generator.js';
import { getInventorySummaries } from './inventory.js';
import { registerItemsAdmin } from './items-admin.js';
import { getListingsItem, searchListingsItems } from './listings.js';
import { financialEvents, orderV0, orderV2026, transaction } from './shapes.js';
import {
  type Faults,
  type Region,
  regionOfMarketplace,
  SETTLEMENT_REPORT_TYPES,
  SimState,
  type SimulatorOptions,
  type StoredSettlement,
} from './state.js';

/**
 * Usage plans (rate per second, burst) from the official models' "Usage Plan" tables
 * (amzn/selling-partner-api-models @ 34dc93fe…, 2026-08-05).
 */
export const SIM_USAGE_PLANS = {
  getReports: { rate: 0.0222, burst: 10 },
  createReport: { rate: 0.0167, burst: 15 },
  getReport: { rate: 2, burst: 15 },
  getReportDocument: { rate: 0.0167, burst: 15 },
  listFinancialEventGroups: { rate: 0.5, burst: 30 },
  listFinancialEventsByGroupId: { rate: 0.5, burst: 30 },
  listTransactions: { rate: 0.5, burst: 10 },
  getOrders: { rate: 0.0167, burst: 20 },
  searchOrders: { rate: 0.0056, burst: 20 },
  searchListingsItems: { rate: 5, burst: 5 },
  getListingsItem: { rate: 5, burst: 10 },
  getInventorySummaries: { rate: 2, burst: 2 },
} as const;

type Operation = keyof typeof SIM_USAGE_PLANS;
type Query = Record<string, string | undefined>;
type Answer = { status: number; body: unknown };

const PROCESSING_STATUSES = new Set(['CANCELLED', 'DONE', 'FATAL', 'IN_PROGRESS', 'IN_QUEUE']);
/** Amazon's internal ids for the settlement report types, as they appear in createReport errors. */
const REPORT_TYPE_IDS: Record<string, string> = {
  GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2: '1118',
  GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE: '1117',
};
const DAY = 86_400_000;

export interface Simulator {
  app: FastifyInstance;
  state: SimState;
}

export function buildSimulatorApp(options: SimulatorOptions & { logger?: boolean } = {}): Simulator {
  const state = new SimState(options);
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: 1024 * 1024 * 1024 });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  registerLwa(app, state);
  registerDocumentDownload(app, state);
  // Unprefixed: every region's data. Under /na, /eu, /fe: only that region's marketplaces, with its own
  // usage-plan buckets, as behind Amazon's three regional hosts.
  for (const region of [null, 'NA', 'EU', 'FE'] as const) {
    app.register(
      async (scope) => {
        registerReports(scope, state, region);
        registerFinances(scope, state, region);
        registerOrders(scope, state, region);
        registerItems(scope, state, region);
      },
      { prefix: region ? `/${region.toLowerCase()}` : '' },
    );
  }
  registerAdmin(app, state);
  registerItemsAdmin(app, state);
  return { app, state };
}

// ---- common ----

function errors(code: string, message: string, details = ''): { errors: Array<Record<string, string>> } {
  return { errors: [{ code, message, details }] };
}

const invalid = (message: string): Answer => ({ status: 400, body: errors('InvalidInput', message) });

/** Wraps an operation: request id, latency, auth, injected faults, usage plan, counters, rate header. */
function operation(
  state: SimState,
  region: Region | null,
  name: Operation,
  handler: (query: Query, caller: Caller, request: FastifyRequest) => Answer,
) {
  const plan = SIM_USAGE_PLANS[name];
  return async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('x-amzn-RequestId', randomUUID());
    const latency = state.faults.latencyMs;
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
    const send = ({ status, body }: Answer) => {
      state.count(name, status);
      // Amazon sends the rate header only on 20x, 400 and 404 (never on 429 or 403).
      if (status < 300 || status === 400 || status === 404) {
        reply.header('x-amzn-RateLimit-Limit', String(plan.rate));
      }
      return reply.code(status).send(body);
    };
    const token = request.headers['x-amz-access-token'];
    const auth = state.authenticate(typeof token === 'string' ? token : undefined);
    if ('refused' in auth) {
      return send({
        status: 403,
        body: errors('Unauthorized', 'Access to requested resource is denied.', auth.refused),
      });
    }
    const faults = state.faults;
    if (faults.next429 > 0 || Math.random() < faults.rate429) {
      faults.next429 = Math.max(0, faults.next429 - 1);
      return send(throttled());
    }
    if (faults.next500 > 0 || Math.random() < faults.rate500) {
      faults.next500 = Math.max(0, faults.next500 - 1);
      return send({
        status: 500,
        body: errors('InternalFailure', 'We encountered an internal error. Please try again.'),
      });
    }
    if (!state.takeToken(`${auth.connectionId}\u0000${region ?? '*'}`, name, plan)) return send(throttled());
    return send(handler(request.query as Query, { connectionId: auth.connectionId, region }, request));
  };
}

function throttled(): Answer {
  return {
    status: 429,
    body: errors('QuotaExceeded', 'You exceeded your quota for the requested resource.'),
  };
}

function csv(value: string | undefined): string[] {
  return value ? value.split(',').filter((v) => v !== '') : [];
}

function instant(value: string | undefined, name: string): number | undefined | Answer {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? invalid(`${name} is not a valid ISO 8601 date-time`) : ms;
}

function intParam(value: string | undefined, name: string, fallback: number, max: number): number | Answer {
  if (value === undefined) return fallback;
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= max
    ? n
    : invalid(`${name} must be an integer between 1 and ${max}`);
}

const isAnswer = (value: unknown): value is Answer =>
  typeof value === 'object' && value !== null && 'status' in value && 'body' in value;

function encodeToken(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decodeToken<T>(token: string): T | undefined {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}

function page<T>(items: T[], offset: number, size: number): { items: T[]; next: number | undefined } {
  const end = offset + size;
  return { items: items.slice(offset, end), next: end < items.length ? end : undefined };
}

/** Who is calling: the connection behind the access token, and the regional endpoint called. */
interface Caller {
  connectionId: string;
  region: Region | null;
}

function visible(caller: Caller, connectionId: string, marketplaceIds: readonly string[]): boolean {
  return (
    connectionId === caller.connectionId &&
    (caller.region === null || marketplaceIds.some((id) => regionOfMarketplace(id) === caller.region))
  );
}

function mine(state: SimState, caller: Caller): StoredSettlement[] {
  return state.settlements.filter((s) => visible(caller, s.connectionId, [s.marketplaceId]));
}

// ---- LWA ----

function registerLwa(app: FastifyInstance, state: SimState): void {
  app.post('/auth/o2/token', async (request, reply) => {
    const form = (request.body ?? {}) as Record<string, string | undefined>;
    state.counters.lwa += 1;
    if (form.grant_type !== 'refresh_token') {
      return reply.code(400).send({
        error: 'unsupported_grant_type',
        error_description: 'The authorization grant type is not supported',
      });
    }
    if (form.client_id !== state.clientId || form.client_secret !== state.clientSecret) {
      return reply
        .code(401)
        .send({ error: 'invalid_client', error_description: 'Client authentication failed' });
    }
    const refreshToken = form.refresh_token ?? '';
    if (
      !refreshToken.startsWith('Atzr|') ||
      refreshToken.length <= 5 ||
      state.revokedRefreshTokens.has(refreshToken)
    ) {
      return reply.code(400).send({
        error: 'invalid_grant',
        error_description: 'The request has an invalid grant parameter : refresh_token',
      });
    }
    const { token, expiresIn } = state.issueAccessToken(refreshToken.slice(5));
    return { access_token: token, refresh_token: refreshToken, token_type: 'bearer', expires_in: expiresIn };
  });
}

// ---- Reports 2021-06-30 ----

interface ReportsCursor {
  types: string[];
  statuses: string[];
  marketplaces: string[];
  since: number;
  until: number;
  size: number;
  offset: number;
}

function registerReports(app: FastifyInstance, state: SimState, region: Region | null): void {
  const base = '/reports/2021-06-30';

  app.get(
    `${base}/reports`,
    operation(state, region, 'getReports', (query, caller) => {
      let cursor: ReportsCursor;
      if (query.nextToken !== undefined) {
        if (Object.keys(query).length > 1) {
          return invalid('When nextToken is specified, it must be the only parameter in the request.');
        }
        const decoded = decodeToken<ReportsCursor>(query.nextToken);
        if (!decoded) return invalid('Invalid nextToken.');
        cursor = decoded;
      } else {
        const types = csv(query.reportTypes);
        if (types.length < 1 || types.length > 10) {
          return invalid('reportTypes must contain between 1 and 10 values.');
        }
        const statuses = csv(query.processingStatuses);
        if (statuses.some((s) => !PROCESSING_STATUSES.has(s))) {
          return invalid('processingStatuses has an invalid value.');
        }
        const size = intParam(query.pageSize, 'pageSize', 10, 100);
        const since = instant(query.createdSince, 'createdSince');
        const until = instant(query.createdUntil, 'createdUntil');
        for (const value of [size, since, until]) if (isAnswer(value)) return value;
        cursor = {
          types,
          statuses,
          marketplaces: csv(query.marketplaceIds),
          since: (since as number | undefined) ?? state.now() - 90 * DAY,
          until: (until as number | undefined) ?? state.now(),
          size: size as number,
          offset: 0,
        };
      }
      const matching = [...state.reports.values()]
        .filter(
          (r) => visible(caller, r.connectionId, r.marketplaceIds) && cursor.types.includes(r.reportType),
        )
        .filter((r) => cursor.statuses.length === 0 || cursor.statuses.includes(r.processingStatus))
        .filter((r) => Date.parse(r.createdTime) >= cursor.since && Date.parse(r.createdTime) <= cursor.until)
        // Amazon ignores the marketplace filter for settlement reports (reference §10 pitfall 2).
        .filter(
          (r) =>
            SETTLEMENT_REPORT_TYPES.has(r.reportType) ||
            cursor.marketplaces.length === 0 ||
            r.marketplaceIds.some((m) => cursor.marketplaces.includes(m)),
        )
        .sort((a, b) => b.createdTime.localeCompare(a.createdTime) || b.reportId.localeCompare(a.reportId));
      const { items, next } = page(matching, cursor.offset, cursor.size);
      return {
        status: 200,
        body: {
          reports: items.map(reportJson),
          ...(next === undefined ? {} : { nextToken: encodeToken({ ...cursor, offset: next }) }),
        },
      };
    }),
  );

  app.post(
    `${base}/reports`,
    operation(state, region, 'createReport', (_query, caller, request) => {
      const spec = (request.body ?? {}) as { reportType?: unknown; marketplaceIds?: unknown };
      if (
        typeof spec.reportType !== 'string' ||
        !Array.isArray(spec.marketplaceIds) ||
        spec.marketplaceIds.length === 0
      ) {
        return invalid('reportType and marketplaceIds are required.');
      }
      if (SETTLEMENT_REPORT_TYPES.has(spec.reportType)) {
        const id = REPORT_TYPE_IDS[spec.reportType] ?? spec.reportType;
        return invalid(`Request for report type ${id} is not allowed at this time`);
      }
      const reportId = state.nextReportId();
      state.reports.set(reportId, {
        connectionId: caller.connectionId,
        reportId,
        reportType: spec.reportType,
        createdTime: state.nowIso(),
        processingStatus: 'IN_QUEUE',
        marketplaceIds: spec.marketplaceIds.map(String),
      });
      return { status: 202, body: { reportId } };
    }),
  );

  app.get(
    `${base}/reports/:reportId`,
    operation(state, region, 'getReport', (_query, caller, request) => {
      const { reportId } = request.params as { reportId: string };
      const report = state.reports.get(reportId);
      if (!report || !visible(caller, report.connectionId, report.marketplaceIds)) {
        return { status: 404, body: errors('NotFound', `Report ${reportId} not found.`) };
      }
      return { status: 200, body: reportJson(report) };
    }),
  );

  app.get(
    `${base}/documents/:reportDocumentId`,
    operation(state, region, 'getReportDocument', (_query, caller, request) => {
      const { reportDocumentId } = request.params as { reportDocumentId: string };
      const settlement = state.settlementByDocument(reportDocumentId);
      if (!settlement || !visible(caller, settlement.connectionId, [settlement.marketplaceId])) {
        return { status: 404, body: errors('NotFound', `Report document ${reportDocumentId} not found.`) };
      }
      const url = `${request.protocol}://${request.host}/documents/${encodeURIComponent(reportDocumentId)}?${state.issueDocumentUrl(reportDocumentId)}`;
      return {
        status: 200,
        body: { reportDocumentId, url, ...(settlement.compressed ? { compressionAlgorithm: 'GZIP' } : {}) },
      };
    }),
  );
}

function registerDocumentDownload(app: FastifyInstance, state: SimState): void {
  // The presigned "S3" download: no access token, a signature that expires.
  app.get('/documents/:reportDocumentId', async (request, reply) => {
    const { reportDocumentId } = request.params as { reportDocumentId: string };
    const signature = (request.query as Query)['X-Amz-Signature'] ?? '';
    const grant = state.documentUrls.get(signature);
    const settlement = state.settlementByDocument(reportDocumentId);
    reply.header('x-amz-request-id', randomUUID());
    if (!grant || grant.reportDocumentId !== reportDocumentId || !settlement) {
      state.count('documentDownload', 403);
      return reply.code(403).type('application/xml').send(s3Error('AccessDenied', 'Access Denied'));
    }
    if (grant.expiresAt <= state.now()) {
      state.count('documentDownload', 403);
      return reply.code(403).type('application/xml').send(s3Error('AccessDenied', 'Request has expired'));
    }
    state.count('documentDownload', 200);
    return reply
      .code(200)
      .type(settlement.compressed ? 'application/octet-stream' : 'text/plain')
      .send(settlement.body);
  });
}

function reportJson(report: import('./state.js').StoredReport): Record<string, unknown> {
  const { connectionId: _connection, ...json } = report;
  return json;
}

function s3Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${randomUUID()}</RequestId></Error>`;
}

// ---- Finances ----

function registerFinances(app: FastifyInstance, state: SimState, region: Region | null): void {
  app.get(
    '/finances/v0/financialEventGroups',
    operation(state, region, 'listFinancialEventGroups', (query, caller) => {
      const cursor = query.NextToken
        ? decodeToken<{ after?: number; before?: number; size: number; offset: number }>(query.NextToken)
        : undefined;
      if (query.NextToken && !cursor) return invalid('Invalid NextToken.');
      const size = intParam(query.MaxResultsPerPage, 'MaxResultsPerPage', 10, 100);
      const after = instant(query.FinancialEventGroupStartedAfter, 'FinancialEventGroupStartedAfter');
      const before = instant(query.FinancialEventGroupStartedBefore, 'FinancialEventGroupStartedBefore');
      for (const value of [size, after, before]) if (isAnswer(value)) return value;
      const filter = cursor ?? {
        after: after as number | undefined,
        before: before as number | undefined,
        size: size as number,
        offset: 0,
      };
      const groups = mine(state, caller)
        .filter((s) => filter.after === undefined || Date.parse(s.startDate) >= filter.after)
        .filter((s) => filter.before === undefined || Date.parse(s.startDate) < filter.before)
        .sort((a, b) => a.startDate.localeCompare(b.startDate));
      const { items, next } = page(groups, filter.offset, filter.size);
      return {
        status: 200,
        body: {
          payload: {
            FinancialEventGroupList: items.map(groupJson),
            ...(next === undefined ? {} : { NextToken: encodeToken({ ...filter, offset: next }) }),
          },
        },
      };
    }),
  );

  app.get(
    '/finances/v0/financialEventGroups/:eventGroupId/financialEvents',
    operation(state, region, 'listFinancialEventsByGroupId', (query, caller, request) => {
      const { eventGroupId } = request.params as { eventGroupId: string };
      const settlement = mine(state, caller).find((s) => s.financialEventGroupId === eventGroupId);
      if (!settlement) return invalid(`Invalid eventGroupId: ${eventGroupId}`);
      const cursor = query.NextToken
        ? decodeToken<{ after?: number; before?: number; size: number; offset: number }>(query.NextToken)
        : undefined;
      if (query.NextToken && !cursor) return invalid('Invalid NextToken.');
      const size = intParam(query.MaxResultsPerPage, 'MaxResultsPerPage', 100, 100);
      const after = instant(query.PostedAfter, 'PostedAfter');
      const before = instant(query.PostedBefore, 'PostedBefore');
      for (const value of [size, after, before]) if (isAnswer(value)) return value;
      if (before !== undefined && after === undefined) return invalid('PostedBefore requires PostedAfter.');
      const filter = cursor ?? {
        after: after as number | undefined,
        before: before as number | undefined,
        size: size as number,
        offset: 0,
      };
      const events = state
        .detail(settlement)
        .events.filter((e) => filter.after === undefined || Date.parse(e.postedAt) >= filter.after)
        .filter((e) => filter.before === undefined || Date.parse(e.postedAt) < filter.before);
      const { items, next } = page(events, filter.offset, filter.size);
      return {
        status: 200,
        body: {
          payload: {
            FinancialEvents: financialEvents(items, settlement.currency),
            ...(next === undefined ? {} : { NextToken: encodeToken({ ...filter, offset: next }) }),
          },
        },
      };
    }),
  );

  app.get(
    '/finances/2024-06-19/transactions',
    operation(state, region, 'listTransactions', (query, caller) => {
      const cursor = query.nextToken ? decodeToken<TransactionsCursor>(query.nextToken) : undefined;
      if (query.nextToken && !cursor) return invalid('Invalid nextToken.');
      let filter: TransactionsCursor;
      if (cursor) filter = cursor;
      else {
        const after = instant(query.postedAfter, 'postedAfter');
        const before = instant(query.postedBefore, 'postedBefore');
        for (const value of [after, before]) if (isAnswer(value)) return value;
        const name = query.relatedIdentifierName;
        if (name !== undefined && name !== 'FINANCIAL_EVENT_GROUP_ID' && name !== 'ORDER_ID') {
          return invalid('relatedIdentifierName must be FINANCIAL_EVENT_GROUP_ID or ORDER_ID.');
        }
        if (after === undefined && !(name && query.relatedIdentifierValue)) {
          return invalid('postedAfter is required when no related identifier is given.');
        }
        filter = {
          after: after as number | undefined,
          before: before as number | undefined,
          marketplaceId: query.marketplaceId,
          name,
          value: query.relatedIdentifierValue,
          offset: 0,
        };
      }
      const transactions: Array<Record<string, unknown>> = [];
      for (const settlement of mine(state, caller)) {
        if (filter.marketplaceId && settlement.marketplaceId !== filter.marketplaceId) continue;
        if (filter.name === 'FINANCIAL_EVENT_GROUP_ID' && settlement.financialEventGroupId !== filter.value) {
          continue;
        }
        const context = {
          settlementId: settlement.settlementId,
          financialEventGroupId: settlement.financialEventGroupId,
          marketplaceId: settlement.marketplaceId,
          currency: settlement.currency,
        };
        state.detail(settlement).events.forEach((event, index) => {
          const posted = Date.parse(event.postedAt);
          if (filter.after !== undefined && posted < filter.after) return;
          if (filter.before !== undefined && posted >= filter.before) return;
          if (filter.name === 'ORDER_ID' && event.orderId !== filter.value) return;
          transactions.push(transaction(event, context, index));
        });
      }
      const { items, next } = page(transactions, filter.offset, state.transactionsPageSize);
      return {
        status: 200,
        body: {
          payload: {
            transactions: items,
            ...(next === undefined ? {} : { nextToken: encodeToken({ ...filter, offset: next }) }),
          },
        },
      };
    }),
  );
}

interface TransactionsCursor {
  after?: number;
  before?: number;
  marketplaceId?: string;
  name?: string;
  value?: string;
  offset: number;
}

function groupJson(settlement: StoredSettlement): Record<string, unknown> {
  const total = {
    CurrencyCode: settlement.currency,
    CurrencyAmount: amountNumber(settlement.totalAmount, settlement.currency),
  };
  return {
    FinancialEventGroupId: settlement.financialEventGroupId,
    ProcessingStatus: 'Closed',
    FundTransferStatus: 'Succeeded',
    OriginalTotal: total,
    ConvertedTotal: total,
    FundTransferDate: settlement.depositDate || undefined,
    TraceId: settlement.settlementId,
    AccountTail: '042',
    BeginningBalance: { CurrencyCode: settlement.currency, CurrencyAmount: 0 },
    FinancialEventGroupStart: settlement.startDate || undefined,
    FinancialEventGroupEnd: settlement.endDate || undefined,
  };
}

// ---- Orders ----

interface OrdersCursor {
  marketplaces: string[];
  field: 'purchaseDate' | 'lastUpdateDate';
  after: number;
  before?: number;
  size: number;
  offset: number;
  included?: string[];
}

function registerOrders(app: FastifyInstance, state: SimState, region: Region | null): void {
  const select = (caller: Caller, cursor: OrdersCursor) => {
    const orders = new Map<string, import('./derive.js').DerivedOrder>();
    for (const settlement of mine(state, caller)) {
      if (cursor.marketplaces.length > 0 && !cursor.marketplaces.includes(settlement.marketplaceId)) continue;
      for (const order of state.detail(settlement).orders) {
        const at = Date.parse(order[cursor.field]);
        if (at < cursor.after || (cursor.before !== undefined && at >= cursor.before)) continue;
        if (!orders.has(order.orderId)) orders.set(order.orderId, order);
      }
    }
    return [...orders.values()].sort((a, b) => a[cursor.field].localeCompare(b[cursor.field]));
  };

  const parse = (
    query: Query,
    names: Record<string, string>,
    marketplacesRequired: boolean,
  ): OrdersCursor | Answer => {
    const marketplaces = csv(query[names.marketplaceIds!]);
    if (marketplacesRequired && marketplaces.length === 0) {
      return invalid(`${names.marketplaceIds} is required.`);
    }
    const createdAfter = instant(query[names.createdAfter!], names.createdAfter!);
    const updatedAfter = instant(query[names.lastUpdatedAfter!], names.lastUpdatedAfter!);
    const createdBefore = instant(query[names.createdBefore!], names.createdBefore!);
    const updatedBefore = instant(query[names.lastUpdatedBefore!], names.lastUpdatedBefore!);
    const size = intParam(query[names.maxResultsPerPage!], names.maxResultsPerPage!, 100, 100);
    for (const value of [createdAfter, updatedAfter, createdBefore, updatedBefore, size]) {
      if (isAnswer(value)) return value;
    }
    if ((createdAfter === undefined) === (updatedAfter === undefined)) {
      return invalid(`Exactly one of ${names.createdAfter} and ${names.lastUpdatedAfter} is required.`);
    }
    const byCreation = createdAfter !== undefined;
    return {
      marketplaces,
      field: byCreation ? 'purchaseDate' : 'lastUpdateDate',
      after: (byCreation ? createdAfter : updatedAfter) as number,
      before: (byCreation ? createdBefore : updatedBefore) as number | undefined,
      size: size as number,
      offset: 0,
    };
  };

  app.get(
    '/orders/v0/orders',
    operation(state, region, 'getOrders', (query, caller) => {
      let cursor: OrdersCursor | Answer | undefined = query.NextToken
        ? decodeToken<OrdersCursor>(query.NextToken)
        : undefined;
      if (query.NextToken && !cursor) return invalid('Invalid NextToken.');
      cursor ??= parse(
        query,
        {
          marketplaceIds: 'MarketplaceIds',
          createdAfter: 'CreatedAfter',
          createdBefore: 'CreatedBefore',
          lastUpdatedAfter: 'LastUpdatedAfter',
          lastUpdatedBefore: 'LastUpdatedBefore',
          maxResultsPerPage: 'MaxResultsPerPage',
        },
        true,
      );
      if (isAnswer(cursor)) return cursor;
      const { items, next } = page(select(caller, cursor), cursor.offset, cursor.size);
      return {
        status: 200,
        body: {
          payload: {
            Orders: items.map(orderV0),
            ...(next === undefined ? {} : { NextToken: encodeToken({ ...cursor, offset: next }) }),
          },
        },
      };
    }),
  );

  app.get(
    '/orders/2026-01-01/orders',
    operation(state, region, 'searchOrders', (query, caller) => {
      let cursor: OrdersCursor | Answer | undefined = query.paginationToken
        ? decodeToken<OrdersCursor>(query.paginationToken)
        : undefined;
      if (query.paginationToken && !cursor) return invalid('Invalid paginationToken.');
      cursor ??= parse(
        query,
        {
          marketplaceIds: 'marketplaceIds',
          createdAfter: 'createdAfter',
          createdBefore: 'createdBefore',
          lastUpdatedAfter: 'lastUpdatedAfter',
          lastUpdatedBefore: 'lastUpdatedBefore',
          maxResultsPerPage: 'maxResultsPerPage',
        },
        false,
      );
      if (isAnswer(cursor)) return cursor;
      const included = new Set(csv(query.includedData));
      const { items, next } = page(select(caller, cursor), cursor.offset, cursor.size);
      return {
        status: 200,
        body: {
          orders: items.map((order) => orderV2026(order, included)),
          ...(next === undefined
            ? {}
            : { pagination: { nextToken: encodeToken({ ...cursor, offset: next }) } }),
        },
      };
    }),
  );
}

// ---- Listings Items 2021-08-01 and FBA Inventory v1 (listings.ts, inventory.ts) ----

function registerItems(app: FastifyInstance, state: SimState, region: Region | null): void {
  const store = state.listingsStore;
  app.get(
    '/listings/2021-08-01/items/:sellerId',
    operation(state, region, 'searchListingsItems', (query, caller, request) =>
      searchListingsItems(store, caller, (request.params as { sellerId: string }).sellerId, query),
    ),
  );
  app.get(
    '/listings/2021-08-01/items/:sellerId/:sku',
    operation(state, region, 'getListingsItem', (query, caller, request) => {
      const { sellerId, sku } = request.params as { sellerId: string; sku: string };
      return getListingsItem(store, caller, sellerId, sku, query);
    }),
  );
  app.get(
    '/fba/inventory/v1/summaries',
    operation(state, region, 'getInventorySummaries', (query, caller) =>
      getInventorySummaries(store, caller, query, state.now(), state.inventoryPageSize),
    ),
  );
}

// ---- admin ----

type GenerateBody = Partial<Omit<SettlementGeneratorOptions, 'carryOver' | 'previousReserve'>> & {
  connectionId?: string;
  count?: number;
  compress?: boolean;
  createdTime?: string;
  negativeAt?: number[];
};

function registerAdmin(app: FastifyInstance, state: SimState): void {
  app.post('/_sim/faults', async (request) => {
    const body = (request.body ?? {}) as Partial<Record<keyof Faults, unknown>>;
    const faults: Partial<Faults> = {};
    for (const key of [
      'rate429',
      'rate500',
      'next429',
      'next500',
      'latencyMs',
      'expireNextDocumentUrls',
    ] as const) {
      const value = body[key];
      if (typeof value === 'number' && value >= 0) faults[key] = value;
    }
    return state.setFaults(faults);
  });

  app.post('/_sim/revoke', async (request) => {
    const { refreshToken } = (request.body ?? {}) as { refreshToken?: string };
    if (refreshToken) state.revokedRefreshTokens.add(refreshToken);
    return { revoked: [...state.revokedRefreshTokens].length };
  });

  // Body: the flat file (text/plain, options in the query) or JSON {content, connectionId, marketplace, compress, createdTime}.
  app.post('/_sim/settlements', async (request, reply) => {
    const query = request.query as Query;
    const input =
      typeof request.body === 'string'
        ? {
            content: request.body,
            connectionId: query.connectionId,
            marketplace: query.marketplace,
            compress: query.compress === 'true',
            createdTime: query.createdTime,
          }
        : ((request.body ?? {}) as {
            content?: string;
            connectionId?: string;
            marketplace?: string;
            compress?: boolean;
            createdTime?: string;
          });
    if (typeof input.content !== 'string') {
      return reply.code(400).send(errors('InvalidInput', 'a settlement flat file is required'));
    }
    try {
      return reply.code(201).send(settlementJson(state.seedSettlement({ ...input, content: input.content })));
    } catch (error) {
      return reply.code(400).send(errors('InvalidInput', (error as Error).message));
    }
  });

  app.post('/_sim/generate', async (request, reply) => {
    const body = (request.body ?? {}) as GenerateBody;
    if (body.marketplace !== 'US' && body.marketplace !== 'CA' && body.marketplace !== 'DE') {
      return reply.code(400).send(errors('InvalidInput', 'marketplace must be US, CA or DE'));
    }
    const files = generateSettlementSeries(
      { ...body, seed: body.seed ?? 1, marketplace: body.marketplace },
      Math.max(1, Math.min(body.count ?? 1, 1000)),
      new Set(body.negativeAt ?? []),
    );
    const seeded = files.map((file) =>
      state.seedSettlement({
        content: file.text,
        connectionId: body.connectionId,
        marketplace: file.summary.marketplaceId,
        compress: body.compress,
        createdTime: body.createdTime,
      }),
    );
    return reply.code(201).send({ settlements: seeded.map(settlementJson) });
  });

  app.get('/_sim/state', async () => ({
    now: state.nowIso(),
    timeScale: state.timeScale,
    faults: state.faults,
    counters: state.counters,
    settlements: state.settlements.map(settlementJson),
    reports: state.reports.size,
    accessTokens: state.accessTokens.size,
  }));

  app.post('/_sim/reset', async () => {
    state.reset();
    return { reset: true };
  });
}

function settlementJson(settlement: StoredSettlement): Record<string, unknown> {
  return {
    settlementId: settlement.settlementId,
    connectionId: settlement.connectionId,
    marketplaceId: settlement.marketplaceId,
    currency: settlement.currency,
    totalAmount: formatMinor(settlement.totalAmount, settlement.currency),
    startDate: settlement.startDate,
    endDate: settlement.endDate,
    depositDate: settlement.depositDate,
    reportId: settlement.report.reportId,
    reportDocumentId: settlement.report.reportDocumentId,
    financialEventGroupId: settlement.financialEventGroupId,
    compressed: settlement.compressed,
  };
}
