/**
 * The journal builder: one parsed settlement + a rule set → balanced JDE summary journals.
 *
 * Sign convention. Amazon amounts are positive when Amazon owes the seller (a sale) and negative when the
 * seller owes Amazon (a fee). Journal amounts follow JDE: debit positive, credit negative. So each mapped
 * line is the NEGATED sum of its rows (a +100 sale credits revenue −100), and the balancing line debits the
 * clearing account with the deposit (+total); a negative settlement credits clearing instead.
 *
 * Periods. Each row belongs to the fiscal period of the UTC date of its posted date; a row without one
 * belongs to the period of the settlement end date. One journal per period, in period order. Every part but
 * the last balances through the carried-forward account; the last part reverses those carried-forward lines
 * in one line and balances through clearing with the full settlement total, so the carried-forward account
 * nets to zero over the parts and only one document carries the deposit.
 *
 * Aggregation: lines are per (kind, account, cost center, subledger) within a part (a part is one currency
 * and one period). Output is sorted, so the order of the input rows never changes the result. A mapped or
 * suspense line whose rows net to zero is kept (it carries lineage); a balancing line of zero is left out.
 *
 * Input. Either the rows themselves (every row's number is kept: the lineage `mlc settlement show
 * --lineage` prints) or the settlement's row groups (@mlc/settlement RowGroups: rows summed per kind and
 * UTC day, as amazon-ingest stores them), which give the same journals to the cent without the row
 * numbers — lines then carry their row counts only, and messages point at each group's first row.
 *
 * Holds. The result is 'held' (nothing to post) when the currency is not allowed, a row's date has no fiscal
 * period, rows are unmapped under the 'hold' policy, or the rows do not sum to the settlement total.
 */

import type { SettlementRowGroup } from '@mlc/settlement';
import { formatAccount, type JdeAccount, type Subledger } from './account.js';
import { type FiscalPeriod, periodOf, utcDateOf } from './calendar.js';
import { compressRowNumbers, type RowRange } from './lineage.js';
import { companyFor, compileRuleSet, costCenterFor, type MappingRule, type RuleSet } from './rules.js';

/** A row group as @mlc/settlement sums it (RowGroups): rows of one kind and UTC day. */
export type SettlementRowGroupInput = SettlementRowGroup;

/** Row groups instead of rows: `{ groups }`. */
export interface SettlementRowGroupsInput {
  groups: readonly SettlementRowGroupInput[];
}

/** What the builder reads from a settlement summary (structurally a subset of @mlc/settlement's type). */
export interface SettlementSummaryInput {
  settlementId: string;
  startDate: string;
  endDate: string;
  depositDate: string;
  totalAmount: bigint;
  currency: string;
}

/** What the builder reads from a settlement row (structurally a subset of @mlc/settlement's type). */
export interface SettlementRowInput {
  rowNumber: number;
  transactionType: string;
  amountType: string;
  amountDescription: string;
  amount: bigint;
  postedAt: string | null;
  marketplace: string | null;
}

export type LineKind = 'mapped' | 'suspense' | 'carried-forward' | 'clearing';

export interface JournalLine {
  /** 1-based, in output order. */
  lineNumber: number;
  kind: LineKind;
  /** The account posted to; its business unit is the cost center. */
  account: JdeAccount;
  /** "BU.OBJ.SUB" text form of `account`. */
  accountText: string;
  costCenter: string;
  subledger?: Subledger;
  /** Minor units, debit positive / credit negative. May be 0n when a mapped line's rows net to zero. */
  amount: bigint;
  /** ≤30 chars. */
  explanation: string;
  /**
   * The settlement rows summed into this line (none for carried-forward and clearing lines); their
   * numbers only when the journals were built from rows, not from row groups.
   */
  lineage: { rowCount: number; rowNumbers?: RowRange[] };
  /** Rules whose rows were aggregated here, sorted; [] for suspense and balancing lines. */
  ruleIds: string[];
}

export interface Journal {
  /** "mlc:<connectionId>:<settlementId>:<periodId>" (":r<n>" appended for a repost revision n > 0). */
  jobId: string;
  connectionId: string;
  settlementId: string;
  ruleSet: { id: string; version: number };
  company: string;
  documentType: 'JE';
  /** "YYYY-MM-DD": the latest row date in this part (always inside the part's period). */
  glDate: string;
  /** ≤30 chars. */
  explanation: string;
  currency: string;
  part: { index: number; count: number; period: FiscalPeriod };
  lines: JournalLine[];
  totals: {
    /** Sum of positive line amounts. */
    debit: bigint;
    /** Sum of negative line amounts, as a positive number. */
    credit: bigint;
    /** Rows in this part. */
    rowCount: number;
    /** Amazon-sign sum of this part's rows. */
    rowsAmount: bigint;
    /** The clearing line's amount: the settlement total on the last part, 0n on the others. */
    deposit: bigint;
  };
}

export interface UnmappedGroup {
  transactionType: string;
  amountType: string;
  amountDescription: string;
  marketplace: string | null;
  rowCount: number;
  /** Amazon-sign sum, minor units. */
  amount: bigint;
  /** The rows, when built from rows. */
  rowNumbers?: RowRange[];
  /** The first of them. */
  firstRow: number;
}

export interface BuildLineage {
  connectionId: string;
  settlementId: string;
  ruleSetId: string;
  ruleSetVersion: number;
  rowCount: number;
  /** When built from rows. */
  rowNumbers?: RowRange[];
  /** Rows per rule id (sorted keys); unmapped rows under "(unmapped)". */
  rowsByRule: Record<string, number>;
}

export type HoldCode = 'currency-not-allowed' | 'period-not-found' | 'unmapped' | 'total-mismatch';

export type BuildResult =
  | { status: 'ready'; journals: Journal[]; unmapped: UnmappedGroup[]; lineage: BuildLineage }
  | {
      status: 'held';
      code: HoldCode;
      reason: string;
      holds: Array<{ code: HoldCode; reason: string }>;
      unmapped: UnmappedGroup[];
    };

export interface BuildOptions {
  /** Repost revision; 0/absent for the first posting. A new revision gives new job ids. */
  revision?: number;
}

export class MappingInputError extends Error {
  override name = 'MappingInputError';
}

export const UNMAPPED_RULE_ID = '(unmapped)';

interface Accumulator {
  kind: 'mapped' | 'suspense';
  account: JdeAccount;
  subledger?: Subledger;
  amazonSum: bigint;
  rowCount: number;
  rowNumbers: number[];
  ruleIds: Set<string>;
  explanations: Set<string>;
}

interface PartState {
  period: FiscalPeriod;
  lastDate: string;
  rowCount: number;
  rowsAmount: bigint;
  lines: Map<string, Accumulator>;
}

/**
 * Rows handed over in batches, as @mlc/settlement's SettlementReader does: for a million rows, one await
 * per batch instead of one per row is a measurable part of the mapping.
 */
export interface SettlementRowBatches {
  batches(): AsyncIterable<readonly SettlementRowInput[]>;
}

/** The fields of a row (or row group) that decide its rule, account and journal line. */
type RowKind = Pick<
  SettlementRowInput,
  'transactionType' | 'amountType' | 'amountDescription' | 'marketplace'
>;

/** What a settlement row's transaction type, amount type, description and marketplace decide. */
interface RowClass {
  rule: MappingRule | null;
  ruleId: string;
  /** The journal line (within a part) the row is summed into. */
  lineKey: string;
  kind: 'mapped' | 'suspense';
  account: JdeAccount;
  subledger: Subledger | undefined;
  explanation: string;
}

export async function buildJournals(
  summary: SettlementSummaryInput,
  rows:
    | Iterable<SettlementRowInput>
    | AsyncIterable<SettlementRowInput>
    | SettlementRowBatches
    | SettlementRowGroupsInput,
  ruleSet: RuleSet,
  options: BuildOptions = {},
): Promise<BuildResult> {
  const compiled = compileRuleSet(ruleSet);
  const company = companyFor(ruleSet, summary.currency);
  if (company === null) {
    const reason = `currency ${summary.currency} is not allowed by the rule set's currency mode (${ruleSet.currency.mode})`;
    return {
      status: 'held',
      code: 'currency-not-allowed',
      reason,
      holds: [{ code: 'currency-not-allowed', reason }],
      unmapped: [],
    };
  }
  const endDate = utcDateOf(summary.endDate);

  const fromGroups = isGroups(rows);
  const parts = new Map<string, PartState>();
  const unmapped = new Map<string, UnmappedGroup & { numbers: number[] }>();
  const noPeriod = { rowCount: 0, numbers: [] as number[], firstRow: Number.POSITIVE_INFINITY };
  const rowsByRule = new Map<string, number>();
  const allRowNumbers: number[] = [];
  let rowCount = 0;
  // Each row's amount is added once, to its journal line (or here when no period takes it); the part
  // and settlement totals are summed from those afterwards: a bigint sum allocates, per row it shows.
  let noPeriodAmount = 0n;
  // Consecutive rows mostly share their posted instant and date: reuse the last date and period.
  let lastPostedAt: string | null = null;
  let lastRowDate = '';
  let periodDate: string | undefined;
  let lastPeriod: FiscalPeriod | null = null;
  // A settlement has a few dozen distinct row kinds: classify each once.
  const classes = new Map<string, RowClass>();
  const classOf = (row: RowKind): RowClass => {
    const key = `${row.transactionType}\u0001${row.amountType}\u0001${row.amountDescription}\u0001${row.marketplace ?? '\u0000'}`;
    let found = classes.get(key);
    if (found === undefined) {
      found = classify(compiled.classify(row), row, ruleSet);
      classes.set(key, found);
    }
    return found;
  };

  /** Sums `count` rows of one kind and date (a row: count 1 and its number; a group: no numbers). */
  const place = (
    kind: RowKind,
    date: string,
    count: number,
    amount: bigint,
    rowNumber: number | null,
    firstRow: number,
  ): void => {
    rowCount += count;
    if (rowNumber !== null) allRowNumbers.push(rowNumber);
    if (date !== periodDate) {
      lastPeriod = periodOf(ruleSet.fiscalCalendar, date);
      periodDate = date;
    }
    const period = lastPeriod;
    if (period === null) {
      noPeriod.rowCount += count;
      if (rowNumber !== null) noPeriod.numbers.push(rowNumber);
      noPeriod.firstRow = Math.min(noPeriod.firstRow, firstRow);
      noPeriodAmount += amount;
      return;
    }
    let part = parts.get(period.id);
    if (!part) {
      part = { period, lastDate: date, rowCount: 0, rowsAmount: 0n, lines: new Map() };
      parts.set(period.id, part);
    }
    if (date > part.lastDate) part.lastDate = date;
    part.rowCount += count;

    const cls = classOf(kind);
    rowsByRule.set(cls.ruleId, (rowsByRule.get(cls.ruleId) ?? 0) + count);
    if (cls.rule === null) noteUnmapped(unmapped, kind, count, amount, rowNumber, firstRow);
    const acc = accumulatorFor(part, cls);
    acc.amazonSum += amount;
    acc.rowCount += count;
    if (rowNumber !== null) acc.rowNumbers.push(rowNumber);
    if (cls.rule) acc.ruleIds.add(cls.rule.id);
  };
  const add = (row: SettlementRowInput): void => {
    checkRow(row, summary.settlementId);
    if (row.postedAt !== null && row.postedAt !== lastPostedAt) {
      lastRowDate = sameUtcDay(row.postedAt, lastRowDate) ? lastRowDate : rowDate(row, summary.settlementId);
      lastPostedAt = row.postedAt;
    }
    place(row, row.postedAt === null ? endDate : lastRowDate, 1, row.amount, row.rowNumber, row.rowNumber);
  };
  if (isGroups(rows)) {
    for (const group of rows.groups) {
      checkGroup(group, summary.settlementId);
      place(group, group.postedDate ?? endDate, group.rowCount, group.amount, null, group.firstRow);
    }
  } else if (isBatches(rows)) {
    for await (const batch of rows.batches()) for (const row of batch) add(row);
  } else {
    for await (const row of rows) add(row);
  }
  let rowsTotal = noPeriodAmount;
  for (const part of parts.values()) {
    for (const acc of part.lines.values()) part.rowsAmount += acc.amazonSum;
    rowsTotal += part.rowsAmount;
  }

  const unmappedList = [...unmapped.values()]
    .map(({ numbers, ...group }) =>
      fromGroups ? group : { ...group, rowNumbers: compressRowNumbers(numbers) },
    )
    .sort((a, b) => compareKeys(unmappedKey(a), unmappedKey(b)));

  const holds: Array<{ code: HoldCode; reason: string }> = [];
  if (noPeriod.rowCount > 0) {
    const rows = fromGroups
      ? `the first at row ${noPeriod.firstRow}`
      : `rows ${formatRanges(compressRowNumbers(noPeriod.numbers))}`;
    holds.push({
      code: 'period-not-found',
      reason: `${noPeriod.rowCount} row(s) fall outside the fiscal calendar (${rows})`,
    });
  }
  if (unmappedList.length > 0 && ruleSet.unmappedPolicy === 'hold') {
    holds.push({
      code: 'unmapped',
      reason: `unmapped rows (policy hold): ${unmappedList.map(describeUnmapped).join('; ')}`,
    });
  }
  if (rowsTotal !== summary.totalAmount) {
    holds.push({
      code: 'total-mismatch',
      reason: `rows sum to ${rowsTotal} but the settlement total is ${summary.totalAmount} (minor units of ${summary.currency})`,
    });
  }
  if (holds.length > 0) {
    const first = holds[0]!;
    return {
      status: 'held',
      code: first.code,
      reason: holds.map((h) => h.reason).join(' | '),
      holds,
      unmapped: unmappedList,
    };
  }

  const ordered = [...parts.values()].sort((a, b) => a.period.start.localeCompare(b.period.start));
  const journals = emitJournals(ordered, summary, ruleSet, company, options.revision ?? 0);
  const lineage: BuildLineage = {
    connectionId: ruleSet.connectionId,
    settlementId: summary.settlementId,
    ruleSetId: ruleSet.id,
    ruleSetVersion: ruleSet.version,
    rowCount,
    ...(fromGroups ? {} : { rowNumbers: compressRowNumbers(allRowNumbers) }),
    rowsByRule: Object.fromEntries([...rowsByRule.entries()].sort(([a], [b]) => compareKeys(a, b))),
  };
  return { status: 'ready', journals, unmapped: unmappedList, lineage };
}

function checkRow(row: SettlementRowInput, settlementId: string): void {
  if (typeof row.amount !== 'bigint') {
    throw new MappingInputError(
      `settlement ${settlementId}: row ${row.rowNumber}, field "amount": not a bigint`,
    );
  }
  if (!Number.isInteger(row.rowNumber) || row.rowNumber < 1) {
    throw new MappingInputError(
      `settlement ${settlementId}: row ${String(row.rowNumber)}, field "rowNumber": not a positive integer`,
    );
  }
}

function checkGroup(group: SettlementRowGroupInput, settlementId: string): void {
  const where = `settlement ${settlementId}: row group of row ${group.firstRow}`;
  if (typeof group.amount !== 'bigint') throw new MappingInputError(`${where}, field "amount": not a bigint`);
  if (!Number.isInteger(group.rowCount) || group.rowCount < 1)
    throw new MappingInputError(`${where}, field "rowCount": not a positive integer`);
  if (group.postedDate !== null && !/^\d{4}-\d{2}-\d{2}$/.test(group.postedDate))
    throw new MappingInputError(`${where}, field "postedDate": "${group.postedDate}" is not YYYY-MM-DD`);
}

function isGroups(rows: object): rows is SettlementRowGroupsInput {
  return Array.isArray((rows as Partial<SettlementRowGroupsInput>).groups);
}

function rowDate(row: SettlementRowInput, settlementId: string): string {
  try {
    return utcDateOf(row.postedAt ?? '');
  } catch {
    throw new MappingInputError(
      `settlement ${settlementId}: row ${row.rowNumber}, field "postedAt": "${row.postedAt}" is not an ISO 8601 instant`,
    );
  }
}

function isBatches(rows: object): rows is SettlementRowBatches {
  return typeof (rows as Partial<SettlementRowBatches>).batches === 'function';
}

/** The rule (or none), the account and the journal line for rows like this one. */
function classify(rule: MappingRule | null, row: RowKind, ruleSet: RuleSet): RowClass {
  const kind = rule ? 'mapped' : 'suspense';
  const account: JdeAccount = rule
    ? { ...rule.account, businessUnit: costCenterFor(rule, row.marketplace) }
    : ruleSet.suspenseAccount;
  const subledger = rule?.subledger;
  return {
    rule,
    ruleId: rule?.id ?? UNMAPPED_RULE_ID,
    lineKey: [kind, formatAccount(account), subledger?.type ?? '', subledger?.value ?? ''].join('\u0001'),
    kind,
    account,
    subledger,
    explanation: rule ? (rule.explanation ?? rule.amountDescription) : 'Unmapped Amazon rows',
  };
}

/**
 * True when `instant` is a valid "YYYY-MM-DDTHH:MM:SS.mmmZ" (the parser's form) on the UTC day `date`: the
 * day is then known without Date.parse, which consecutive rows of one day would otherwise pay each time.
 */
function sameUtcDay(instant: string, date: string): boolean {
  if (date === '' || instant.length !== 24 || !instant.startsWith(date)) return false;
  for (const i of CLOCK_DIGITS) {
    const code = instant.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  // No closure here: under tsx every function created per call also pays for esbuild's __name().
  const hour = (instant.charCodeAt(11) - 48) * 10 + (instant.charCodeAt(12) - 48);
  return (
    instant[10] === 'T' &&
    instant[13] === ':' &&
    instant[16] === ':' &&
    instant[19] === '.' &&
    instant[23] === 'Z' &&
    hour <= 23 &&
    instant.charCodeAt(14) <= 53 && // minutes' tens ≤ 5
    instant.charCodeAt(17) <= 53 // seconds' tens ≤ 5
  );
}

const CLOCK_DIGITS = [11, 12, 14, 15, 17, 18, 20, 21, 22];

function accumulatorFor(part: PartState, cls: RowClass): Accumulator {
  let acc = part.lines.get(cls.lineKey);
  if (!acc) {
    acc = {
      kind: cls.kind,
      account: cls.account,
      amazonSum: 0n,
      rowCount: 0,
      rowNumbers: [],
      ruleIds: new Set(),
      explanations: new Set(),
    };
    if (cls.subledger) acc.subledger = cls.subledger;
    part.lines.set(cls.lineKey, acc);
  }
  acc.explanations.add(cls.explanation);
  return acc;
}

function noteUnmapped(
  groups: Map<string, UnmappedGroup & { numbers: number[] }>,
  kind: RowKind,
  count: number,
  amount: bigint,
  rowNumber: number | null,
  firstRow: number,
): void {
  const key = unmappedKey(kind);
  let group = groups.get(key);
  if (!group) {
    group = {
      transactionType: kind.transactionType,
      amountType: kind.amountType,
      amountDescription: kind.amountDescription,
      marketplace: kind.marketplace,
      rowCount: 0,
      amount: 0n,
      firstRow,
      numbers: [],
    };
    groups.set(key, group);
  }
  group.rowCount += count;
  group.amount += amount;
  group.firstRow = Math.min(group.firstRow, firstRow);
  if (rowNumber !== null) group.numbers.push(rowNumber);
}

function unmappedKey(row: RowKind): string {
  return [row.transactionType, row.amountType, row.amountDescription, row.marketplace ?? ''].join('\u0001');
}

function describeUnmapped(group: UnmappedGroup): string {
  const where = group.marketplace ? ` @ ${group.marketplace}` : '';
  const rows = group.rowNumbers
    ? `rows ${formatRanges(group.rowNumbers)}`
    : `the first at row ${group.firstRow}`;
  return `"${group.transactionType}" / "${group.amountType}" / "${group.amountDescription}"${where}: ${group.rowCount} row(s) (${rows})`;
}

function formatRanges(ranges: RowRange[]): string {
  return ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ');
}

/** Code-unit comparison, so the order never depends on the locale. */
function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function emitJournals(
  parts: PartState[],
  summary: SettlementSummaryInput,
  ruleSet: RuleSet,
  company: string,
  revision: number,
): Journal[] {
  const count = parts.length;
  let carriedSoFar = 0n; // sum of the carried-forward lines of the earlier parts
  return parts.map((part, k) => {
    const index = k + 1;
    const lines: Omit<JournalLine, 'lineNumber'>[] = [...part.lines.entries()]
      .sort(([a], [b]) => compareKeys(a, b))
      .map(([, acc]) => ({
        kind: acc.kind,
        account: acc.account,
        accountText: formatAccount(acc.account),
        costCenter: acc.account.businessUnit,
        ...(acc.subledger ? { subledger: acc.subledger } : {}),
        amount: -acc.amazonSum,
        explanation: lineExplanation([...acc.explanations].sort(compareKeys)),
        lineage:
          acc.rowNumbers.length === acc.rowCount
            ? { rowCount: acc.rowCount, rowNumbers: compressRowNumbers(acc.rowNumbers) }
            : { rowCount: acc.rowCount },
        ruleIds: [...acc.ruleIds].sort(compareKeys),
      }));
    const linesSum = lines.reduce((sum, line) => sum + line.amount, 0n);
    const isLast = index === count;
    if (!isLast) {
      const next = parts[k + 1]!.period.id;
      lines.push(
        balancingLine(
          'carried-forward',
          ruleSet.carriedForwardAccount,
          -linesSum,
          `Settlement c/f to ${next}`,
        ),
      );
      carriedSoFar += -linesSum;
    } else {
      if (count > 1) {
        lines.push(
          balancingLine(
            'carried-forward',
            ruleSet.carriedForwardAccount,
            -carriedSoFar,
            'Settlement b/f prior periods',
          ),
        );
      }
      const deposit = -(linesSum - carriedSoFar);
      const text =
        deposit >= 0n ? `Amazon deposit ${summary.settlementId}` : `Amazon owed ${summary.settlementId}`;
      lines.push(balancingLine('clearing', ruleSet.clearingAccount, deposit, text));
    }
    // A zero balancing line carries neither money nor rows: leave it out (zero mapped lines stay, for lineage).
    const kept = lines.filter(
      (line) => line.amount !== 0n || line.kind === 'mapped' || line.kind === 'suspense',
    );
    const numbered: JournalLine[] = kept.map((line, i) => ({ lineNumber: i + 1, ...line }));
    const jobId = `mlc:${ruleSet.connectionId}:${summary.settlementId}:${part.period.id}${revision > 0 ? `:r${revision}` : ''}`;
    const debit = numbered.reduce((sum, l) => (l.amount > 0n ? sum + l.amount : sum), 0n);
    const credit = numbered.reduce((sum, l) => (l.amount < 0n ? sum - l.amount : sum), 0n);
    const clearingLine = numbered.find((l) => l.kind === 'clearing');
    return {
      jobId,
      connectionId: ruleSet.connectionId,
      settlementId: summary.settlementId,
      ruleSet: { id: ruleSet.id, version: ruleSet.version },
      company,
      documentType: 'JE',
      glDate: part.lastDate,
      explanation: journalExplanation(summary.settlementId, part.period.id, index, count),
      currency: summary.currency,
      part: { index, count, period: part.period },
      lines: numbered,
      totals: {
        debit,
        credit,
        rowCount: part.rowCount,
        rowsAmount: part.rowsAmount,
        deposit: clearingLine?.amount ?? 0n,
      },
    };
  });
}

function balancingLine(
  kind: 'carried-forward' | 'clearing',
  account: JdeAccount,
  amount: bigint,
  explanation: string,
): Omit<JournalLine, 'lineNumber'> {
  return {
    kind,
    account,
    accountText: formatAccount(account),
    costCenter: account.businessUnit,
    amount,
    explanation: clip(explanation),
    lineage: { rowCount: 0, rowNumbers: [] },
    ruleIds: [],
  };
}

function journalExplanation(settlementId: string, periodId: string, index: number, count: number): string {
  const base = `AMZ ${settlementId} ${periodId}`;
  const withPart = count > 1 ? `${base} ${index}/${count}` : base;
  return clip(withPart.length <= 30 ? withPart : base);
}

/** One rule's text; several rules' texts joined with " / " when that fits in 30, else the first + "(+n)". */
function lineExplanation(texts: string[]): string {
  const joined = texts.join(' / ');
  if (joined.length <= 30 || texts.length === 1) return clip(joined);
  const more = ` (+${texts.length - 1})`;
  return clip(texts[0]!).slice(0, 30 - more.length) + more;
}

function clip(text: string): string {
  return text.length <= 30 ? text : text.slice(0, 30);
}
