/**
 * The SP-API quota run: how close the client gets to the fastest schedule Amazon's usage plans allow.
 *
 *   node --import tsx e2e/bench/quota.ts [reports=120] [timeScale=200] [pageSize=10]
 *
 * The SP-API simulator runs in this process with its usage plans enforced and time running `timeScale`
 * times faster than the wall clock; it holds `reports` small settlement reports of one connection. The
 * connector's client (SpApiClient + ReportsApi on scaledClock(timeScale), so it keeps Amazon's real
 * rates in virtual time) lists them with getReports, `pageSize` a page, and calls getReportDocument for
 * each, in order, one call at a time, as amazon-ingest does.
 *
 * The minimum. Each operation has its own token bucket (rate r per second, burst b, full at the start), so
 * n calls of one operation need at least max(0, n − b) / r seconds: b at once, then one every 1/r. Buckets
 * do not share tokens, so on its own the run needs max over operations of that. The calls are not
 * independent, though: page k+1 is listed only after page k's documents, so the script also replays this
 * exact call sequence against ideal buckets (each call as early as its bucket and its predecessor allow,
 * zero latency) — the "ideal schedule"; with these plans the two agree, the documents being the bottleneck.
 * Printed: wall × timeScale against the ideal schedule (target within 10 %), and the 429s the simulator
 * answered (its /_sim/state counters).
 */
import { buildSimulatorApp, generateSettlementFile, SIM_USAGE_PLANS } from '@mlc/sim-amazon-sp-api';
import {
  InProcessTokenProvider,
  ReportsApi,
  SETTLEMENT_REPORT_TYPE,
  SpApiClient,
  scaledClock,
} from '@mlc/sp-api';
import { Registry } from 'prom-client';
import { fmt, intArg, printTable } from './common.js';

const reports = intArg(process.argv[2], 120, 'reports');
const timeScale = intArg(process.argv[3], 200, 'timeScale');
const pageSize = intArg(process.argv[4], 10, 'pageSize');
const connectionId = 'bench-quota';

type Op = 'getReports' | 'getReportDocument';
const plans: Record<Op, { rate: number; burst: number }> = {
  getReports: SIM_USAGE_PLANS.getReports,
  getReportDocument: SIM_USAGE_PLANS.getReportDocument,
};

/** Earliest virtual second each call of `sequence` can go, calls in order, each bucket full at 0. */
function idealSchedule(sequence: readonly Op[]): number {
  const buckets = new Map<Op, { tokens: number; at: number }>();
  let now = 0;
  for (const op of sequence) {
    const plan = plans[op];
    const bucket = buckets.get(op) ?? { tokens: plan.burst, at: 0 };
    bucket.tokens = Math.min(plan.burst, bucket.tokens + (now - bucket.at) * plan.rate);
    bucket.at = now;
    if (bucket.tokens < 1) {
      const wait = (1 - bucket.tokens) / plan.rate;
      now += wait;
      bucket.tokens = 1;
      bucket.at = now;
    }
    bucket.tokens -= 1;
    buckets.set(op, bucket);
  }
  return now;
}

const { app, state } = buildSimulatorApp({ timeScale, enforceRateLimits: true });
const base = await app.listen({ host: '127.0.0.1', port: 0 });
try {
  for (let i = 0; i < reports; i++) {
    const { text } = generateSettlementFile({
      seed: `quota-${i}`,
      marketplace: 'US',
      rows: 20,
      settlementId: String(20_000_000_000 + i),
    });
    state.seedSettlement({ content: text, connectionId, marketplace: 'US' });
  }

  const clock = scaledClock(timeScale);
  const tokens = new InProcessTokenProvider({
    credentials: () => ({
      clientId: 'amzn1.application-oa2-client.simulator',
      clientSecret: 'simulator-client-secret',
      refreshToken: `Atzr|${connectionId}`,
    }),
    endpoint: `${base}/auth/o2/token`,
    clock,
  });
  // Every answer in order, to say which call a 429 hit and when (virtual seconds from the first call).
  const answers: Array<{ path: string; status: number; at: number }> = [];
  let firstCallAt: number | undefined;
  const client = new SpApiClient({
    connectionId,
    region: 'NA',
    tokens,
    registry: new Registry(),
    endpoint: `${base}/na`,
    clock,
    fetch: async (input, init) => {
      firstCallAt ??= clock.now();
      const response = await fetch(input, init);
      answers.push({
        path: new URL(String(input)).pathname,
        status: response.status,
        at: clock.now() - firstCallAt,
      });
      return response;
    },
  });
  const api = new ReportsApi(client);

  const sequence: Op[] = [];
  let listed = 0;
  let documents = 0;
  const started = performance.now();
  const pages = Math.ceil(reports / pageSize);
  // The generator fetches the next page when the previous page's items are used up.
  let onPage = 0;
  for await (const report of api.listReports({
    reportTypes: [SETTLEMENT_REPORT_TYPE],
    marketplaceIds: ['ATVPDKIKX0DER'],
    pageSize,
  })) {
    if (listed % pageSize === 0) {
      sequence.push('getReports');
      onPage++;
    }
    listed++;
    if (!report.reportDocumentId) throw new Error(`report ${report.reportId} has no document`);
    await api.getReportDocument(report.reportDocumentId);
    sequence.push('getReportDocument');
    documents++;
  }
  const wallMs = performance.now() - started;
  if (listed !== reports) throw new Error(`listed ${listed} reports, seeded ${reports}`);
  if (onPage !== pages) throw new Error(`saw ${onPage} pages, expected ${pages}`);

  const counters = (await (await fetch(`${base}/_sim/state`)).json()) as {
    counters: { requests: Record<string, Record<string, number>> };
  };
  const count = (op: string, status: string) => counters.counters.requests[op]?.[status] ?? 0;

  const virtualS = (wallMs / 1000) * timeScale;
  const perOp = (op: Op, n: number) => Math.max(0, n - plans[op].burst) / plans[op].rate;
  const formulaS = Math.max(perOp('getReports', pages), perOp('getReportDocument', documents));
  const idealS = idealSchedule(sequence);
  const ratio = virtualS / idealS;

  printTable(`SP-API quota run: ${reports} reports, pageSize ${pageSize}, time scale ${timeScale}`, [
    ['operation', 'rate/s', 'burst', 'calls', '200', '429', 'min virtual s (n-b)/r'],
    ...(['getReports', 'getReportDocument'] as const).map((op) => [
      op,
      plans[op].rate,
      plans[op].burst,
      op === 'getReports' ? pages : documents,
      count(op, '200'),
      count(op, '429'),
      fmt(perOp(op, op === 'getReports' ? pages : documents), 0),
    ]),
  ]);
  printTable('against the minimum', [
    ['figure', 'value', 'target', 'met'],
    ['wall s', fmt(wallMs / 1000, 1), '', ''],
    ['wall × scale (virtual s)', fmt(virtualS, 0), '', ''],
    ['minimum, max over operations (virtual s)', fmt(formulaS, 0), '', ''],
    ['minimum, ideal schedule of this call order (virtual s)', fmt(idealS, 0), '', ''],
    ['(wall × scale) / ideal', fmt(ratio, 3), '<= 1.10', ratio <= 1.1 ? 'yes' : 'NO'],
    ['429s answered', count('getReports', '429') + count('getReportDocument', '429'), '', ''],
    ['LWA token exchanges', (counters.counters as unknown as { lwa: number }).lwa, '', ''],
  ]);
  const documentCalls = answers.filter((a) => a.path.includes('/documents/'));
  const reportCalls = answers.filter((a) => a.path.endsWith('/reports'));
  for (const [op, calls] of [
    ['getReports', reportCalls],
    ['getReportDocument', documentCalls],
  ] as const) {
    calls.forEach((answer, index) => {
      if (answer.status === 429) {
        console.log(
          `  429 on ${op} attempt ${index + 1} of ${calls.length}, at virtual ${fmt(answer.at / 1000, 1)} s ` +
            `(the burst of ${plans[op].burst} ends at attempt ${plans[op].burst})`,
        );
      }
    });
  }
} finally {
  await app.close();
}
