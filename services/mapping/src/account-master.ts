/**
 * The JDE account master (F0901) as the mapping service sees it: every account of a connection,
 * read through the AIS data service and cached, so each journal's accounts are checked before it is
 * proposed (a missing or non-postable account would make JDE reject the whole document).
 *
 * The cache is reloaded whole when older than the refresh interval; a settlement that would be
 * held for an account problem is checked once more against a fresh read first, so an account an
 * operator just added in JDE is seen. (The brief suggests polling F0901 by its UPMJ change date; a
 * chart of accounts is small enough that a whole reload is simpler and never misses a deletion.)
 */
import type { AisClient } from '@mlc/ais';
import type { AccountLookup, AccountStatus } from '@mlc/mapping';

interface CachedChart {
  loadedAt: number;
  byAccount: Map<string, { postingEditCode: string }>;
}

export class AccountMaster {
  readonly #charts = new Map<string, Promise<CachedChart>>();

  constructor(
    private readonly clientFor: (connectionId: string) => Promise<AisClient>,
    private readonly refreshMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A lookup over the connection's chart, no older than `maxAgeMs` (default: the refresh interval). */
  async lookupFor(connectionId: string, maxAgeMs = this.refreshMs): Promise<AccountLookup> {
    let chart = this.#charts.get(connectionId);
    if (!chart || this.now() - (await chart).loadedAt > maxAgeMs) {
      chart = this.#load(connectionId);
      chart.catch(() => this.#charts.delete(connectionId));
      this.#charts.set(connectionId, chart);
    }
    const { byAccount } = await chart;
    return (account): AccountStatus => {
      const found = byAccount.get(key(account.businessUnit, account.object, account.subsidiary));
      if (!found) return { exists: false, postable: false };
      const code = found.postingEditCode.trim();
      return { exists: true, postable: code !== 'N' && code !== 'I', postingEditCode: code };
    };
  }

  async #load(connectionId: string): Promise<CachedChart> {
    const client = await this.clientFor(connectionId);
    const rows = await client.readAccounts();
    const byAccount = new Map<string, { postingEditCode: string }>();
    for (const row of rows) {
      byAccount.set(key(row.businessUnit, row.object, row.subsidiary), {
        postingEditCode: row.postingEditCode,
      });
    }
    return { loadedAt: this.now(), byAccount };
  }
}

function key(businessUnit: string, object: string, subsidiary: string): string {
  return `${businessUnit.trim()}.${object.trim()}.${subsidiary.trim()}`;
}
