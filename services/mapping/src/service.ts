/**
 * mapping: turns each available settlement into balanced JDE journals by the connection's rule set
 * and proposes them on ledger.journal.proposed.v1, one deterministic job id per settlement part.
 */
import { topics } from '@mlc/events';
import { auditModel, jobModel } from '@mlc/mongo';
import { type ServiceDefinition, useKafka, useMongo } from '@mlc/service';
import { configSchema } from './config.js';

export const mapping: ServiceDefinition<typeof configSchema> = {
  name: 'mapping',
  configSchema,
  adminPort: (config) => config.MLC_ADMIN_PORT,
  async start(ctx) {
    await useMongo(ctx, (connection) => [auditModel(connection), jobModel(connection)] as never);
    await useKafka(ctx, 'mapping', [topics.settlementAvailable, topics.orders, topics.journalProposed]);
  },
};
