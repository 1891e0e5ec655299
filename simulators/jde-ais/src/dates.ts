/**
 * Date conversions the simulator needs: JDE stores dates as Julian CYYDDD and times as HHMMSS,
 * AIS takes date conditions in the logged-in user's format (e.g. "MM/dd/yyyy") and returns date
 * cells as "yyyyMMdd". Calendar dates are ISO "YYYY-MM-DD" strings in between (no time zones).
 */

/** ISO calendar date → JDE Julian CYYDDD (2026-03-09 → 126068). */
export function isoToJulian(iso: string): number {
  const [y, m, d] = parseIso(iso);
  const dayOfYear = (Date.UTC(y, m - 1, d) - Date.UTC(y, 0, 1)) / 86_400_000 + 1;
  return (y - 1900) * 1000 + dayOfYear;
}

/** JDE Julian CYYDDD → ISO calendar date; 0 (blank) → "". */
export function julianToIso(julian: number): string {
  if (julian === 0) return '';
  const year = 1900 + Math.floor(julian / 1000);
  const date = new Date(Date.UTC(year, 0, 1) + ((julian % 1000) - 1) * 86_400_000);
  return date.toISOString().slice(0, 10);
}

/** ISO → "yyyyMMdd", the way AIS GRID_DATA returns date cells. */
export function isoToCompact(iso: string): string {
  return iso.replaceAll('-', '');
}

/** Formats an ISO date in a Java-style pattern made of yyyy, MM, dd and separators. */
export function formatUserDate(iso: string, pattern: string): string {
  const [y, m, d] = parseIso(iso);
  return pattern
    .replace('yyyy', String(y).padStart(4, '0'))
    .replace('MM', String(m).padStart(2, '0'))
    .replace('dd', String(d).padStart(2, '0'));
}

/** Parses a date written in the user's pattern; undefined when it does not match. */
export function parseUserDate(text: string, pattern: string): string | undefined {
  const order: string[] = [];
  const source = pattern.replace(/yyyy|MM|dd|[.*+?^${}()|[\]\\]/g, (token) => {
    if (token === 'yyyy' || token === 'MM' || token === 'dd') {
      order.push(token);
      return token === 'yyyy' ? '(\\d{4})' : '(\\d{1,2})';
    }
    return `\\${token}`;
  });
  const match = new RegExp(`^${source}$`).exec(text.trim());
  if (!match) return undefined;
  const part = (token: string) => Number(match[order.indexOf(token) + 1]);
  const y = part('yyyy');
  const m = part('MM');
  const d = part('dd');
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d)
    return undefined;
  return date.toISOString().slice(0, 10);
}

/** UTC date and HHMMSS time of an instant, as JDE stamps UPMJ/UPMT. */
export function stampOf(instant: Date): { upmj: number; upmt: number } {
  const iso = instant.toISOString();
  const upmt = Number(iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19));
  return { upmj: isoToJulian(iso.slice(0, 10)), upmt };
}

function parseIso(iso: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new Error(`"${iso}" is not an ISO date (YYYY-MM-DD)`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}
