/**
 * The whole pipeline on one large settlement, against the parser alone on the same file.
 *
 *   node --import tsx e2e/bench/pipeline.ts [rows=1000000] [timeoutS=900] [--force]
 *
 * Needs the local stack (`make infra-up`).
 *
 * 1. The known size limit. mapping publishes each journal as one ledger.journal.proposed.v1 message whose
 *    lines carry their rows' lineage as row ranges, 11–13 bytes per settlement row, and the broker refuses
 *    a message over message.max.bytes (1,048,588 by default): beyond about 95,000 rows mapping's produce
 *    fails (KafkaJSNonRetriableError "The request included a message larger than the max message size the
 *    server will accept") and the settlement stays `announced` for ever. So the events are sized first, in
 *    this process, as mapping builds them (kafka-limit.ts). When the largest would not fit, the run falls
 *    back to the largest multiple of 10,000 rows that does (printed); --force runs the size asked for
 *    anyway, and stops at the first non-retriable error in a service log, which still times the ingest.
 * 2. The parser alone on the same file, in this process (as in parser.ts, median of 3).
 * 3. LocalStack: both simulators and the four services, each its own process, on the real broker and
 *    FerretDB, in a namespace and database of their own; a seller connection at the token-broker. Two
 *    200-row settlements go through first: one warms the services up, the next measures the pipeline's
 *    fixed latency (the 1 s poll interval, Kafka hand-offs, status polling).
 * 4. The large settlement is seeded into the SP-API simulator (gzipped, as Amazon serves large reports);
 *    the clock runs from the moment the simulator holds it until it is `posted`: amazon-ingest's poll,
 *    download, raw storage and validation; mapping's second read, the account check and the journals;
 *    jde-poster's orchestration call. Each stage's time is when the settlement record first shows its
 *    status (polled every 200 ms); waitForSettled (500 ms polling) ends the wait.
 * 5. Each process's peak RSS, from /proc/<pid>/status (VmHWM) before the stack stops, and the CPU it used
 *    while the large settlement went through (/proc/<pid>/stat), against the parser-only run's CPU: on a
 *    shared machine the wall times move with everyone else's load, the CPU seconds hardly do. The database is
 *    dropped at the end; the logs stay in .run/<name>/.
 *
 * Target: pipeline / parser-only ≤ 3.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { auditModel } from '@mlc/mongo';
import { generateSettlementFile } from '@mlc/sim-amazon-sp-api';
import { repoRoot, uniqueName } from '@mlc/testkit';
import { LocalStack } from '../src/local-stack.js';
import {
  cpuSeconds,
  fileSizeMiB,
  fmt,
  intArg,
  median,
  parseOnce,
  peakRssMiB,
  printTable,
  settlementFile,
} from './common.js';
import { brokerMessageMaxBytes, proposedEventSizes } from './kafka-limit.js';

const args = process.argv.slice(2).filter((a) => a !== '--force');
const force = process.argv.includes('--force');
const asked = intArg(args[0], 1_000_000, 'rows');
const timeoutS = intArg(args[1], 900, 'timeoutS');
const connectionId = 'bench-seller';

// ---- 1. the message-size limit ----
const limit = await brokerMessageMaxBytes();
/** Room for the record batch header, the key and the headers around the JSON value. */
const fitsLimit = (bytes: number) => bytes < limit - 4096;
async function probe(rows: number) {
  const sizes = await proposedEventSizes((await settlementFile(rows)).file);
  console.log(
    `  ${fmt(sizes.rows)} rows: largest ledger.journal.proposed.v1 event ${fmt(sizes.largestBytes)} bytes ` +
      `(${sizes.largestLines} lines, ${fmt(sizes.largestRanges)} row ranges)` +
      (fitsLimit(sizes.largestBytes) ? ' — fits' : ' — TOO LARGE'),
  );
  return sizes;
}
console.log(`broker message.max.bytes: ${fmt(limit)}`);
let rows = asked;
const first = await probe(rows);
if (!fitsLimit(first.largestBytes) && !force) {
  // Bytes per row grow slowly with the row numbers' digits: start from the linear estimate, step up.
  rows = Math.max(10_000, Math.floor((rows * limit) / first.largestBytes / 10_000) * 10_000);
  let verified = false;
  while (rows + 10_000 < asked && fitsLimit((await probe(rows + 10_000)).largestBytes)) {
    rows += 10_000;
    verified = true;
  }
  while (!verified && rows > 10_000 && !fitsLimit((await probe(rows)).largestBytes)) rows -= 10_000;
  console.log(
    `${fmt(asked)} rows cannot pass mapping's produce (the broker refuses the message): running the largest ` +
      `multiple of 10,000 that fits, ${fmt(rows)} rows, instead (--force runs ${fmt(asked)} anyway)`,
  );
}

// ---- 2. the parser alone ----
const { file, generatedMs } = await settlementFile(rows);
console.log(
  `settlement: ${path.relative(repoRoot, file)} (${fmt(fileSizeMiB(file), 1)} MiB gzip)` +
    (generatedMs === null ? ', reused' : `, generated in ${fmt(generatedMs / 1000, 1)} s`),
);
const parseTimes: number[] = [];
const parseCpu: number[] = [];
let parsedRows = 0;
let settlementId = '';
for (let i = 0; i < 3; i++) {
  const cpu = process.cpuUsage();
  const parsed = await parseOnce(file);
  const used = process.cpuUsage(cpu);
  parseCpu.push((used.user + used.system) / 1e6);
  parseTimes.push(parsed.ms);
  parsedRows = parsed.rows;
  settlementId = parsed.settlementId;
}
const parserMs = median(parseTimes);
const parserCpuS = median(parseCpu);
console.log(`parser only: ${fmt(parsedRows)} rows in ${fmt(parserMs / 1000, 2)} s (median of 3)`);

// ---- 3. the stack ----
const name = uniqueName('bench');
const stack = await LocalStack.start({ name, spApiTimeScale: 600, pollIntervalMs: 1_000, logLevel: 'warn' });
console.log(`stack ${name} up (logs in ${path.relative(repoRoot, path.join(repoRoot, '.run', name))}/)`);

async function logErrors(): Promise<void> {
  for (const [processName, managed] of stack.processes) {
    const text = await readFile(managed.logFile, 'utf8').catch(() => '');
    const lines = text
      .split('\n')
      .filter((line) => /"level":(50|60)/.test(line))
      .slice(-2);
    for (const line of lines) console.log(`  ${processName}: ${line.slice(0, 600)}`);
  }
}

/** Seeds a settlement and follows its record until it settles; stage times in ms after seeding. */
async function throughPipeline(text: string, id: string, settledCount: number) {
  const seedStarted = performance.now();
  await stack.seedSettlement(connectionId, 'US', text, true);
  const t0 = performance.now();
  const t0Epoch = Date.now();
  const seedMs = t0 - seedStarted;
  const firstSeen = new Map<string, number>();
  let watching = true;
  const watcher = (async () => {
    while (watching) {
      const record = (await stack.settlements(connectionId).catch(() => [])).find(
        (s) => s.settlementId === id,
      );
      if (record && !firstSeen.has(record.status)) firstSeen.set(record.status, performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  })();
  // A non-retriable error in a service log means the settlement will never settle: stop waiting.
  const fatal = (async (): Promise<string> => {
    while (watching) {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      for (const [processName, managed] of stack.processes) {
        const log = await readFile(managed.logFile, 'utf8').catch(() => '');
        const line = log.split('\n').find((l) => /NonRetriable|larger than the max message size/.test(l));
        if (line) {
          // Where in the run it happened, from the log line's own timestamp.
          const at = Date.parse(/"time":"([^"]+)"/.exec(line)?.[1] ?? '');
          const when = Number.isNaN(at) ? '' : ` [${fmt((at - t0Epoch) / 1000, 1)} s after seeding]`;
          return `${processName}${when}: ${line.slice(0, 400)}`;
        }
      }
    }
    return new Promise<never>(() => undefined);
  })();
  let settledMs: number | null = null;
  let status = 'not recorded';
  let failure = '';
  try {
    const settled = await Promise.race([
      stack.waitForSettled(connectionId, settledCount, timeoutS * 1000),
      fatal.then((line) => {
        throw new Error(`a service failed for good: ${line}`);
      }),
    ]);
    settledMs = performance.now() - t0;
    const record = settled.find((s) => s.settlementId === id);
    status = record?.status ?? 'unknown';
    if (status !== 'posted') failure = `settlement ended ${status}: ${record?.reason ?? ''}`;
  } catch (error) {
    const record = (await stack.settlements(connectionId).catch(() => [])).find((s) => s.settlementId === id);
    status = record ? `${record.status} (stuck)` : 'not recorded';
    failure = `NOT SETTLED: ${(error as Error).message}`;
  }
  watching = false;
  await watcher;
  // When amazon-ingest fetched the document (getReportDocument, from the simulator's request log): what
  // came before was the wait for the next poll (interval 1 s), not processing.
  const simLog = await readFile(stack.process('sp-api-simulator').logFile, 'utf8').catch(() => '');
  const fetches = [...simLog.matchAll(/"time":(\d+),[^\n]*"url":"\/na\/reports\/2021-06-30\/documents\//g)];
  const fetchedAt = fetches.length > 0 ? Number(fetches.at(-1)![1]) - t0Epoch : null;
  // The pipeline's time: `posted` as first seen (200 ms polling), else waitForSettled's.
  const pipelineMs = firstSeen.get('posted') ?? settledMs;
  // Each service's steps to the millisecond, from the audit trail's own timestamps (written as they happen).
  const audit = (await auditModel(stack.db).find({ settlementId: id }).lean().exec())
    .map((event) => ({ action: event.action, actor: event.actor, ms: event.at.getTime() - t0Epoch }))
    .sort((a, b) => a.ms - b.ms);
  return { firstSeen, settledMs, pipelineMs, status, failure, seedMs, fetchedAt, audit };
}

let exitCode = 0;
try {
  await stack.createConnection(connectionId);

  // Two 200-row settlements: the first warms every process up (connections, JIT), the second measures the
  // pipeline's fixed latency. The ingest polls once a second, so any one figure varies by up to ±0.5 s.
  const warm = generateSettlementFile({ seed: 'bench-warmup', marketplace: 'US', rows: 200 });
  const cold = await throughPipeline(warm.text, warm.summary.settlementId, 1);
  if (cold.failure) throw new Error(`the 200-row warm-up did not post: ${cold.failure}`);
  const again = generateSettlementFile({ seed: 'bench-fixed', marketplace: 'US', rows: 200 });
  const small = await throughPipeline(again.text, again.summary.settlementId, 2);
  if (small.failure) throw new Error(`the second 200-row settlement did not post: ${small.failure}`);
  console.log(
    `200-row settlements posted ${fmt(cold.pipelineMs! / 1000, 1)} s (cold) and ` +
      `${fmt(small.pipelineMs! / 1000, 1)} s (warm: the fixed latency) after seeding`,
  );

  const text = gunzipSync(readFileSync(file)).toString('utf8');
  // CPU each process spends on the large settlement: robust where wall time is not on a shared machine.
  const cpuBefore = new Map<string, number | null>();
  for (const [processName, managed] of stack.processes)
    cpuBefore.set(processName, await cpuSeconds(managed.pid));
  const big = await throughPipeline(text, settlementId, 3);
  const cpuUsed: Array<[string, number | null]> = [];
  for (const [processName, managed] of stack.processes) {
    const now = await cpuSeconds(managed.pid);
    const before = cpuBefore.get(processName) ?? null;
    cpuUsed.push([processName, now === null || before === null ? null : now - before]);
  }
  console.log(
    `seeded ${fmt(text.length / 2 ** 20, 0)} MiB of text (the simulator gzips it) in ${fmt(big.seedMs / 1000, 1)} s`,
  );
  if (big.failure) {
    console.log(big.failure);
    await logErrors();
    exitCode = 1;
  }

  const peaks: Array<[string, number | null]> = [];
  for (const [processName, managed] of stack.processes)
    peaks.push([processName, await peakRssMiB(managed.pid)]);

  let reconciles = '—';
  let documents = 0;
  if (big.status === 'posted') {
    const row = (await stack.reconcile(connectionId)).find((r) => r.settlementId === settlementId);
    reconciles = row ? `${row.reconciles} (Amazon ${row.amazonTotal}, JDE ${row.postedTotal})` : 'no row';
    documents = row?.documents.length ?? 0;
  }
  const stages = ['received', 'announced', 'proposed', 'posted', 'held', 'rejected'].filter((s) =>
    big.firstSeen.has(s),
  );
  printTable(`pipeline, ${fmt(parsedRows)} rows, from the report at Amazon to \`${big.status}\``, [
    ['stage: status first seen', 's after seeding'],
    ['  (document fetched by the poll)', big.fetchedAt === null ? '—' : fmt(big.fetchedAt / 1000, 1)],
    ...stages.map((s) => [`  ${s}`, fmt(big.firstSeen.get(s)! / 1000, 1)]),
    ['waitForSettled returned', big.settledMs === null ? '—' : fmt(big.settledMs / 1000, 1)],
    ...big.audit.map((event) => [`  audit: ${event.action} (${event.actor})`, fmt(event.ms / 1000, 2)]),
    ['JDE documents', documents],
    ['reconciles', reconciles],
  ]);
  const ratio = big.status === 'posted' && big.pipelineMs !== null ? big.pipelineMs / parserMs : null;
  const marginal =
    big.status === 'posted' && big.pipelineMs !== null && small.pipelineMs !== null
      ? (big.pipelineMs - small.pipelineMs) / parserMs
      : null;
  const fromFetch =
    big.status === 'posted' && big.pipelineMs !== null && big.fetchedAt !== null
      ? (big.pipelineMs - big.fetchedAt) / parserMs
      : null;
  printTable('against the target', [
    ['figure', 'value', 'target', 'met'],
    ['parser only s', fmt(parserMs / 1000, 2), '', ''],
    ['pipeline s (to `posted`)', big.pipelineMs === null ? '—' : fmt(big.pipelineMs / 1000, 1), '', ''],
    [
      'pipeline / parser only',
      ratio === null ? '—' : fmt(ratio, 1),
      '<= 3',
      ratio !== null && ratio <= 3 ? 'yes' : 'NO',
    ],
    ['fixed latency s (warm 200-row settlement)', fmt((small.pipelineMs ?? 0) / 1000, 1), '', ''],
    ['(pipeline − fixed) / parser only', marginal === null ? '—' : fmt(marginal, 1), '', ''],
    ['(pipeline − wait for the poll) / parser only', fromFetch === null ? '—' : fmt(fromFetch, 1), '', ''],
  ]);
  printTable('peak RSS per process (VmHWM); CPU used from seeding the large settlement until it settled', [
    ['process', 'MiB', 'CPU s'],
    ...peaks.map(([processName, mib], i) => {
      const cpu = cpuUsed[i]?.[1] ?? null;
      return [processName, mib === null ? 'gone' : fmt(mib, 0), cpu === null ? '—' : fmt(cpu, 2)];
    }),
  ]);
  printTable('CPU against the parser alone', [
    ['figure', 'value'],
    ['parser only, CPU s (the bench process, median run)', fmt(parserCpuS, 2)],
    ...cpuUsed
      .filter(([processName]) => processName === 'amazon-ingest' || processName === 'mapping')
      .map(([processName, cpu]) => [
        `${processName} CPU / parser-only CPU`,
        cpu === null ? '—' : fmt(cpu / parserCpuS, 2),
      ]),
  ]);
} finally {
  await stack.db.dropDatabase().catch(() => undefined);
  await stack.stop();
}
// waitForSettled may still be polling after a failed run: end here.
process.exit(exitCode);
