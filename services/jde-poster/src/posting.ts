/**
 * Posting one proposed journal to JDE at most once.
 *
 * JDE has no idempotency key, so "at most once" rests on three things:
 * - the job (libs/mongo jobs): unique per job id, pending → posting → posted | rejected;
 * - claims: attempt k of a job belongs to whoever inserts its claim first (an insert under a unique
 *   key is atomic on MongoDB and on FerretDB, where conditional updates are not), and only the
 *   claimant calls JDE and writes the job;
 * - the F0911 read-back: whenever an attempt's outcome is unknown (no answer, a 5xx after
 *   sending, a crash), F0911 is read for the job's reference before another attempt is claimed —
 *   found means posted, with JDE's document number.
 * An attempt of another process is given its lease (the AIS timeout plus a margin) to finish
 * before anyone reads back for it, so a slow call still running elsewhere is never posted again.
 *
 * Business rejections (unknown or non-postable account, closed period, unbalanced entry) end the
 * job as `rejected`; the caller dead-letters the message with JDE's words. JDE writes a journal
 * entry whole or not at all, so nothing is half-posted.
 */
import { AisError, type JournalEntry, type JournalEntryResult, jobReference } from '@mlc/ais';
import type { JournalPostedV1, JournalProposedV1 } from '@mlc/events';
import { formatMinor, parseDecimalToMinor } from '@mlc/money';
import { appendAudit, claimAttempt, ensureJob, getClaim, type Job, updateJob } from '@mlc/mongo';
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

/** Another process's attempt may still be running; try again after its lease. */
export class AttemptInFlight extends Error {
  override name = 'AttemptInFlight';
}

export type PostingOutcome =
  | { kind: 'posted'; event: JournalPostedV1 }
  | { kind: 'already-posted'; event: JournalPostedV1 | null }
  | { kind: 'already-rejected'; reason: string };

export interface PostingDeps {
  db: Connection;
  target: JournalTarget;
  /** This process's id in claims. */
  holder: string;
  /** How long another process's attempt may still be running (AIS timeout plus a margin). */
  leaseMs: number;
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
  const { db, target, holder } = deps;
  const actor = deps.actor ?? 'jde-poster';
  const now = deps.now ?? (() => new Date());
  const { jobId } = journal;
  const audit = (action: string, detail: Record<string, unknown> = {}) =>
    appendAudit(db, {
      actor,
      action,
      connectionId: journal.connectionId,
      settlementId: journal.settlementId,
      jobId,
      detail,
    });
  const posted = async (found: Omit<PostedResult, 'postedAt'>): Promise<PostingOutcome> => {
    const result: PostedResult = { ...found, postedAt: now().toISOString() };
    await updateJob(db, jobId, { state: 'posted', result: { ...result } });
    await audit('journal.posted', { ...result });
    return { kind: 'posted', event: postedEvent(journal, result) };
  };

  for (;;) {
    const job: Job = await ensureJob(db, {
      jobId,
      kind: 'journal',
      connectionId: journal.connectionId,
      settlementId: journal.settlementId,
    });
    if (job.state === 'posted') {
      return {
        kind: 'already-posted',
        event: job.result ? postedEvent(journal, job.result as unknown as PostedResult) : null,
      };
    }
    if (job.state === 'rejected') return { kind: 'already-rejected', reason: job.lastError ?? 'rejected' };

    if (job.state === 'posting') {
      // The last attempt's outcome is unknown. Let it finish if it may still be running elsewhere,
      // then ask JDE rather than our memory of it.
      const claim = await getClaim(db, jobId, job.attempts);
      const age = claim ? now().getTime() - new Date(claim.claimedAt).getTime() : Number.POSITIVE_INFINITY;
      if (claim && claim.holder !== holder && age < deps.leaseMs) {
        throw new AttemptInFlight(
          `job ${jobId}: attempt ${job.attempts} of ${claim.holder} may still be running (${Math.round(age / 1000)} s of ${Math.round(deps.leaseMs / 1000)} s lease)`,
        );
      }
      const found = await readBack(journal, target);
      if (found) return posted({ ...found, via: 'read-back' });
      await audit('journal.retry', {
        reason: 'not found in F0911 after an unknown outcome',
        attempt: job.attempts,
      });
    }

    let attempt = job.attempts + 1;
    // A claimant records its attempt on the job right after claiming it; one killed in between never
    // does, and its claim would block every later attempt. So a claim the job does not show is settled
    // like an unknown outcome: given its lease, then F0911 is read before the next attempt is claimed.
    while (!(await claimAttempt(db, jobId, attempt, holder))) {
      const claim = await getClaim(db, jobId, attempt);
      const age = claim ? now().getTime() - new Date(claim.claimedAt).getTime() : Number.POSITIVE_INFINITY;
      if (claim && claim.holder !== holder && age < deps.leaseMs) {
        throw new AttemptInFlight(
          `job ${jobId}: attempt ${attempt} was claimed by ${claim.holder} ${Math.round(age / 1000)} s ago (lease ${Math.round(deps.leaseMs / 1000)} s)`,
        );
      }
      const found = await readBack(journal, target);
      if (found) return posted({ ...found, via: 'read-back' });
      await audit('journal.retry', { reason: 'not found in F0911 after an unrecorded attempt', attempt });
      attempt++;
    }
    await updateJob(db, jobId, { state: 'posting', attempts: attempt });
    await audit('journal.posting', { attempt, lines: journal.lines.length });

    let answer: JournalEntryResult;
    try {
      answer = await target.postJournalEntry(toJournalEntry(journal));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof AisError && (error.kind === 'business' || error.kind === 'validation')) {
        await updateJob(db, jobId, { state: 'rejected', lastError: message });
        await audit('journal.rejected', { kind: error.kind, message });
        throw new JournalRejected(message);
      }
      // Refused before JDE did anything (444 twice, 403, config): the job is simply pending again.
      // Otherwise it stays `posting` and the next attempt reads F0911 first.
      const knownNotWritten = error instanceof AisError && !error.outcomeUnknown;
      await updateJob(db, jobId, { state: knownNotWritten ? 'pending' : 'posting', lastError: message });
      await audit('journal.attempt-failed', { attempt, outcomeUnknown: !knownNotWritten, message });
      throw error;
    }
    return posted({
      documentNumber: String(answer.documentNumber),
      documentType: answer.documentType,
      company: answer.documentCompany,
      batchNumber: String(answer.batchNumber ?? ''),
      via: 'orchestration',
    });
  }
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
