/**
 * The consumer of jde.item.xref.proposed.v1: each proposal goes through addProposedCrossReference
 * (cross-references.ts) with the connection's current item settings; JDE's refusals are
 * dead-lettered with JDE's words. service.ts starts it; the items integration test starts it the
 * same way.
 */
import { addCrossReference, findCrossReference } from '@mlc/ais';
import type { Topics } from '@mlc/events';
import { DeadLetter, startConsumer } from '@mlc/kafka';
import { currentItemSettings } from '@mlc/store';
import { Counter } from 'prom-client';
import {
  addProposedCrossReference,
  CrossReferenceRejected,
  type CrossReferenceTarget,
} from './cross-references.js';
import { type PosterConsumerOptions, posterConsumerSettings } from './poster-consumer.js';

export interface CrossReferenceConsumerOptions extends PosterConsumerOptions {
  topics: Pick<Topics, 'itemCrossReferenceProposed'>;
}

export async function startCrossReferenceConsumer(options: CrossReferenceConsumerOptions) {
  const { db, guard } = options;
  const outcomes = new Counter({
    name: 'mlc_jde_item_xrefs_total',
    help: 'Proposed F4104 cross references handled, by outcome (created, found, already-done, rejected, already-rejected).',
    labelNames: ['outcome'],
    registers: [options.registry],
  });
  return startConsumer({
    ...posterConsumerSettings(options),
    spec: options.topics.itemCrossReferenceProposed,
    handler: async (proposal) => {
      const client = await options.clientFor(proposal.connectionId);
      const base = client.connection.baseUrl;
      const target: CrossReferenceTarget = {
        add: (mapping, xref) => guard(base, () => addCrossReference(client, mapping, xref)),
        find: (key) => guard(base, () => findCrossReference(client, key)),
      };
      const { settings } = await currentItemSettings(db, proposal.connectionId);
      try {
        const outcome = await addProposedCrossReference(proposal, {
          db,
          target,
          settings,
          holder: options.holder,
          leaseMs: options.leaseMs,
        });
        outcomes.inc({ outcome: outcome.kind });
        if (outcome.kind === 'already-rejected')
          throw new DeadLetter(`JDE refused cross reference ${proposal.jobId}: ${outcome.reason}`);
        options.logger.info({ jobId: proposal.jobId, outcome: outcome.kind }, 'item cross reference handled');
      } catch (error) {
        if (!(error instanceof CrossReferenceRejected)) throw error;
        outcomes.inc({ outcome: 'rejected' });
        throw new DeadLetter(`JDE refused cross reference ${proposal.jobId}: ${error.message}`);
      }
    },
  });
}
