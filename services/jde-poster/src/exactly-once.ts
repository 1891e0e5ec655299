/**
 * Writing one thing to JDE at most once — the machinery journals, memo entries and F4104 cross
 * references share.
 *
 * JDE has no idempotency key, so "at most once" rests on three things:
 * - the job (libs/mongo jobs): unique per job id, pending → posting → posted | rejected;
 * - claims: attempt k of a job belongs to whoever inserts its claim first (an insert under a unique
 *   key is atomic on MongoDB and on FerretDB, where conditional updates are not), and only the
 *   claimant calls JDE and writes the job;
 * - the read-back: whenever an attempt's outcome is unknown (no answer, a 5xx after sending, a
 *   crash), JDE is read for what the job writes before another attempt is claimed — found means
 *   posted. For an entry that is F0911 by the job's reference (found: JDE's document number);
 *   for a cross reference, F4104 by its key (cross-references.ts).
 * An attempt of another process is given its lease (the AIS timeout plus a margin) to finish
 * before anyone reads back for it, so a slow call still running elsewhere is never sent again.
 *
 * Every settled outcome is audited BEFORE the job's state is written: a process killed in between
 * leaves the job `posting`, and the next delivery reads back and audits it again; the other way
 * round the trail would lose the event (the chaos suite saw it happen).
 *
 * Business rejections (unknown or non-postable account, closed period, unbalanced entry, an F4104
 * row JDE refuses) end the job as `rejected` before the caller dead-letters the message; a
 * redelivered message of a rejected job comes back as `already-rejected`, and the caller
 * dead-letters it again (the first dead letter may never have been written). JDE writes an entry
 * whole or not at all.
 *
 * `writeOnce` is the loop; what is sent, read back, verified and audited comes from its caller
 * (`OnceJob`). `postEntryOnce` is it for a journal or memo entry with the F0911 read-back.
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

/** What every job written once needs. */
export interface OnceDeps {
  db: Connection;
  /** This process's id in claims. */
  holder: string;
  /** How long another process's attempt may still be running (AIS timeout plus a margin). */
  leaseMs: number;
  actor?: string;
  now?: () => Date;
}

export interface PostingDeps extends OnceDeps {
  target: JournalTarget;
}

/** When a job reads JDE back for what it writes. */
export type ReadBackWhen = 'before' | 'after-unknown' | 'after-refusal';

/** A step of a job, as its caller names and details it in the audit trail. */
export type OnceStep<R> =
  /** Attempt `attempt` is claimed and recorded; JDE is called next. */
  | { step: 'attempt'; attempt: number }
  /** JDE holds the write (its answer, or a read-back); the job becomes `posted`. */
  | { step: 'done'; result: R }
  /** The job becomes `rejected`: JDE refused it (`refusal` is the AisError kind), or a check did. */
  | { step: 'rejected'; message: string; refusal?: 'business' | 'validation' }
  /** The read-back found nothing after an unknown outcome or an attempt the job never recorded. */
  | { step: 'retry'; attempt: number; after: 'unknown-outcome' | 'unrecorded-attempt' }
  /** The call failed without a verdict; the job stays `posting` (or `pending` when JDE did nothing). */
  | { step: 'attempt-failed'; attempt: number; outcomeUnknown: boolean; message: string };

/** One job to write once: its identity, and its caller's ways of sending, reading back and auditing. */
export interface OnceJob<R extends object> {
  jobId: string;
  /** The job's kind in `jobs` (journal, daily-sales, item-xref). */
  kind: string;
  connectionId: string;
  settlementId?: string;
  /** Calls JDE once; the answer as the job's result. A JDE refusal (AisError business / validation) rejects the job. */
  send(): Promise<R>;
  /** Reads JDE for what the job writes: the result when JDE holds it, null when it does not. */
  readBack(when: ReadBackWhen): Promise<R | null>;
  /** Checks a successful answer against JDE: a message rejects the job (JDE said yes but holds nothing). */
  verify?(result: R): Promise<string | undefined>;
  /** Read back before the first attempt too (the write may have been made by hand). Default: no. */
  readBackBeforeFirst?: boolean;
  /** Read back after a refusal: found ("record already exists") means done, not rejected. Default: no. */
  readBackAfterRefusal?: boolean;
  /** A reason not to call JDE at all, checked before an attempt is claimed: the job is rejected with it. */
  refuseBeforeSending?(): string | undefined;
  /** The audit event of a step; null leaves the step out of the trail. */
  audit(step: OnceStep<R>): { action: string; detail: Record<string, unknown> } | null;
  /** The error a rejection throws (the caller dead-letters on it). */
  rejection(message: string): Error;
}

export type OnceOutcome<R> =
  | { kind: 'posted'; result: R }
  | { kind: 'already-posted'; result: R | null }
  | { kind: 'already-rejected'; reason: string };

/** Writes the job unless it is already settled; see the module comment for the guarantees. */
export async function writeOnce<R extends object>(work: OnceJob<R>, deps: OnceDeps): Promise<OnceOutcome<R>> {
  const { db, holder } = deps;
  const actor = deps.actor ?? 'jde-poster';
  const now = deps.now ?? (() => new Date());
  const { jobId } = work;
  const audit = async (step: OnceStep<R>) => {
    const event = work.audit(step);
    if (!event) return;
    await appendAudit(db, {
      actor,
      action: event.action,
      connectionId: work.connectionId,
      ...(work.settlementId ? { settlementId: work.settlementId } : {}),
      jobId,
      detail: event.detail,
    });
  };
  // The audit before the state, in both endings: killed in between, the job is still `posting` (or
  // `pending`) and the next delivery reads back and audits it again; the other way round the trail
  // would lose it.
  const posted = async (result: R): Promise<OnceOutcome<R>> => {
    await audit({ step: 'done', result });
    await updateJob(db, jobId, { state: 'posted', result: { ...result } as Record<string, unknown> });
    return { kind: 'posted', result };
  };
  const reject = async (message: string, refusal?: 'business' | 'validation'): Promise<never> => {
    await audit({ step: 'rejected', message, ...(refusal ? { refusal } : {}) });
    await updateJob(db, jobId, { state: 'rejected', lastError: message });
    throw work.rejection(message);
  };

  const job: Job = await ensureJob(db, {
    jobId,
    kind: work.kind,
    connectionId: work.connectionId,
    ...(work.settlementId ? { settlementId: work.settlementId } : {}),
  });
  if (job.state === 'posted')
    return { kind: 'already-posted', result: (job.result as R | undefined) ?? null };
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
    const found = await work.readBack('after-unknown');
    if (found) return posted(found);
    await audit({ step: 'retry', attempt: job.attempts, after: 'unknown-outcome' });
  } else if (work.readBackBeforeFirst) {
    const found = await work.readBack('before');
    if (found) return posted(found);
  }
  const refused = work.refuseBeforeSending?.();
  if (refused) return reject(refused);

  let attempt = job.attempts + 1;
  // A claimant records its attempt on the job right after claiming it; one killed in between never
  // does, and its claim would block every later attempt. So a claim the job does not show is settled
  // like an unknown outcome: given its lease, then JDE is read back before the next attempt is claimed.
  while (!(await claimAttempt(db, jobId, attempt, holder))) {
    const claim = await getClaim(db, jobId, attempt);
    const age = claim ? now().getTime() - new Date(claim.claimedAt).getTime() : Number.POSITIVE_INFINITY;
    if (claim && claim.holder !== holder && age < deps.leaseMs) {
      throw new AttemptInFlight(
        `job ${jobId}: attempt ${attempt} was claimed by ${claim.holder} ${Math.round(age / 1000)} s ago (lease ${Math.round(deps.leaseMs / 1000)} s)`,
      );
    }
    const found = await work.readBack('after-unknown');
    if (found) return posted(found);
    await audit({ step: 'retry', attempt, after: 'unrecorded-attempt' });
    attempt++;
  }
  await updateJob(db, jobId, { state: 'posting', attempts: attempt });
  await audit({ step: 'attempt', attempt });

  let result: R;
  try {
    result = await work.send();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof AisError && (error.kind === 'business' || error.kind === 'validation')) {
      if (work.readBackAfterRefusal) {
        const found = await work.readBack('after-refusal');
        if (found) return posted(found);
      }
      return reject(message, error.kind);
    }
    // Refused before JDE did anything (444 twice, 403, config): the job is simply pending again.
    // Otherwise it stays `posting` and the next attempt reads back first.
    // The audit first here too: killed before the state, the job is still `posting` (read back next).
    const knownNotWritten = error instanceof AisError && !error.outcomeUnknown;
    await audit({ step: 'attempt-failed', attempt, outcomeUnknown: !knownNotWritten, message });
    await updateJob(db, jobId, { state: knownNotWritten ? 'pending' : 'posting', lastError: message });
    throw error;
  }
  // A failure to verify (JDE unreachable) leaves the job `posting`: the next delivery reads back.
  const unconfirmed = await work.verify?.(result);
  if (unconfirmed) return reject(unconfirmed);
  return posted(result);
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

export type EntryOutcome = OnceOutcome<PostedResult>;

/** Posts the entry unless its job is already settled, reading F0911 back by the entry's reference. */
export async function postEntryOnce(work: EntryJob, deps: PostingDeps): Promise<EntryOutcome> {
  const { target } = deps;
  const now = deps.now ?? (() => new Date());
  const posted = (found: Omit<PostedResult, 'postedAt'>): PostedResult => ({
    ...found,
    postedAt: now().toISOString(),
  });
  const event = (action: string, detail: Record<string, unknown>) => ({
    action: `${work.auditPrefix}.${action}`,
    detail,
  });
  return writeOnce<PostedResult>(
    {
      jobId: work.jobId,
      kind: work.kind,
      connectionId: work.connectionId,
      ...(work.settlementId ? { settlementId: work.settlementId } : {}),
      async send() {
        const answer = await target.postJournalEntry(work.entry);
        return posted({
          documentNumber: String(answer.documentNumber),
          documentType: answer.documentType,
          company: answer.documentCompany,
          batchNumber: String(answer.batchNumber ?? ''),
          via: 'orchestration',
        });
      },
      async readBack() {
        const found = await readBackEntry(work, target);
        return found ? posted({ ...found, via: 'read-back' }) : null;
      },
      audit(step) {
        switch (step.step) {
          case 'attempt':
            return event('posting', { attempt: step.attempt, lines: work.entry.lines.length });
          case 'done':
            return event('posted', { ...step.result });
          case 'rejected':
            return event('rejected', { kind: step.refusal, message: step.message });
          case 'retry':
            return event('retry', {
              reason: `not found in F0911 after an ${step.after === 'unknown-outcome' ? 'unknown outcome' : 'unrecorded attempt'}`,
              attempt: step.attempt,
            });
          case 'attempt-failed':
            return event('attempt-failed', {
              attempt: step.attempt,
              outcomeUnknown: step.outcomeUnknown,
              message: step.message,
            });
        }
      },
      rejection: (message) => new JournalRejected(message),
    },
    deps,
  );
}

async function readBackEntry(
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
