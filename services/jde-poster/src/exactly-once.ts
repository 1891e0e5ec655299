/**
 * Posting one entry to JDE at most once — the machinery journals and memo entries share.
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
 * job as `rejected` before the caller dead-letters the message; a redelivered message of a
 * rejected job comes back as `already-rejected`, and the caller dead-letters it again (the first
 * dead letter may never have been written). JDE writes an entry whole or not at all.
 */
import { AisError, type JournalEntry, type JournalEntryResult } from '@mlc/ais';
import { appendAudit, claimAttempt, ensureJob, getClaim, type Job, updateJob } from '@mlc/mongo';
import type { Connection } from 'mongoose';

/** What the poster needs of an AIS client for one kind of entry. */
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

export interface PostedResult {
  documentNumber: string;
  documentType: string;
  company: string;
  batchNumber: string;
  /** How the job was found posted: the orchestration's answer, or the F0911 read-back. */
  via: 'orchestration' | 'read-back';
  postedAt: string;
}

/** One entry to post once: its job and what to send. */
export interface EntryJob {
  jobId: string;
  /** The job's kind in `jobs` (journal, daily-sales). */
  kind: string;
  connectionId: string;
  settlementId?: string;
  /** Audit actions are `<auditPrefix>.posting`, `.posted`, `.rejected`, `.retry`, `.attempt-failed`. */
  auditPrefix: string;
  /** The entry; its `reference` is what the read-back looks for. */
  entry: JournalEntry;
}

export type EntryOutcome =
  | { kind: 'posted'; result: PostedResult }
  | { kind: 'already-posted'; result: PostedResult | null }
  | { kind: 'already-rejected'; reason: string };

/** Posts the entry unless its job is already settled; see the module comment for the guarantees. */
export async function postEntryOnce(work: EntryJob, deps: PostingDeps): Promise<EntryOutcome> {
  const { db, target, holder } = deps;
  const actor = deps.actor ?? 'jde-poster';
  const now = deps.now ?? (() => new Date());
  const { jobId, auditPrefix } = work;
  const audit = (action: string, detail: Record<string, unknown> = {}) =>
    appendAudit(db, {
      actor,
      action: `${auditPrefix}.${action}`,
      connectionId: work.connectionId,
      ...(work.settlementId ? { settlementId: work.settlementId } : {}),
      jobId,
      detail,
    });
  const posted = async (found: Omit<PostedResult, 'postedAt'>): Promise<EntryOutcome> => {
    const result: PostedResult = { ...found, postedAt: now().toISOString() };
    // The audit before the state: killed in between, the job is still `posting` and the next
    // delivery reads F0911 back and audits it again; the other way round the trail would lose it.
    await audit('posted', { ...result });
    await updateJob(db, jobId, { state: 'posted', result: { ...result } });
    return { kind: 'posted', result };
  };

  for (;;) {
    const job: Job = await ensureJob(db, {
      jobId,
      kind: work.kind,
      connectionId: work.connectionId,
      ...(work.settlementId ? { settlementId: work.settlementId } : {}),
    });
    if (job.state === 'posted')
      return { kind: 'already-posted', result: (job.result as unknown as PostedResult) ?? null };
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
      const found = await readBack(work, target);
      if (found) return posted({ ...found, via: 'read-back' });
      await audit('retry', { reason: 'not found in F0911 after an unknown outcome', attempt: job.attempts });
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
      const found = await readBack(work, target);
      if (found) return posted({ ...found, via: 'read-back' });
      await audit('retry', { reason: 'not found in F0911 after an unrecorded attempt', attempt });
      attempt++;
    }
    await updateJob(db, jobId, { state: 'posting', attempts: attempt });
    await audit('posting', { attempt, lines: work.entry.lines.length });

    let answer: JournalEntryResult;
    try {
      answer = await target.postJournalEntry(work.entry);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof AisError && (error.kind === 'business' || error.kind === 'validation')) {
        await audit('rejected', { kind: error.kind, message });
        await updateJob(db, jobId, { state: 'rejected', lastError: message });
        throw new JournalRejected(message);
      }
      // Refused before JDE did anything (444 twice, 403, config): the job is simply pending again.
      // Otherwise it stays `posting` and the next attempt reads F0911 first.
      const knownNotWritten = error instanceof AisError && !error.outcomeUnknown;
      await updateJob(db, jobId, { state: knownNotWritten ? 'pending' : 'posting', lastError: message });
      await audit('attempt-failed', { attempt, outcomeUnknown: !knownNotWritten, message });
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
  work: EntryJob,
  target: JournalTarget,
): Promise<Omit<PostedResult, 'via' | 'postedAt'> | null> {
  const { documents } = await target.findJournalEntry(work.entry.reference, {
    company: work.entry.company,
    documentType: work.entry.documentType ?? 'JE',
  });
  const [first, ...more] = documents;
  if (!first) return null;
  if (more.length > 0) {
    // Two documents for one job would mean a double posting happened outside our control.
    throw new Error(
      `job ${work.jobId}: F0911 holds ${documents.length} documents with this reference (${documents.map((d) => d.documentNumber).join(', ')}); an operator must reconcile`,
    );
  }
  return {
    documentNumber: String(first.documentNumber),
    documentType: first.documentType,
    company: first.documentCompany,
    batchNumber: String(first.batchNumber),
  };
}
