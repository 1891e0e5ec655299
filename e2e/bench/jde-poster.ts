/**
 * jde-poster's posting rate at a given AIS latency, against the ideal concurrency / latency.
 *
 *   node --import tsx e2e/bench/jde-poster.ts [journals=200] [latencyMs=50] [concurrencies=1,4,8]
 *
 * The AIS simulator runs in this process with every /jderest call delayed by `latencyMs`; a fresh FerretDB
 * database per concurrency (uniqueMongoUrl, dropped after it) holds jobs, claims and audit events; the AIS client logs in
 * once (InProcessSessionProvider). postJournal from services/jde-poster/src/posting.ts — the service's own
 * at-most-once path: ensureJob, claimAttempt, updateJob(posting), audit, the orchestration call,
 * updateJob(posted), audit — is driven by C workers over `journals` balanced journals (accounts of the
 * simulator's default chart), fresh job ids per run. Without Kafka: this is the posting path's ceiling.
 *
 * Printed per C: journals posted per second, its ratio to the ideal C / latency, and where a post's time
 * goes — inside the AIS call (latency + the simulator's own work + HTTP) versus the rest, which is the
 * MongoDB round trips (eight per new job) and our own code.
 */
import { AisClient, InProcessSessionProvider } from '@mlc/ais';
import type { JournalProposedV1 } from '@mlc/events';
import { auditModel, connectMongo, ensureIndexes, jobClaimModel, jobModel } from '@mlc/mongo';
import { DEFAULT_SETTLEMENT_ACCOUNTS as A, buildSimulatorApp } from '@mlc/sim-jde-ais';
import { uniqueMongoUrl } from '@mlc/testkit';
import { type JournalTarget, postJournal } from '../../services/jde-poster/src/posting.js';
import { fmt, intArg, mean, median, printTable } from './common.js';

const journals = intArg(process.argv[2], 200, 'journals');
const latencyMs = Number(process.argv[3] ?? 50);
const concurrencies = (process.argv[4] ?? '1,4,8').split(',').map((c) => intArg(c, 4, 'concurrency'));

/** A balanced settlement-like journal: sales, fees, tax and the deposit on the clearing account. */
function journal(run: string, i: number): JournalProposedV1 {
  const cents = (n: number) => (n / 100).toFixed(2);
  const sales = 1_000_000 + i * 137;
  const shipping = 50_000 + i * 11;
  const referral = 150_000 + i * 7;
  const fba = 220_000 + i * 5;
  const tax = 80_000 + i * 3;
  const deposit = sales + shipping - referral - fba;
  const lines: Array<[string, number, string]> = [
    [A.productSales, -sales, 'Product sales'],
    [A.shippingIncome, -shipping, 'Shipping income'],
    [A.referralFees, referral, 'Referral fees'],
    [A.fbaFees, fba, 'FBA fees'],
    [A.salesTaxPayable, -tax, 'Sales tax collected'],
    [A.marketplaceFacilitatorTax, tax, 'Facilitator tax withheld'],
    [A.amazonClearing, deposit, `Amazon deposit S${i}`],
  ];
  return {
    jobId: `bench-${run}-${i}`,
    connectionId: 'bench',
    settlementId: `S${i}`,
    part: { index: 1, count: 1, period: '2025-05' },
    company: '00001',
    documentType: 'JE',
    glDate: '2025-05-16',
    currency: 'USD',
    explanation: `Amazon settlement S${i}`,
    lines: lines.map(([account, amount, explanation], n) => ({
      account,
      amount: cents(amount),
      explanation,
      lineage: { rowCount: 1, rowRanges: [[n + 2, n + 2]] },
    })),
    proposedAt: new Date().toISOString(),
  };
}

const { app } = buildSimulatorApp({ faults: { latencyMs } });
const base = await app.listen({ host: '127.0.0.1', port: 0 });
try {
  const connection = {
    id: 'bench',
    baseUrl: base,
    allowInsecureHttp: true,
    username: 'JDE',
    password: 'JDE',
    deviceName: 'ml-connector-bench',
    environment: 'JDV920',
    role: '*ALL',
  };
  const client = new AisClient({ connection, sessions: new InProcessSessionProvider([connection]) });

  const table: Array<Array<string | number>> = [
    [
      'C',
      'posted',
      'wall s',
      'posted/s',
      'ideal C/lat',
      'ratio',
      'post ms (mean)',
      'AIS call ms',
      'rest ms (Mongo)',
      'rest share',
      'rest ms first/last 50',
    ],
  ];
  for (const concurrency of concurrencies) {
    // A fresh database per run: the time of a post grows with the jobs already stored (see the last column).
    const db = await connectMongo({ url: uniqueMongoUrl('bench_poster') });
    await ensureIndexes([jobModel(db), jobClaimModel(db), auditModel(db)] as never);
    // Warm-up: login, JIT, the collections and their indexes.
    for (let i = 0; i < 5; i++) {
      await postJournal(journal('warm', i), { db, target: client, holder: 'bench', leaseMs: 60_000 });
    }
    const run = `c${concurrency}-${Date.now().toString(36)}`;
    const aisMs: number[] = [];
    const postMs: number[] = [];
    const target: JournalTarget = {
      async postJournalEntry(entry) {
        const started = performance.now();
        try {
          return await client.postJournalEntry(entry);
        } finally {
          aisMs.push(performance.now() - started);
        }
      },
      findJournalEntry: (reference, scope) => client.findJournalEntry(reference, scope),
    };
    let next = 0;
    let posted = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < journals; i = next++) {
          const t = performance.now();
          const outcome = await postJournal(journal(run, i), {
            db,
            target,
            holder: 'bench',
            leaseMs: 60_000,
          });
          postMs.push(performance.now() - t);
          if (outcome.kind !== 'posted') throw new Error(`journal ${i}: ${outcome.kind}`);
          posted++;
        }
      }),
    );
    const wallS = (performance.now() - started) / 1000;
    await db.dropDatabase();
    await db.close();
    const rate = posted / wallS;
    const ideal = latencyMs > 0 ? concurrency / (latencyMs / 1000) : Number.POSITIVE_INFINITY;
    const rest = mean(postMs) - mean(aisMs);
    table.push([
      concurrency,
      posted,
      fmt(wallS, 2),
      fmt(rate, 1),
      fmt(ideal, 0),
      fmt(rate / ideal, 2),
      `${fmt(mean(postMs), 1)} (p50 ${fmt(median(postMs), 1)})`,
      fmt(mean(aisMs), 1),
      fmt(rest, 1),
      `${fmt((100 * rest) / mean(postMs), 0)} %`,
      `${fmt(mean(postMs.slice(0, 50)) - mean(aisMs.slice(0, 50)), 0)} / ${fmt(mean(postMs.slice(-50)) - mean(aisMs.slice(-50)), 0)}`,
    ]);
  }
  printTable(`jde-poster postJournal, ${journals} journals, AIS latency ${latencyMs} ms`, table);
  console.log(
    '\n  ratio = posted/s ÷ (C / latency). "AIS call" is the orchestration request as the client sees it\n' +
      '  (latency + simulator + HTTP); "rest" = post − AIS call: the eight MongoDB round trips of a new\n' +
      '  job (ensureJob: find, insert, find; claimAttempt insert; updateJob ×2; appendAudit ×2) and our code.',
  );
} finally {
  await app.close();
}
