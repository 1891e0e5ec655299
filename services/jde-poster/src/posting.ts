/**
 * Posting one proposed journal to JDE at most once: the journal as a JDE entry, posted through
 * the shared exactly-once machinery (exactly-once.ts: jobs, claims, leases, the F0911 read-back),
 * and the JDE document announced as a posted event.
 *
 * Business rejections (unknown or non-postable account, closed period, unbalanced entry) end the
 * job as `rejected`; the caller dead-letters the message with JDE's words. JDE writes a journal
 * entry whole or not at all, so nothing is half-posted.
 */
import { type JournalEntry, jobReference } from '@mlc/ais';
import type { JournalPostedV1, JournalProposedV1 } from '@mlc/events';
import { formatMinor, parseDecimalToMinor } from '@mlc/money';
import { type PostedResult, type PostingDeps, postEntryOnce } from './exactly-once.js';

export {
  AttemptInFlight,
  JournalRejected,
  type JournalTarget,
  type PostingDeps,
} from './exactly-once.js';

export type PostingOutcome =
  | { kind: 'posted'; event: JournalPostedV1 }
  | { kind: 'already-posted'; event: JournalPostedV1 | null }
  | { kind: 'already-rejected'; reason: string };

/** Posts the journal unless its job is already settled; see exactly-once.ts for the guarantees. */
export async function postJournal(journal: JournalProposedV1, deps: PostingDeps): Promise<PostingOutcome> {
  const outcome = await postEntryOnce(
    {
      jobId: journal.jobId,
      kind: 'journal',
      connectionId: journal.connectionId,
      settlementId: journal.settlementId,
      auditPrefix: 'journal',
      entry: toJournalEntry(journal),
    },
    deps,
  );
  switch (outcome.kind) {
    case 'posted':
      return { kind: 'posted', event: postedEvent(journal, outcome.result) };
    case 'already-posted':
      return { kind: 'already-posted', event: outcome.result ? postedEvent(journal, outcome.result) : null };
    default:
      return outcome;
  }
}

/** The proposed journal as the AIS client's journal entry: amounts back to minor units. */
export function toJournalEntry(journal: JournalProposedV1): JournalEntry {
  return {
    company: journal.company,
    documentType: journal.documentType,
    glDate: journal.glDate,
    explanation: journal.explanation,
    currency: journal.currency,
    reference: jobReference(journal.jobId),
    lines: journal.lines.map((line) => {
      const entryLine: JournalEntry['lines'][number] = {
        account: line.account,
        amountMinor: parseDecimalToMinor(line.amount, journal.currency, { decimalSeparator: '.' }),
        explanation: line.explanation,
      };
      if (line.subledger) entryLine.subledger = line.subledger;
      if (line.subledgerType) entryLine.subledgerType = line.subledgerType;
      return entryLine;
    }),
  };
}

function postedEvent(journal: JournalProposedV1, result: PostedResult): JournalPostedV1 {
  let debits = 0n;
  for (const line of journal.lines) {
    const minor = parseDecimalToMinor(line.amount, journal.currency, { decimalSeparator: '.' });
    if (minor > 0n) debits += minor;
  }
  return {
    jobId: journal.jobId,
    connectionId: journal.connectionId,
    settlementId: journal.settlementId,
    company: result.company,
    documentType: result.documentType,
    documentNumber: result.documentNumber,
    batchNumber: result.batchNumber || '0',
    currency: journal.currency,
    debitTotal: formatMinor(debits, journal.currency),
    postedAt: result.postedAt,
  };
}
