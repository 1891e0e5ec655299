/**
 * The consumer of ledger.journal.proposed.v1: each proposed journal is checked against its
 * settlement's repost order (repost-order.ts), posted at most once through postJournal
 * (posting.ts) with the connection's AIS client, and its JDE document announced on
 * ledger.journal.posted.v1; a settlement is marked posted when every one of its parts is. JDE's
 * rejections mark the settlement rejected and are dead-lettered with JDE's words, on every
 * delivery (rejections.ts). service.ts starts it.
 */
import type { Topics } from '@mlc/events';
import { startConsumer } from '@mlc/kafka';
import { jobModel } from '@mlc/mongo';
import { setSettlementStatus, settlementModel } from '@mlc/store';
import { Counter } from 'prom-client';
import { type PosterConsumerOptions, posterConsumerSettings } from './poster-consumer.js';
import { JournalRejected, type JournalTarget, postJournal } from './posting.js';
import { rejectedDeadLetter } from './rejections.js';
import { auditRepostPosting, checkRepostOrder } from './repost-order.js';

export interface JournalConsumerOptions extends PosterConsumerOptions {
  topics: Pick<Topics, 'journalProposed' | 'journalPosted'>;
}

export async function startJournalConsumer(options: JournalConsumerOptions) {
  const { db, guard, publisher, topics } = options;
  const outcomes = new Counter({
    name: 'mlc_jde_journals_total',
    help: 'Proposed journals handled, by outcome (posted, already-posted, rejected, already-rejected).',
    labelNames: ['outcome'],
    registers: [options.registry],
  });

  /** A settlement is posted when every one of its proposed parts is. */
  async function markSettlementPostedWhenComplete(key: { connectionId: string; settlementId: string }) {
    const settlement = await settlementModel(db).findOne(key).lean().exec();
    const jobIds = settlement?.jobIds ?? [];
    if (!settlement) return;
    if (jobIds.length === 0) {
      // mapping publishes the parts before it records them (killed in between, it proposes them
      // again after its restart): retried until it has, or the settlement would stay `proposed`.
      throw new Error(`settlement ${key.settlementId}: posted, but mapping has not recorded its parts yet`);
    }
    const posted = await jobModel(db)
      .countDocuments({ jobId: { $in: jobIds }, state: 'posted' })
      .exec();
    if (posted === jobIds.length) await setSettlementStatus(db, key, 'posted');
  }

  return startConsumer({
    ...posterConsumerSettings(options),
    spec: topics.journalProposed,
    handler: async (journal) => {
      const client = await options.clientFor(journal.connectionId);
      const base = client.connection.baseUrl;
      const target: JournalTarget = {
        postJournalEntry: (entry) => guard(base, () => client.postJournalEntry(entry)),
        findJournalEntry: (reference, scope) => guard(base, () => client.findJournalEntry(reference, scope)),
      };
      const key = { connectionId: journal.connectionId, settlementId: journal.settlementId };
      try {
        await checkRepostOrder(db, journal);
        const outcome = await postJournal(journal, {
          db,
          target,
          holder: options.holder,
          leaseMs: options.leaseMs,
        });
        await auditRepostPosting(db, journal, outcome);
        outcomes.inc({ outcome: outcome.kind });
        if (outcome.kind === 'already-rejected') {
          // Rejected on an earlier delivery whose dead letter (and status) may never have been written;
          // a settlement an operator has moved on since (a repost) keeps its newer status.
          const settlement = await settlementModel(db).findOne(key).lean().exec();
          if (settlement?.status === 'proposed') {
            await setSettlementStatus(db, key, 'rejected', {
              reason: `JDE rejected ${journal.jobId}: ${outcome.reason}`,
            });
          }
          throw rejectedDeadLetter(journal.jobId, outcome.reason);
        }
        // Announced again when the job was already posted: the process that posted it may have died
        // before announcing it, and the redelivered message is the only chance left (at least once).
        const { event } = outcome;
        if (event) {
          await publisher.publish(topics.journalPosted, `${key.connectionId}:${key.settlementId}`, event);
          await markSettlementPostedWhenComplete(key);
        }
      } catch (error) {
        if (!(error instanceof JournalRejected)) throw error;
        outcomes.inc({ outcome: 'rejected' });
        await setSettlementStatus(db, key, 'rejected', {
          reason: `JDE rejected ${journal.jobId}: ${error.message}`,
        });
        throw rejectedDeadLetter(journal.jobId, error.message);
      }
    },
  });
}
