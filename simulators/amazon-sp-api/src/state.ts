/**
 * The simulator's memory: seeded settlements (each one a DONE settlement report with its document and
 * a closed financial event group), issued tokens, document URLs, rate-limit buckets, injected faults
 * and request counters. Time is virtual: it runs `timeScale` times faster than the wall clock, so
 * Amazon's real rates, token lifetimes and URL expiries hold while tests wait milliseconds.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type DerivedOrder,
  type SettlementEvent,
  settlementEvents,
  settlementOrders,
  stableId,
} from './derive.js';
import { type ReadSettlement, readSettlementFlatFile, toIso } from './flat-file.js';
import {
  ListingsStore,
  type ListingUpdate,
  type SeedListingsInput,
  type StoredListing,
} from './listings-store.js';

export const SETTLEMENT_REPORT_TYPES = new Set([
  'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2',
  'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE',
  'GET_V2_SETTLEMENT_REPORT_DATA_XML',
]);

/** Settlement rows name the marketplace; the currency is the fallback. */
const MARKETPLACE_BY_NAME: Record<string, string> = {
  'Amazon.com': 'ATVPDKIKX0DER',
  'Amazon.ca': 'A2EUQ1WTGCTBG2',
  'Non-Amazon CA': 'A2EUQ1WTGCTBG2',
  'Amazon.com.mx': 'A1AM78C64UM0Y8',
  'Amazon.de': 'A1PA6795UKMFR9',
  'Amazon.co.uk': 'A1F83G8C2ARO7P',
  'Amazon.fr': 'A13V1IB3VIYZZH',
  'Amazon.it': 'APJ6JRA9NG5V4',
  'Amazon.es': 'A1RKKUPIHCS9HS',
  'Amazon.co.jp': 'A1VC38T7YXB528',
};
const MARKETPLACE_BY_CURRENCY: Record<string, string> = {
  USD: 'ATVPDKIKX0DER',
  CAD: 'A2EUQ1WTGCTBG2',
  MXN: 'A1AM78C64UM0Y8',
  EUR: 'A1PA6795UKMFR9',
  GBP: 'A1F83G8C2ARO7P',
  JPY: 'A1VC38T7YXB528',
};
const MARKETPLACE_BY_COUNTRY: Record<string, string> = {
  US: 'ATVPDKIKX0DER',
  CA: 'A2EUQ1WTGCTBG2',
  MX: 'A1AM78C64UM0Y8',
  DE: 'A1PA6795UKMFR9',
  UK: 'A1F83G8C2ARO7P',
  FR: 'A13V1IB3VIYZZH',
  IT: 'APJ6JRA9NG5V4',
  ES: 'A1RKKUPIHCS9HS',
  JP: 'A1VC38T7YXB528',
};

export type Region = 'NA' | 'EU' | 'FE';

/** The SP-API region serving each marketplace id (https://developer-docs.amazon.com/sp-api/docs/marketplace-ids). */
const REGION_OF: Record<string, Region> = {
  ATVPDKIKX0DER: 'NA',
  A2EUQ1WTGCTBG2: 'NA',
  A1AM78C64UM0Y8: 'NA',
  A2Q3Y263D00KWC: 'NA',
  A1PA6795UKMFR9: 'EU',
  A1F83G8C2ARO7P: 'EU',
  A13V1IB3VIYZZH: 'EU',
  APJ6JRA9NG5V4: 'EU',
  A1RKKUPIHCS9HS: 'EU',
  A28R8C7NBKEWEA: 'EU',
  AMEN7PMS3EDWL: 'EU',
  A1805IZSGTT6HS: 'EU',
  A2NODRKZP88ZB9: 'EU',
  AE08WJ6YKNBMC: 'EU',
  A1C3SOZRARQ6R3: 'EU',
  ARBP9OOSHTCHU: 'EU',
  A33AVAJ2PDY3EV: 'EU',
  A17E79C6D8DWNP: 'EU',
  A2VIGQ35RCS4UG: 'EU',
  A21TJRUUN4KGV: 'EU',
  A19VAU5U5O7RUS: 'FE',
  A39IBJ37TRP1C6: 'FE',
  A1VC38T7YXB528: 'FE',
};

export function regionOfMarketplace(marketplaceId: string): Region | undefined {
  return REGION_OF[marketplaceId];
}

export interface SimulatorOptions {
  /** Virtual seconds per wall second (default 1). */
  timeScale?: number;
  /** The LWA application credentials the token endpoint accepts. */
  clientId?: string;
  clientSecret?: string;
  /** Access-token lifetime in virtual seconds (Amazon: 3600). */
  accessTokenTtlSeconds?: number;
  /** Report document URL lifetime in virtual seconds (Amazon: 300). */
  documentUrlTtlSeconds?: number;
  /** Answer 429 when an operation's usage plan is exceeded (default true). */
  enforceRateLimits?: boolean;
  /** Transactions per listTransactions page (Amazon does not document it; default 100). */
  transactionsPageSize?: number;
  /** Summaries per getInventorySummaries page (Amazon does not document it; default 50). */
  inventoryPageSize?: number;
}

export interface Faults {
  /** Probability of answering 429 / 500 to an SP-API call. */
  rate429: number;
  rate500: number;
  /** The next N SP-API calls answer 429 / 500. */
  next429: number;
  next500: number;
  /** Added to every SP-API answer, in wall milliseconds. */
  latencyMs: number;
  /**
   * The next N report document URLs are issued already expired — as if the caller had waited past
   * Amazon's five minutes — so their download answers 403 "Request has expired".
   */
  expireNextDocumentUrls: number;
}

export interface SeedInput {
  content: string;
  connectionId?: string;
  /** A marketplace id or country code; default: from the rows' marketplace-name, else the currency. */
  marketplace?: string;
  compress?: boolean;
  /** ISO; default: now. */
  createdTime?: string;
}

export interface StoredReport {
  connectionId: string;
  reportId: string;
  reportType: string;
  createdTime: string;
  processingStatus: 'CANCELLED' | 'DONE' | 'FATAL' | 'IN_PROGRESS' | 'IN_QUEUE';
  marketplaceIds: string[];
  dataStartTime?: string;
  dataEndTime?: string;
  processingStartTime?: string;
  processingEndTime?: string;
  reportDocumentId?: string;
}

export interface StoredSettlement {
  connectionId: string;
  settlementId: string;
  marketplaceId: string;
  currency: string;
  totalAmount: bigint;
  startDate: string;
  endDate: string;
  depositDate: string;
  report: StoredReport;
  financialEventGroupId: string;
  /** The document body as served (gzipped when compressed). */
  body: Buffer;
  compressed: boolean;
  detail?: { read: ReadSettlement; events: SettlementEvent[]; orders: DerivedOrder[] };
}

const NO_FAULTS: Faults = {
  rate429: 0,
  rate500: 0,
  next429: 0,
  next500: 0,
  latencyMs: 0,
  expireNextDocumentUrls: 0,
};

export class SimState {
  readonly timeScale: number;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly accessTokenTtlMs: number;
  readonly documentUrlTtlMs: number;
  readonly enforceRateLimits: boolean;
  readonly transactionsPageSize: number;
  readonly inventoryPageSize: number;
  /** Listings and FBA stock (listings-store.ts). */
  readonly listingsStore = new ListingsStore(() => this.now());
  faults: Faults = { ...NO_FAULTS };
  readonly settlements: StoredSettlement[] = [];
  readonly reports = new Map<string, StoredReport>();
  readonly accessTokens = new Map<string, { connectionId: string; expiresAt: number }>();
  readonly documentUrls = new Map<string, { reportDocumentId: string; expiresAt: number }>();
  readonly revokedRefreshTokens = new Set<string>();
  readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();
  readonly counters = { lwa: 0, requests: {} as Record<string, Record<string, number>> };
  private readonly origin = Date.now();
  private readonly startedAt = performance.now();
  private sequence = 0;

  constructor(options: SimulatorOptions = {}) {
    this.timeScale = options.timeScale ?? 1;
    if (!(this.timeScale > 0)) throw new RangeError(`timeScale must be > 0, got ${this.timeScale}`);
    this.clientId = options.clientId ?? 'amzn1.application-oa2-client.simulator';
    this.clientSecret = options.clientSecret ?? 'simulator-client-secret';
    this.accessTokenTtlMs = (options.accessTokenTtlSeconds ?? 3600) * 1000;
    this.documentUrlTtlMs = (options.documentUrlTtlSeconds ?? 300) * 1000;
    this.enforceRateLimits = options.enforceRateLimits ?? true;
    this.transactionsPageSize = options.transactionsPageSize ?? 100;
    this.inventoryPageSize = options.inventoryPageSize ?? 50;
  }

  /** Virtual epoch milliseconds. */
  now(): number {
    return this.origin + (performance.now() - this.startedAt) * this.timeScale;
  }

  nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  setFaults(faults: Partial<Faults>): Faults {
    this.faults = { ...this.faults, ...faults };
    return this.faults;
  }

  count(operation: string, status: number): void {
    const byStatus = this.counters.requests[operation] ?? {};
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    this.counters.requests[operation] = byStatus;
  }

  /** Takes a token of the caller's bucket (connection and region) for the operation; false when throttled. */
  takeToken(caller: string, operation: string, plan: { rate: number; burst: number }): boolean {
    if (!this.enforceRateLimits) return true;
    const key = `${caller}\u0000${operation}`;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: plan.burst, updatedAt: now };
    bucket.tokens = Math.min(plan.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * plan.rate);
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  issueAccessToken(connectionId: string): { token: string; expiresIn: number } {
    const token = `Atza|sim.${randomBytes(24).toString('base64url')}`;
    this.accessTokens.set(token, { connectionId, expiresAt: this.now() + this.accessTokenTtlMs });
    return { token, expiresIn: Math.round(this.accessTokenTtlMs / 1000) };
  }

  /** The connection of a live access token, or why it is refused. */
  authenticate(token: string | undefined): { connectionId: string } | { refused: string } {
    if (!token) return { refused: 'Access to requested resource is denied.' };
    const entry = this.accessTokens.get(token);
    if (!entry) return { refused: 'Access to requested resource is denied.' };
    if (entry.expiresAt <= this.now()) return { refused: 'The access token you provided has expired.' };
    return { connectionId: entry.connectionId };
  }

  issueDocumentUrl(reportDocumentId: string): string {
    const signature = randomBytes(16).toString('hex');
    const expired = this.faults.expireNextDocumentUrls > 0;
    if (expired) this.faults.expireNextDocumentUrls -= 1;
    const expiresAt = expired ? this.now() - 1 : this.now() + this.documentUrlTtlMs;
    this.documentUrls.set(signature, { reportDocumentId, expiresAt });
    return `X-Amz-Expires=${Math.round(this.documentUrlTtlMs / 1000)}&X-Amz-Signature=${signature}`;
  }

  nextReportId(): string {
    this.sequence += 1;
    return String(50_000_000_000 + this.sequence * 1_000 + 19);
  }

  /** Stores a settlement flat file as Amazon would expose it. */
  seedSettlement(input: SeedInput): StoredSettlement {
    const connectionId = input.connectionId ?? 'default';
    const head = readSettlementFlatFile(input.content.split('\n', 3).join('\n'));
    const { summary } = head;
    if (!summary.settlementId) throw new Error('settlement file: the summary row has no settlement-id');
    const marketplaceId = this.resolveMarketplace(
      input.marketplace,
      head.rows[0]?.marketplace ?? null,
      summary.currency,
    );
    const reportId = this.nextReportId();
    const createdTime = input.createdTime ? (toIso(input.createdTime) ?? this.nowIso()) : this.nowIso();
    const report: StoredReport = {
      connectionId,
      reportId,
      reportType: 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2',
      createdTime,
      processingStatus: 'DONE',
      marketplaceIds: [marketplaceId],
      dataStartTime: summary.startDate || undefined,
      dataEndTime: summary.endDate || undefined,
      processingStartTime: createdTime,
      processingEndTime: createdTime,
      reportDocumentId: `amzn1.spdoc.1.4.na.${randomUUID()}.T${reportId}`,
    };
    this.reports.set(reportId, report);
    const compressed = input.compress ?? false;
    const settlement: StoredSettlement = {
      connectionId,
      settlementId: summary.settlementId,
      marketplaceId,
      currency: summary.currency,
      totalAmount: summary.totalAmount,
      startDate: summary.startDate,
      endDate: summary.endDate,
      depositDate: summary.depositDate,
      report,
      financialEventGroupId: stableId(connectionId, summary.settlementId).slice(0, 43),
      body: compressed ? gzipSync(input.content) : Buffer.from(input.content),
      compressed,
    };
    this.settlements.push(settlement);
    return settlement;
  }

  /** The parsed rows, events and orders of a settlement, computed once when first needed. */
  detail(settlement: StoredSettlement): NonNullable<StoredSettlement['detail']> {
    if (!settlement.detail) {
      const body = settlement.compressed ? gunzipSync(settlement.body) : settlement.body;
      const read = readSettlementFlatFile(body.toString('utf8'));
      const events = settlementEvents(read);
      settlement.detail = { read, events, orders: settlementOrders(read, events, settlement.marketplaceId) };
    }
    return settlement.detail;
  }

  /** Adds listings (and their FBA stock) of one marketplace; returns the connection's seller id. */
  seedListings(input: SeedListingsInput): { sellerId: string; marketplaceId: string; seeded: number } {
    return this.listingsStore.seed(input);
  }

  /** Changes a listing or its stock later, moving lastUpdatedDate / lastUpdatedTime as Amazon does. */
  updateListing(change: ListingUpdate): StoredListing {
    return this.listingsStore.update(change);
  }

  settlementByDocument(reportDocumentId: string): StoredSettlement | undefined {
    return this.settlements.find((s) => s.report.reportDocumentId === reportDocumentId);
  }

  reset(): void {
    this.settlements.length = 0;
    this.reports.clear();
    this.listingsStore.clear();
    this.accessTokens.clear();
    this.documentUrls.clear();
    this.revokedRefreshTokens.clear();
    this.buckets.clear();
    this.counters.lwa = 0;
    this.counters.requests = {};
    this.faults = { ...NO_FAULTS };
  }

  private resolveMarketplace(given: string | undefined, name: string | null, currency: string): string {
    if (given) return MARKETPLACE_BY_COUNTRY[given] ?? given;
    return (
      (name ? MARKETPLACE_BY_NAME[name] : undefined) ?? MARKETPLACE_BY_CURRENCY[currency] ?? 'ATVPDKIKX0DER'
    );
  }
}
