/**
 * Row groups: the settlement's rows summed per (transaction type, amount type, amount description,
 * marketplace, UTC day posted) — everything the journal builder reads of a row but its line number.
 * amazon-ingest sums them in the pass that validates the report, and mapping builds the journals
 * from them instead of reading a million rows a second time. A few hundred groups for a large
 * settlement (a few dozen kinds × the days it spans); a file with a distinct description on every
 * row has as many groups as rows: past the `limit` given, the groups are dropped and `overflowed`
 * says so (the caller then reads the rows themselves).
 *
 * Amounts are summed as safe integers while they stay below 2^52 and moved into a bigint past it,
 * so the sums are exact and a row costs no bigint allocation.
 */
import type { SettlementRow } from './types.js';

export interface SettlementRowGroup {
  transactionType: string;
  amountType: string;
  amountDescription: string;
  marketplace: string | null;
  /** "YYYY-MM-DD", the UTC day of the rows' posted instant; null for rows without one. */
  postedDate: string | null;
  rowCount: number;
  /** Amazon-sign sum of the rows, minor units. */
  amount: bigint;
  /** The lowest of the group's row numbers (its line in the file), so a message can point at one. */
  firstRow: number;
}

interface OpenGroup {
  group: SettlementRowGroup;
  small: number;
}

const SMALL_LIMIT = 2 ** 52;

/** What a row group reads of a row. */
export type GroupedRow = Pick<
  SettlementRow,
  'rowNumber' | 'transactionType' | 'amountType' | 'amountDescription' | 'marketplace' | 'postedAt' | 'amount'
>;

export class RowGroups {
  private readonly open = new Map<string, OpenGroup>();
  #overflowed = false;

  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  /** Distinct groups so far. */
  get size(): number {
    return this.open.size;
  }

  /** True once more than `limit` groups were seen: the groups were dropped. */
  get overflowed(): boolean {
    return this.#overflowed;
  }

  add(row: GroupedRow): void {
    if (this.#overflowed) return;
    const postedDate = row.postedAt === null ? null : utcDay(row.postedAt, row.rowNumber);
    const key = `${row.transactionType}\u0001${row.amountType}\u0001${row.amountDescription}\u0001${row.marketplace ?? '\u0000'}\u0001${postedDate ?? ''}`;
    let open = this.open.get(key);
    if (open === undefined) {
      open = {
        group: {
          transactionType: row.transactionType,
          amountType: row.amountType,
          amountDescription: row.amountDescription,
          marketplace: row.marketplace,
          postedDate,
          rowCount: 0,
          amount: 0n,
          firstRow: row.rowNumber,
        },
        small: 0,
      };
      this.open.set(key, open);
      if (this.open.size > this.limit) {
        this.#overflowed = true;
        this.open.clear();
        return;
      }
    }
    open.group.rowCount++;
    if (row.rowNumber < open.group.firstRow) open.group.firstRow = row.rowNumber;
    const amount = row.amount;
    if (amount > -SMALL_LIMIT_BIG && amount < SMALL_LIMIT_BIG) {
      const small = open.small + Number(amount);
      if (small > SMALL_LIMIT || small < -SMALL_LIMIT) {
        open.group.amount += BigInt(small);
        open.small = 0;
      } else {
        open.small = small;
      }
    } else {
      open.group.amount += amount;
    }
  }

  /** The groups, sorted by their fields (so equal inputs give equal lists); throws once overflowed. */
  list(): SettlementRowGroup[] {
    if (this.#overflowed) throw new RangeError(`more than ${this.limit} row groups: they were not kept`);
    return [...this.open.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, { group, small }]) => ({ ...group, amount: group.amount + BigInt(small) }));
  }
}

const SMALL_LIMIT_BIG = BigInt(SMALL_LIMIT);

/** The UTC day of an ISO instant; the reader's "…Z" form (and "+00:00") without a Date. */
function utcDay(instant: string, rowNumber: number): string {
  if (instant.endsWith('Z') || instant.endsWith('+00:00')) return instant.slice(0, 10);
  const ms = Date.parse(instant);
  if (Number.isNaN(ms)) throw new RangeError(`row ${rowNumber}: posted instant "${instant}" is not ISO 8601`);
  return new Date(ms).toISOString().slice(0, 10);
}
