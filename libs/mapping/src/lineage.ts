/**
 * Row-number lineage: which settlement-file lines a journal line came from, compressed into ranges.
 *
 * A busy settlement has tens of thousands of rows and most land in a handful of lines, so lineage is kept
 * as sorted inclusive ranges ([[2, 5000], [5003, 5003]]) rather than one number per row.
 */

export type RowRange = [first: number, last: number];

/** Sorted, de-duplicated inclusive ranges for any list of row numbers. */
export function compressRowNumbers(rowNumbers: Iterable<number>): RowRange[] {
  const sorted = [...new Set(rowNumbers)].sort((a, b) => a - b);
  const ranges: RowRange[] = [];
  for (const n of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else ranges.push([n, n]);
  }
  return ranges;
}

export function expandRowRanges(ranges: readonly RowRange[]): number[] {
  const out: number[] = [];
  for (const [first, last] of ranges) for (let n = first; n <= last; n++) out.push(n);
  return out;
}

export function countInRanges(ranges: readonly RowRange[]): number {
  return ranges.reduce((sum, [first, last]) => sum + (last - first + 1), 0);
}
