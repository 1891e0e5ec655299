/**
 * `mlc settlement repost <settlementId> --connection <id> --reason <text>`: reverse what a posted
 * settlement posted in JDE and post it again by the current rules (docs/operations.md "Reposting").
 *
 * The command computes the plan — generation n, one reversal per posted journal, the new journals
 * by the connection's newest rule set — and prints it. With --yes it records the request
 * (`settlement_reposts` `<connection>:<settlement>:g<n>`, a unique insert: two operators cannot both
 * get generation n), audits `settlement.repost-requested` and publishes
 * ledger.settlement.repost.requested.v1; mapping and jde-poster do the rest, exactly once.
 *
 * Exit codes: 0 done (or --dry-run, or nothing to do); 1 refused or failed (the message says why);
 * 2 usage; 3 the plan was shown but nothing was done because --yes was not given.
 */
import { kafkaNames, type SettlementRepostRequestedV1, settlementRepostRequestedV1 } from '@mlc/events';
import { EventPublisher } from '@mlc/kafka';
import {
  defaultRuleSet,
  type Journal,
  netByAccount,
  parseRuleSet,
  reversalJobId,
  ruleSetRef,
  samePosting,
} from '@mlc/mapping';
import { formatMinor } from '@mlc/money';
import { type AuditEvent, appendAudit, auditModel, type Job, jobModel } from '@mlc/mongo';
import { getRepost, latestRuleSet, type RepostTarget, recordRepost } from '@mlc/store';
import { type Command, parseCommandArgs, UsageError } from '../command.js';
import {
  anyBrokerListening,
  brokers,
  cliKafka,
  findOneSettlement,
  message,
  operatorActor,
  renderTable,
  withMongo,
} from './settlement.js';
import {
  type HistoryJob,
  journalOf,
  livePostedParts,
  rebuildFromSource,
  settlementHistory,
} from './settlement-lineage.js';

export const repost: Command = {
  name: 'repost',
  summary:
    'Reverse every journal a POSTED settlement has in JDE and post it again by the current rules, as a new generation (exactly once; audited). Without --yes only prints the plan (exit 3); --dry-run prints it and exits 0',
  usage:
    '<settlementId> --connection <id> --reason <text> [--gl-date YYYY-MM-DD] [--actor <name>] [--yes] [--dry-run]',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      connection: { type: 'string' },
      reason: { type: 'string' },
      'gl-date': { type: 'string' },
      actor: { type: 'string' },
      yes: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one settlement id');
    if (!values.connection) throw new UsageError('--connection is required');
    if (!values.reason?.trim()) throw new UsageError('--reason is required: say why it is reposted');
    const glDate = values['gl-date'];
    if (glDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(glDate))
      throw new UsageError(`--gl-date must be YYYY-MM-DD, not "${glDate}"`);
    if (values.yes && values['dry-run']) throw new UsageError('give --yes or --dry-run, not both');
    const settlementId = positionals[0]!;
    const actor = values.actor ? `operator:${values.actor}` : operatorActor();
    const out = (lines: string[]) => process.stdout.write(`${lines.join('\n')}\n`);

    return withMongo(async (db) => {
      const record = await findOneSettlement(db, settlementId, values.connection);
      const key = { connectionId: record.connectionId, settlementId };
      const name = `settlement ${settlementId} of connection ${record.connectionId}`;
      const trail = (await auditModel(db).find(key).sort({ at: 1 }).lean().exec()) as AuditEvent[];
      const jobs = (await jobModel(db).find(key).lean().exec()) as Job[];
      const history = await settlementHistory(db, record, trail, jobs);
      const latest = history.reposts.at(-1);

      // The request of an earlier run that never reached mapping (a crash, Kafka down): publish it again.
      if (latest?.state === 'requested') {
        out([
          `repost generation ${latest.generation} of ${name} was requested by ${latest.requestedBy} at ${new Date(latest.requestedAt).toISOString()} ("${latest.reason}") and mapping has not taken it yet.`,
        ]);
        if (!values.yes) {
          out(['nothing done: run again with --yes to publish that request again (its plan is unchanged)']);
          return values['dry-run'] ? 0 : 3;
        }
        await publishRequest(latest.generation);
        out([
          `published the request of generation ${latest.generation} again; this run's --reason is not recorded`,
        ]);
        return 0;
      }

      // JDE rejected a journal of the last repost (a closed period, say): what is posted now can be
      // reposted again, e.g. with --gl-date.
      const failedRepost =
        record.status === 'rejected' &&
        latest?.state === 'proposed' &&
        history.jobs.some((j) => j.generation === latest.generation && j.state === 'rejected');
      if (record.status !== 'posted' && !failedRepost) {
        const why =
          record.status === 'proposed' && latest?.state === 'proposed'
            ? `repost generation ${latest.generation} is still being posted; wait until it is posted (settlement show)`
            : `only a posted settlement can be reposted`;
        throw new Error(`${name} is ${record.status}${record.reason ? ` (${record.reason})` : ''}: ${why}`);
      }
      const live = livePostedParts(history);
      // After a failed repost, every posted journal may be reversed already: then only new ones are posted.
      if (live.length === 0 && !failedRepost) throw new Error(`${name} has no posted journal to reverse`);
      const generation = (latest?.generation ?? 1) + 1;

      // What is posted now, reproduced line for line; a journal that cannot be reproduced cannot be reversed.
      const cache = new Map();
      const posted: Journal[] = [];
      const targets: RepostTarget[] = [];
      for (const job of live) {
        const found = await journalOf(db, record.connectionId, job, false, cache);
        if ('missing' in found) throw new Error(`${name}: cannot reverse job ${job.jobId}: ${found.missing}`);
        if (!job.documentNumber)
          throw new Error(`${name}: job ${job.jobId} is posted but its JDE document is not recorded`);
        posted.push(found.journal);
        targets.push(targetOf(job, generation));
      }

      const stored = await latestRuleSet(db, record.connectionId);
      const current = stored
        ? parseRuleSet(JSON.parse(stored.definition))
        : defaultRuleSet(record.connectionId);
      const ref = ruleSetRef(current);
      const fresh = await rebuildFromSource(
        db,
        record.connectionId,
        { rawDocumentId: record.rawDocumentId, ruleSet: ref },
        generation,
      );
      if ('missing' in fresh) throw new Error(`${name}: cannot map it again: ${fresh.missing}`);
      if (fresh.result.status !== 'ready')
        throw new Error(
          `${name}: the current rules (${ref}) would hold it, so nothing is reposted: ${fresh.result.reason}`,
        );
      // As mapping will post them: --gl-date dates this generation's reversals and new journals.
      const journals = fresh.result.journals.map((j) => (glDate ? { ...j, glDate } : j));
      if (samePosting(posted, journals)) {
        out([
          `nothing to repost: the current rules (${ref}) give exactly the journals ${name} has posted (generation ${live[0]!.generation}).`,
        ]);
        return 0;
      }

      out(plan(name, generation, ref, live, posted, journals, record.currency ?? 'USD', glDate));
      if (values['dry-run']) {
        out(['', 'dry run: nothing recorded or posted']);
        return 0;
      }
      if (!values.yes) {
        out(['', 'nothing done: run the same command with --yes to repost']);
        return 3;
      }

      if (!(await anyBrokerListening(brokers())))
        throw new Error(
          `cannot reach Kafka at ${brokers().join(',')} (MLC_KAFKA_BROKERS): nothing was recorded`,
        );
      const request = {
        ...key,
        generation,
        reason: values.reason!,
        requestedBy: actor,
        requestedAt: new Date(),
        ruleSet: ref,
        reverses: targets,
        ...(glDate ? { glDate } : {}),
      };
      if (!(await recordRepost(db, request)))
        throw new Error(
          `${name}: generation ${generation} was requested meanwhile by someone else; look again with settlement show`,
        );
      await appendAudit(db, {
        actor,
        action: 'settlement.repost-requested',
        ...key,
        detail: {
          generation,
          reason: request.reason,
          ruleSet: ref,
          glDate: glDate ?? 'original',
          reverses: targets.map((t) => `${t.jobId} (document ${t.documentNumber})`),
          newParts: journals.map((j) => j.jobId),
        },
      });
      await publishRequest(generation);
      out([
        '',
        `requested repost generation ${generation} of ${name}: mapping proposes the reversals, then the new journals; follow it with settlement show`,
      ]);
      return 0;

      async function publishRequest(n: number) {
        const { topics } = kafkaNames(process.env.MLC_KAFKA_NAMESPACE);
        const event: SettlementRepostRequestedV1 = settlementRepostRequestedV1.parse({
          ...key,
          generation: n,
          requestedAt: new Date((await getRepost(db, key, n))?.requestedAt ?? Date.now()).toISOString(),
        });
        const kafka = cliKafka();
        const publisher = new EventPublisher(kafka);
        try {
          await publisher.connect();
          await publisher.publish(
            topics.settlementRepostRequested,
            `${key.connectionId}:${settlementId}`,
            event,
          );
        } catch (error) {
          throw new Error(
            `${name}: repost generation ${n} is recorded but its event could not be published to ${topics.settlementRepostRequested.name} (${message(error)}); run the same command again to publish it`,
          );
        } finally {
          await publisher.disconnect().catch(() => undefined);
        }
      }
    });
  },
};

function targetOf(job: HistoryJob, generation: number): RepostTarget {
  return {
    jobId: job.jobId,
    reversalJobId: reversalJobId(job.jobId, generation),
    documentNumber: job.documentNumber!,
    company: job.company ?? '',
    documentType: job.documentType ?? 'JE',
    rawDocumentId: job.source!.rawDocumentId,
    ruleSet: job.source!.ruleSet,
    generation: job.generation,
  };
}

function plan(
  name: string,
  generation: number,
  ref: string,
  live: HistoryJob[],
  posted: Journal[],
  journals: Journal[],
  currency: string,
  glDate: string | undefined,
): string[] {
  const money = (minor: bigint) => formatMinor(minor, currency);
  const before = netByAccount(posted);
  const after = netByAccount(journals);
  const accounts = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes = accounts
    .map((a) => [a, before.get(a) ?? 0n, after.get(a) ?? 0n] as const)
    .filter(([, b, a]) => a !== b);
  return [
    `repost of ${name}: generation ${generation}, mapped by ${ref}`,
    '',
    `1. reverse what is posted (${posted.length} JDE document(s), G/L date ${glDate ?? "each original's"}):`,
    ...renderTable(
      ['  reversal job', 'reverses', 'G/L date', 'lines', 'debit'],
      posted.map((j, i) => [
        `  ${reversalJobId(j.jobId, generation)}`,
        `${live[i]!.company ?? '?'} ${live[i]!.documentType ?? 'JE'} ${live[i]!.documentNumber}`,
        glDate ?? j.glDate,
        String(j.lines.length),
        money(j.totals.credit),
      ]),
      [3, 4],
    ),
    '',
    `2. then post the new journals (${journals.length}), once every reversal is posted:`,
    ...renderTable(
      ['  job', 'period', 'G/L date', 'lines', 'debit', 'deposit'],
      journals.map((j) => [
        `  ${j.jobId}`,
        j.part.period.id,
        j.glDate,
        String(j.lines.length),
        money(j.totals.debit),
        money(j.totals.deposit),
      ]),
      [3, 4, 5],
    ),
    '',
    'net change per account in JDE once done:',
    ...(changes.length === 0
      ? ['  (none: only dates or texts change)']
      : renderTable(
          ['  account', 'posted now', 'after repost', 'change'],
          changes.map(([a, b, n]) => [`  ${a}`, money(b), money(n), money(n - b)]),
          [1, 2, 3],
        )),
  ];
}
