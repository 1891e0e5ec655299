/**
 * The AIS data service (dataServiceType BROWSE) over the in-memory F0901, F0911 and the item
 * tables F4101 and F4104 (items.ts): query conditions with the AIS operators, MATCH_ALL/MATCH_ANY
 * and complexQuery, orderBy, maxPageSize with summary.moreRecords, and next-page links with
 * server-side cursors when enableNextPageProcessing is set. Rows come back as AIS GRID_DATA does:
 * `<TABLE>_<ALIAS>` keys, numbers as JSON numbers, dates as "yyyyMMdd", MCU with its leading blanks.
 */
import { randomBytes } from 'node:crypto';
import { formatMinor, parseDecimalToMinor } from '@mlc/money';
import { isoToCompact, isoToJulian, julianToIso, parseUserDate } from './dates.js';
import { RawNumber, SimError, serviceError } from './errors.js';
import { ITEM_TABLES } from './items.js';
import { padBusinessUnit, type Session, type SimState } from './state.js';

type ColumnKind = 'string' | 'number' | 'date' | 'amount' | 'mcu';

interface TableDef {
  title: string;
  columns: Record<string, { kind: ColumnKind; title: string }>;
  rows: (state: SimState) => Record<string, unknown>[];
  defaultOrder: string[];
}

const F0901: TableDef = {
  title: 'Data Browser - F0901 [Account Master]',
  columns: {
    CO: { kind: 'string', title: 'Company' },
    AID: { kind: 'string', title: 'Account ID' },
    MCU: { kind: 'mcu', title: 'Business Unit' },
    OBJ: { kind: 'string', title: 'Obj Acct' },
    SUB: { kind: 'string', title: 'Sub' },
    DL01: { kind: 'string', title: 'Description' },
    PEC: { kind: 'string', title: 'PE' },
    LDA: { kind: 'number', title: 'LD' },
  },
  rows: (state) => [...state.accounts.values()].map((row) => ({ ...row })),
  defaultOrder: ['AID'],
};

const F0911: TableDef = {
  title: 'Data Browser - F0911 [Account Ledger]',
  columns: {
    KCO: { kind: 'string', title: 'Doc Co' },
    DCT: { kind: 'string', title: 'Do Ty' },
    DOC: { kind: 'number', title: 'Document Number' },
    DGJ: { kind: 'date', title: 'G/L Date' },
    JELN: { kind: 'number', title: 'Line Number' },
    EXTL: { kind: 'string', title: 'LE' },
    LT: { kind: 'string', title: 'LT' },
    POST: { kind: 'string', title: 'PC' },
    ICU: { kind: 'number', title: 'Batch Number' },
    ICUT: { kind: 'string', title: 'Ba Ty' },
    DICJ: { kind: 'date', title: 'Batch Date' },
    CO: { kind: 'string', title: 'Co' },
    ANI: { kind: 'string', title: 'Account Number' },
    AM: { kind: 'string', title: 'AM' },
    AID: { kind: 'string', title: 'Account ID' },
    MCU: { kind: 'mcu', title: 'Business Unit' },
    OBJ: { kind: 'string', title: 'Obj Acct' },
    SUB: { kind: 'string', title: 'Sub' },
    SBL: { kind: 'string', title: 'Subledger' },
    SBLT: { kind: 'string', title: 'Sub Type' },
    CRCD: { kind: 'string', title: 'Cur Cod' },
    AA: { kind: 'amount', title: 'Amount' },
    EXA: { kind: 'string', title: 'Explanation' },
    EXR: { kind: 'string', title: 'Explanation -Remark-' },
    VR01: { kind: 'string', title: 'Reference 1' },
    USER: { kind: 'string', title: 'User ID' },
    PID: { kind: 'string', title: 'Program ID' },
    JOBN: { kind: 'string', title: 'Work Stn ID' },
    UPMJ: { kind: 'date', title: 'Date Updated' },
    UPMT: { kind: 'number', title: 'Time Last Updated' },
  },
  rows: (state) => state.ledger.map((row) => ({ ...row })),
  defaultOrder: ['KCO', 'DCT', 'DOC', 'DGJ', 'JELN', 'LT'],
};

const TABLES: Record<string, TableDef> = { F0901, F0911, ...ITEM_TABLES };

interface Condition {
  controlId?: string;
  operator?: string;
  value?: { content?: unknown; specialValueId?: string }[];
}

interface Query {
  condition?: Condition[];
  matchType?: string;
  complexQuery?: { andOr?: string; query?: Query }[];
}

export interface DataRequest {
  targetName?: string;
  targetType?: string;
  dataServiceType?: string;
  returnControlIDs?: string;
  maxPageSize?: string | number;
  enableNextPageProcessing?: boolean;
  query?: Query;
  aggregation?: { orderBy?: { column?: string; direction?: string }[] };
}

export interface BrowseContext {
  state: SimState;
  session: Session;
  now: Date;
  /** "http://host:port" the client reached us at, for next-page links. */
  origin: string;
  userDatePattern: string;
  defaultPageSize: number;
  cursorTimeoutMs: number;
}

export function browse(request: DataRequest, ctx: BrowseContext): Record<string, unknown> {
  const table = request.targetName ?? '';
  const def = TABLES[table];
  const fail = (message: string) => new SimError(500, serviceError(message, ctx.now));
  if (!def)
    throw fail(
      `Table ${table} is not available to the data service (simulated: ${Object.keys(TABLES).join(', ')})`,
    );
  if ((request.targetType ?? 'table') !== 'table')
    throw fail(`targetType ${request.targetType} not supported`);
  if ((request.dataServiceType ?? 'BROWSE') !== 'BROWSE') {
    throw fail(`dataServiceType ${request.dataServiceType} not supported by the simulator (BROWSE only)`);
  }

  checkQuery(request.query, table, def, ctx, fail);
  const matches = (row: Record<string, unknown>) => evaluate(request.query, row, table, def, ctx, fail);
  const rows = def.rows(ctx.state).filter(matches);
  const order = (request.aggregation?.orderBy ?? []).map((o) => ({
    alias: aliasOf(o.column ?? '', table),
    desc: (o.direction ?? 'ASC').toUpperCase() === 'DESC',
  }));
  for (const alias of def.defaultOrder)
    if (!order.some((o) => o.alias === alias)) order.push({ alias, desc: false });
  rows.sort((a, b) => {
    for (const { alias, desc } of order) {
      const c = compareValues(a[alias], b[alias]);
      if (c !== 0) return desc ? -c : c;
    }
    return 0;
  });

  const wanted = request.returnControlIDs
    ? request.returnControlIDs
        .split('|')
        .map((id) => aliasOf(id, table))
        .filter((alias) => def.columns[alias])
    : Object.keys(def.columns);
  const columns = Object.fromEntries(
    wanted.map((alias) => [`${table}_${alias}`, def.columns[alias]?.title ?? alias]),
  );
  const projected = rows.map((row) =>
    Object.fromEntries(wanted.map((alias) => [`${table}_${alias}`, present(row, alias, def)])),
  );

  const pageSize = pageSizeOf(request.maxPageSize, ctx.defaultPageSize);
  const page = projected.slice(0, pageSize);
  const moreRecords = projected.length > page.length;
  let links: { rel: string; href: string }[] | undefined;
  if (moreRecords && request.enableNextPageProcessing) {
    const rid = randomBytes(8).toString('hex');
    ctx.state.cursors.set(rid, {
      rows: projected,
      columns,
      table,
      offset: page.length,
      pageSize,
      token: ctx.session.token,
      expiresAt: ctx.now.getTime() + ctx.cursorTimeoutMs,
    });
    links = [
      { rel: 'next', href: nextHref(ctx.origin, rid, table, ctx.session.token, request.returnControlIDs) },
    ];
  }
  return envelope(table, def.title, columns, page, moreRecords, links);
}

/** POST /jderest/v2/dataservice/next?rid=…: the next page of a cursor opened by browse(). */
export function nextPage(rid: string, ctx: BrowseContext): Record<string, unknown> {
  const cursor = ctx.state.cursors.get(rid);
  if (!cursor || cursor.expiresAt < ctx.now.getTime() || cursor.token !== ctx.session.token) {
    ctx.state.cursors.delete(rid);
    throw new SimError(
      500,
      serviceError(
        'The next page request is no longer valid: the result set has timed out or does not exist',
        ctx.now,
      ),
    );
  }
  const page = cursor.rows.slice(cursor.offset, cursor.offset + cursor.pageSize);
  cursor.offset += page.length;
  cursor.expiresAt = ctx.now.getTime() + ctx.cursorTimeoutMs;
  const moreRecords = cursor.offset < cursor.rows.length;
  const def = TABLES[cursor.table] as TableDef;
  if (!moreRecords) ctx.state.cursors.delete(rid);
  const links = moreRecords
    ? [{ rel: 'next', href: nextHref(ctx.origin, rid, cursor.table, cursor.token) }]
    : undefined;
  return envelope(cursor.table, def.title, cursor.columns, page, moreRecords, links);
}

function envelope(
  table: string,
  title: string,
  columns: Record<string, string>,
  rowset: Record<string, unknown>[],
  moreRecords: boolean,
  links: { rel: string; href: string }[] | undefined,
): Record<string, unknown> {
  return {
    [`fs_DATABROWSE_${table}`]: {
      title,
      data: {
        gridData: {
          id: 0,
          fullGridId: '0',
          columns,
          rowset,
          summary: { records: rowset.length, moreRecords },
        },
      },
      errors: [],
      warnings: [],
    },
    stackId: 1,
    stateId: 1,
    rid: '',
    currentApp: `DATABROWSE_${table}`,
    sysErrors: [],
    ...(links ? { links } : {}),
  };
}

function nextHref(
  origin: string,
  rid: string,
  table: string,
  token: string,
  returnControlIDs?: string,
): string {
  const params = new URLSearchParams({
    stackId: '1',
    stateId: '1',
    rid,
    fullGridId: '0',
    formOID: table,
    token,
    outputType: 'GRID_DATA',
  });
  if (returnControlIDs) params.set('returnControlIDs', returnControlIDs);
  return `${origin}/jderest/v2/dataservice/next?${params.toString()}`;
}

function pageSizeOf(max: string | number | undefined, fallback: number): number {
  if (max === undefined || max === '') return fallback;
  if (typeof max === 'string' && max.trim().toLowerCase() === 'no max') return Number.MAX_SAFE_INTEGER;
  const n = Number(max);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function aliasOf(controlId: string, table: string): string {
  const trimmed = controlId.trim();
  if (trimmed.startsWith(`${table}.`)) return trimmed.slice(table.length + 1);
  if (trimmed.startsWith(`${table}_`)) return trimmed.slice(table.length + 1);
  return trimmed;
}

function present(row: Record<string, unknown>, alias: string, def: TableDef): unknown {
  const value = row[alias];
  switch (def.columns[alias]?.kind) {
    case 'date':
      return typeof value === 'number' && value !== 0 ? isoToCompact(julianToIso(value)) : '';
    case 'amount':
      return new RawNumber(formatMinor(value as bigint, String(row.CRCD)));
    default:
      return value;
  }
}

function evaluate(
  query: Query | undefined,
  row: Record<string, unknown>,
  table: string,
  def: TableDef,
  ctx: BrowseContext,
  fail: (message: string) => SimError,
): boolean {
  if (!query) return true;
  const results = (query.condition ?? []).map((c) => test(c, row, table, def, ctx, fail));
  let result =
    results.length === 0
      ? true
      : (query.matchType ?? 'MATCH_ALL') === 'MATCH_ANY'
        ? results.some(Boolean)
        : results.every(Boolean);
  for (const complex of query.complexQuery ?? []) {
    const inner = evaluate(complex.query, row, table, def, ctx, fail);
    result = (complex.andOr ?? 'AND').toUpperCase() === 'OR' ? result || inner : result && inner;
  }
  return result;
}

/** Rejects unknown columns and unreadable literals up front, as AIS does even when no row matches. */
function checkQuery(
  query: Query | undefined,
  table: string,
  def: TableDef,
  ctx: BrowseContext,
  fail: (message: string) => SimError,
): void {
  for (const condition of query?.condition ?? []) {
    const alias = aliasOf(condition.controlId ?? '', table);
    const column = def.columns[alias];
    if (!column) throw fail(`Unknown control id ${condition.controlId} for ${table}`);
    for (const value of condition.value ?? []) {
      const text = String(value.content ?? '');
      if (column.kind === 'date' && !parseUserDate(text, ctx.userDatePattern)) {
        throw fail(
          `"${text}" is not a date in the user's format ${ctx.userDatePattern} for ${table}.${alias}`,
        );
      }
      if (
        (column.kind === 'number' || column.kind === 'amount') &&
        (text.trim() === '' || !/^-?\d+(\.\d+)?$/.test(text.trim()))
      ) {
        throw fail(`"${text}" is not a number for ${table}.${alias}`);
      }
    }
  }
  for (const complex of query?.complexQuery ?? []) checkQuery(complex.query, table, def, ctx, fail);
}

function test(
  condition: Condition,
  row: Record<string, unknown>,
  table: string,
  def: TableDef,
  ctx: BrowseContext,
  fail: (message: string) => SimError,
): boolean {
  const alias = aliasOf(condition.controlId ?? '', table);
  const column = def.columns[alias];
  if (!column) throw fail(`Unknown control id ${condition.controlId} for ${table}`);
  const actual = row[alias];
  const operator = (condition.operator ?? '').toUpperCase();
  const literals = (condition.value ?? []).map((v) => String(v.content ?? ''));
  const asValue = (text: string): unknown => {
    switch (column.kind) {
      case 'number': {
        const n = Number(text);
        if (text.trim() === '' || Number.isNaN(n))
          throw fail(`"${text}" is not a number for ${table}.${alias}`);
        return n;
      }
      case 'date': {
        const iso = parseUserDate(text, ctx.userDatePattern);
        if (!iso)
          throw fail(
            `"${text}" is not a date in the user's format ${ctx.userDatePattern} for ${table}.${alias}`,
          );
        return isoToJulian(iso);
      }
      case 'amount':
        return parseDecimalToMinor(text, String(row.CRCD), { decimalSeparator: '.' });
      case 'mcu':
        return padBusinessUnit(text);
      default:
        return text;
    }
  };
  const text = String(actual ?? '');
  switch (operator) {
    case 'STR_BLANK':
      return text.trim() === '';
    case 'STR_NOT_BLANK':
      return text.trim() !== '';
    case 'STR_START_WITH':
      return text.trim().startsWith(literals[0] ?? '');
    case 'STR_END_WITH':
      return text.trim().endsWith(literals[0] ?? '');
    case 'STR_CONTAIN':
      return text.includes(literals[0] ?? '');
    case 'LIST':
      return literals.some((l) => compareValues(actual, asValue(l)) === 0);
    case 'BETWEEN': {
      if (literals.length < 2) throw fail(`BETWEEN on ${table}.${alias} needs two values`);
      return (
        compareValues(actual, asValue(literals[0] as string)) >= 0 &&
        compareValues(actual, asValue(literals[1] as string)) <= 0
      );
    }
  }
  if (literals.length === 0) throw fail(`${operator} on ${table}.${alias} needs a value`);
  const c = compareValues(actual, asValue(literals[0] as string));
  switch (operator) {
    case 'EQUAL':
      return c === 0;
    case 'NOT_EQUAL':
      return c !== 0;
    case 'GREATER':
      return c > 0;
    case 'GREATER_EQUAL':
      return c >= 0;
    case 'LESS':
      return c < 0;
    case 'LESS_EQUAL':
      return c <= 0;
    default:
      throw fail(`Unknown operator ${condition.operator}`);
  }
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a ?? '');
  const sb = String(b ?? '');
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}
