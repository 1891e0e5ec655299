/** Shared bits of the settlement tests: fixture paths and in-memory sources. */
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { V2_COLUMNS, type V2Column } from '../src/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export const repoRoot = path.resolve(here, '..', '..', '..');
export const fixturesDir = path.join(here, 'fixtures');
export const malformedDir = path.join(fixturesDir, 'malformed');
/** Amazon's sample files live beside the repo and are read in place, never copied in. */
export const sharedDir = path.resolve(repoRoot, '..', 'shared');

export function fixture(name: string): string {
  return path.join(fixturesDir, name);
}

/** A byte source holding the text, cut into small chunks so line and UTF-8 boundaries fall mid-chunk. */
export function textSource(text: string, chunkSize = 7): Readable {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += chunkSize) chunks.push(bytes.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

/** One V2 line from the named cells (the rest empty), in the 23-column order. */
export function v2Line(cells: Partial<Record<V2Column, string>>): string {
  return V2_COLUMNS.map((column) => cells[column] ?? '').join('\t');
}

/** A whole V2 file: header, summary, then one Order/ItemPrice/Principal row per [amount, posted-date]. */
export function v2File(
  summary: { id: string; start: string; end: string; deposit: string; total: string; currency: string },
  rows: Array<[amount: string, postedDate: string]>,
): string {
  const lines = [
    V2_COLUMNS.join('\t'),
    v2Line({
      'settlement-id': summary.id,
      'settlement-start-date': summary.start,
      'settlement-end-date': summary.end,
      'deposit-date': summary.deposit,
      'total-amount': summary.total,
      currency: summary.currency,
    }),
    ...rows.map(([amount, postedDate]) =>
      v2Line({
        'settlement-id': summary.id,
        'transaction-type': 'Order',
        'amount-type': 'ItemPrice',
        'amount-description': 'Principal',
        amount,
        'posted-date': postedDate,
      }),
    ),
  ];
  return `${lines.join('\n')}\n`;
}
