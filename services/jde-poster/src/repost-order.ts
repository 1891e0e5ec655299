/**
 * The order a repost's journals may post in (docs/operations.md "Reposting").
 *
 * A repost generation n proposes its reversals first and its new parts after, on the settlement's
 * partition, so they normally arrive in that order. That is not relied on: a new part of
 * generation n is posted only when every reversal of generation n is posted — while one is still
 * open the message is retried in place (the partition waits), and once one is rejected by JDE (a
 * closed period, say) the new part is dead-lettered: posting it would double what is still posted.
 * A journal of a generation an operator has since superseded is not posted at all (unless it
 * already was: a replay then just finds it posted).
 */
import type { JournalProposedV1 } from '@mlc/events';
import { DeadLetter } from '@mlc/kafka';
import { appendAudit, getJob, type Job, jobModel } from '@mlc/mongo';
import { listReposts } from '@mlc/store';
import type { Connection } from 'mongoose';
import type { PostingOutcome } from './posting.js';

/** A new part whose generation's reversals are not all posted yet; retried in place. */
export class ReversalsPending extends Error {
  override name = 'ReversalsPending';
}

/** Throws DeadLetter or ReversalsPending when `journal` may not be posted now; see the module comment. */
export async function checkRepostOrder(db: Connection, journal: JournalProposedV1): Promise<void> {
  const generation = journal.generation;
  if (generation === undefined) return;
  const key = { connectionId: journal.connectionId, settlementId: journal.settlementId };
  const name = `${journal.jobId} (repost generation ${generation} of settlement ${key.settlementId})`;
  const reposts = await listReposts(db, key);
  const mine = reposts.find((r) => r.generation === generation);
  if (!mine) throw new DeadLetter(`${name}: generation ${generation} is not recorded`);
  const latest = reposts.at(-1)!;
  if (latest.generation > generation) {
    if ((await getJob(db, journal.jobId))?.state === 'posted') return;
    throw new DeadLetter(`${name}: superseded by generation ${latest.generation}; not posted`);
  }
  if (journal.reverses) return;

  const reversalIds = mine.reverses.map((r) => r.reversalJobId);
  const jobs = (await jobModel(db)
    .find({ jobId: { $in: reversalIds } })
    .lean()
    .exec()) as Job[];
  const rejected = jobs.find((j) => j.state === 'rejected');
  if (rejected) {
    throw new DeadLetter(
      `${name}: not posted, because reversal ${rejected.jobId} was rejected by JDE (${rejected.lastError ?? 'rejected'}); repost again (with --gl-date if the period is closed)`,
    );
  }
  const open = reversalIds.filter((id) => jobs.find((j) => j.jobId === id)?.state !== 'posted');
  if (open.length > 0)
    throw new ReversalsPending(`${name}: waiting for reversal(s) ${open.join(', ')} to be posted first`);
}

/** Records a repost journal's first posting in the settlement's audit trail, as a reversal or a new part. */
export async function auditRepostPosting(
  db: Connection,
  journal: JournalProposedV1,
  outcome: PostingOutcome,
): Promise<void> {
  if (journal.generation === undefined || outcome.kind !== 'posted') return;
  const base = {
    actor: 'jde-poster',
    connectionId: journal.connectionId,
    settlementId: journal.settlementId,
    jobId: journal.jobId,
  };
  const document = outcome.event.documentNumber;
  if (journal.reverses) {
    await appendAudit(db, {
      ...base,
      action: 'settlement.reversal-posted',
      detail: {
        generation: journal.generation,
        document,
        reversesJob: journal.reverses.jobId,
        reversesDocument: journal.reverses.documentNumber,
        glDate: journal.glDate,
        debitTotal: outcome.event.debitTotal,
      },
    });
  } else {
    await appendAudit(db, {
      ...base,
      action: 'settlement.repost-part-posted',
      detail: {
        generation: journal.generation,
        document,
        part: `${journal.part.index}/${journal.part.count}`,
        glDate: journal.glDate,
        debitTotal: outcome.event.debitTotal,
      },
    });
  }
}
