/**
 * Posting a proposed day of sales (or an adjustment of it) to the connection's JDE memo ledger
 * through the memo orchestration, at most once per job id — with the same jobs, claims, leases
 * and F0911 read-back as journals (exactly-once.ts). The orchestration's name, input names and
 * reference field come from the connection's daily sales settings (libs/store), the entry itself
 * (company, ledger type, accounts, amounts) from the proposal that mapping made.
 *
 * A rejection dead-letters the message with JDE's words, and so does every redelivery of a
 * rejected job (rejections.ts).
 */
import { type AisClient, type JournalEntry, jobReference, postMemoEntry, resolveMemoMapping } from '@mlc/ais';
import type { DailySalesProposedV1 } from '@mlc/events';
import { parseDecimalToMinor } from '@mlc/money';
import { readDailySalesSettings } from '@mlc/store';
import {
  type EntryOutcome,
  JournalRejected,
  type JournalTarget,
  type PostingDeps,
  postEntryOnce,
} from './exactly-once.js';
import { rejectedDeadLetter } from './rejections.js';

/** The proposal as a memo entry: the memo ledger type, amounts back to minor units. */
export function toMemoEntry(proposal: DailySalesProposedV1): JournalEntry {
  return {
    company: proposal.company,
    documentType: proposal.documentType,
    ledgerType: proposal.ledgerType,
    glDate: proposal.day,
    explanation: proposal.explanation,
    currency: proposal.currency,
    reference: jobReference(proposal.jobId),
    lines: proposal.lines.map((line) => ({
      account: line.account,
      amountMinor: parseDecimalToMinor(line.amount, proposal.currency, { decimalSeparator: '.' }),
      explanation: line.explanation,
    })),
  };
}

/** What posting a memo entry needs of the connection's AIS client (AisClient satisfies it). */
export type MemoClient = Pick<AisClient, 'dateFormat' | 'orchestrate' | 'findJournalEntry'>;

export interface DailySalesPostingDeps extends Omit<PostingDeps, 'target'> {
  client: MemoClient;
  /** Wraps each AIS call (the service's breaker and concurrency guard); default: none. */
  guard?: <T>(call: () => Promise<T>) => Promise<T>;
}

/** Posts the proposal once; throws a DeadLetter when JDE rejected it, now or on an earlier delivery. */
export async function postDailySales(
  proposal: DailySalesProposedV1,
  deps: DailySalesPostingDeps,
): Promise<EntryOutcome> {
  const { client } = deps;
  const guard = deps.guard ?? ((call) => call());
  const settings = await readDailySalesSettings(deps.db, proposal.connectionId);
  const mapping = resolveMemoMapping(settings?.orchestration ?? {});
  const target: JournalTarget = {
    postJournalEntry: (entry) => guard(() => postMemoEntry(client, entry, mapping)),
    findJournalEntry: (reference, scope) =>
      guard(() => client.findJournalEntry(reference, { ...scope, referenceField: mapping.referenceField })),
  };
  let outcome: EntryOutcome;
  try {
    outcome = await postEntryOnce(
      {
        jobId: proposal.jobId,
        kind: 'daily-sales',
        connectionId: proposal.connectionId,
        auditPrefix: 'daily-sales',
        entry: toMemoEntry(proposal),
      },
      { ...deps, target },
    );
  } catch (error) {
    if (error instanceof JournalRejected) throw rejectedDeadLetter(proposal.jobId, error.message);
    throw error;
  }
  if (outcome.kind === 'already-rejected') throw rejectedDeadLetter(proposal.jobId, outcome.reason);
  return outcome;
}
