/**
 * jde-poster: posts each proposed journal through the customer's AIS orchestration at most once
 * per job id (journal-consumer.ts, posting.ts), and announces the JDE document on
 * ledger.journal.posted.v1.
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
import { repostModel, settlementModel } from '@mlc/store';
import { AisGuards } from './breakers.js';
import { configSchema } from './config.js';
import { startCrossReferenceConsumer } from './cross-reference-consumer.js';
import { postDailySales } from './daily-sales-posting.js';
import { startJournalConsumer } from './journal-consumer.js';
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
    // What the consumers that write to JDE share (poster-consumer.ts).
    const posterOptions = {
      db,
      kafka,
      publisher,
      topics,
      clientFor: (connectionId: string) => jde.client(connectionId),
      guard: <T>(baseUrl: string, call: () => Promise<T>) => guards.run(baseUrl, call),
      holder,
      leaseMs,
      logger: ctx.logger,
      registry: ctx.registry,
      onCrash: (error: Error) => ctx.fail('a Kafka consumer crashed', error),
    };

    // Proposed journals, posted once and announced (journal-consumer.ts).
    const consumer = await startJournalConsumer({
      ...posterOptions,
      groupId: groups.jdePoster,
      concurrency: config.MLC_AIS_CONCURRENCY,
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
      ...posterOptions,
      groupId: groups.jdePosterItems,
    });
    ctx.lifecycle.onShutdown('xref-consumer', () => crossReferences.stop());
    ctx.lifecycle.onShutdown('unposted-watch', () => unposted.stop());
  },
};
