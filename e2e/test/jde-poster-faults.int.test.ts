/**
 * jde-poster's acceptance under faults: 200 balanced journals fed straight to the proposed-journal
 * topic while the AIS simulator answers 444 (10 %), 500 (5 %) and drops the answer after a
 * successful write (5 %), and jde-poster is SIGKILLed mid-run and started again. F0911 must end up
 * with exactly one balanced document per job id whose debits equal the proposed debits to the
 * cent; replaying the whole topic posts nothing; a journal JDE refuses goes to the dead-letter
 * topic with JDE's words and leaves nothing in F0911.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jobReference } from '@mlc/ais';
import { type JournalPostedV1, type JournalProposedV1, kafkaNames } from '@mlc/events';
import { createKafka, DLT_HEADERS, deadLetterTopic, EventPublisher, resetOffsets } from '@mlc/kafka';
import { formatMinor, parseDecimalToMinor } from '@mlc/money';
import { jobClaimModel, jobModel } from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import { kafkaBrokers, uniqueName, waitFor } from '@mlc/testkit';
import type { Consumer, Kafka } from 'kafkajs';
import { LocalStack } from '../src/local-stack.js';

const JOURNALS = 200;
/** Accounts of DEFAULT_CHART, which LocalStack seeds into the simulator's F0901 as postable. */
const ACCOUNTS = ['1.1200', '1.1410', '1.2310', 'M30.4000', 'M30.4010', 'M30.6100', 'M30.6110', 'M30.6120'];
/** 100 ms on every AIS call keeps attempts in flight long enough for the SIGKILL to cut some. */
const FAULTS = { latencyMs: 100, rate444: 0.1, rate500: 0.05, rateLostAnswer: 0.05, seed: 20250601 };
const NO_FAULTS = { latencyMs: 0, rate444: 0, rate500: 0, rateLostAnswer: 0 };

/** mulberry32: the journals are the same on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const minor = (amount: string, currency: string) =>
  parseDecimalToMinor(amount, currency, { decimalSeparator: '.' });

describe('jde-poster under AIS faults and SIGKILL', () => {
  const name = uniqueName('jdefaults');
  const connectionId = 'seller-faults';
  const { topics, groups } = kafkaNames(name);
  const journals: JournalProposedV1[] = [];
  let proposedDebits = 0n;
  let stack: LocalStack;
  let kafka: Kafka;
  let publisher: EventPublisher;
  /** Reads ledger.journal.posted.v1 during the first test; disconnected in after() if that fails. */
  let watcher: Consumer | undefined;
  const started = Date.now();

  const poster = () => stack.process('jde-poster');
  const posterUrl = () => stack.urls.admin['jde-poster'];
  /** ingest and mapping are stopped (this suite feeds journals itself), so only jde-poster is probed. */
  const waitPosterReady = () =>
    waitFor(
      'jde-poster ready',
      async () => {
        if (!poster().running) throw new Error('jde-poster is not running (see its log)');
        return (await fetch(`${posterUrl()}/readyz`).catch(() => null))?.ok ?? false;
      },
      90_000,
      250,
    );
  const metrics = async () => (await fetch(`${posterUrl()}/metrics`)).text();
  const setFaults = async (faults: Record<string, number>) => {
    const response = await fetch(`${stack.urls.ais}/_sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
    assert.equal(response.status, 200, await response.text());
  };

  /** F0911 as documents: one entry per KCO/DCT/DOC with its rows' references, sum and debits. */
  async function documents() {
    const byDocument = new Map<
      string,
      { documentNumber: string; references: Set<string>; sum: bigint; debits: bigint; rows: number }
    >();
    for (const row of await stack.f0911()) {
      const key = `${row.KCO} ${row.DCT} ${row.DOC}`;
      const doc = byDocument.get(key) ?? {
        documentNumber: String(row.DOC),
        references: new Set<string>(),
        sum: 0n,
        debits: 0n,
        rows: 0,
      };
      const amount = minor(row.AA, row.CRCD);
      doc.references.add(row.EXR ?? '');
      doc.sum += amount;
      if (amount > 0n) doc.debits += amount;
      doc.rows++;
      byDocument.set(key, doc);
    }
    return byDocument;
  }

  before(async () => {
    stack = await LocalStack.start({ name, aisTimeoutMs: 3_000, leaseMarginMs: 2_000, logLevel: 'warn' });
    // Journals are fed straight to jde-poster: the Amazon side stays quiet.
    await stack.process('amazon-ingest').stop();
    await stack.process('mapping').stop();
    await stack.createConnection(connectionId);
    kafka = createKafka({
      brokers: kafkaBrokers,
      clientId: `${name}-test`,
      logger: createLogger('jdefaults-test', 'error'),
    });
    publisher = new EventPublisher(kafka);
    await publisher.connect();

    const random = seeded(42);
    const cents = () => BigInt(1 + Math.floor(random() * 2_500_000));
    for (let n = 1; n <= JOURNALS; n++) {
      const count = 2 + Math.floor(random() * 5);
      const amounts: bigint[] = [];
      for (let i = 0; i < count - 1; i++) amounts.push(random() < 0.5 ? cents() : -cents());
      let rest = -amounts.reduce((a, b) => a + b, 0n);
      if (rest === 0n) {
        amounts[0] = (amounts[0] ?? 0n) + 1n;
        rest = -1n;
      }
      amounts.push(rest);
      for (const amount of amounts) if (amount > 0n) proposedDebits += amount;
      journals.push({
        jobId: `mlc:seller:S${n}:2025-06`,
        connectionId,
        settlementId: `S${n}`,
        part: { index: 1, count: 1, period: '2025-06' },
        company: '00001',
        documentType: 'JE',
        glDate: `2025-06-${String(1 + (n % 28)).padStart(2, '0')}`,
        currency: 'USD',
        explanation: `Amazon settlement S${n}`,
        lines: amounts.map((amount, i) => ({
          account: ACCOUNTS[Math.floor(random() * ACCOUNTS.length)] as string,
          amount: formatMinor(amount, 'USD'),
          explanation: `S${n} line ${i + 1}`,
          lineage: { rowCount: 1, rowRanges: [[i + 1, i + 1]] },
        })),
        proposedAt: new Date().toISOString(),
      });
    }
  });

  after(async () => {
    await watcher?.disconnect().catch(() => undefined);
    await publisher?.disconnect().catch(() => undefined);
    if (!stack) return;
    const codes = await stack.stop();
    console.log(
      `[jdefaults] exit codes ${JSON.stringify(codes)}; ${Math.round((Date.now() - started) / 1000)} s`,
    );
    assert.equal(codes['jde-poster'], 0, 'jde-poster exits 0 on SIGTERM');
  });

  it('posts each of 200 journals exactly once, balanced, through 444s, 500s, lost answers and a SIGKILL', async () => {
    // What jde-poster announces, from the start (at least once: duplicates are allowed, gaps are not).
    const announced = new Map<string, JournalPostedV1[]>();
    watcher = kafka.consumer({ groupId: `${name}.test-posted` });
    await watcher.connect();
    await watcher.subscribe({ topic: topics.journalPosted.name, fromBeginning: true });
    await watcher.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value?.toString() ?? '{}') as JournalPostedV1;
        announced.set(event.jobId, [...(announced.get(event.jobId) ?? []), event]);
      },
    });

    await setFaults(FAULTS);
    for (const journal of journals) {
      await publisher.publish(topics.journalProposed, `seller:${journal.settlementId}`, journal);
    }

    // Kill it mid-run, twice, without warning, while some job is `posting`; the metrics it had are
    // read just before each kill.
    const killAt = [60, 130];
    const killedAt: Date[] = [];
    const scrapes: string[] = [];
    for (const threshold of killAt) {
      await waitFor(
        `${threshold} documents in F0911 and a job in flight`,
        async () =>
          (await documents()).size >= threshold &&
          (await jobModel(stack.db).countDocuments({ state: 'posting' }).exec()) > 0,
        240_000,
        50,
      );
      scrapes.push(await metrics());
      killedAt.push(new Date());
      await poster().kill();
      poster().start();
      await waitPosterReady();
    }
    assert.ok(poster().exits >= killAt.length, `jde-poster was killed (${poster().exits} exits)`);

    const references = new Map(journals.map((j) => [jobReference(j.jobId), j]));
    await waitFor(
      `a document for each of ${JOURNALS} jobs in F0911`,
      async () => {
        const found = new Set<string>();
        for (const doc of (await documents()).values()) for (const r of doc.references) found.add(r);
        return [...references.keys()].every((r) => found.has(r));
      },
      240_000,
      500,
    );
    // Jobs whose last answer was lost may still be reading back; let the consumer settle.
    await waitFor(
      'every job posted',
      async () => (await jobModel(stack.db).countDocuments({ state: 'posted' }).exec()) === JOURNALS,
      60_000,
      500,
    );
    scrapes.push(await metrics());

    const docs = await documents();
    const perReference = new Map<string, number>();
    let postedDebits = 0n;
    for (const [key, doc] of docs) {
      assert.equal(doc.references.size, 1, `${key} carries one job reference`);
      const [reference = ''] = doc.references;
      assert.ok(references.has(reference), `${key} belongs to a proposed job (reference "${reference}")`);
      perReference.set(reference, (perReference.get(reference) ?? 0) + 1);
      assert.equal(doc.sum, 0n, `${key} balances to zero`);
      const journal = references.get(reference) as JournalProposedV1;
      assert.equal(doc.rows, journal.lines.length, `${key} has the journal's ${journal.lines.length} lines`);
      postedDebits += doc.debits;
    }
    for (const [reference, count] of perReference) assert.equal(count, 1, `one document for ${reference}`);
    assert.equal(docs.size, JOURNALS, 'exactly one document per job id');
    assert.equal(formatMinor(postedDebits, 'USD'), formatMinor(proposedDebits, 'USD'), 'debits to the cent');

    // Every posting is announced on ledger.journal.posted.v1 with JDE's document, even one whose
    // process was killed between posting and announcing.
    const documentOf = new Map<string, string>();
    for (const doc of docs.values()) for (const r of doc.references) documentOf.set(r, doc.documentNumber);
    try {
      await waitFor(
        'every posting announced',
        () => {
          const missing = journals.filter((j) => !announced.has(j.jobId)).map((j) => j.jobId);
          if (missing.length > 0)
            throw new Error(`${missing.length} not announced: ${missing.slice(0, 10).join(', ')}`);
          return true;
        },
        60_000,
        250,
      );
    } finally {
      await watcher.disconnect();
      watcher = undefined;
    }
    let duplicates = 0;
    for (const journal of journals) {
      const events = announced.get(journal.jobId) ?? [];
      duplicates += events.length - 1;
      const debits = journal.lines.reduce((sum, l) => {
        const amount = minor(l.amount, 'USD');
        return amount > 0n ? sum + amount : sum;
      }, 0n);
      for (const event of events) {
        assert.equal(
          event.documentNumber,
          documentOf.get(jobReference(journal.jobId)),
          `${journal.jobId} document`,
        );
        assert.equal(event.debitTotal, formatMinor(debits, 'USD'), `${journal.jobId} debit total`);
      }
    }
    assert.equal(announced.size, JOURNALS, 'no announcement for a job that was not proposed');

    // Jobs a killed process had claimed and another finished (not asserted: it depends on timing).
    const claims = await jobClaimModel(stack.db).find().lean().exec();
    const postedAt = new Map(
      (await jobModel(stack.db).find().lean().exec()).map((j) => [j.jobId, String(j.result?.postedAt ?? '')]),
    );
    const interrupted = new Set(
      claims
        .filter((c) =>
          killedAt.some((kill) => c.claimedAt < kill && (postedAt.get(c.jobId) ?? '') > kill.toISOString()),
        )
        .map((c) => c.jobId),
    );

    // The faults really happened: summed over the processes (counters restart with each one).
    const total = (filter: (labels: string) => boolean) =>
      scrapes.reduce((sum, text) => sum + counterSum(text, 'mlc_ais_requests_total', filter), 0);
    const invalidTokens = total((l) => l.includes('status="444"'));
    const serverErrors = total((l) => l.includes('status="500"'));
    const lostAnswers = total(
      (l) => l.includes('operation="orchestration"') && l.includes('status="network"'),
    );
    const orchestrations = total((l) => l.includes('operation="orchestration"'));
    const readBacks = await jobModel(stack.db).countDocuments({ 'result.via': 'read-back' }).exec();
    console.log(
      `[jdefaults] ${docs.size} documents; ${orchestrations} orchestration calls; 444: ${invalidTokens}, 500: ${serverErrors}, lost answers: ${lostAnswers}; posted via read-back: ${readBacks}; cut by a kill: ${interrupted.size}; posted events: ${[...announced.values()].flat().length} (${duplicates} repeated); jde-poster exits: ${poster().exits}; ${Math.round((Date.now() - started) / 1000)} s`,
    );
    assert.ok(invalidTokens > 0, 'AIS answered 444');
    assert.ok(serverErrors > 0, 'AIS answered 500');
    assert.ok(lostAnswers > 0, 'AIS answers were lost after the write');
    assert.ok(readBacks > 0, 'some jobs were settled by the F0911 read-back');
  });

  it('replaying the proposed-journal topic from the earliest offset posts nothing new', async () => {
    const before = await stack.f0911();
    assert.equal(await poster().stop(), 0, 'jde-poster stops cleanly');
    const admin = kafka.admin();
    await admin.connect();
    try {
      const plan = await resetOffsets(admin, {
        groupId: groups.jdePoster,
        topic: topics.journalProposed.name,
        to: { kind: 'earliest' },
        execute: true,
      });
      assert.ok(plan.executed);
      assert.ok(
        plan.partitions.some((p) => p.current !== p.target),
        'the group had consumed messages to replay',
      );
      poster().start();
      await waitPosterReady();
      // The replay has run when the group's committed offsets are back at the end of every partition.
      await waitFor(
        'the replay consumed the whole topic',
        async () => {
          const ends = await admin.fetchTopicOffsets(topics.journalProposed.name);
          const [committed] = await admin.fetchOffsets({
            groupId: groups.jdePoster,
            topics: [topics.journalProposed.name],
          });
          const at = new Map((committed?.partitions ?? []).map((p) => [p.partition, p.offset]));
          return ends.every((p) => at.get(p.partition) === p.high);
        },
        120_000,
        500,
      );
    } finally {
      await admin.disconnect();
    }
    await sleep(10_000);
    const text = await metrics();
    assert.ok(
      counterSum(text, 'mlc_jde_journals_total', (l) => l.includes('outcome="already-posted"')) >= JOURNALS,
      'every replayed journal was recognised as posted',
    );
    assert.equal(
      counterSum(text, 'mlc_ais_requests_total', (l) => l.includes('operation="orchestration"')),
      0,
      'the replay never called the orchestration',
    );
    assert.deepEqual(await stack.f0911(), before, 'F0911 unchanged after the replay');
  });

  it('a journal JDE refuses goes to the dead-letter topic with JDE’s message, and nothing of it to F0911', async () => {
    await setFaults(NO_FAULTS);
    const before = (await stack.f0911()).length;
    const bad = (n: string, account: string): JournalProposedV1 => ({
      ...(journals[0] as JournalProposedV1),
      jobId: `mlc:seller:${n}:2025-06`,
      settlementId: n,
      explanation: `Amazon settlement ${n}`,
      lines: [
        {
          account: '1.1200',
          amount: '125.37',
          explanation: 'deposit',
          lineage: { rowCount: 1, rowRanges: [[1, 1]] },
        },
        { account, amount: '-125.37', explanation: 'fees', lineage: { rowCount: 1, rowRanges: [[2, 2]] } },
      ],
      proposedAt: new Date().toISOString(),
    });
    const unknown = bad('SBAD1', '1.7777');
    const notPostable = bad('SBAD2', '1.1000');

    const reasons = new Map<string, string>();
    let others = 0;
    const consumer = kafka.consumer({ groupId: `${name}.test-dlt` });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: deadLetterTopic(topics.journalProposed.name), fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => {
          const key = message.key?.toString() ?? '';
          const reason = message.headers?.[DLT_HEADERS.reason]?.toString() ?? '';
          if (key === 'seller:SBAD1' || key === 'seller:SBAD2') reasons.set(key, reason);
          else others++;
        },
      });
      for (const journal of [unknown, notPostable]) {
        await publisher.publish(topics.journalProposed, `seller:${journal.settlementId}`, journal);
      }
      await waitFor('both refused journals dead-lettered', () => reasons.size === 2, 120_000, 250);
    } finally {
      await consumer.disconnect();
    }

    const unknownReason = reasons.get('seller:SBAD1') ?? '';
    assert.match(unknownReason, /mlc:seller:SBAD1:2025-06/);
    assert.match(unknownReason, /0028/);
    assert.match(unknownReason, /Account Number Invalid/);
    assert.match(unknownReason, /1\.7777/);
    const notPostableReason = reasons.get('seller:SBAD2') ?? '';
    assert.match(notPostableReason, /Not Postable/);
    assert.match(notPostableReason, /1\.1000/);
    assert.equal(others, 0, 'no journal of the faulty run was dead-lettered');

    const ledger = await stack.f0911();
    assert.equal(ledger.length, before, 'F0911 gained no rows');
    for (const journal of [unknown, notPostable]) {
      assert.ok(
        !ledger.some((row) => row.EXR === jobReference(journal.jobId)),
        `${journal.jobId} not in F0911`,
      );
      const job = await jobModel(stack.db).findOne({ jobId: journal.jobId }).lean().exec();
      assert.equal(job?.state, 'rejected', `${journal.jobId} is rejected`);
    }
  });
});

/** Sums the samples of a Prometheus counter whose label text passes `filter`. */
function counterSum(text: string, metric: string, filter: (labels: string) => boolean): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${metric}\\{([^}]*)\\} (\\S+)$`).exec(line);
    if (match && filter(match[1] ?? '')) sum += Number(match[2]);
  }
  return sum;
}
