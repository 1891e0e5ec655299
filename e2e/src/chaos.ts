/**
 * The chaos run's driver: a seeded random source (the seed is printed, so a failing run can be
 * replayed with MLC_CHAOS_SEED), SIGKILLs of services at random moments followed by a restart, and
 * a supervisor that, like Kubernetes, starts again any service that ended by itself (and counts it).
 */
import type { ManagedProcess } from './processes.js';

/** mulberry32: small, fast and the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of this run: MLC_CHAOS_SEED when set, else a fresh one. */
export function chaosSeed(): number {
  const given = process.env.MLC_CHAOS_SEED;
  if (given === undefined || given === '') return Math.floor(Math.random() * 2 ** 31);
  const seed = Number(given);
  if (!Number.isInteger(seed) || seed < 0) {
    throw new Error(`MLC_CHAOS_SEED must be a non-negative integer, got "${given}"`);
  }
  return seed;
}

/** Fisher–Yates with the given random source. */
export function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface KillRecord {
  service: string;
  at: Date;
  /** Whether the process was running when the kill came (it may still have been starting). */
  wasRunning: boolean;
  downMs: number;
}

/**
 * Kills and restarts the given processes, and restarts any of them that ends by itself while
 * supervised. A process being killed by the driver is not counted as ending by itself.
 */
export class ChaosDriver {
  readonly kills: KillRecord[] = [];
  /** Processes that ended without being killed here, by name: the supervisor started them again. */
  readonly selfExits = new Map<string, number>();
  readonly #busy = new Set<string>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly processes: ReadonlyMap<string, ManagedProcess>,
    private readonly log: (line: string) => void,
  ) {}

  /** Starts watching: every 500 ms, a supervised process that is not running is started again. */
  supervise(): void {
    this.#timer ??= setInterval(() => {
      for (const [name, process] of this.processes) {
        if (this.#busy.has(name) || process.running) continue;
        this.selfExits.set(name, (this.selfExits.get(name) ?? 0) + 1);
        this.log(`${name} ended by itself (exit #${process.exits}); starting it again`);
        process.start();
      }
    }, 500);
  }

  stopSupervising(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** SIGKILL, `downMs` of nothing, start again (not waiting for it to be ready). */
  async kill(name: string, downMs: number): Promise<KillRecord> {
    const process = this.processes.get(name);
    if (!process) throw new Error(`no process ${name}`);
    this.#busy.add(name);
    try {
      const record: KillRecord = { service: name, at: new Date(), wasRunning: process.running, downMs };
      await process.kill();
      await sleep(downMs);
      process.start();
      this.kills.push(record);
      return record;
    } finally {
      this.#busy.delete(name);
    }
  }

  /** Stops a process on purpose (SIGTERM) and keeps the supervisor off it until `resume`. */
  async hold(name: string): Promise<number | null> {
    const process = this.processes.get(name);
    if (!process) throw new Error(`no process ${name}`);
    this.#busy.add(name);
    return process.stop();
  }

  resume(name: string): void {
    this.#busy.delete(name);
    this.processes.get(name)?.start();
  }
}

/** Sums the samples of a Prometheus counter whose label text passes `filter`. */
export function counterSum(text: string, metric: string, filter: (labels: string) => boolean): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${metric}\\{([^}]*)\\} (\\S+)$`).exec(line);
    if (match && filter(match[1] ?? '')) sum += Number(match[2]);
  }
  return sum;
}
