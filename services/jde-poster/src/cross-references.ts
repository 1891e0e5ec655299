/**
 * Adding one proposed F4104 cross reference (an item's ASIN or FNSKU) at most once, through the
 * machinery journals and memo entries use (exactly-once.ts): a job per deterministic job id
 * (`xref:<connection>:<item>:<type>:<an8>:<value>`), attempts claimed by unique insert, a lease for
 * another process's attempt, the audit before the job's state — and a read-back, here of F4104 by
 * its key (ITM, XRT, AN8, CITM):
 * - before the first attempt: the row may already exist (added by hand in JDE, or by an attempt
 *   whose answer was lost) — then nothing is written;
 * - after an unknown outcome: found means written;
 * - after a refusal: found ("record already exists", or a race with a hand entry) means written;
 * - after a successful answer: the row must be there, else the job is rejected loudly.
 * JDE's other refusals (unknown item, type not in UDC 41/DT, CITM too long) end the job `rejected`.
 * The connection's item settings give the orchestration and must still allow writing
 * (createCrossReferences) when the job runs.
 */
import type {
  CrossReferenceKey,
  CrossReferenceOrchestrationMapping,
  CrossReferenceRow,
  NewCrossReference,
} from '@mlc/ais';
import type { ItemCrossReferenceProposedV1 } from '@mlc/events';
import type { ItemSettings } from '@mlc/store';
import { type OnceDeps, type ReadBackWhen, writeOnce } from './exactly-once.js';

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
  | { kind: 'found'; when: ReadBackWhen }
  | { kind: 'already-done' }
  | { kind: 'already-rejected'; reason: string };

export interface CrossReferenceDeps extends OnceDeps {
  target: CrossReferenceTarget;
  settings: ItemSettings;
}

/** The job's result: how the row came to be in F4104, and when the job saw it there. */
type CrossReferenceWritten = ({ kind: 'created' } | { kind: 'found'; when: ReadBackWhen }) & { at: string };

const DESCRIPTIONS = { asin: 'Amazon ASIN', fnsku: 'Amazon FNSKU' } as const;

export async function addProposedCrossReference(
  proposal: ItemCrossReferenceProposedV1,
  deps: CrossReferenceDeps,
): Promise<CrossReferenceOutcome> {
  const { target, settings } = deps;
  const now = deps.now ?? (() => new Date());
  const key: CrossReferenceKey = {
    itemNumber: proposal.itemNumber,
    type: proposal.crossReferenceType,
    addressNumber: proposal.addressNumber,
    crossReferenceItemNumber: proposal.crossReferenceValue,
  };
  const exists = async () => (await target.find(key)).length > 0;
  const event = (action: string, detail: Record<string, unknown> = {}) => ({
    action: `xref.${action}`,
    detail: { ...key, kind: proposal.kind, sku: proposal.sku, ...detail },
  });

  const outcome = await writeOnce<CrossReferenceWritten>(
    {
      jobId: proposal.jobId,
      kind: 'item-xref',
      connectionId: proposal.connectionId,
      readBackBeforeFirst: true,
      readBackAfterRefusal: true,
      refuseBeforeSending: () =>
        settings.createCrossReferences
          ? undefined
          : `createCrossReferences is off for connection "${proposal.connectionId}"; cross reference not written`,
      async send() {
        await target.add(settings.orchestration, { ...key, description: DESCRIPTIONS[proposal.kind] });
        return { kind: 'created', at: now().toISOString() };
      },
      async readBack(when) {
        return (await exists()) ? { kind: 'found', when, at: now().toISOString() } : null;
      },
      // The orchestration said yes; F4104 must agree.
      async verify() {
        if (await exists()) return undefined;
        return `orchestration ${settings.orchestration.name} answered success but F4104 has no row ${key.itemNumber}/${key.type}/${key.addressNumber}/"${key.crossReferenceItemNumber}"; check the orchestration`;
      },
      audit(step) {
        switch (step.step) {
          case 'attempt':
            return event('adding', { attempt: step.attempt });
          case 'done':
            return event(step.result.kind, step.result.kind === 'found' ? { when: step.result.when } : {});
          case 'rejected':
            return event('rejected', { message: step.message });
          case 'retry':
            return null; // the next xref.adding (or xref.found) tells the same
          case 'attempt-failed':
            return event('attempt-failed', {
              attempt: step.attempt,
              outcomeUnknown: step.outcomeUnknown,
              message: step.message,
            });
        }
      },
      rejection: (message) => new CrossReferenceRejected(message),
    },
    deps,
  );
  switch (outcome.kind) {
    case 'posted':
      return outcome.result.kind === 'found'
        ? { kind: 'found', when: outcome.result.when }
        : { kind: 'created' };
    case 'already-posted':
      return { kind: 'already-done' };
    default:
      return outcome;
  }
}
