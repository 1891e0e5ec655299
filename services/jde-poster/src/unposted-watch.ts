/**
 * Settlements not posted yet, as metrics for the MlcSettlementNotPosted alert ("not in JDE N hours
 * after its deposit date"). jde-poster owns it because it makes the last move (`posted`) and keeps
 * running while mapping or AIS are in trouble; the numbers come from MongoDB, not from what this
 * process saw, so every replica exports the same values and alerts take `max`.
 *
 * Every interval the settlements not posted are summed per (connection, status) from the store
 * (libs/store unposted.ts). Two gauges, labelled by connection and status (both bounded; never a
 * settlement id):
 * - `mlc_settlements_not_posted`: how many;
 * - `mlc_settlements_not_posted_oldest_deposit_age_seconds`: seconds since the oldest deposit date
 *   among them, computed at scrape time (negative while that deposit date is still ahead).
 * Held and rejected settlements count too: they are not in the ledger, and their own alerts fire only
 * in the hour they were held or rejected; the status label says which runbook applies. Settlements
 * without a deposit date (reports that did not parse) are counted but have no age.
 */
import type { Logger } from '@mlc/observability';
import { type NotPostedGroup, notPostedSettlements } from '@mlc/store';
import type { Connection } from 'mongoose';
import { Gauge, type Registry } from 'prom-client';

export interface UnpostedWatchOptions {
  db: Connection;
  registry: Registry;
  logger: Logger;
  /** Between two reads of the store. */
  intervalMs: number;
  now?: () => number;
}

export class UnpostedWatch {
  #groups: NotPostedGroup[] = [];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;
  #failing = false;

  constructor(private readonly options: UnpostedWatchOptions) {
    const groups = () => this.#groups;
    const now = options.now ?? Date.now;
    new Gauge({
      name: 'mlc_settlements_not_posted',
      help: 'Settlements not posted to JDE, by connection and status (received, announced, proposed, held, rejected).',
      labelNames: ['connection', 'status'],
      registers: [options.registry],
      collect() {
        this.reset();
        for (const g of groups()) this.set({ connection: g.connectionId, status: g.status }, g.count);
      },
    });
    new Gauge({
      name: 'mlc_settlements_not_posted_oldest_deposit_age_seconds',
      help: 'Seconds since the oldest deposit date among the settlements not posted, by connection and status.',
      labelNames: ['connection', 'status'],
      registers: [options.registry],
      collect() {
        this.reset();
        const at = now();
        for (const g of groups()) {
          if (!g.oldestDepositDate) continue;
          const age = Math.round((at - g.oldestDepositDate.getTime()) / 1000);
          this.set({ connection: g.connectionId, status: g.status }, age);
        }
      },
    });
  }

  /** Reads the store once; the gauges show the result from the next scrape on. */
  async refresh(): Promise<NotPostedGroup[]> {
    const groups = await notPostedSettlements(this.options.db);
    if (!this.#stopped) this.#groups = groups;
    return groups;
  }

  /** Reads now and then every interval until stop(). A failed read keeps the previous numbers. */
  start(): void {
    const tick = () => {
      this.#running = this.refresh().then(
        () => {
          this.#failing = false;
        },
        (error: unknown) => {
          if (!this.#failing && !this.#stopped)
            this.options.logger.warn({ err: error }, 'cannot count settlements not posted');
          this.#failing = true;
        },
      );
      void this.#running.then(() => {
        if (this.#stopped) return;
        this.#timer = setTimeout(tick, this.options.intervalMs);
        this.#timer.unref();
      });
    };
    tick();
  }

  /** Stops reading; a read in flight gets at most 2 s (its result is then dropped). */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    let waited: NodeJS.Timeout | undefined;
    await Promise.race([this.#running, new Promise((r) => (waited = setTimeout(r, 2_000)))]);
    clearTimeout(waited);
  }
}
