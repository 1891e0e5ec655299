/**
 * Amazon's per-operation usage plans and a token bucket that keeps the client inside them.
 *
 * SP-API throttles with a token bucket per operation and per application + selling-partner pair:
 * `rate` tokens per second refill a bucket of `burst` tokens (Usage Plans and Rate Limits,
 * https://developer-docs.amazon.com/sp-api/docs/usage-plans-and-rate-limits). Each client instance
 * holds one bucket per operation, so a (connection, region) stream never exceeds the plan by itself.
 * Rates are the defaults in each operation's "Usage Plan" table of the official models
 * (amzn/selling-partner-api-models @ 34dc93fe…, 2026-08-05; copies in shared/amazon/models/).
 * Amazon may grant a higher plan; the `x-amzn-RateLimit-Limit` response header, when present,
 * replaces the rate.
 */
import type { Clock } from './clock.js';

export interface UsagePlan {
  /** Requests per second. */
  rate: number;
  /** Bucket size: requests that may be sent at once after idling. */
  burst: number;
}

export type OperationName =
  | 'getReports'
  | 'createReport'
  | 'getReport'
  | 'cancelReport'
  | 'getReportDocument'
  | 'listFinancialEventGroups'
  | 'listFinancialEventsByGroupId'
  | 'listFinancialEventsByOrderId'
  | 'listFinancialEvents'
  | 'listTransactions'
  | 'getOrders'
  | 'getOrder'
  | 'getOrderItems'
  | 'searchOrders'
  | 'getOrderV2026'
  | 'searchListingsItems'
  | 'getListingsItem'
  | 'getInventorySummaries';

export const USAGE_PLANS: Readonly<Record<OperationName, UsagePlan>> = Object.freeze({
  // reports_2021-06-30.json
  getReports: { rate: 0.0222, burst: 10 },
  createReport: { rate: 0.0167, burst: 15 },
  getReport: { rate: 2, burst: 15 },
  cancelReport: { rate: 0.0222, burst: 10 },
  getReportDocument: { rate: 0.0167, burst: 15 },
  // financesV0.json
  listFinancialEventGroups: { rate: 0.5, burst: 30 },
  listFinancialEventsByGroupId: { rate: 0.5, burst: 30 },
  listFinancialEventsByOrderId: { rate: 0.5, burst: 30 },
  listFinancialEvents: { rate: 0.5, burst: 30 },
  // finances_2024-06-19.json
  listTransactions: { rate: 0.5, burst: 10 },
  // ordersV0.json (deprecated; migrate by 2027-03-27)
  getOrders: { rate: 0.0167, burst: 20 },
  getOrder: { rate: 0.5, burst: 30 },
  getOrderItems: { rate: 0.5, burst: 30 },
  // orders_2026-01-01.json
  searchOrders: { rate: 0.0056, burst: 20 },
  getOrderV2026: { rate: 0.5, burst: 30 },
  // listingsItems_2021-08-01.json
  searchListingsItems: { rate: 5, burst: 5 },
  getListingsItem: { rate: 5, burst: 10 },
  // fbaInventory.json
  getInventorySummaries: { rate: 2, burst: 2 },
});

/**
 * A token bucket on a given clock. take() resolves when a token is available; callers are served in
 * arrival order, so concurrent callers never starve one another.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private plan: UsagePlan,
    private readonly clock: Clock,
  ) {
    this.tokens = plan.burst;
    this.updatedAt = clock.now();
  }

  get rate(): number {
    return this.plan.rate;
  }

  /** Waits for a token and takes it. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** Adopts the rate Amazon reports in `x-amzn-RateLimit-Limit`. */
  setRate(rate: number): void {
    if (!(rate > 0) || rate === this.plan.rate) return;
    this.refill();
    this.plan = { ...this.plan, rate };
  }

  /** After a 429 the server's bucket is empty; ours must be too. */
  drain(): void {
    this.refill();
    this.tokens = 0;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(((1 - this.tokens) / this.plan.rate) * 1000);
    }
  }

  private refill(): void {
    const now = this.clock.now();
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.plan.burst, this.tokens + elapsed * this.plan.rate);
    this.updatedAt = now;
  }
}
