/**
 * Mapping one announced settlement into journals proposed to jde-poster.
 *
 *   settlement record → rule set (the connection's newest, else the default rules) → the row
 *   groups amazon-ingest stored with the raw document (else the raw document streamed through the
 *   parser) into the journal builder → check every account → propose one journal per part on
 *   ledger.journal.proposed.v1 → mark the settlement `proposed`.
 *
 * The groups give the same journals as the rows (libs/mapping/test/row-groups.test.ts) without a
 * second parse of a report that may hold a million rows; the rows themselves are read only for
 * documents without stored groups (stored before they existed, or too many distinct groups).
 *
 * Idempotent: a settlement already proposed, posted or rejected is left alone (a replay of
 * amazon.settlement.available.v1 proposes nothing new); a crash after some proposals re-proposes
 * the same deterministic job ids, which jde-poster posts at most once. A settlement that cannot be
 * posted as it is — unmapped rows under the `hold` policy, a currency the connection does not
 * allow, an account JDE does not have or cannot post to — is held with a readable reason.
 */
import type { JournalProposedV1, SettlementAvailableV1, Topics } from '@mlc/events';
import { DeadLetter, type EventPublisher } from '@mlc/kafka';
import {
  type AccountLookup,
  buildJournals,
  defaultRuleSet,
  type Journal,
  parseRuleSet,
  type RuleSet,
  validateAccounts,
} from '@mlc/mapping';
import { formatMinor, parseDecimalToMinor } from '@mlc/money';
import { appendAudit } from '@mlc/mongo';
import { SettlementParseError, SettlementReader } from '@mlc/settlement';
import {
  latestRuleSet,
  readRawDocument,
  readRowGroups,
  setSettlementStatus,
  settlementModel,
} from '@mlc/store';
import type { Connection } from 'mongoose';
import { Counter, type Registry } from 'prom-client';

export interface MappingMetrics {
  settlements: Counter<'outcome'>;
  unmappedRows: Counter<'policy'>;
}

export function createMappingMetrics(registry: Registry): MappingMetrics {
  return {
    settlements: new Counter({
      name: 'mlc_mapping_settlements_total',
      help: 'Settlements mapped, by outcome (proposed, held, skipped).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    unmappedRows: new Counter({
      name: 'mlc_mapping_unmapped_rows_total',
      help: 'Settlement rows no rule matched, by the policy applied (suspense or hold).',
      labelNames: ['policy'],
      registers: [registry],
    }),
  };
}

export interface MappingDeps {
  db: Connection;
  publisher: EventPublisher;
  topics: Pick<Topics, 'journalProposed'>;
  metrics: MappingMetrics;
  /**
   * Looks accounts up in JDE's account master, no older than maxAgeMs when given; null skips the
   * check (MLC_ACCOUNT_CHECK=off).
   */
  accounts: ((connectionId: string, maxAgeMs?: number) => AccountLookup | Promise<AccountLookup>) | null;
  now?: () => Date;
}

export type MappingOutcome =
  | { kind: 'proposed'; jobIds: string[] }
  | { kind: 'held'; reason: string }
  | { kind: 'skipped'; status: string };

export async function mapSettlement(
  event: SettlementAvailableV1,
  deps: MappingDeps,
): Promise<MappingOutcome> {
  const { db, publisher, metrics, topics } = deps;
  const key = { connectionId: event.connectionId, settlementId: event.settlementId };
  const audit = (action: string, detail: Record<string, unknown>) =>
    appendAudit(db, { actor: 'mapping', action, ...key, detail });

  const record = await settlementModel(db).findOne(key).lean().exec();
  if (!record)
    throw new DeadLetter(`settlement ${event.settlementId} of ${event.connectionId} is not recorded`);
  if (record.status !== 'announced' && record.status !== 'received') {
    metrics.settlements.inc({ outcome: 'skipped' });
    return { kind: 'skipped', status: record.status };
  }

  const ruleSet = await ruleSetFor(db, event.connectionId);
  let result: Awaited<ReturnType<typeof buildJournals>>;
  const groups = await readRowGroups(db, event.rawDocumentId);
  if (groups && record.currency && record.totalAmount && record.startDate && record.endDate) {
    const summary = {
      settlementId: record.settlementId,
      startDate: record.startDate.toISOString(),
      endDate: record.endDate.toISOString(),
      depositDate: (record.depositDate ?? record.endDate).toISOString(),
      totalAmount: parseDecimalToMinor(record.totalAmount, record.currency, { decimalSeparator: '.' }),
      currency: record.currency,
    };
    result = await buildJournals(summary, { groups }, ruleSet);
  } else {
    const reader = new SettlementReader(readRawDocument(db, event.rawDocumentId), {
      fileName: `settlement ${event.settlementId}`,
    });
    try {
      const summary = await reader.summary();
      result = await buildJournals(summary, reader, ruleSet);
    } catch (error) {
      if (!(error instanceof SettlementParseError)) throw error;
      return hold(`the stored report no longer parses: ${error.message}`, {});
    }
  }

  for (const group of result.unmapped)
    metrics.unmappedRows.inc({ policy: ruleSet.unmappedPolicy }, group.rowCount);
  if (result.status === 'held')
    return hold(result.reason, { code: result.code, unmapped: describeUnmapped(result.unmapped) });

  if (deps.accounts) {
    let issues = await validateAccounts(result.journals, await deps.accounts(event.connectionId));
    // Before holding, look again at a fresh read: the account may have been added in JDE just now.
    if (issues.length > 0)
      issues = await validateAccounts(result.journals, await deps.accounts(event.connectionId, 0));
    if (issues.length > 0) {
      return hold(`JDE accounts not usable: ${issues.map((i) => `${i.account} ${i.reason}`).join('; ')}`, {
        code: 'account-check',
      });
    }
  }

  const proposedAt = (deps.now?.() ?? new Date()).toISOString();
  for (const journal of result.journals) {
    await publisher.publish(
      topics.journalProposed,
      `${key.connectionId}:${key.settlementId}`,
      toEvent(journal, proposedAt, event.rawDocumentId),
    );
  }
  const jobIds = result.journals.map((j) => j.jobId);
  // The audit before the status: killed in between, the redelivered event finds the settlement
  // still `announced` and proposes (and audits) again; the other way round the trail would lose it.
  await audit('settlement.proposed', {
    ruleSet: `${ruleSet.id}@${ruleSet.version}`,
    parts: jobIds.length,
    jobIds,
    suspenseRows: result.unmapped.reduce((n, g) => n + g.rowCount, 0),
    unmapped: describeUnmapped(result.unmapped),
  });
  await setSettlementStatus(db, key, 'proposed', { jobIds });
  metrics.settlements.inc({ outcome: 'proposed' });
  return { kind: 'proposed', jobIds };

  async function hold(reason: string, detail: Record<string, unknown>): Promise<MappingOutcome> {
    await audit('settlement.held', { reason, ...detail });
    await setSettlementStatus(db, key, 'held', { reason });
    metrics.settlements.inc({ outcome: 'held' });
    return { kind: 'held', reason };
  }
}

async function ruleSetFor(db: Connection, connectionId: string): Promise<RuleSet> {
  const stored = await latestRuleSet(db, connectionId);
  return stored ? parseRuleSet(JSON.parse(stored.definition)) : defaultRuleSet(connectionId);
}

function describeUnmapped(
  groups: ReadonlyArray<{
    transactionType: string;
    amountType: string;
    amountDescription: string;
    rowCount: number;
  }>,
) {
  return groups.map(
    (g) => `${g.transactionType} / ${g.amountType} / ${g.amountDescription} (${g.rowCount} rows)`,
  );
}

/**
 * The journal as the event jde-poster consumes: amounts as decimal strings, each line's row count,
 * and the source (stored report + rule set version) that reproduces its row lineage.
 */
export function toEvent(journal: Journal, proposedAt: string, rawDocumentId: string): JournalProposedV1 {
  return {
    jobId: journal.jobId,
    connectionId: journal.connectionId,
    settlementId: journal.settlementId,
    part: { index: journal.part.index, count: journal.part.count, period: journal.part.period.id },
    company: journal.company,
    documentType: journal.documentType,
    glDate: journal.glDate,
    currency: journal.currency,
    explanation: journal.explanation,
    lines: journal.lines.map((line) => {
      const out: JournalProposedV1['lines'][number] = {
        account: line.accountText,
        amount: formatMinor(line.amount, journal.currency),
        explanation: line.explanation,
        lineage: { rowCount: line.lineage.rowCount },
      };
      if (line.subledger) {
        out.subledger = line.subledger.value;
        out.subledgerType = line.subledger.type;
      }
      return out;
    }),
    source: { rawDocumentId, ruleSet: `${journal.ruleSet.id}@${journal.ruleSet.version}` },
    proposedAt,
  };
}
