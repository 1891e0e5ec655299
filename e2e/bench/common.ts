/**
 * Shared by the benchmarks: the generated settlement file they read (written once under .tmp/bench/,
 * which git ignores), the parse-only measurement, medians and a plain-text table. Benchmarks print
 * figures; they assert nothing.
 */
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import { SettlementReader } from '@mlc/settlement';
import { writeSettlementFile } from '@mlc/sim-amazon-sp-api';
import { repoRoot } from '@mlc/testkit';

export const benchDir = path.join(repoRoot, '.tmp', 'bench');

/** A positive integer argument (`1e6` and `1_000_000` are accepted), or the default. */
export function intArg(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: expected a positive integer, got "${value}"`);
  return n;
}

/**
 * The GZIP V2 settlement of `rows` data rows (US, seed "bench"): generated once, then reused. Written to a
 * temporary name and renamed, so an interrupted run never leaves a truncated file behind.
 */
export async function settlementFile(rows: number): Promise<{ file: string; generatedMs: number | null }> {
  mkdirSync(benchDir, { recursive: true });
  const file = path.join(benchDir, `settlement-us-${rows}.txt.gz`);
  if (existsSync(file)) return { file, generatedMs: null };
  const started = performance.now();
  const partial = `${file}.${process.pid}.partial`;
  await writeSettlementFile(createWriteStream(partial), {
    seed: 'bench',
    marketplace: 'US',
    rows,
    start: '2025-05-02T08:00:00Z',
    gzip: true,
  });
  renameSync(partial, file);
  return { file, generatedMs: performance.now() - started };
}

export function fileSizeMiB(file: string): number {
  return statSync(file).size / 2 ** 20;
}

/**
 * Parse + validate with every row built, as mapping reads a settlement (amazon-ingest validates without
 * building rows, `validateOnly`): every batch consumed, then the reconciliation.
 */
export async function parseOnce(
  file: string,
): Promise<{ ms: number; rows: number; lines: number; settlementId: string }> {
  const started = performance.now();
  const reader = SettlementReader.fromFile(file);
  let rows = 0;
  for await (const batch of reader.batches()) rows += batch.length;
  const check = reader.result();
  const ms = performance.now() - started;
  if (!check.reconciles) throw new Error(`${file}: does not reconcile (difference ${check.difference})`);
  if (rows !== check.rowCount) throw new Error(`${file}: ${rows} rows seen, result() says ${check.rowCount}`);
  return { ms, rows, lines: check.lineCount + 1, settlementId: check.summary.settlementId };
}

/** The floor under any parser: gunzip the file and count '\n' by indexOf over the chunks. */
export async function gunzipCountOnce(file: string): Promise<{ ms: number; lines: number }> {
  const started = performance.now();
  let lines = 0;
  for await (const chunk of createReadStream(file).pipe(createGunzip()) as AsyncIterable<Buffer>) {
    let at = chunk.indexOf(10);
    while (at !== -1) {
      lines++;
      at = chunk.indexOf(10, at + 1);
    }
  }
  return { ms: performance.now() - started, lines };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Prints rows as an aligned table (first row is the header). */
export function printTable(title: string, rows: ReadonlyArray<ReadonlyArray<string | number>>): void {
  const text = rows.map((row) => row.map((cell) => String(cell)));
  const widths = text[0]!.map((_, i) => Math.max(...text.map((row) => (row[i] ?? '').length)));
  console.log(`\n${title}`);
  text.forEach((row, index) => {
    console.log(
      `  ${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')}`,
    );
    if (index === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  });
}

export function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** Peak resident set size of a process in MiB, from /proc (VmHWM), or null when it is gone. */
export async function peakRssMiB(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * CPU seconds (user + system, all threads) a process has used so far, from /proc/<pid>/stat, or null when
 * it is gone. Unlike wall time it hardly moves with load from elsewhere on the machine.
 */
export async function cpuSeconds(pid: number | undefined): Promise<number | null> {
  if (pid === undefined) return null;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** USER_HZ, the unit of /proc/<pid>/stat times: 100 on Linux whatever the kernel's HZ. */
const CLOCK_TICKS = 100;

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
