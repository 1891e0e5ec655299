/**
 * What a settlement posted, generation by generation, and which settlement rows made each journal
 * line — for `mlc settlement show` and `mlc settlement repost`.
 *
 * Journal lines are not stored (they travel on ledger.journal.proposed.v1 and end in JDE's F0911);
 * each job's source — the stored report and the rule set version it was mapped with — is, and
 * mapping it again gives the same lines with their row numbers. Generation 1 is the first posting
 * (its rule set is on the `settlement.proposed` audit event); each repost n is a
 * `settlement_reposts` record naming the jobs it reverses and the rule set of its new parts.
 */
import { type BuildResult, expandRowRanges, type Journal, type RowRange, reverseJournal } from '@mlc/mapping';
import { formatMinor } from '@mlc/money';
import type { AuditEvent, Job } from '@mlc/mongo';
import type { SettlementRow } from '@mlc/settlement';
import { listReposts, type RepostRecord, rebuildSettlement, type SettlementRecord } from '@mlc/store';
import { type Db, renderTable } from './settlement.js';

export interface HistoryJob {
  jobId: string;
  generation: number;
  kind: 'part' | 'reversal';
  /** For a reversal: the job it negates and that job's JDE document. */
  reverses?: { jobId: string; documentNumber: string };
  state: string;
  documentNumber?: string;
  company?: string;
  documentType?: string;
  /** What reproduces the lines; null when nothing records it. */
  source: { rawDocumentId: string; ruleSet: string } | null;
  /** The G/L date the operator gave its repost generation (--gl-date), which replaced the mapped one. */
  glDate?: string;
}

export interface History {
  jobs: HistoryJob[];
  reposts: RepostRecord[];
}

/** Every job the settlement has had, in generation order: parts, then each repost's reversals and parts. */
export async function settlementHistory(
  db: Db,
  record: SettlementRecord,
  trail: AuditEvent[],
  jobs: Job[],
): Promise<History> {
  const key = { connectionId: record.connectionId, settlementId: record.settlementId };
  const reposts = await listReposts(db, key);
  const firstProposal = trail.filter((e) => e.action === 'settlement.proposed').at(-1)?.detail ?? {};
  const firstRuleSet = typeof firstProposal.ruleSet === 'string' ? firstProposal.ruleSet : null;
  const out: HistoryJob[] = [];
  const add = (entry: Omit<HistoryJob, 'state'>) => {
    const job = jobs.find((j) => j.jobId === entry.jobId);
    const result = (job?.result ?? {}) as Record<string, unknown>;
    const full: HistoryJob = { ...entry, state: job?.state ?? 'not yet recorded by jde-poster' };
    if (result.documentNumber !== undefined) full.documentNumber = String(result.documentNumber);
    if (result.company !== undefined) full.company = String(result.company);
    if (result.documentType !== undefined) full.documentType = String(result.documentType);
    out.push(full);
  };
  const firstIds =
    reposts.length > 0
      ? reposts[0]!.reverses.filter((t) => t.generation === 1).map((t) => t.jobId)
      : (record.jobIds ?? []);
  for (const jobId of firstIds) {
    add({
      jobId,
      generation: 1,
      kind: 'part',
      source: firstRuleSet ? { rawDocumentId: record.rawDocumentId, ruleSet: firstRuleSet } : null,
    });
  }
  for (const repost of reposts) {
    if (repost.state !== 'proposed') continue;
    for (const target of repost.reverses) {
      add({
        jobId: target.reversalJobId,
        generation: repost.generation,
        kind: 'reversal',
        reverses: { jobId: target.jobId, documentNumber: target.documentNumber },
        source: { rawDocumentId: target.rawDocumentId, ruleSet: target.ruleSet },
        ...(repost.glDate ? { glDate: repost.glDate } : {}),
      });
    }
    for (const jobId of repost.jobIds) {
      add({
        jobId,
        generation: repost.generation,
        kind: 'part',
        source: { rawDocumentId: record.rawDocumentId, ruleSet: repost.ruleSet },
        ...(repost.glDate ? { glDate: repost.glDate } : {}),
      });
    }
  }
  return { jobs: out, reposts };
}

/** Posted parts no posted reversal negates: what the settlement stands as in JDE now. */
export function livePostedParts(history: History): HistoryJob[] {
  const reversed = new Set(
    history.jobs.filter((j) => j.kind === 'reversal' && j.state === 'posted').map((j) => j.reverses!.jobId),
  );
  return history.jobs.filter((j) => j.kind === 'part' && j.state === 'posted' && !reversed.has(j.jobId));
}

export type RowDetail = Pick<
  SettlementRow,
  'rowNumber' | 'transactionType' | 'amountType' | 'amountDescription' | 'amount' | 'orderId'
>;

export type Rebuilt = { result: BuildResult; rows?: Map<number, RowDetail> } | { missing: string };

/**
 * The settlement mapped again from a stored report with a named rule set version, as generation
 * `generation` (1: the first posting's job ids; n > 1: `:r<n>`), with the rows themselves when asked.
 */
export async function rebuildFromSource(
  db: Db,
  connectionId: string,
  source: { rawDocumentId: string; ruleSet: string },
  generation: number,
  withRows = false,
): Promise<Rebuilt> {
  if (!withRows) return rebuildSettlement(db, connectionId, source, generation);
  const rows = new Map<number, RowDetail>();
  const built = await rebuildSettlement(db, connectionId, source, generation, (row) => {
    rows.set(row.rowNumber, {
      rowNumber: row.rowNumber,
      transactionType: row.transactionType,
      amountType: row.amountType,
      amountDescription: row.amountDescription,
      // A legacy line's amount columns are rows of one line: their amounts add up.
      amount: (rows.get(row.rowNumber)?.amount ?? 0n) + row.amount,
      orderId: row.orderId,
    });
  });
  return 'missing' in built ? built : { ...built, rows };
}

/** A history job's journal as it was posted (a reversal: the reversed journal negated), or why not. */
export async function journalOf(
  db: Db,
  connectionId: string,
  job: HistoryJob,
  withRows = false,
  cache = new Map<string, Promise<Rebuilt>>(),
): Promise<{ journal: Journal; rows?: Map<number, RowDetail> } | { missing: string }> {
  if (!job.source)
    return { missing: 'no rule set version is recorded for it (no settlement.proposed audit event)' };
  const reversed = job.kind === 'reversal' ? job.reverses!.jobId : job.jobId;
  const generation = job.kind === 'reversal' ? generationOfPart(reversed) : job.generation;
  const cacheKey = `${job.source.rawDocumentId}|${job.source.ruleSet}|${generation}|${withRows}`;
  let built = cache.get(cacheKey);
  if (!built) {
    built = rebuildFromSource(db, connectionId, job.source, generation, withRows);
    cache.set(cacheKey, built);
  }
  const rebuilt = await built;
  if ('missing' in rebuilt) return rebuilt;
  if (rebuilt.result.status !== 'ready')
    return {
      missing: `re-mapping with ${job.source.ruleSet} holds the report now: ${rebuilt.result.reason}`,
    };
  const journal = rebuilt.result.journals.find((j) => j.jobId === reversed);
  if (!journal)
    return { missing: `re-mapping with ${job.source.ruleSet} does not give job ${reversed} any more` };
  const asPosted =
    job.kind === 'reversal'
      ? reverseJournal(journal, { generation: job.generation, documentNumber: job.reverses!.documentNumber })
      : journal;
  const out = job.glDate ? { ...asPosted, glDate: job.glDate } : asPosted;
  return rebuilt.rows ? { journal: out, rows: rebuilt.rows } : { journal: out };
}

/** The generation a part's job id belongs to: `…:r<n>` is n, else 1. */
export function generationOfPart(jobId: string): number {
  const match = /:r(\d+)$/.exec(jobId);
  return match ? Number(match[1]) : 1;
}

export function formatRanges(ranges: readonly RowRange[]): string {
  return ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ');
}

export interface JournalLineage {
  jobId: string;
  generation: number;
  kind: 'part' | 'reversal';
  reverses?: { jobId: string; documentNumber: string };
  state: string;
  document?: string;
  source: { rawDocumentId: string; ruleSet: string } | null;
  /** Why the lines cannot be shown, when they cannot. */
  unavailable?: string;
  glDate?: string;
  lines?: Array<{
    line: number;
    account: string;
    subledger?: string;
    amount: string;
    explanation: string;
    rowCount: number;
    rows: string;
    rowDetails?: Array<{
      row: number;
      transactionType: string;
      amountType: string;
      amountDescription: string;
      amount: string;
      orderId: string | null;
    }>;
  }>;
  /** The clearing line: what the journal moved on the deposit (reversals negative). */
  deposit?: string;
}

/**
 * Each journal of the settlement with its lines and the rows that made each line (recomputed, see
 * the module comment), and the deposit net of every posted journal: reversed generations net to
 * zero, so it equals the settlement total when the settlement stands posted once.
 */
export async function lineageReport(
  db: Db,
  record: SettlementRecord,
  history: History,
  withRows: boolean,
): Promise<{ journals: JournalLineage[]; postedDeposit: string | null }> {
  const currency = record.currency ?? 'USD';
  const money = (minor: bigint) => formatMinor(minor, currency);
  const cache = new Map<string, Promise<Rebuilt>>();
  const journals: JournalLineage[] = [];
  let net: bigint | null = 0n;
  for (const job of history.jobs) {
    const entry: JournalLineage = {
      jobId: job.jobId,
      generation: job.generation,
      kind: job.kind,
      state: job.state,
      source: job.source,
    };
    if (job.reverses) entry.reverses = job.reverses;
    if (job.documentNumber)
      entry.document = `${job.company ?? '?'} ${job.documentType ?? '?'} ${job.documentNumber}`;
    const found = await journalOf(db, record.connectionId, job, withRows, cache);
    if ('missing' in found) {
      entry.unavailable = found.missing;
      if (job.state === 'posted') net = null;
      journals.push(entry);
      continue;
    }
    const { journal, rows } = found;
    entry.glDate = journal.glDate;
    entry.deposit = money(journal.totals.deposit);
    if (job.state === 'posted' && net !== null) net += journal.totals.deposit;
    entry.lines = journal.lines.map((line) => {
      const out: NonNullable<JournalLineage['lines']>[number] = {
        line: line.lineNumber,
        account: line.accountText,
        amount: money(line.amount),
        explanation: line.explanation,
        rowCount: line.lineage.rowCount,
        rows: formatRanges(line.lineage.rowNumbers ?? []),
      };
      if (line.subledger) out.subledger = `${line.subledger.type}/${line.subledger.value}`;
      if (rows) {
        out.rowDetails = expandRowRanges(line.lineage.rowNumbers ?? []).map((n) => {
          const row = rows.get(n);
          return {
            row: n,
            transactionType: row?.transactionType ?? '?',
            amountType: row?.amountType ?? '?',
            amountDescription: row?.amountDescription ?? '?',
            amount: row ? money(row.amount) : '?',
            orderId: row?.orderId ?? null,
          };
        });
      }
      return out;
    });
    journals.push(entry);
  }
  return { journals, postedDeposit: net === null ? null : money(net) };
}

/** lineageReport as text for `settlement show`. */
export function lineageText(
  report: Awaited<ReturnType<typeof lineageReport>>,
  record: SettlementRecord,
): string[] {
  const lines: string[] = [];
  if (report.journals.length === 0) return ['  (no journals yet: not mapped)'];
  for (const j of report.journals) {
    const what =
      j.kind === 'reversal'
        ? `reversal of ${j.reverses!.jobId} (JDE document ${j.reverses!.documentNumber})`
        : 'journal';
    lines.push(
      '',
      `  generation ${j.generation} ${what} ${j.jobId}: ${j.document ?? j.state}${j.glDate ? `, G/L ${j.glDate}` : ''}`,
      `    from ${j.source ? `report ${j.source.rawDocumentId} mapped by ${j.source.ruleSet}` : '(no source recorded)'}`,
    );
    if (j.unavailable) {
      lines.push(`    lines and rows NOT AVAILABLE: ${j.unavailable}`);
      continue;
    }
    lines.push(
      ...renderTable(
        ['    line', 'account', 'amount', 'rows', 'row numbers', 'explanation'],
        (j.lines ?? []).map((l) => [
          `    ${l.line}`,
          l.subledger ? `${l.account} ${l.subledger}` : l.account,
          l.amount,
          String(l.rowCount),
          l.rows || '-',
          l.explanation,
        ]),
        [2, 3],
      ),
    );
    for (const l of j.lines ?? []) {
      if (!l.rowDetails || l.rowDetails.length === 0) continue;
      lines.push(`    rows of line ${l.line}:`);
      lines.push(
        ...renderTable(
          ['      row', 'transaction type', 'amount type', 'description', 'amount', 'order id'],
          l.rowDetails.map((r) => [
            `      ${r.row}`,
            r.transactionType,
            r.amountType,
            r.amountDescription,
            r.amount,
            r.orderId ?? '-',
          ]),
          [4],
        ),
      );
    }
  }
  lines.push(
    '',
    report.postedDeposit === null
      ? '  posted deposit: cannot be totalled (a posted journal cannot be reproduced, see above)'
      : `  posted deposit, net of reversals: ${report.postedDeposit} ${record.currency ?? ''} (settlement total ${record.totalAmount ?? '-'})`,
  );
  return lines;
}
