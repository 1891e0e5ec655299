/**
 * Totals per (transaction type, amount type, amount description): the grouping operators map to JDE accounts
 * and the one `mlc settlement inspect` prints. Fed row by row, so it works on a stream in flat memory
 * (one entry per distinct combination, a few dozen in practice).
 */
import type { SettlementRow } from './types.js';

export interface TypeTotal {
  transactionType: string;
  amountType: string;
  amountDescription: string;
  rowCount: number;
  amount: bigint;
}

export class TotalsByType {
  private readonly totals = new Map<string, TypeTotal>();

  add(row: SettlementRow): void {
    const key = `${row.transactionType}\t${row.amountType}\t${row.amountDescription}`;
    const total = this.totals.get(key);
    if (total === undefined) {
      this.totals.set(key, {
        transactionType: row.transactionType,
        amountType: row.amountType,
        amountDescription: row.amountDescription,
        rowCount: 1,
        amount: row.amount,
      });
    } else {
      total.rowCount++;
      total.amount += row.amount;
    }
  }

  /** The totals sorted by transaction type, amount type, then amount description. */
  list(): TypeTotal[] {
    return [...this.totals.values()].sort(
      (a, b) =>
        compare(a.transactionType, b.transactionType) ||
        compare(a.amountType, b.amountType) ||
        compare(a.amountDescription, b.amountDescription),
    );
  }
}

export function totalsByType(rows: Iterable<SettlementRow>): TypeTotal[] {
  const totals = new TotalsByType();
  for (const row of rows) totals.add(row);
  return totals.list();
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
