/**
 * `make demo`: the whole product on this machine. Starts the SP-API and AIS simulators and the four
 * services as separate processes on the local Kafka and FerretDB, sets up one seller's connection
 * at the token-broker (as an operator would), lets Amazon hold four settlements of a US + CA FBA
 * seller — one across a month end, one negative, the next one paying it back — waits until every
 * settlement is posted to the simulated JDE, prints the reconciliation, and leaves everything
 * running until `make down`.
 *
 *   node --import tsx e2e/src/demo.ts up|down
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { generateSettlementFile, generateSettlementSeries } from '@mlc/sim-amazon-sp-api';
import { repoRoot } from '@mlc/testkit';
import { LocalStack, type ReconciliationRow } from './local-stack.js';

const CONNECTION = 'demo-seller';
/** What `down` needs: the processes of the running demo. */
const STATE = path.join(repoRoot, '.run', 'demo.json');
const PORTS = {
  'sp-api': 8091,
  ais: 7070,
  grpc: 50051,
  'amazon-ingest': 9401,
  mapping: 9402,
  'jde-poster': 9403,
  'token-broker': 9404,
} as const;

async function up(): Promise<void> {
  if (alivePids().length > 0) {
    console.log('The demo is already running; `make down` stops it.');
    return;
  }
  // A fresh namespace and database each run: the simulated JDE starts empty every time.
  const name = `demo-${new Date().toISOString().slice(0, 19).replace(/\D/g, '')}`;
  console.log(`Starting the simulators and the four services (namespace ${name}; logs in .run/${name}/)…`);
  const stack = await LocalStack.start({
    name,
    ports: PORTS,
    detached: true,
    spApiTimeScale: 60,
    pollIntervalMs: 2_000,
  });
  mkdirSync(path.dirname(STATE), { recursive: true });
  // The run's throwaway broker secret, for the operator's CLI (owner-only file, never printed).
  writeFileSync(path.join(repoRoot, '.run', name, 'broker-token'), stack.brokerToken, { mode: 0o600 });
  writeFileSync(STATE, JSON.stringify({ name, pids: [...stack.processes.values()].map((p) => p.pid) }));

  await stack.createConnection(CONNECTION).catch((error: { code?: number }) => {
    if (error.code !== 6 /* ALREADY_EXISTS */) throw error;
  });
  console.log(`Connection "${CONNECTION}" created at the token-broker (credentials encrypted there).`);

  // US: one holding a reserve, one across the June/July month end; CA: a negative settlement and
  // the next one, which charges the debt back.
  const files = [
    generateSettlementFile({
      seed: 'demo-us-1',
      marketplace: 'US',
      rows: 600,
      start: '2025-06-03T07:00:00Z',
      holdReserve: true,
    }),
    generateSettlementFile({
      seed: 'demo-us-2',
      marketplace: 'US',
      rows: 400,
      start: '2025-06-24T07:00:00Z',
      days: 14,
    }),
    ...generateSettlementSeries(
      { seed: 'demo-ca', marketplace: 'CA', rows: 300, start: '2025-06-05T07:00:00Z' },
      2,
      new Set([0]),
    ),
  ];
  for (const [i, file] of files.entries()) {
    await stack.seedSettlement(CONNECTION, file.summary.marketplace as 'US' | 'CA', file.text, i % 2 === 1);
  }
  console.log(`Amazon now holds ${files.length} settlement reports; waiting until they are posted to JDE…`);
  await stack.waitForSettled(CONNECTION, files.length, 300_000);
  printTable(await stack.reconcile(CONNECTION));
  printNext(stack, name);
  stack.broker.close();
  await stack.db.close();
}

function printTable(rows: ReconciliationRow[]): void {
  const header = ['settlement', 'currency', 'Amazon total', 'JDE documents', 'posted total', 'status'];
  const lines = rows.map((r) => [
    r.settlementId,
    r.currency,
    r.amazonTotal,
    r.documents.join(', ') || '-',
    r.postedTotal,
    r.reconciles ? `${r.status} ✓` : `${r.status}${r.reason ? `: ${r.reason}` : ''}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\n${format(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const line of lines) console.log(format(line));
  const ok = rows.filter((r) => r.reconciles).length;
  console.log(`\n${ok} of ${rows.length} settlements posted and equal to Amazon's total to the cent.`);
}

function printNext(stack: LocalStack, name: string): void {
  console.log(`
Where to look next:
  npm run mlc -- settlement inspect <file>       a settlement file's summary and totals
  npm run mlc -- replay reset --group ${name}.mlc.jde-poster --topic ${name}.ledger.journal.proposed.v1 --to-earliest
                                                 (dry run: what a replay would reprocess)
  MLC_TOKEN_BROKER_ADDRESS=${stack.urls.grpc} MLC_TOKEN_BROKER_TOKEN=$(cat .run/${name}/broker-token) npm run mlc -- connections list
  curl ${stack.urls.ais}/_sim/f0911              the simulated JDE ledger (F0911)
  ${Object.entries(stack.urls.admin)
    .map(([service, url]) => `${url}/metrics  (${service})`)
    .join('\n  ')}
  logs: .run/${name}/*.log

Everything keeps running until \`make down\`.`);
}

function alivePids(): number[] {
  let pids: number[] = [];
  try {
    pids = (JSON.parse(readFileSync(STATE, 'utf8')) as { pids: number[] }).pids;
  } catch {
    return [];
  }
  return pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
}

async function down(): Promise<void> {
  const pids = alivePids();
  for (const pid of pids) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 60 && alivePids().length > 0; i++) await new Promise((r) => setTimeout(r, 250));
  for (const pid of alivePids()) process.kill(pid, 'SIGKILL');
  rmSync(STATE, { force: true });
  console.log(pids.length > 0 ? `stopped ${pids.length} demo processes` : 'the demo was not running');
}

const command = process.argv[2];
if (command === 'up') await up();
else if (command === 'down') await down();
else {
  console.error('usage: demo.ts up|down');
  process.exitCode = 2;
}
