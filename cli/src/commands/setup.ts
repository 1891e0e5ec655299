/**
 * `mlc setup init`: what an installation needs before its services start — run by the Helm chart's
 * pre-install/pre-upgrade Job, and safe to run again (it only creates what is missing):
 * every topic with its dead-letter twin (in MLC_KAFKA_NAMESPACE), and the collections and indexes of
 * the records services share (audit trail, jobs and claims, raw documents, settlements, rule sets).
 * Each service also creates its own private collections' indexes when it starts.
 */
import { kafkaNames } from '@mlc/events';
import { createKafka, ensureTopics, kafkaSecurityFromEnv } from '@mlc/kafka';
import { auditModel, connectMongo, ensureIndexes, jobClaimModel, jobModel } from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import {
  itemSettingsModel,
  itemStateModel,
  rawChunkModel,
  rawDocumentModel,
  ruleSetModel,
  settlementModel,
} from '@mlc/store';
import { type CommandGroup, parseCommandArgs, UsageError } from '../command.js';

export const setupCommands: CommandGroup = {
  name: 'setup',
  summary: 'prepare Kafka topics and MongoDB indexes for an installation (idempotent)',
  commands: [
    {
      name: 'init',
      usage: '[--json]',
      summary:
        'create every topic with its dead-letter twin (MLC_KAFKA_BROKERS, MLC_KAFKA_NAMESPACE, TLS/SASL) and the shared indexes (MLC_MONGO_URL)',
      async run(args) {
        const { values } = parseCommandArgs(args, { json: { type: 'boolean' } });
        const brokers = (process.env.MLC_KAFKA_BROKERS ?? '').split(',').filter(Boolean);
        const mongoUrl = process.env.MLC_MONGO_URL;
        if (brokers.length === 0) throw new UsageError('MLC_KAFKA_BROKERS is not set');
        if (!mongoUrl) throw new UsageError('MLC_MONGO_URL is not set');

        const { topics } = kafkaNames(process.env.MLC_KAFKA_NAMESPACE ?? '');
        const kafka = createKafka({
          brokers,
          clientId: 'mlc-setup',
          logger: createLogger('mlc-setup', 'error', process.stderr),
          security: kafkaSecurityFromEnv(),
        });
        const admin = kafka.admin();
        await admin.connect();
        let created: string[];
        try {
          created = await ensureTopics(admin, Object.values(topics));
        } finally {
          await admin.disconnect();
        }

        const db = await connectMongo({ url: mongoUrl });
        const models = [
          auditModel(db),
          jobModel(db),
          jobClaimModel(db),
          rawDocumentModel(db),
          rawChunkModel(db),
          settlementModel(db),
          ruleSetModel(db),
          itemSettingsModel(db),
          itemStateModel(db),
        ];
        try {
          await ensureIndexes(models as never);
        } finally {
          await db.close();
        }
        const result = {
          topics: Object.values(topics).map((t) => t.name),
          createdTopics: created,
          collections: models.map((m) => m.collection.collectionName),
        };
        if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else {
          process.stdout.write(
            `topics: ${result.topics.length} (+ dead-letter twins), created now: ${created.length ? created.join(', ') : 'none'}\n` +
              `indexes ensured: ${result.collections.join(', ')}\n`,
          );
        }
        return 0;
      },
    },
  ],
};
