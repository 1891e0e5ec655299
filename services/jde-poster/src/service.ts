/**
 * jde-poster: posts each proposed journal through the customer's AIS orchestration at most once
 * per job id (see posting.ts), and announces the JDE document on ledger.journal.posted.v1.
 * Journals JDE rejects go to the dead-letter topic with JDE's message; the settlement is marked
 * rejected. AIS sessions come from the token-broker; this service never holds a JDE password.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createAisMetrics } from '@mlc/ais';
import { kafkaNames } from '@mlc/events';
import { JdeAccess } from '@mlc/jde-access';
import { startConsumer } from '@mlc/kafka';
import { auditModel, jobClaimModel, jobModel } from '@mlc/mongo';
import { type ServiceDefinition, useKafka, useMongo, useTokenBroker } from '@mlc/service';
import { repostModel, setSettlementStatus, settlementModel } from '@mlc/store';
import { Counter } from 'prom-client';
import { AisGuards } from './breakers.js';
import { configSchema } from './config.js';
import { startCrossReferenceConsumer } from './cross-reference-consumer.js';
import { postDailySales } from './daily-sales-posting.js';
import { JournalRejected, postJournal } from './posting.js';
import { rejectedDeadLetter } from './rejections.js';
import { auditRepostPosting, checkRepostOrder } from './repost-order.js';
import { UnpostedWatch } from './unposted-watch.js';

export const jdePoster: ServiceDefinition<typeof configSchema> = {
  name: 'jde-poster',
  configSchema,
  adminPort: (config) => config.MLC_ADMIN_PORT,
  async start(ctx) {
    const { config } = ctx;
    const db = await useMongo(
      ctx,
      (c) => [auditModel(c), jobModel(c), jobClaimModel(c), settlementModel(c), repostModel(c)] as never,
    );
    const { topics, groups } = kafkaNames(config.MLC_KAFKA_NAMESPACE);
    const { kafka, publisher } = await useKafka(ctx, 'jde-poster', [
      topics.journalProposed,
      topics.journalPosted,
      topics.dailySalesProposed,
      topics.itemCrossReferenceProposed,
    ]);

    const broker = useTokenBroker(ctx, config.MLC_TOKEN_BROKER_ADDRESS, config.MLC_TOKEN_BROKER_TOKEN);
    const jde = new JdeAccess({
      broker,
      metrics: createAisMetrics(ctx.registry),
      settings: {
        requestTimeoutMs: config.MLC_AIS_TIMEOUT_MS,
        journal: {
          name: config.MLC_JDE_ORCHESTRATION,
          inputFormat: config.MLC_JDE_INPUT_FORMAT,
          referenceField: config.MLC_JDE_REFERENCE_FIELD,
        },
      },
    });
    const guards = new AisGuards(
      {
        errorThresholdPercentage: config.MLC_AIS_BREAKER_ERROR_PERCENT,
        resetTimeout: config.MLC_AIS_BREAKER_RESET_MS,
        concurrency: config.MLC_AIS_CONCURRENCY,
      },
      ctx.registry,
    );
    ctx.lifecycle.onShutdown('breakers', () => guards.shutdown());
    // Claims carry this id; another process waits out a claim's lease before reading back for it.
    const holder = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    const leaseMs = config.MLC_AIS_TIMEOUT_MS + config.MLC_AIS_LEASE_MARGIN_MS;
    const outcomes = new Counter({
      name: 'mlc_jde_journals_total',
      help: 'Proposed journals handled, by outcome (posted, already-posted, rejected, already-rejected).',
      labelNames: ['outcome'],
      registers: [ctx.registry],
    });

    const consumer = await startConsumer({
      kafka,
      groupId: groups.jdePoster,
      spec: topics.journalProposed,
      publisher,
      logger: ctx.logger,
      registry: ctx.registry,
      onCrash: (error) => ctx.fail('a Kafka consumer crashed', error),
      concurrency: config.MLC_AIS_CONCURRENCY,
      maxAttempts: 8,
      handler: async (journal) => {
        const client = await jde.client(journal.connectionId);
        const target = {
          postJournalEntry: (entry: Parameters<typeof client.postJournalEntry>[0]) =>
            guards.run(client.connection.baseUrl, () => client.postJournalEntry(entry)),
          findJournalEntry: (reference: string, scope?: Parameters<typeof client.findJournalEntry>[1]) =>
            guards.run(client.connection.baseUrl, () => client.findJournalEntry(reference, scope)),
        };
        const key = { connectionId: journal.connectionId, settlementId: journal.settlementId };
        try {
          await checkRepostOrder(db, journal);
          const outcome = await postJournal(journal, { db, target, holder, leaseMs });
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
    ctx.lifecycle.onShutdown('journal-consumer', () => consumer.stop());

    // Daily sales to the memo ledger through the memo orchestration (daily-sales-posting.ts).
    const dailySales = await startConsumer({
      kafka,
      groupId: groups.jdePosterDailySales,
      spec: topics.dailySalesProposed,
      publisher,
      logger: ctx.logger,
      registry: ctx.registry,
      onCrash: (error) => ctx.fail('a Kafka consumer crashed', error),
      concurrency: config.MLC_AIS_CONCURRENCY,
      maxAttempts: 8,
      handler: async (proposal) => {
        const client = await jde.client(proposal.connectionId);
        const guard = <T>(call: () => Promise<T>) => guards.run(client.connection.baseUrl, call);
        const outcome = await postDailySales(proposal, { db, client, guard, holder, leaseMs });
        ctx.logger.info({ jobId: proposal.jobId, outcome: outcome.kind }, 'daily sales memo entry handled');
      },
    });
    ctx.lifecycle.onShutdown('daily-sales-consumer', () => dailySales.stop());

    const unposted = new UnpostedWatch({
      db,
      registry: ctx.registry,
      logger: ctx.logger,
      intervalMs: config.MLC_UNPOSTED_CHECK_MS,
    });
    unposted.start();

    // Missing ASIN / FNSKU cross references of matched items, added to F4104 (cross-references.ts).
    const crossReferences = await startCrossReferenceConsumer({
      db,
      kafka,
      publisher,
      topics,
      groupId: groups.jdePosterItems,
      clientFor: (connectionId) => jde.client(connectionId),
      guard: (baseUrl, call) => guards.run(baseUrl, call),
      holder,
      leaseMs,
      logger: ctx.logger,
      registry: ctx.registry,
      onCrash: (error) => ctx.fail('a Kafka consumer crashed', error),
    });
    ctx.lifecycle.onShutdown('xref-consumer', () => crossReferences.stop());
    ctx.lifecycle.onShutdown('unposted-watch', () => unposted.stop());

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
  },
};
