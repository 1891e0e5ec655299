/**
 * Fiscal calendars: which fiscal period a date falls in.
 *
 * A settlement that spans a period boundary becomes one journal per period, so the mapping needs the
 * customer's JDE fiscal pattern, not just calendar months. Three kinds:
 *   monthly  — calendar months, period id "YYYY-MM";
 *   weeks    — a repeating week pattern such as 4-4-5 from a first fiscal-year start date; the pattern
 *              covers a quarter (sums to 13 weeks, repeated 4 times) or a whole year (sums to 52 weeks);
 *              every fiscal year is 364 days (53-week years need a table); id "FY<year of its first day>-P<nn>";
 *   table    — an explicit list of periods {id, start, end} (inclusive dates), for anything else.
 * All dates are UTC calendar dates "YYYY-MM-DD".
 */

export type FiscalCalendar =
  | { kind: 'monthly' }
  | { kind: 'weeks'; pattern: number[]; start: string }
  | { kind: 'table'; periods: FiscalPeriod[] };

export interface FiscalPeriod {
  id: string;
  /** Inclusive first and last dates, "YYYY-MM-DD". */
  start: string;
  end: string;
}

export class FiscalCalendarError extends Error {
  override name = 'FiscalCalendarError';
}

const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) && new Date(ms).toISOString().slice(0, 10) === text;
}

/** The UTC calendar date of an ISO instant ("2025-08-14T22:07:18+00:00" → "2025-08-14"). */
export function utcDateOf(instant: string): string {
  const ms = Date.parse(instant);
  if (!Number.isFinite(ms)) throw new FiscalCalendarError(`"${instant}" is not an ISO 8601 instant`);
  return new Date(ms).toISOString().slice(0, 10);
}

function dayNumber(date: string): number {
  return Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
}

function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Problems with a calendar's definition (empty when it is usable). */
export function calendarProblems(calendar: FiscalCalendar): string[] {
  if (calendar.kind === 'monthly') return [];
  if (calendar.kind === 'weeks') {
    const problems: string[] = [];
    if (!isIsoDate(calendar.start)) problems.push(`start "${calendar.start}" is not a YYYY-MM-DD date`);
    const sum = calendar.pattern.reduce((a, b) => a + b, 0);
    if (calendar.pattern.some((w) => !Number.isInteger(w) || w <= 0)) {
      problems.push('pattern weeks must be positive integers');
    } else if (sum !== 13 && sum !== 52) {
      problems.push(`pattern sums to ${sum} weeks; it must cover a quarter (13) or a year (52)`);
    }
    return problems;
  }
  const problems: string[] = [];
  const sorted = [...calendar.periods].sort((a, b) => a.start.localeCompare(b.start));
  const ids = new Set<string>();
  for (const period of sorted) {
    if (ids.has(period.id)) problems.push(`period id "${period.id}" appears twice`);
    ids.add(period.id);
    if (!isIsoDate(period.start) || !isIsoDate(period.end)) {
      problems.push(`period "${period.id}" dates must be YYYY-MM-DD`);
    } else if (period.end < period.start) {
      problems.push(`period "${period.id}" ends before it starts`);
    }
  }
  for (let k = 1; k < sorted.length; k++) {
    const prev = sorted[k - 1]!;
    const cur = sorted[k]!;
    if (cur.start <= prev.end) problems.push(`periods "${prev.id}" and "${cur.id}" overlap`);
  }
  return problems;
}

/** The fiscal period containing a date, or null when a table calendar does not cover it. */
export function periodOf(calendar: FiscalCalendar, date: string): FiscalPeriod | null {
  if (calendar.kind === 'monthly') {
    const [y, m] = date.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const month = String(m).padStart(2, '0');
    return {
      id: `${y}-${month}`,
      start: `${y}-${month}-01`,
      end: `${y}-${month}-${String(last).padStart(2, '0')}`,
    };
  }
  if (calendar.kind === 'weeks') {
    const weeks =
      calendar.pattern.reduce((a, b) => a + b, 0) === 13 ? repeat(calendar.pattern, 4) : calendar.pattern;
    const origin = dayNumber(calendar.start);
    const day = dayNumber(date);
    const yearIndex = Math.floor((day - origin) / 364);
    const yearStart = origin + yearIndex * 364;
    const label = dateOfDay(yearStart).slice(0, 4);
    let periodStart = yearStart;
    for (let p = 0; p < weeks.length; p++) {
      const periodEnd = periodStart + weeks[p]! * 7 - 1;
      if (day <= periodEnd) {
        return {
          id: `FY${label}-P${String(p + 1).padStart(2, '0')}`,
          start: dateOfDay(periodStart),
          end: dateOfDay(periodEnd),
        };
      }
      periodStart = periodEnd + 1;
    }
    throw new FiscalCalendarError(`no period for ${date}`); // unreachable: the year is 364 days
  }
  return calendar.periods.find((p) => p.start <= date && date <= p.end) ?? null;
}

function repeat(values: number[], times: number): number[] {
  return Array.from({ length: times }, () => values).flat();
}
