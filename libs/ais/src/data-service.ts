/**
 * Data service BROWSE requests and their answers: conditions with the AIS operators, paging by
 * maxPageSize and next-page links, and typed rows for F0901 (account master) and F0911 (account
 * ledger). AIS answers rows under fs_DATABROWSE_<T>.data.gridData.rowset with `<T>_<ALIAS>` keys,
 * dates as "yyyyMMdd" and MCU right-justified with leading blanks.
 */
import { parseDecimalToMinor } from '@mlc/money';
import { parseAisDate } from './dates.js';
import { AisError } from './errors.js';

export type ConditionOperator =
  | 'EQUAL'
  | 'NOT_EQUAL'
  | 'GREATER'
  | 'GREATER_EQUAL'
  | 'LESS'
  | 'LESS_EQUAL'
  | 'BETWEEN'
  | 'LIST'
  | 'STR_START_WITH'
  | 'STR_END_WITH'
  | 'STR_CONTAIN'
  | 'STR_BLANK'
  | 'STR_NOT_BLANK';

export interface Condition {
  /** Column alias ("UPMJ") or full control id ("F0911.UPMJ"). */
  column: string;
  operator: ConditionOperator;
  /** Literal values as AIS text (dates already in the user's format); none for STR_*BLANK. */
  values?: string[];
}

export interface BrowseRequest {
  table: string;
  /** Aliases to return; all columns when absent. */
  columns?: string[];
  conditions?: Condition[];
  matchType?: 'MATCH_ALL' | 'MATCH_ANY';
  orderBy?: { column: string; direction?: 'ASC' | 'DESC' }[];
  /** Rows per page; "No Max" for all at once. */
  maxPageSize?: number | 'No Max';
  /** Ask for links[rel=next] when there are more rows (default true). */
  enableNextPageProcessing?: boolean;
}

export interface BrowsePage {
  rows: Record<string, unknown>[];
  moreRecords: boolean;
  /** Path and query of the next page (host dropped: we always call our configured base URL). */
  nextPath?: string;
}

const controlId = (table: string, column: string) => (column.includes('.') ? column : `${table}.${column}`);

/** The JSON body of POST /jderest/v2/dataservice. */
export function buildDataRequest(request: BrowseRequest): Record<string, unknown> {
  const body: Record<string, unknown> = {
    targetName: request.table,
    targetType: 'table',
    dataServiceType: 'BROWSE',
    outputType: 'GRID_DATA',
    findOnEntry: 'TRUE',
    enableNextPageProcessing: request.enableNextPageProcessing ?? true,
  };
  if (request.maxPageSize !== undefined) body.maxPageSize = String(request.maxPageSize);
  if (request.columns?.length)
    body.returnControlIDs = request.columns.map((c) => controlId(request.table, c)).join('|');
  if (request.conditions?.length) {
    body.query = {
      autoFind: true,
      matchType: request.matchType ?? 'MATCH_ALL',
      condition: request.conditions.map((c) => ({
        controlId: controlId(request.table, c.column),
        operator: c.operator,
        ...(c.operator === 'STR_BLANK' || c.operator === 'STR_NOT_BLANK'
          ? {}
          : { value: (c.values ?? []).map((content) => ({ content, specialValueId: 'LITERAL' })) }),
      })),
    };
  }
  if (request.orderBy?.length) {
    body.aggregation = {
      orderBy: request.orderBy.map((o) => ({
        column: controlId(request.table, o.column),
        direction: o.direction ?? 'ASC',
      })),
    };
  }
  return body;
}

/** Reads one data-service answer for `table`. */
export function readBrowsePage(body: unknown, table: string): BrowsePage {
  const record = (body ?? {}) as Record<string, unknown>;
  const form = record[`fs_DATABROWSE_${table}`] as Record<string, unknown> | undefined;
  const grid = (form?.data as { gridData?: Record<string, unknown> } | undefined)?.gridData;
  if (!grid || !Array.isArray(grid.rowset)) {
    throw new AisError('protocol', `data service answer has no fs_DATABROWSE_${table}.data.gridData.rowset`, {
      operation: 'dataservice',
    });
  }
  const summary = (grid.summary ?? {}) as { moreRecords?: unknown };
  const links = (
    Array.isArray(record.links) ? record.links : Array.isArray(form?.links) ? form.links : []
  ) as {
    rel?: string;
    href?: string;
  }[];
  const href = links.find((l) => l.rel === 'next')?.href;
  const page: BrowsePage = {
    rows: grid.rowset as Record<string, unknown>[],
    moreRecords: summary.moreRecords === true,
  };
  if (href) {
    const url = new URL(href, 'http://placeholder');
    if (!url.pathname.includes('/jderest/')) {
      throw new AisError('protocol', `next-page link does not point at /jderest/: ${url.pathname}`);
    }
    page.nextPath = url.pathname.slice(url.pathname.indexOf('/jderest/')) + url.search;
  }
  return page;
}

// ---- typed rows -----------------------------------------------------------------------------

export const F0901_COLUMNS = ['CO', 'AID', 'MCU', 'OBJ', 'SUB', 'DL01', 'PEC'] as const;

export interface AccountMasterRow {
  company: string;
  aid: string;
  /** As stored: right-justified to 12. */
  businessUnit: string;
  object: string;
  subsidiary: string;
  description: string;
  /** "" = postable. */
  postingEditCode: string;
}

export function readAccountRow(row: Record<string, unknown>): AccountMasterRow {
  const s = (alias: string) => String(row[`F0901_${alias}`] ?? '');
  return {
    company: s('CO'),
    aid: s('AID').trim(),
    businessUnit: s('MCU').trimEnd().padStart(12, ' '),
    object: s('OBJ').trim(),
    subsidiary: s('SUB').trim(),
    description: s('DL01'),
    postingEditCode: s('PEC').trim(),
  };
}

export const F0911_COLUMNS = [
  'KCO',
  'DCT',
  'DOC',
  'DGJ',
  'JELN',
  'EXTL',
  'LT',
  'ICU',
  'CO',
  'ANI',
  'AID',
  'MCU',
  'OBJ',
  'SUB',
  'SBL',
  'SBLT',
  'CRCD',
  'AA',
  'EXA',
  'EXR',
  'VR01',
  'POST',
  'UPMJ',
  'UPMT',
] as const;

export interface LedgerRow {
  documentCompany: string;
  documentType: string;
  documentNumber: number;
  /** ISO date. */
  glDate: string;
  lineNumber: number;
  lineExtension: string;
  ledgerType: string;
  batchNumber: number;
  company: string;
  accountNumber: string;
  aid: string;
  businessUnit: string;
  object: string;
  subsidiary: string;
  subledger: string;
  subledgerType: string;
  currency: string;
  /** Minor units of `currency`. */
  amountMinor: bigint;
  explanation: string;
  remark: string;
  reference1: string;
  postedCode: string;
  /** ISO date of UPMJ. */
  updatedDate?: string;
  /** UPMT as HHMMSS. */
  updatedTime: number;
  /** KCO|DCT|DOC|DGJ|JELN|EXTL|LT: identifies the row for good. */
  key: string;
  /** The raw cells. */
  raw: Record<string, unknown>;
}

export function readLedgerRow(row: Record<string, unknown>): LedgerRow {
  const s = (alias: string) => String(row[`F0911_${alias}`] ?? '');
  const n = (alias: string) => {
    const value = Number(row[`F0911_${alias}`] ?? 0);
    if (!Number.isFinite(value))
      throw new AisError('protocol', `F0911.${alias} "${s(alias)}" is not a number`);
    return value;
  };
  const currency = s('CRCD').trim();
  let amountMinor = 0n;
  const amount = s('AA').trim();
  if (amount !== '') {
    try {
      amountMinor = parseDecimalToMinor(amount, currency, { decimalSeparator: '.' });
    } catch (error) {
      throw new AisError(
        'protocol',
        `F0911.AA "${amount}" (${currency}) is not an amount: ${(error as Error).message}`,
      );
    }
  }
  const glDate = parseAisDate(row.F0911_DGJ) ?? '';
  const ledger: LedgerRow = {
    documentCompany: s('KCO'),
    documentType: s('DCT'),
    documentNumber: n('DOC'),
    glDate,
    lineNumber: n('JELN'),
    lineExtension: s('EXTL').trim(),
    ledgerType: s('LT'),
    batchNumber: n('ICU'),
    company: s('CO'),
    accountNumber: s('ANI').trim(),
    aid: s('AID').trim(),
    businessUnit: s('MCU').trimEnd().padStart(12, ' '),
    object: s('OBJ').trim(),
    subsidiary: s('SUB').trim(),
    subledger: s('SBL').trim(),
    subledgerType: s('SBLT').trim(),
    currency,
    amountMinor,
    explanation: s('EXA').trimEnd(),
    remark: s('EXR').trimEnd(),
    reference1: s('VR01').trimEnd(),
    postedCode: s('POST').trim(),
    updatedTime: n('UPMT'),
    key: '',
    raw: row,
  };
  const updated = parseAisDate(row.F0911_UPMJ);
  if (updated) ledger.updatedDate = updated;
  ledger.key = ledgerKey(ledger);
  return ledger;
}

export function ledgerKey(
  row: Pick<
    LedgerRow,
    | 'documentCompany'
    | 'documentType'
    | 'documentNumber'
    | 'glDate'
    | 'lineNumber'
    | 'lineExtension'
    | 'ledgerType'
  >,
): string {
  return [
    row.documentCompany,
    row.documentType,
    row.documentNumber,
    row.glDate,
    row.lineNumber,
    row.lineExtension,
    row.ledgerType,
  ].join('|');
}
