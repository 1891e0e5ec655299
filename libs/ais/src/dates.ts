/**
 * Dates as AIS wants them: conditions and orchestration inputs in the logged-in user's pattern
 * ("MM/dd/yyyy", "dd/MM/yyyy", …); date cells of GRID_DATA come back as "yyyyMMdd". Calendar
 * dates are ISO "YYYY-MM-DD" strings inside the connector.
 */
import { AisError } from './errors.js';

export const DEFAULT_DATE_FORMAT = 'MM/dd/yyyy';

/** Formats an ISO date in a pattern made of yyyy, MM, dd and separators. */
export function formatAisDate(iso: string, pattern: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match || !isRealDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new AisError('validation', `"${iso}" is not an ISO date (YYYY-MM-DD)`);
  }
  if (!/yyyy/.test(pattern) || !/MM/.test(pattern) || !/dd/.test(pattern)) {
    throw new AisError('config', `date format "${pattern}" must contain yyyy, MM and dd`);
  }
  return pattern
    .replace('yyyy', match[1] as string)
    .replace('MM', match[2] as string)
    .replace('dd', match[3] as string);
}

/** Reads a GRID_DATA date cell ("20260309") into ISO; "" or 0 (blank) → undefined. */
export function parseAisDate(cell: unknown): string | undefined {
  const text = String(cell ?? '').trim();
  if (text === '' || text === '0') return undefined;
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match || !isRealDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new AisError('protocol', `AIS date "${text}" is not yyyyMMdd`);
  }
  return `${match[1]}-${match[2]}-${match[3]}`;
}

function isRealDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
