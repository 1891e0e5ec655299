/**
 * A rule set as a CSV file, for operators who keep mappings in a spreadsheet and for `mappings export/import`.
 *
 * Layout: "# key: value" setting lines, then a header row, then one rule per row (RFC 4180 quoting):
 *
 *   # ml-connector mapping rules v1
 *   # id: acme-v3
 *   # connection-id: acme
 *   # version: 3
 *   # created-at: 2026-01-01T00:00:00Z
 *   # company: 00001
 *   # clearing-account: 1.1200
 *   # carried-forward-account: 1.1290
 *   # suspense-account: 1.9999
 *   # unmapped-policy: suspense
 *   # fiscal-calendar: {"kind":"monthly"}
 *   # currency: {"mode":"foreign-currency","allowedCurrencies":["CAD","USD"]}
 *   id,transaction-type,amount-type,amount-description,marketplace,account,cost-center,cost-center-by-marketplace,subledger,subledger-type,explanation
 *   principal,*,*,Principal,,M30.4000,,Amazon.ca=M31;Amazon.com=M30,,,Amazon sales
 *
 * Import checks every line and reports every bad one, each naming file, line and column:
 *   mappings.csv: line 7, column "account": "1.4000.ABCDEFGHIJ" subsidiary longer than 8
 */

import { AccountFormatError, formatAccount, parseAccount } from './account.js';
import {
  currencyModeSchema,
  fiscalCalendarSchema,
  type MappingRule,
  type RuleSet,
  ruleIssues,
  validateRuleSet,
} from './rules.js';

export const RULES_CSV_COLUMNS = [
  'id',
  'transaction-type',
  'amount-type',
  'amount-description',
  'marketplace',
  'account',
  'cost-center',
  'cost-center-by-marketplace',
  'subledger',
  'subledger-type',
  'explanation',
] as const;

type Column = (typeof RULES_CSV_COLUMNS)[number];

const SETTINGS = [
  'id',
  'connection-id',
  'version',
  'created-at',
  'company',
  'clearing-account',
  'carried-forward-account',
  'suspense-account',
  'unmapped-policy',
  'fiscal-calendar',
  'currency',
] as const;

const MAGIC = '# ml-connector mapping rules v1';

export class RulesCsvError extends Error {
  override name = 'RulesCsvError';
  constructor(readonly errors: string[]) {
    super(errors.join('\n'));
  }
}

// ---- export ----

export function exportRulesCsv(ruleSet: RuleSet): string {
  const settings: Record<(typeof SETTINGS)[number], string> = {
    id: ruleSet.id,
    'connection-id': ruleSet.connectionId,
    version: String(ruleSet.version),
    'created-at': ruleSet.createdAt,
    company: ruleSet.company,
    'clearing-account': formatAccount(ruleSet.clearingAccount),
    'carried-forward-account': formatAccount(ruleSet.carriedForwardAccount),
    'suspense-account': formatAccount(ruleSet.suspenseAccount),
    'unmapped-policy': ruleSet.unmappedPolicy,
    'fiscal-calendar': JSON.stringify(ruleSet.fiscalCalendar),
    currency: JSON.stringify(ruleSet.currency),
  };
  const lines = [MAGIC, ...SETTINGS.map((key) => `# ${key}: ${settings[key]}`), RULES_CSV_COLUMNS.join(',')];
  for (const rule of ruleSet.rules) {
    const cells: Record<Column, string> = {
      id: rule.id,
      'transaction-type': rule.transactionType,
      'amount-type': rule.amountType,
      'amount-description': rule.amountDescription,
      marketplace: rule.marketplace ?? '',
      account: formatAccount(rule.account),
      'cost-center': rule.costCenter ?? '',
      'cost-center-by-marketplace': Object.entries(rule.costCenterByMarketplace ?? {})
        .map(([market, center]) => `${market}=${center}`)
        .join(';'),
      subledger: rule.subledger?.value ?? '',
      'subledger-type': rule.subledger?.type ?? '',
      explanation: rule.explanation ?? '',
    };
    lines.push(RULES_CSV_COLUMNS.map((column) => quote(cells[column])).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function quote(cell: string): string {
  return /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

// ---- import ----

interface CsvRecord {
  line: number;
  cells: string[];
}

export function importRulesCsv(text: string, { file }: { file: string }): RuleSet {
  const errors: string[] = [];
  const at = (line: number, column: string, message: string) =>
    errors.push(`${file}: line ${line}, column "${column}": ${message}`);

  // Settings lines and the header.
  const rawLines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const settings = new Map<string, { value: string; line: number }>();
  let headerIndex = -1;
  for (let i = 0; i < rawLines.length; i++) {
    const raw = rawLines[i]!;
    if (raw.trim() === '') continue;
    if (raw.startsWith('#')) {
      const m = /^#\s*([a-z-]+)\s*:\s?(.*)$/.exec(raw);
      if (m && (SETTINGS as readonly string[]).includes(m[1]!)) {
        if (settings.has(m[1]!)) at(i + 1, m[1]!, 'setting given twice');
        settings.set(m[1]!, { value: m[2]!.trim(), line: i + 1 });
      }
      continue;
    }
    headerIndex = i;
    break;
  }
  if (headerIndex < 0)
    throw new RulesCsvError([`${file}: no header row (expected ${RULES_CSV_COLUMNS.join(',')})`]);

  const records = parseCsv(rawLines.slice(headerIndex).join('\n'), headerIndex + 1, file, errors);
  const header = records.shift()!;
  const columnIndex = new Map<string, number>();
  header.cells.forEach((name, i) => {
    const column = name.trim();
    if (!(RULES_CSV_COLUMNS as readonly string[]).includes(column)) at(header.line, column, 'unknown column');
    else if (columnIndex.has(column)) at(header.line, column, 'column appears twice');
    else columnIndex.set(column, i);
  });
  for (const column of RULES_CSV_COLUMNS) {
    if (!columnIndex.has(column)) at(header.line, column, 'missing column');
  }
  if (errors.length > 0) throw new RulesCsvError(errors);

  const base = readSettings(settings, file, errors, at);
  const rules: MappingRule[] = [];
  const ruleLines: number[] = [];
  for (const record of records) {
    if (record.cells.length === 1 && record.cells[0]!.trim() === '') continue;
    if (record.cells[0]?.startsWith('#')) continue;
    if (record.cells.length !== header.cells.length) {
      errors.push(
        `${file}: line ${record.line}: ${record.cells.length} cells, the header has ${header.cells.length}`,
      );
      continue;
    }
    const cell = (column: Column) => (record.cells[columnIndex.get(column)!] ?? '').trim();
    const rule = readRule(cell, record.line, at);
    if (rule) {
      rules.push(rule);
      ruleLines.push(record.line);
    }
  }
  if (errors.length > 0 || !base) throw new RulesCsvError(errors);

  const ruleSet: RuleSet = { ...base, rules };
  for (const issue of validateRuleSet(ruleSet)) {
    const m = /^rules\[(\d+)\]\.?(.*)$/.exec(issue.path);
    if (m) {
      const field = FIELD_COLUMN[m[2] ?? ''] ?? m[2] ?? '';
      at(ruleLines[Number(m[1])] ?? 0, field, issue.message);
    } else if (issue.path === 'rules') {
      errors.push(`${file}: ${issue.message} (lines ${linesOfIds(issue.message, rules, ruleLines)})`);
    } else {
      errors.push(`${file}: setting "${issue.path}": ${issue.message}`);
    }
  }
  if (errors.length > 0) throw new RulesCsvError(errors);
  return ruleSet;
}

const FIELD_COLUMN: Record<string, Column> = {
  id: 'id',
  transactionType: 'transaction-type',
  amountType: 'amount-type',
  amountDescription: 'amount-description',
  marketplace: 'marketplace',
  account: 'account',
  costCenter: 'cost-center',
  subledger: 'subledger',
  explanation: 'explanation',
};

function linesOfIds(message: string, rules: MappingRule[], lines: number[]): string {
  const ids = [...message.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  return rules
    .map((rule, i) => (ids.includes(rule.id) ? String(lines[i]) : null))
    .filter((x) => x !== null)
    .join(' and ');
}

type At = (line: number, column: string, message: string) => void;

function readSettings(
  settings: Map<string, { value: string; line: number }>,
  file: string,
  errors: string[],
  at: At,
): Omit<RuleSet, 'rules'> | null {
  const before = errors.length;
  const get = (key: (typeof SETTINGS)[number]) => {
    const setting = settings.get(key);
    if (!setting) errors.push(`${file}: setting "${key}" missing (a "# ${key}: …" line before the header)`);
    return setting;
  };
  const account = (key: 'clearing-account' | 'carried-forward-account' | 'suspense-account') => {
    const setting = get(key);
    if (!setting) return null;
    try {
      return parseAccount(setting.value);
    } catch (error) {
      if (!(error instanceof AccountFormatError)) throw error;
      at(setting.line, key, error.message);
      return null;
    }
  };
  const json = <T>(
    key: 'fiscal-calendar' | 'currency',
    schema: {
      safeParse(v: unknown): {
        success: boolean;
        data?: T;
        error?: { issues: Array<{ path: PropertyKey[]; message: string }> };
      };
    },
  ) => {
    const setting = get(key);
    if (!setting) return null;
    let value: unknown;
    try {
      value = JSON.parse(setting.value);
    } catch {
      at(setting.line, key, `not JSON: ${setting.value}`);
      return null;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      at(
        setting.line,
        key,
        (parsed.error?.issues ?? []).map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; '),
      );
      return null;
    }
    return parsed.data as T;
  };

  const id = get('id');
  const connection = get('connection-id');
  const version = get('version');
  const createdAt = get('created-at');
  const company = get('company');
  const policy = get('unmapped-policy');
  const clearingAccount = account('clearing-account');
  const carriedForwardAccount = account('carried-forward-account');
  const suspenseAccount = account('suspense-account');
  const fiscalCalendar = json('fiscal-calendar', fiscalCalendarSchema);
  const currency = json('currency', currencyModeSchema);
  if (id && !/^[A-Za-z0-9._-]+$/.test(id.value))
    at(id.line, 'id', `"${id.value}" must be letters, digits, ".", "_", "-"`);
  if (connection && !/^[A-Za-z0-9._-]+$/.test(connection.value)) {
    at(connection.line, 'connection-id', `"${connection.value}" must be letters, digits, ".", "_", "-"`);
  }
  if (version && !/^[1-9]\d*$/.test(version.value))
    at(version.line, 'version', `"${version.value}" is not a positive integer`);
  if (createdAt && !Number.isFinite(Date.parse(createdAt.value))) {
    at(createdAt.line, 'created-at', `"${createdAt.value}" is not an ISO 8601 instant`);
  }
  if (company && !/^\S{1,5}$/.test(company.value))
    at(company.line, 'company', `"${company.value}" is not a 1–5 char company`);
  if (policy && policy.value !== 'suspense' && policy.value !== 'hold') {
    at(policy.line, 'unmapped-policy', `"${policy.value}" must be suspense or hold`);
  }
  if (errors.length > before) return null;
  return {
    id: id!.value,
    connectionId: connection!.value,
    version: Number(version!.value),
    createdAt: createdAt!.value,
    company: company!.value,
    clearingAccount: clearingAccount!,
    carriedForwardAccount: carriedForwardAccount!,
    suspenseAccount: suspenseAccount!,
    unmappedPolicy: policy!.value as RuleSet['unmappedPolicy'],
    fiscalCalendar: fiscalCalendar!,
    currency: currency!,
  };
}

function readRule(cell: (column: Column) => string, line: number, at: At): MappingRule | null {
  let ok = true;
  const fail = (column: Column, message: string) => {
    at(line, column, message);
    ok = false;
  };
  const id = cell('id');
  if (!/^[A-Za-z0-9._-]+$/.test(id)) fail('id', `"${id}" must be letters, digits, ".", "_", "-"`);
  for (const column of ['transaction-type', 'amount-type', 'amount-description'] as const) {
    if (cell(column) === '') fail(column, 'empty; write "*" for any value or "=" for the empty value');
  }
  let account = null;
  try {
    account = parseAccount(cell('account'));
  } catch (error) {
    if (!(error instanceof AccountFormatError)) throw error;
    fail('account', error.message);
  }
  const byMarketplace: Record<string, string> = {};
  const overrides = cell('cost-center-by-marketplace');
  if (overrides !== '') {
    for (const pair of overrides.split(';')) {
      const m = /^([^=]+)=(.+)$/.exec(pair.trim());
      if (!m) fail('cost-center-by-marketplace', `"${pair}" is not marketplace=business-unit`);
      else byMarketplace[m[1]!.trim()] = m[2]!.trim();
    }
  }
  const subledgerValue = cell('subledger');
  const subledgerType = cell('subledger-type');
  if ((subledgerValue === '') !== (subledgerType === '')) {
    fail(subledgerValue === '' ? 'subledger' : 'subledger-type', 'subledger and subledger-type go together');
  }
  if (!ok || !account) return null;
  const rule: MappingRule = {
    id,
    transactionType: cell('transaction-type'),
    amountType: cell('amount-type'),
    amountDescription: cell('amount-description'),
    account,
  };
  if (cell('marketplace') !== '') rule.marketplace = cell('marketplace');
  if (cell('cost-center') !== '') rule.costCenter = cell('cost-center');
  if (overrides !== '') rule.costCenterByMarketplace = byMarketplace;
  if (subledgerValue !== '') rule.subledger = { value: subledgerValue, type: subledgerType };
  if (cell('explanation') !== '') rule.explanation = cell('explanation');
  // Field-level checks (expressions, lengths) now, so they carry this line number.
  for (const issue of ruleIssues(rule, '')) {
    const field = issue.path.replace(/^\./, '');
    at(line, FIELD_COLUMN[field] ?? field, issue.message);
    ok = false;
  }
  return ok ? rule : null;
}

/** RFC 4180 records; `firstLine` is the file line of the text's first line. */
function parseCsv(text: string, firstLine: number, file: string, errors: string[]): CsvRecord[] {
  const records: CsvRecord[] = [];
  let line = firstLine;
  let cells: string[] = [];
  let cell = '';
  let start = line;
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
      i++;
      continue;
    }
    if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n') {
      cells.push(cell);
      records.push({ line: start, cells });
      cells = [];
      cell = '';
      line++;
      start = line;
    } else if (ch !== '\r') cell += ch;
    i++;
  }
  if (quoted) errors.push(`${file}: line ${start}: unterminated quoted cell`);
  if (cell !== '' || cells.length > 0) {
    cells.push(cell);
    records.push({ line: start, cells });
  }
  return records;
}
