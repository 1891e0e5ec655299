/**
 * Adding one proposed F4104 cross reference (an item's ASIN or FNSKU) at most once.
 *
 * The same machinery as journals (posting.ts): a job per deterministic job id
 * (`xref:<connection>:<item>:<type>:<an8>:<value>`), attempts claimed by unique insert, a lease for
 * another process's attempt, and a read-back — here of F4104 by its key (ITM, XRT, AN8, CITM):
 * - before the first attempt: the row may already exist (added by hand in JDE, or by an attempt
 *   whose answer was lost) — then nothing is written;
 * - after an unknown outcome: found means written;
 * - after a successful answer: the row must be there, else the job fails loudly.
 * JDE's refusals (unknown item, type not in UDC 41/DT, CITM too long) end the job `rejected`; a
 * "record already exists" refusal is settled by the read-back. The connection's item settings
 * give the orchestration and must still allow writing (createCrossReferences) when the job runs.
 */
import {
  AisError,
  type CrossReferenceKey,
  type CrossReferenceOrchestrationMapping,
  type CrossReferenceRow,
  type NewCrossReference,
} from '@mlc/ais';
import type { ItemCrossReferenceProposedV1 } from '@mlc/events';
import { appendAudit, claimAttempt, ensureJob, getClaim, type Job, updateJob } from '@mlc/mongo';
import type { ItemSettings } from '@mlc/store';
import type { Connection } from 'mongoose';
import { AttemptInFlight } from './posting.js';

/** What adding a cross reference needs of JDE (an AisClient wrapped by the breaker). */
export interface CrossReferenceTarget {
  add(mapping: CrossReferenceOrchestrationMapping, xref: NewCrossReference): Promise<unknown>;
  find(key: CrossReferenceKey): Promise<CrossReferenceRow[]>;
}

export class CrossReferenceRejected extends Error {
  override name = 'CrossReferenceRejected';
}

export type CrossReferenceOutcome =
  | { kind: 'created' }
  | { kind: 'found'; when: 'before' | 'after-unknown' | 'after-refusal' }
  | { kind: 'already-done' }
  | { kind: 'already-rejected'; reason: string };

export interface CrossReferenceDeps {
  db: Connection;
  target: CrossReferenceTarget;
  settings: ItemSettings;
  holder: string;
  leaseMs: number;
  actor?: string;
  now?: () => Date;
}

const DESCRIPTIONS = { asin: 'Amazon ASIN', fnsku: 'Amazon FNSKU' } as const;

export async function addProposedCrossReference(
  proposal: ItemCrossReferenceProposedV1,
  deps: CrossReferenceDeps,
): Promise<CrossReferenceOutcome> {
  const { db, target, holder, settings } = deps;
  const now = deps.now ?? (() => new Date());
  const { jobId } = proposal;
  const key: CrossReferenceKey = {
    itemNumber: proposal.itemNumber,
    type: proposal.crossReferenceType,
    addressNumber: proposal.addressNumber,
    crossReferenceItemNumber: proposal.crossReferenceValue,
  };
  const audit = (action: string, detail: Record<string, unknown> = {}) =>
    appendAudit(db, {
      actor: deps.actor ?? 'jde-poster',
      action,
      connectionId: proposal.connectionId,
      jobId,
      detail: { ...key, kind: proposal.kind, sku: proposal.sku, ...detail },
    });
  const done = async (outcome: CrossReferenceOutcome): Promise<CrossReferenceOutcome> => {
    await updateJob(db, jobId, { state: 'posted', result: { ...outcome, at: now().toISOString() } });
    await audit(`xref.${outcome.kind}`, outcome.kind === 'found' ? { when: outcome.when } : {});
    return outcome;
  };
  const reject = async (message: string): Promise<never> => {
    await updateJob(db, jobId, { state: 'rejected', lastError: message });
    await audit('xref.rejected', { message });
    throw new CrossReferenceRejected(message);
  };
  const exists = async () => (await target.find(key)).length > 0;

  const job: Job = await ensureJob(db, { jobId, kind: 'item-xref', connectionId: proposal.connectionId });
  if (job.state === 'posted') return { kind: 'already-done' };
  if (job.state === 'rejected') return { kind: 'already-rejected', reason: job.lastError ?? 'rejected' };

  if (job.state === 'posting') {
    const claim = await getClaim(db, jobId, job.attempts);
    const age = claim ? now().getTime() - new Date(claim.claimedAt).getTime() : Number.POSITIVE_INFINITY;
    if (claim && claim.holder !== holder && age < deps.leaseMs) {
      throw new AttemptInFlight(
        `job ${jobId}: attempt ${job.attempts} of ${claim.holder} may still be running`,
      );
    }
    if (await exists()) return done({ kind: 'found', when: 'after-unknown' });
  } else if (await exists()) {
    // Read back before writing: JDE may hold it already.
    return done({ kind: 'found', when: 'before' });
  }
  if (!settings.createCrossReferences) {
    return reject(
      `createCrossReferences is off for connection "${proposal.connectionId}"; cross reference not written`,
    );
  }

  let attempt = job.attempts + 1;
  while (!(await claimAttempt(db, jobId, attempt, holder))) {
    const claim = await getClaim(db, jobId, attempt);
    const age = claim ? now().getTime() - new Date(claim.claimedAt).getTime() : Number.POSITIVE_INFINITY;
    if (claim && claim.holder !== holder && age < deps.leaseMs) {
      throw new AttemptInFlight(`job ${jobId}: attempt ${attempt} was claimed by ${claim.holder}`);
    }
    if (await exists()) return done({ kind: 'found', when: 'after-unknown' });
    attempt++;
  }
  await updateJob(db, jobId, { state: 'posting', attempts: attempt });
  await audit('xref.adding', { attempt });

  try {
    await target.add(settings.orchestration, { ...key, description: DESCRIPTIONS[proposal.kind] });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof AisError && (error.kind === 'business' || error.kind === 'validation')) {
      // "Record already exists" (or a race with a hand entry): the read-back decides.
      if (await exists()) return done({ kind: 'found', when: 'after-refusal' });
      return reject(message);
    }
    const knownNotWritten = error instanceof AisError && !error.outcomeUnknown;
    await updateJob(db, jobId, { state: knownNotWritten ? 'pending' : 'posting', lastError: message });
    await audit('xref.attempt-failed', { attempt, outcomeUnknown: !knownNotWritten, message });
    throw error;
  }
  // Read back after writing: the orchestration said yes; F4104 must agree.
  if (!(await exists())) {
    return reject(
      `orchestration ${settings.orchestration.name} answered success but F4104 has no row ${key.itemNumber}/${key.type}/${key.addressNumber}/"${key.crossReferenceItemNumber}"; check the orchestration`,
    );
  }
  return done({ kind: 'created' });
}
