/**
 * Posting one proposed journal to JDE at most once.
 *
 * JDE has no idempotency key, so "at most once" rests on two things: the job document (unique job
 * id, conditional state transitions in MongoDB) and the F0911 read-back. The job moves
 * pending → posting before the orchestration is called; whenever the outcome of a call is unknown
 * (no answer, timeout, 5xx after sending), or a job is found still `posting` after a crash, F0911
 * is read for the job's reference before anything else happens: found means posted (with JDE's
 * document number), not found means the write did not happen and the job goes back to pending.
 *
 * Business rejections (unknown or non-postable account, closed period, unbalanced entry) end the
 * job as `rejected`; the caller dead-letters the message with JDE's words. Nothing is half-posted:
 * JDE writes a journal entry whole or not at all.
 */
import type { JournalEntry, JournalEntryResult } from '@mlc/ais';
import { AisError, jobReference } from '@mlc/ais';
import type { JournalPostedV1, JournalProposedV1 } from '@mlc/events';
import { formatMinor, parseDecimalToMinor } from '@mlc/money';
import { appendAudit, ensureJob, type Job, jobModel, transitionJob } from '@mlc/mongo';
import type { Connection } from 'mongoose';

/** What jde-poster needs of an AIS client (AisClient from @mlc/ais satisfies it). */
export interface JournalTarget {
  postJournalEntry(entry: JournalEntry): Promise<JournalEntryResult>;
  findJournalEntry(
    reference: string,
    scope?: { company?: string; documentType?: string; glDate?: string },
  ): Promise<{
    documents: Array<{
      documentNumber: number;
      documentType: string;
      documentCompany: string;
      batchNumber: number;
    }>;
  }>;
}

export class JournalRejected extends Error {
  override name = 'JournalRejected';
}

export type PostingOutcome =
  | { kind: 'posted'; event: JournalPostedV1 }
  | { kind: 'already-posted'; event: JournalPostedV1 | null }
  | { kind: 'already-rejected'; reason: string };

export interface PostingDeps {
  db: Connection;
  target: JournalTarget;
  actor?: string;
  now?: () => Date;
}

interface PostedResult {
  documentNumber: string;
  documentType: string;
  company: string;
  batchNumber: string;
  /** How the job was found posted: the orchestration's answer, or the F0911 read-back. */
  via: 'orchestration' | 'read-back';
  postedAt: string;
}

/** Posts the journal unless its job is already settled; see the module comment for the guarantees. */
export async function postJournal(journal: JournalProposedV1, deps: PostingDeps): Promise<PostingOutcome> {
  const { db, target } = deps;
  const actor = deps.actor ?? 'jde-poster';
  const now = deps.now ?? (() => new Date());
  const audit = (action: string, detail: Record<string, unknown> = {}) =>
    appendAudit(db, {
      actor,
      action,
      connectionId: journal.connectionId,
      settlementId: journal.settlementId,
      jobId: journal.jobId,
      detail,
    });

  let job = await ensureJob(db, {
    jobId: journal.jobId,
    kind: 'journal',
    connectionId: journal.connectionId,
    settlementId: journal.settlementId,
  });

  for (;;) {
    switch (job.state) {
      case 'posted':
        return {
          kind: 'already-posted',
          event: job.result ? postedEvent(journal, job.result as unknown as PostedResult) : null,
        };
      case 'rejected':
        return { kind: 'already-rejected', reason: job.lastError ?? 'rejected' };
      case 'posting': {
        // A previous attempt may have written the entry: JDE decides, not our memory of it.
        const found = await readBack(journal, target);
        if (found) {
          const result = { ...found, via: 'read-back' as const, postedAt: now().toISOString() };
          await transitionJob(db, journal.jobId, ['posting'], 'posted', { result: { ...result } });
          await audit('journal.posted', { ...result });
          return { kind: 'posted', event: postedEvent(journal, result) };
        }
        await transitionJob(db, journal.jobId, ['posting'], 'pending', {
          lastError: 'not in F0911 after an unknown outcome',
        });
        await audit('journal.retry', { reason: 'not found in F0911 after an unknown outcome' });
        job = await reload(db, journal.jobId);
        continue;
      }
      case 'pending': {
        const claimed = await transitionJob(
          db,
          journal.jobId,
          ['pending'],
          'posting',
          {},
          { countAttempt: true },
        );
        if (!claimed) {
          job = await reload(db, journal.jobId);
          continue;
        }
        await audit('journal.posting', { attempt: claimed.attempts, lines: journal.lines.length });
        let answer: JournalEntryResult;
        try {
          answer = await target.postJournalEntry(toJournalEntry(journal));
        } catch (error) {
          if (error instanceof AisError && (error.kind === 'business' || error.kind === 'validation')) {
            await transitionJob(db, journal.jobId, ['posting'], 'rejected', { lastError: error.message });
            await audit('journal.rejected', { kind: error.kind, message: error.message });
            throw new JournalRejected(error.message);
          }
          if (error instanceof AisError && !error.outcomeUnknown) {
            // Refused before JDE did anything (444 twice, 403, config): safe to try again later.
            await transitionJob(db, journal.jobId, ['posting'], 'pending', { lastError: error.message });
          }
          // Otherwise the job stays `posting`: the next attempt reads F0911 first.
          await audit('journal.attempt-failed', {
            message: error instanceof Error ? error.message : String(error),
          });
          throw error;
        }
        const result: PostedResult = {
          documentNumber: String(answer.documentNumber),
          documentType: answer.documentType,
          company: answer.documentCompany,
          batchNumber: String(answer.batchNumber ?? ''),
          via: 'orchestration',
          postedAt: now().toISOString(),
        };
        await transitionJob(db, journal.jobId, ['posting'], 'posted', { result: { ...result } });
        await audit('journal.posted', { ...result });
        return { kind: 'posted', event: postedEvent(journal, result) };
      }
    }
  }
}

async function reload(db: Connection, jobId: string): Promise<Job> {
  const job = await jobModel(db).findOne({ jobId }).lean().exec();
  if (!job) throw new Error(`job ${jobId} disappeared`);
  return job as Job;
}

async function readBack(
  journal: JournalProposedV1,
  target: JournalTarget,
): Promise<Omit<PostedResult, 'via' | 'postedAt'> | null> {
  const { documents } = await target.findJournalEntry(jobReference(journal.jobId), {
    company: journal.company,
    documentType: journal.documentType,
  });
  const [first, ...more] = documents;
  if (!first) return null;
  if (more.length > 0) {
    // Two documents for one job would mean a double posting happened outside our control.
    throw new Error(
      `job ${journal.jobId}: F0911 holds ${documents.length} documents with this reference (${documents.map((d) => d.documentNumber).join(', ')}); an operator must reconcile`,
    );
  }
  return {
    documentNumber: String(first.documentNumber),
    documentType: first.documentType,
    company: first.documentCompany,
    batchNumber: String(first.batchNumber),
  };
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
