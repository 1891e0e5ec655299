/**
 * jde-poster: posts each proposed journal through the customer's AIS orchestration exactly once
 * per job id, and announces the JDE document on ledger.journal.posted.v1.
 */
import { topics } from '@mlc/events';
import { auditModel, jobModel } from '@mlc/mongo';
import { type ServiceDefinition, useKafka, useMongo } from '@mlc/service';
import { configSchema } from './config.js';

export const jdePoster: ServiceDefinition<typeof configSchema> = {
  name: 'jde-poster',
  configSchema,
  adminPort: (config) => config.MLC_ADMIN_PORT,
  async start(ctx) {
    await useMongo(ctx, (connection) => [auditModel(connection), jobModel(connection)] as never);
    await useKafka(ctx, 'jde-poster', [topics.journalProposed, topics.journalPosted]);
  },
};
