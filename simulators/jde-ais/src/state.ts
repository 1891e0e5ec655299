/**
 * The simulator's in-memory world: users and their AIS sessions, the F0901 account master, the
 * F0911 ledger, next numbers, open periods, data-service cursors and the fault settings.
 * Everything an AIS Server and its database would hold, kept in one object so tests can look in.
 */
import { randomBytes } from 'node:crypto';
import type { ChartAccount } from './chart-of-accounts.js';

export interface SimUser {
  password: string;
  /** Java-style date pattern of the user (e.g. "MM/dd/yyyy"); drives dateFormat/simpleDateFormat. */
  simpleDateFormat: string;
}

export interface Session {
  token: string;
  username: string;
  /** Device the token is bound to: the deviceName asked for, or the client IP when none. */
  device: string;
  environment: string;
  role: string;
  createdAt: number;
  lastUsedAt: number;
}

/** One F0911 row. Dates are Julian CYYDDD, UPMT is HHMMSS, AA is minor units of CRCD. */
export interface LedgerRow {
  KCO: string;
  DCT: string;
  DOC: number;
  DGJ: number;
  JELN: number;
  EXTL: string;
  LT: string;
  ICU: number;
  ICUT: string;
  DICJ: number;
  CO: string;
  ANI: string;
  AM: string;
  AID: string;
  MCU: string;
  OBJ: string;
  SUB: string;
  SBL: string;
  SBLT: string;
  CRCD: string;
  AA: bigint;
  EXA: string;
  EXR: string;
  VR01: string;
  POST: string;
  USER: string;
  PID: string;
  JOBN: string;
  UPMJ: number;
  UPMT: number;
}

/** An F0901 row as stored (MCU right-justified to 12). */
export interface AccountRow {
  CO: string;
  AID: string;
  MCU: string;
  OBJ: string;
  SUB: string;
  DL01: string;
  PEC: string;
  LDA: number;
}

export interface Faults {
  /** Added before every /jderest answer. */
  latencyMs: number;
  /** Probability of a 500 before the request is processed. */
  rate500: number;
  /** Probability (orchestrations only) that the write happens and the connection is then destroyed. */
  rateLostAnswer: number;
  /** Probability that an authenticated call finds its session gone (444). */
  rate444: number;
  /**
   * Probability (orchestrations only) that the write happens and the answer is then a 200 whose
   * body is not JSON (here an HTML error page, as a proxy would send): an unknown outcome.
   */
  rateGarbage: number;
}

export interface OpenPeriod {
  /** ISO dates, inclusive. */
  from: string;
  to: string;
}

export interface Cursor {
  rows: Record<string, unknown>[];
  columns: Record<string, string>;
  table: string;
  offset: number;
  pageSize: number;
  token: string;
  expiresAt: number;
}

export const NO_FAULTS: Faults = Object.freeze({
  latencyMs: 0,
  rate500: 0,
  rateLostAnswer: 0,
  rate444: 0,
  rateGarbage: 0,
});

/** Right-justifies a business unit to the 12 characters JDE stores for MCU. */
export function padBusinessUnit(bu: string): string {
  return bu.trim().padStart(12, ' ');
}

export function accountRowOf(account: ChartAccount): AccountRow {
  return {
    CO: account.company,
    AID: account.aid,
    MCU: padBusinessUnit(account.businessUnit),
    OBJ: account.object,
    SUB: account.subsidiary,
    DL01: account.description,
    PEC: account.postingEditCode,
    LDA: account.levelOfDetail,
  };
}

/** mulberry32: a tiny seeded PRNG so fault injection can be replayed. */
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

export class SimState {
  readonly sessions = new Map<string, Session>();
  readonly accounts = new Map<string, AccountRow>();
  readonly ledger: LedgerRow[] = [];
  readonly cursors = new Map<string, Cursor>();
  readonly nextDocument = new Map<string, number>();
  nextBatch: number;
  faults: Faults = { ...NO_FAULTS };
  random: () => number;
  /** Counts restarts; handy for tests and the /_sim/state answer. */
  restarts = 0;

  constructor(
    readonly options: {
      users: Record<string, SimUser>;
      openPeriods: Record<string, OpenPeriod[]>;
      firstDocumentNumber: number;
      firstBatchNumber: number;
      seed?: number | undefined;
    },
  ) {
    this.nextBatch = options.firstBatchNumber;
    this.random = options.seed === undefined ? Math.random : seededRandom(options.seed);
  }

  newToken(): string {
    return `044${randomBytes(36).toString('base64')}`;
  }

  /** Next document number for a company and document type (JDE next numbers, by company). */
  takeDocumentNumber(company: string, docType: string): number {
    const key = `${company}|${docType}`;
    const doc = this.nextDocument.get(key) ?? this.options.firstDocumentNumber;
    this.nextDocument.set(key, doc + 1);
    return doc;
  }

  takeBatchNumber(): number {
    return this.nextBatch++;
  }

  setFaults(faults: Partial<Faults>, seed?: number): Faults {
    this.faults = { ...this.faults, ...faults };
    if (seed !== undefined) this.random = seededRandom(seed);
    return this.faults;
  }

  /** An AIS restart: every session and every cursor is gone. */
  restart(): void {
    this.sessions.clear();
    this.cursors.clear();
    this.restarts++;
  }

  findAccount(businessUnit: string, object: string, subsidiary: string): AccountRow | undefined {
    const mcu = padBusinessUnit(businessUnit);
    for (const row of this.accounts.values()) {
      if (row.MCU === mcu && row.OBJ === object && row.SUB.trim() === subsidiary.trim()) return row;
    }
    return undefined;
  }

  upsertAccount(row: AccountRow): void {
    for (const [aid, existing] of this.accounts) {
      if (
        aid !== row.AID &&
        existing.MCU === row.MCU &&
        existing.OBJ === row.OBJ &&
        existing.SUB === row.SUB
      ) {
        this.accounts.delete(aid);
      }
    }
    this.accounts.set(row.AID, row);
  }

  isOpen(company: string, iso: string): 'open' | 'before' | 'after' {
    const periods = this.options.openPeriods[company] ?? this.options.openPeriods['*'] ?? [];
    if (periods.some((p) => p.from <= iso && iso <= p.to)) return 'open';
    const earliest = periods.map((p) => p.from).sort()[0] ?? '9999-12-31';
    return iso < earliest ? 'before' : 'after';
  }
}
