/**
 * The JDE item directory of the mapping service: F4101 and F4104 rows per looked-up value, read
 * through the AIS data service and cached. Lookups that arrive close together (the listing
 * consumer works several partitions at once) are gathered into one LIST query per table, so
 * 5,000 SKUs cost a few hundred AIS calls rather than 10,000; the answers (including "no row")
 * are cached for `cacheMs`. A cached "missing" cross reference may be stale after jde-poster wrote
 * it: proposing it again is harmless, the poster's job is already done.
 */
import {
  type CrossReferenceRow,
  findCrossReferencesByValue,
  findItemsByNumber,
  type ItemMasterRow,
  type ItemSource,
} from '@mlc/ais';

interface Waiter<T> {
  resolve(rows: T[]): void;
  reject(error: unknown): void;
}

interface Pending {
  /** `${column}|${value}` → waiters. */
  numbers: Map<string, Waiter<ItemMasterRow>[]>;
  /** `${an8}|${value}` → waiters. */
  xrefs: Map<string, Waiter<CrossReferenceRow>[]>;
  types: Set<string>;
  timer: NodeJS.Timeout | null;
}

export interface ItemDirectoryOptions {
  clientFor: (connectionId: string) => Promise<ItemSource>;
  /** How long an answer is reused. */
  cacheMs: number;
  /** How long a lookup waits for others to join its query (default 5 ms). */
  gatherMs?: number;
  /** Most values in one gathered query (default 200). */
  maxBatch?: number;
  /** Cached answers kept at most (the cache is cleared past it; default 200,000). */
  maxEntries?: number;
  now?: () => number;
}

export class ItemDirectory {
  readonly #cache = new Map<string, { at: number; rows: unknown[] }>();
  readonly #pending = new Map<string, Pending>();
  /** AIS queries made (tests and logs). */
  queries = 0;

  constructor(private readonly options: ItemDirectoryOptions) {}

  /** F4101 rows whose LITM / AITM equals `value` (trimmed cells). */
  items(connectionId: string, column: 'LITM' | 'AITM', value: string): Promise<ItemMasterRow[]> {
    return this.#lookup<ItemMasterRow>(connectionId, 'numbers', `${column}|${value}`, undefined);
  }

  /** F4104 rows with CITM `value` under `addressNumber`, for any of `types`. */
  crossReferences(
    connectionId: string,
    addressNumber: string,
    value: string,
    types: string[],
  ): Promise<CrossReferenceRow[]> {
    return this.#lookup<CrossReferenceRow>(connectionId, 'xrefs', `${addressNumber}|${value}`, types).then(
      (rows) => rows.filter((row) => types.includes(row.type)),
    );
  }

  /** Forgets every cached answer of a connection (its settings changed). */
  forget(connectionId: string): void {
    for (const key of this.#cache.keys())
      if (key.startsWith(`${connectionId}\u0000`)) this.#cache.delete(key);
  }

  #lookup<T>(
    connectionId: string,
    kind: 'numbers' | 'xrefs',
    key: string,
    types: string[] | undefined,
  ): Promise<T[]> {
    const now = this.options.now ?? Date.now;
    const cacheKey = `${connectionId}\u0000${kind}\u0000${key}\u0000${kind === 'xrefs' ? [...(types ?? [])].sort().join(',') : ''}`;
    const hit = this.#cache.get(cacheKey);
    if (hit && now() - hit.at <= this.options.cacheMs) return Promise.resolve(hit.rows as T[]);

    let pending = this.#pending.get(connectionId);
    if (!pending) {
      pending = { numbers: new Map(), xrefs: new Map(), types: new Set(), timer: null };
      this.#pending.set(connectionId, pending);
    }
    for (const type of types ?? []) pending.types.add(type);
    const batch = pending;
    return new Promise<T[]>((resolve, reject) => {
      const map = batch[kind] as Map<string, Waiter<T>[]>;
      const waiters = map.get(key) ?? [];
      waiters.push({
        resolve: (rows) => {
          this.#remember(cacheKey, rows);
          resolve(rows);
        },
        reject,
      });
      map.set(key, waiters);
      if (batch.numbers.size + batch.xrefs.size >= (this.options.maxBatch ?? 200)) {
        if (batch.timer) clearTimeout(batch.timer);
        void this.#flush(connectionId, batch);
      } else if (!batch.timer) {
        batch.timer = setTimeout(() => void this.#flush(connectionId, batch), this.options.gatherMs ?? 5);
      }
    });
  }

  #remember(cacheKey: string, rows: unknown[]): void {
    if (this.#cache.size >= (this.options.maxEntries ?? 200_000)) this.#cache.clear();
    this.#cache.set(cacheKey, { at: (this.options.now ?? Date.now)(), rows });
  }

  async #flush(connectionId: string, batch: Pending): Promise<void> {
    if (this.#pending.get(connectionId) === batch) this.#pending.delete(connectionId);
    batch.timer = null;
    let client: ItemSource;
    try {
      client = await this.options.clientFor(connectionId);
    } catch (error) {
      for (const waiters of [...batch.numbers.values(), ...batch.xrefs.values()])
        for (const w of waiters) w.reject(error);
      return;
    }
    await Promise.all([this.#flushNumbers(client, batch), this.#flushXrefs(client, batch)]);
  }

  async #flushNumbers(client: ItemSource, batch: Pending): Promise<void> {
    for (const column of ['LITM', 'AITM'] as const) {
      const entries = [...batch.numbers].filter(([key]) => key.startsWith(`${column}|`));
      if (entries.length === 0) continue;
      const values = entries.map(([key]) => key.slice(column.length + 1));
      try {
        this.queries++;
        const rows = await findItemsByNumber(client, column, values);
        for (const [key, waiters] of entries) {
          const value = key.slice(column.length + 1);
          const mine = rows.filter((row) =>
            column === 'LITM' ? row.secondItemNumber === value : row.thirdItemNumber === value,
          );
          for (const w of waiters) w.resolve(mine);
        }
      } catch (error) {
        for (const [, waiters] of entries) for (const w of waiters) w.reject(error);
      }
    }
  }

  async #flushXrefs(client: ItemSource, batch: Pending): Promise<void> {
    const entries = [...batch.xrefs];
    if (entries.length === 0) return;
    const parsed = entries.map(([key, waiters]) => {
      const bar = key.indexOf('|');
      return { addressNumber: key.slice(0, bar), value: key.slice(bar + 1), waiters };
    });
    try {
      this.queries++;
      const rows = await findCrossReferencesByValue(client, {
        values: parsed.map((p) => p.value),
        types: [...batch.types],
        addressNumbers: parsed.map((p) => p.addressNumber),
      });
      for (const { addressNumber, value, waiters } of parsed) {
        const mine = rows.filter(
          (row) =>
            row.crossReferenceItemNumber === value && row.addressNumber === String(Number(addressNumber)),
        );
        for (const w of waiters) w.resolve(mine);
      }
    } catch (error) {
      for (const { waiters } of parsed) for (const w of waiters) w.reject(error);
    }
  }
}
