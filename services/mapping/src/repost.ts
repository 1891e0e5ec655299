/**
 * Reposting a posted settlement (an operator's `mlc settlement repost`, docs/operations.md).
 *
 *   ledger.settlement.repost.requested.v1 (generation n) → the request in `settlement_reposts` →
 *   re-map each journal it reverses from what that journal was computed from (stored report + its
 *   rule set version) and negate it → map the settlement by the rule set version the operator saw →
 *   check the new journals' accounts → record the job ids (settlement `proposed`, request
 *   `proposed`) → propose every reversal, then every new part, on ledger.journal.proposed.v1 keyed
 *   by the settlement (one partition, in that order).
 *
 * Nothing is proposed unless the whole generation can be: a posted journal that can no longer be
 * reproduced, new rules that would hold the settlement, or an account JDE cannot post to refuse the
 * request (`refused`, audited) and the settlement stays as it was posted. jde-poster posts no new
 * part of generation n before every reversal of generation n is posted (repost-order.ts there).
 *
 * Exactly once: every job id is deterministic — reversal `<reversed job>:rev<n>`, new part
 * `mlc:<connection>:<settlement>:<period>:r<n>` — and the ids are recorded before the journals are
 * published, so a crash or a replay proposes the same journals again, which jde-poster posts once.
 */
import type { JournalProposedV1, SettlementRepostRequestedV1, Topics } from '@mlc/events';
import { DeadLetter, type EventPublisher } from '@mlc/kafka';
import { type AccountLookup, type Journal, reverseJournal, validateAccounts } from '@mlc/mapping';
import { appendAudit } from '@mlc/mongo';
import {
  getRepost,
  listReposts,
  rebuildSettlement,
  setRepostState,
  setSettlementStatus,
  settlementModel,
} from '@mlc/store';
import type { Connection } from 'mongoose';
import { toEvent } from './map-settlement.js';

export interface RepostDeps {
  db: Connection;
  publisher: EventPublisher;
  topics: Pick<Topics, 'journalProposed'>;
  /** As in MappingDeps: null skips the account check. */
  accounts: ((connectionId: string, maxAgeMs?: number) => AccountLookup | Promise<AccountLookup>) | null;
  now?: () => Date;
}

export type RepostOutcome =
  | { kind: 'proposed'; reversals: string[]; jobIds: string[] }
  | { kind: 'refused'; reason: string }
  | { kind: 'skipped'; reason: string };

export async function repostSettlement(
  event: SettlementRepostRequestedV1,
  deps: RepostDeps,
): Promise<RepostOutcome> {
  const { db, publisher, topics } = deps;
  const key = { connectionId: event.connectionId, settlementId: event.settlementId };
  const generation = event.generation;
  const name = `repost generation ${generation} of settlement ${key.settlementId} (${key.connectionId})`;
  const audit = (action: string, detail: Record<string, unknown>) =>
    appendAudit(db, { actor: 'mapping', action, ...key, detail: { generation, ...detail } });

  const request = await getRepost(db, key, generation);
  if (!request) throw new DeadLetter(`${name} is not recorded`);
  if (request.state === 'refused') return { kind: 'skipped', reason: 'refused already' };
  const latest = (await listReposts(db, key)).at(-1);
  if (latest && latest.generation > generation)
    return { kind: 'skipped', reason: `superseded by generation ${latest.generation}` };
  const record = await settlementModel(db).findOne(key).lean().exec();
  if (!record) throw new DeadLetter(`${name}: the settlement is not recorded`);
  // A replay after the generation was proposed and posted: nothing left to do.
  if (request.state === 'proposed' && record.status === 'posted')
    return { kind: 'skipped', reason: 'proposed and posted already' };

  const reversals: Journal[] = [];
  for (const target of request.reverses) {
    const built = await rebuildSettlement(
      db,
      key.connectionId,
      { rawDocumentId: target.rawDocumentId, ruleSet: target.ruleSet },
      target.generation,
    );
    if ('missing' in built)
      return refuse(`cannot reproduce posted journal ${target.jobId}: ${built.missing}`);
    if (built.result.status !== 'ready') {
      return refuse(
        `cannot reproduce posted journal ${target.jobId}: its rules ${target.ruleSet} now hold the report (${built.result.reason})`,
      );
    }
    const original = built.result.journals.find((j) => j.jobId === target.jobId);
    if (!original) {
      return refuse(
        `re-mapping report ${target.rawDocumentId} with ${target.ruleSet} no longer gives job ${target.jobId}`,
      );
    }
    const options = { generation, documentNumber: target.documentNumber };
    reversals.push(
      reverseJournal(original, request.glDate ? { ...options, glDate: request.glDate } : options),
    );
  }

  const fresh = await rebuildSettlement(
    db,
    key.connectionId,
    { rawDocumentId: record.rawDocumentId, ruleSet: request.ruleSet },
    generation,
  );
  if ('missing' in fresh) return refuse(fresh.missing);
  if (fresh.result.status !== 'ready')
    return refuse(`the rules ${request.ruleSet} hold the settlement: ${fresh.result.reason}`);
  // --gl-date: the operator's date for this generation, when the original periods are closed in JDE.
  const journals = fresh.result.journals.map((j) => (request.glDate ? { ...j, glDate: request.glDate } : j));
  // Checked before the request was proposed; a replay does not take back what may be posted already.
  if (deps.accounts && request.state === 'requested') {
    let issues = await validateAccounts(journals, await deps.accounts(key.connectionId));
    if (issues.length > 0)
      issues = await validateAccounts(journals, await deps.accounts(key.connectionId, 0));
    if (issues.length > 0)
      return refuse(`JDE accounts not usable: ${issues.map((i) => `${i.account} ${i.reason}`).join('; ')}`);
  }

  const reversalIds = reversals.map((j) => j.jobId);
  const jobIds = journals.map((j) => j.jobId);
  if (request.state === 'requested') {
    // Recorded before anything is published: jde-poster marks the settlement posted when every
    // one of these ids is, and a crash from here on re-proposes the same ids.
    await setSettlementStatus(db, key, 'proposed', { jobIds: [...reversalIds, ...jobIds] });
    await setRepostState(db, key, generation, { state: 'proposed', jobIds });
    await audit('settlement.repost-proposed', {
      ruleSet: request.ruleSet,
      reversals: reversalIds,
      jobIds,
      glDate: request.glDate ?? 'original',
    });
  }
  const proposedAt = (deps.now?.() ?? new Date()).toISOString();
  const partition = `${key.connectionId}:${key.settlementId}`;
  for (const [i, reversal] of reversals.entries()) {
    const target = request.reverses[i]!;
    const out: JournalProposedV1 = {
      ...toEvent(reversal, proposedAt, target.rawDocumentId),
      generation,
      reverses: { jobId: target.jobId, documentNumber: target.documentNumber },
    };
    await publisher.publish(topics.journalProposed, partition, out);
  }
  for (const journal of journals) {
    await publisher.publish(topics.journalProposed, partition, {
      ...toEvent(journal, proposedAt, record.rawDocumentId),
      generation,
    });
  }
  return { kind: 'proposed', reversals: reversalIds, jobIds };

  async function refuse(reason: string): Promise<RepostOutcome> {
    // Once proposed, some of it may be posted: never turn it into "refused" afterwards.
    if (request!.state === 'proposed') throw new DeadLetter(`${name} cannot be proposed again: ${reason}`);
    await setRepostState(db, key, generation, { state: 'refused', refusal: reason });
    await audit('settlement.repost-refused', { reason });
    return { kind: 'refused', reason };
  }
}
