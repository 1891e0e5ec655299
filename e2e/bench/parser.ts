/**
 * Parser throughput and memory on a generated 1,000,000-row GZIP V2 settlement.
 *
 *   node --import tsx e2e/bench/parser.ts [rows=1000000] [repetitions=5]
 *
 * In the same run, `repetitions` times each, medians printed:
 *   - baseline: gunzip + count '\n' by indexOf over the chunks (the floor under any parser);
 *   - readline: gunzip + readline + split('\t') per line (the obvious hand-written parser, for context);
 *   - parser:   SettlementReader over the file, consuming batches() and calling result() (parse + validate).
 * Then the parser once more in a child process (parser-child.ts), whose peak RSS is its own.
 * Targets: parser/baseline throughput ≥ 0.5; peak RSS < 250 MB.
 */
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { repoRoot } from '@mlc/testkit';
import {
  fileSizeMiB,
  fmt,
  gunzipCountOnce,
  intArg,
  median,
  parseOnce,
  printTable,
  settlementFile,
} from './common.js';

const rows = intArg(process.argv[2], 1_000_000, 'rows');
const repetitions = intArg(process.argv[3], 5, 'repetitions');

async function readlineSplitOnce(file: string): Promise<{ ms: number; lines: number }> {
  const started = performance.now();
  let lines = 0;
  let fields = 0;
  const input = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of input) {
    lines++;
    fields += line.split('\t').length;
  }
  if (fields === 0) throw new Error('no fields read');
  return { ms: performance.now() - started, lines };
}

function childParse(file: string): Promise<{ rows: number; ms: number; maxRssKiB: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'e2e/bench/parser-child.ts'), file],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`parser-child exited with ${code}`));
      try {
        resolve(
          JSON.parse(out.trim().split('\n').at(-1) ?? '') as { rows: number; ms: number; maxRssKiB: number },
        );
      } catch (error) {
        reject(error);
      }
    });
  });
}

const { file, generatedMs } = await settlementFile(rows);
console.log(
  `settlement: ${path.relative(repoRoot, file)} (${fmt(fileSizeMiB(file), 1)} MiB gzip)` +
    (generatedMs === null ? ', reused' : `, generated in ${fmt(generatedMs / 1000, 1)} s`),
);

const baseline: number[] = [];
const readline: number[] = [];
const parser: number[] = [];
let lines = 0;
let parsedRows = 0;
// Interleaved, so a burst of load from elsewhere on the machine hits all three alike.
for (let i = 0; i < repetitions; i++) {
  const b = await gunzipCountOnce(file);
  baseline.push(b.ms);
  lines = b.lines;
  const r = await readlineSplitOnce(file);
  readline.push(r.ms);
  const p = await parseOnce(file);
  parser.push(p.ms);
  parsedRows = p.rows;
  if (p.lines !== lines) throw new Error(`parser read ${p.lines} lines, the baseline counted ${lines}`);
}
const child = await childParse(file);

const baseMs = median(baseline);
const perSecond = (ms: number) => fmt(lines / (ms / 1000));
printTable(`parser, ${fmt(parsedRows)} rows (${fmt(lines)} lines), median of ${repetitions}`, [
  ['measure', 'median s', 'min s', 'max s', 'lines/s', 'vs baseline'],
  ...(
    [
      ['baseline: gunzip + indexOf', baseline],
      ['readline + split', readline],
      ['parser: batches() + result()', parser],
    ] as const
  ).map(([name, values]) => [
    name,
    fmt(median(values) / 1000, 2),
    fmt(Math.min(...values) / 1000, 2),
    fmt(Math.max(...values) / 1000, 2),
    perSecond(median(values)),
    fmt(baseMs / median(values), 2),
  ]),
]);
const ratio = baseMs / median(parser);
// Each repetition ran baseline and parser back to back: their ratio is less exposed to load from elsewhere.
const paired = median(parser.map((ms, i) => baseline[i]! / ms));
const best = Math.min(...baseline) / Math.min(...parser);
const rssMB = (child.maxRssKiB * 1024) / 1e6;
printTable('against the targets', [
  ['figure', 'value', 'target', 'met'],
  ['parser/baseline throughput (medians)', fmt(ratio, 2), '>= 0.5', ratio >= 0.5 ? 'yes' : 'NO'],
  ['  median of per-repetition ratios', fmt(paired, 2), '>= 0.5', paired >= 0.5 ? 'yes' : 'NO'],
  ['  best against best', fmt(best, 2), '>= 0.5', best >= 0.5 ? 'yes' : 'NO'],
  ['parser rows/s', fmt(parsedRows / (median(parser) / 1000)), '', ''],
  [
    'peak RSS, parser in a child (MB)',
    `${fmt(rssMB, 0)} (${fmt(child.maxRssKiB / 1024, 0)} MiB)`,
    '< 250 MB',
    rssMB < 250 ? 'yes' : 'NO',
  ],
  ['child parse time s', fmt(child.ms / 1000, 2), '', ''],
]);
