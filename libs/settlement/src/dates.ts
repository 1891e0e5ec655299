/**
 * Reads a file's dates into ISO 8601 UTC instants ("2025-08-14T06:23:59.000Z"), detecting the format per
 * column from its first value, because Amazon's formats differ by marketplace, by era and even between two
 * columns of one file (DE V2: posted-date "03.05.2018", posted-date-time "03.05.2018 09:10:07 UTC").
 *
 * Every shape but one is unambiguous. Slash dates ("09/06/25") may be MM/DD (Amazon's own V2 changelog) or
 * DD/MM, so the file's order is learnt from its values: a first part above 12 proves DD/MM, a second part
 * above 12 proves MM/DD, and the two in one file is an error. Until a value decides, the caller parks the
 * lines that need a slash date; a file that never decides is an error unless the caller passes dateOrder.
 * Two-digit years are 20YY. Date-only values become midnight UTC of that calendar day.
 *
 * The detected shape is cached per column and the last value's result is reused, since consecutive rows of
 * one order share their dates; shape detection uses regexes once per column, reading uses char codes.
 */
import { SettlementParseError } from './errors.js';

export type DateOrder = 'DMY' | 'MDY';

type Shape = 'iso' | 'ymd-time-utc' | 'ymd' | 'dmy-dot-time-utc' | 'dmy-dot' | 'slash';

const SHAPES: ReadonlyArray<[Shape, RegExp, string]> = [
  [
    'iso',
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/,
    'YYYY-MM-DDTHH:MM:SS+HH:MM',
  ],
  ['ymd-time-utc', /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/, 'YYYY-MM-DD HH:MM:SS UTC'],
  ['ymd', /^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'],
  ['dmy-dot-time-utc', /^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2} UTC$/, 'DD.MM.YYYY HH:MM:SS UTC'],
  ['dmy-dot', /^\d{2}\.\d{2}\.\d{4}$/, 'DD.MM.YYYY'],
  [
    'slash',
    /^\d{1,2}\/\d{1,2}\/(\d{2}|\d{4})( \d{2}:\d{2}:\d{2}( UTC)?)?$/,
    'MM/DD/YY or DD/MM/YYYY [HH:MM:SS UTC]',
  ],
];

/** One date column of the file: its detected shape and a one-entry cache of the last value read. */
export class DateColumn {
  shape: Shape | undefined;
  /** The line whose value fixed the shape, for messages. */
  shapeLine = 0;
  /** The last value observe() checked, so runs of equal dates are checked once. */
  lastObserved = '';
  lastText = '';
  lastIso = '';
  /**
   * When the last value was a whole-second UTC timestamp ("2025-07-02 14:05:09 UTC", "…T14:05:09+00:00"):
   * its first 11 characters, and the text after the clock. A value sharing both only needs its clock read.
   */
  lastDay = '';
  lastZone = '';

  constructor(
    readonly name: string,
    readonly index: number,
  ) {}
}

/**
 * Numbers read from a date text. `first` and `second` are day and month, except for slash dates where they
 * are the first two numbers as written, until the file's day/month order is applied.
 */
interface DateParts {
  first: number;
  second: number;
  year: number;
  hour: number;
  minute: number;
  sec: number;
  millis: number;
  offsetMinutes: number;
}

export class DateReader {
  order: DateOrder | undefined;
  /** Where the order was learnt, for the message when a later value disagrees. */
  private orderEvidence = '';
  private readonly explicit: boolean;

  constructor(
    private readonly file: string,
    explicitOrder: DateOrder | undefined,
  ) {
    this.order = explicitOrder;
    this.explicit = explicitOrder !== undefined;
    if (explicitOrder) this.orderEvidence = 'the dateOrder option';
  }

  /** Fixes the column's shape from its first value, and learns the day/month order from slash dates. */
  observe(column: DateColumn, text: string, line: number): void {
    if (text === column.lastObserved) return;
    column.lastObserved = text;
    if (column.shape === undefined) {
      const found = SHAPES.find(([, pattern]) => pattern.test(text));
      if (!found) {
        const known = SHAPES.map(([, , label]) => label).join(', ');
        throw new SettlementParseError(
          this.file,
          line,
          column.name,
          `"${text}" is not a date in a known format (${known})`,
        );
      }
      column.shape = found[0];
      column.shapeLine = line;
    }
    if (column.shape !== 'slash' || this.explicit) return;
    const parts = this.parse(column, text, line);
    const firstIsDay = parts.first > 12;
    const secondIsDay = parts.second > 12;
    if (firstIsDay && secondIsDay) {
      throw new SettlementParseError(
        this.file,
        line,
        column.name,
        `"${text}" is not a date: neither part can be the month`,
      );
    }
    if (!firstIsDay && !secondIsDay) return;
    const proves: DateOrder = firstIsDay ? 'DMY' : 'MDY';
    if (this.order === undefined) {
      this.order = proves;
      this.orderEvidence = `line ${line} ("${text}")`;
    } else if (this.order !== proves) {
      throw new SettlementParseError(
        this.file,
        line,
        column.name,
        `"${text}" reads only as ${orderLabel(proves)}, but ${this.orderEvidence} reads only as ${orderLabel(this.order)}: ` +
          'one file must use one date order',
      );
    }
  }

  /** True when the value can be turned into an instant now (it is not a slash date of an undecided file). */
  canRead(column: DateColumn): boolean {
    return column.shape !== 'slash' || this.order !== undefined;
  }

  /** The ISO instant of a non-empty value already observed; call only when canRead(column). */
  toIso(column: DateColumn, text: string, line: number): string {
    if (text === column.lastText) return column.lastIso;
    if (
      column.lastDay !== '' &&
      text.length === column.lastText.length &&
      text.startsWith(column.lastDay) &&
      text.endsWith(column.lastZone) &&
      isClock(text, 11)
    ) {
      column.lastText = text;
      column.lastIso = `${text.slice(0, 10)}T${text.slice(11, 19)}.000Z`;
      return column.lastIso;
    }
    const p = this.parse(column, text, line);
    const isSlash = column.shape === 'slash';
    const day = isSlash && this.order === 'MDY' ? p.second : p.first;
    const month = isSlash && this.order === 'MDY' ? p.first : p.second;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(p.year, month)) {
      const how = isSlash ? ` as ${orderLabel(this.order!)} (${this.orderEvidence})` : '';
      throw new SettlementParseError(this.file, line, column.name, `"${text}" is not a calendar date${how}`);
    }
    if (p.hour > 23 || p.minute > 59 || p.sec > 59) {
      throw new SettlementParseError(this.file, line, column.name, `"${text}" is not a time of day`);
    }
    const utcWhole = p.offsetMinutes === 0 && p.millis === 0;
    const iso =
      utcWhole && (column.shape === 'iso' || column.shape === 'ymd-time-utc')
        ? `${text.slice(0, 10)}T${text.slice(11, 19)}.000Z`
        : utcWhole
          ? `${pad(p.year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(p.hour, 2)}:${pad(p.minute, 2)}:${pad(p.sec, 2)}.000Z`
          : new Date(
              Date.UTC(p.year, month - 1, day, p.hour, p.minute, p.sec, p.millis) - p.offsetMinutes * 60_000,
            ).toISOString();
    column.lastText = text;
    column.lastIso = iso;
    const sameDayReusable = utcWhole && (column.shape === 'iso' || column.shape === 'ymd-time-utc');
    column.lastDay = sameDayReusable ? text.slice(0, 11) : '';
    column.lastZone = sameDayReusable ? text.slice(19) : '';
    return iso;
  }

  /** Splits a value of the column's shape into numbers; a value of another shape is an error. */
  private parse(column: DateColumn, text: string, line: number): DateParts {
    const parts = readParts(column.shape!, text);
    if (parts === undefined) {
      const label = SHAPES.find(([shape]) => shape === column.shape)![2];
      throw new SettlementParseError(
        this.file,
        line,
        column.name,
        `"${text}" does not match the ${label} format this column has used since line ${column.shapeLine}`,
      );
    }
    return parts;
  }
}

function readParts(shape: Shape, s: string): DateParts | undefined {
  switch (shape) {
    case 'iso':
      return readIso(s);
    case 'ymd-time-utc':
      return s.length === 23 && s.endsWith(' UTC') && s.charCodeAt(10) === 32 ? readYmd(s, true) : undefined;
    case 'ymd':
      return s.length === 10 ? readYmd(s, false) : undefined;
    case 'dmy-dot-time-utc':
      return s.length === 23 && s.endsWith(' UTC') ? readDotted(s, true) : undefined;
    case 'dmy-dot':
      return s.length === 10 ? readDotted(s, false) : undefined;
    case 'slash':
      return readSlash(s);
  }
}

function readYmd(s: string, withTime: boolean): DateParts | undefined {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined;
  return withClock(s, 11, withTime, num(s, 8, 2), num(s, 5, 2), num(s, 0, 4));
}

function readDotted(s: string, withTime: boolean): DateParts | undefined {
  if (s.charCodeAt(2) !== 46 || s.charCodeAt(5) !== 46) return undefined;
  return withClock(s, 11, withTime, num(s, 0, 2), num(s, 3, 2), num(s, 6, 4));
}

function readIso(s: string): DateParts | undefined {
  if (s.length < 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) {
    return undefined;
  }
  const parts = withClock(s, 11, true, num(s, 8, 2), num(s, 5, 2), num(s, 0, 4));
  if (!parts) return undefined;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    const start = ++i;
    while (i < s.length && num(s, i, 1) >= 0) i++;
    if (i === start) return undefined;
    parts.millis = num(s.slice(start, Math.min(i, start + 3)).padEnd(3, '0'), 0, 3);
  }
  const zone = s.slice(i);
  if (zone === 'Z') return parts;
  const sign = zone.charCodeAt(0) === 43 ? 1 : zone.charCodeAt(0) === 45 ? -1 : 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = num(digits, 0, 2);
  const minutes = num(digits, 2, 2);
  if (sign === 0 || digits.length !== 4 || hours < 0 || minutes < 0 || hours > 23 || minutes > 59) {
    return undefined;
  }
  parts.offsetMinutes = sign * (hours * 60 + minutes);
  return parts;
}

function readSlash(s: string): DateParts | undefined {
  const space = s.indexOf(' ');
  const date = (space === -1 ? s : s.slice(0, space)).split('/');
  if (date.length !== 3) return undefined;
  const [a = '', b = '', y = ''] = date;
  if (a.length < 1 || a.length > 2 || b.length < 1 || b.length > 2 || (y.length !== 2 && y.length !== 4)) {
    return undefined;
  }
  const year = num(y, 0, y.length);
  if (year < 0) return undefined;
  const clock = space === -1 ? '' : s.slice(space + 1);
  if (clock !== '' && clock.length !== 8 && !(clock.length === 12 && clock.endsWith(' UTC'))) {
    return undefined;
  }
  return withClock(
    clock,
    0,
    clock !== '',
    num(a, 0, a.length),
    num(b, 0, b.length),
    y.length === 2 ? 2000 + year : year,
  );
}

/** Adds "HH:MM:SS" read at `at` (or midnight) to the date numbers; undefined if any number is not digits. */
function withClock(
  s: string,
  at: number,
  withTime: boolean,
  first: number,
  second: number,
  year: number,
): DateParts | undefined {
  let hour = 0;
  let minute = 0;
  let sec = 0;
  if (withTime) {
    if (s.charCodeAt(at + 2) !== 58 || s.charCodeAt(at + 5) !== 58) return undefined;
    hour = num(s, at, 2);
    minute = num(s, at + 3, 2);
    sec = num(s, at + 6, 2);
  }
  if (first < 0 || second < 0 || year < 0 || hour < 0 || minute < 0 || sec < 0) return undefined;
  return { first, second, year, hour, minute, sec: sec, millis: 0, offsetMinutes: 0 };
}

/** True when s holds a valid "HH:MM:SS" at `at`. */
function isClock(s: string, at: number): boolean {
  const hour = num(s, at, 2);
  const minute = num(s, at + 3, 2);
  const second = num(s, at + 6, 2);
  return (
    s.charCodeAt(at + 2) === 58 &&
    s.charCodeAt(at + 5) === 58 &&
    hour >= 0 &&
    hour <= 23 &&
    minute >= 0 &&
    minute <= 59 &&
    second >= 0 &&
    second <= 59
  );
}

/** The decimal number in s[start, start+length), or -1 if any of those characters is not a digit. */
function num(s: string, start: number, length: number): number {
  let value = 0;
  for (let i = start; i < start + length; i++) {
    const code = s.charCodeAt(i);
    if (!(code >= 48 && code <= 57)) return -1;
    value = value * 10 + (code - 48);
  }
  return value;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]!;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function orderLabel(order: DateOrder): string {
  return order === 'DMY' ? 'DD/MM' : 'MM/DD';
}
