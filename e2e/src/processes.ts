/**
 * Child processes of a local run: a service or simulator started with its own environment, its
 * output appended to a log file, stopped with SIGTERM (or killed), and started again with the same
 * settings — what the chaos, replay and demo runs need.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@mlc/testkit';

export class ManagedProcess {
  #child: ChildProcess | undefined;
  #log: WriteStream;
  #exits = 0;

  constructor(
    readonly name: string,
    /** Entry file, relative to the repository root. */
    private readonly entry: string,
    private readonly env: Record<string, string>,
    logDir: string,
  ) {
    mkdirSync(logDir, { recursive: true });
    this.#log = createWriteStream(path.join(logDir, `${name}.log`), { flags: 'a' });
  }

  get running(): boolean {
    return this.#child !== undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** How many times the process has ended (crash, kill or stop). */
  get exits(): number {
    return this.#exits;
  }

  start(): void {
    if (this.running) return;
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, this.entry)], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(this.#log, { end: false });
    child.stderr?.pipe(this.#log, { end: false });
    child.once('exit', () => {
      this.#exits++;
    });
    this.#child = child;
  }

  /** SIGTERM and wait; SIGKILL after `graceMs`. Resolves with the exit code (null when killed). */
  async stop(graceMs = 15_000): Promise<number | null> {
    const child = this.#child;
    if (!child || !this.running) return child?.exitCode ?? null;
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }

  /** SIGKILL: no shutdown, no committed offsets, whatever was in flight is cut. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child || !this.running) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  close(): void {
    this.#log.end();
  }
}
