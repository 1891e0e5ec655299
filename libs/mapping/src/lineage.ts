/**
 * Row-number lineage: which settlement-file lines a journal line came from, compressed into ranges.
 *
 * A busy settlement has tens of thousands of rows and most land in a handful of lines, so lineage is kept
 * as sorted inclusive ranges ([[2, 5000], [5003, 5003]]) rather than one number per row.
 */

export type RowRange = [first: number, last: number];

/**
 * Sorted, de-duplicated inclusive ranges for any list of row numbers. Row numbers collected in file
 * order are already sorted (repeated only by a legacy line's several rows): those skip the set and the
 * sort, which for a million rows cost more than the rest of the mapping.
 */
export function compressRowNumbers(rowNumbers: Iterable<number>): RowRange[] {
  const list = Array.isArray(rowNumbers) ? (rowNumbers as number[]) : [...rowNumbers];
  const sorted = isNonDecreasing(list) ? list : [...new Set(list)].sort((a, b) => a - b);
  const ranges: RowRange[] = [];
  let last: RowRange | undefined;
  for (const n of sorted) {
    if (last !== undefined && n <= last[1] + 1) {
      if (n > last[1]) last[1] = n;
    } else {
      last = [n, n];
      ranges.push(last);
    }
  }
  return ranges;
}

function isNonDecreasing(list: readonly number[]): boolean {
  for (let i = 1; i < list.length; i++) if (!(list[i]! >= list[i - 1]!)) return false;
  return true;
}

export function expandRowRanges(ranges: readonly RowRange[]): number[] {
  const out: number[] = [];
  for (const [first, last] of ranges) for (let n = first; n <= last; n++) out.push(n);
  return out;
}

export function countInRanges(ranges: readonly RowRange[]): number {
  return ranges.reduce((sum, [first, last]) => sum + (last - first + 1), 0);
}
