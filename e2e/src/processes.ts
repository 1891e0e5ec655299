/**
 * Child processes of a local run: a service or simulator started with its own environment, its
 * output appended to a log file, stopped with SIGTERM (or killed), and started again with the same
 * settings — what the chaos, replay and demo runs need.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@mlc/testkit';

export class ManagedProcess {
  #child: ChildProcess | undefined;
  #exits = 0;
  readonly logFile: string;

  constructor(
    readonly name: string,
    /** Entry file, relative to the repository root. */
    private readonly entry: string,
    private readonly env: Record<string, string>,
    logDir: string,
    /** Detached processes outlive this one (the demo leaves the stack running). */
    private readonly detached = false,
  ) {
    mkdirSync(logDir, { recursive: true });
    this.logFile = path.join(logDir, `${name}.log`);
  }

  get pid(): number | undefined {
    return this.#child?.pid;
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
    // The child writes its log itself, so it keeps logging if this process goes away.
    const log = openSync(this.logFile, 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, this.entry)], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env },
      stdio: ['ignore', log, log],
      detached: this.detached,
    });
    closeSync(log);
    if (this.detached) child.unref();
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
}
