/**
 * Chaos (issue #6): 30 settlements, one of 200,000 rows, go through the whole system — every
 * service its own process — while a driver SIGKILLs services at random moments (12 kills, three of
 * each of the four services) and starts them again, the Kafka broker is stopped and started once,
 * the AIS simulator answers 444, 500 and loses answers after writing, and the SP-API simulator
 * answers 429 and 500. Afterwards every settlement part is in the simulated F0911 exactly once, each
 * document balances, each settlement's clearing lines equal Amazon's total to the cent, and every
 * settlement's audit trail is complete (received → announced → proposed → each part posted). Then
 * every consumer group is reset to the earliest offset and the services started again: nothing new
 * is posted.
 *
 * The broker is this test's own (KafkaInstance, on free ports), never the shared one on 9092. The
 * moments, targets and the AIS simulator's faults come from one seed, printed first; run again with
 * MLC_CHAOS_SEED=<seed> to replay the same plan (the services' own timing still varies).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jobReference } from '@mlc/ais';
import { kafkaNames } from '@mlc/events';
import { createKafka, resetOffsets } from '@mlc/kafka';
import { formatMinor, parseDecimalToMinor } from '@mlc/money';
import { auditModel, jobModel } from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import { generateSettlementFile } from '@mlc/sim-amazon-sp-api';
import { settlementModel } from '@mlc/store';
import { mongoBaseUrl, repoRoot, uniqueName, waitFor } from '@mlc/testkit';
import mongoose from 'mongoose';
import { ChaosDriver, chaosSeed, counterSum, seededRandom, shuffle, sleep } from '../src/chaos.js';
import { KafkaInstance } from '../src/kafka-instance.js';
import { LocalStack, SERVICES } from '../src/local-stack.js';
import type { ManagedProcess } from '../src/processes.js';

const SETTLEMENTS = 30;
const LARGE_ROWS = 200_000;
const KILLS_PER_SERVICE = 3;
const AIS_FAULTS = { latencyMs: 50, rate444: 0.15, rate500: 0.1, rateLostAnswer: 0.1 };
const SP_API_FAULTS = { rate429: 0.1, rate500: 0.05 };
const NO_AIS_FAULTS = { latencyMs: 0, rate444: 0, rate500: 0, rateLostAnswer: 0 };

const minor = (amount: string, currency: string) =>
  parseDecimalToMinor(amount, currency, { decimalSeparator: '.' });

describe('chaos: kills, a broker restart and API faults while 30 settlements are posted', () => {
  const seed = chaosSeed();
  const random = seededRandom(seed);
  const name = uniqueName('chaos');
  const connectionId = 'seller-chaos';
  const logDir = path.join(repoRoot, '.run', name);
  const started = Date.now();
  const phases: Array<[string, number]> = [];
  let phaseStart = Date.now();
  const phase = (label: string) => {
    const now = Date.now();
    phases.push([label, now - phaseStart]);
    console.log(`[chaos] ${label}: ${((now - phaseStart) / 1000).toFixed(1)} s`);
    phaseStart = now;
  };
  const say = (line: string) =>
    console.log(`[chaos +${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);

  let kafkaBroker: KafkaInstance | undefined;
  let stack: LocalStack | undefined;
  let driver: ChaosDriver | undefined;
  const files: Array<{
    text: string;
    settlementId: string;
    marketplace: 'US' | 'CA';
    large: boolean;
    rows: number;
    total: string;
  }> = [];
  const described = (file: ReturnType<typeof generateSettlementFile>) => ({
    text: file.text,
    settlementId: file.summary.settlementId,
    rows: file.summary.rows,
    total: formatMinor(file.summary.totalAmount, file.summary.currency),
  });
  /** jde-poster's metrics just before each of its ends (counters restart with each process). */
  const posterScrapes: string[] = [];
  let passed = 0;

  const live = () => stack as LocalStack;
  const services = () =>
    new Map<string, ManagedProcess>(SERVICES.map((s) => [s, live().process(s)] as [string, ManagedProcess]));
  const scrapePoster = async () => {
    const text = await fetch(`${live().urls.admin['jde-poster']}/metrics`)
      .then((r) => (r.ok ? r.text() : ''))
      .catch(() => '');
    if (text) posterScrapes.push(text);
  };
  /** Waits until the service answers /readyz; the milliseconds it took, or null after `timeoutMs`. */
  const waitUntilReady = async (service: (typeof SERVICES)[number], timeoutMs: number) => {
    const t = Date.now();
    const ok = await waitFor(
      `${service} ready`,
      async () => (await fetch(`${live().urls.admin[service]}/readyz`).catch(() => null))?.ok ?? false,
      timeoutMs,
      200,
    ).catch(() => false);
    return ok ? Date.now() - t : null;
  };
  const post = async (url: string, body: unknown) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, `POST ${url}: ${await response.text()}`);
  };

  before(async () => {
    console.log(`[chaos] seed ${seed} (replay with MLC_CHAOS_SEED=${seed}); logs in ${logDir}`);
    kafkaBroker = await KafkaInstance.start(path.join(logDir, 'kafka'));
    phase(`own Kafka broker up on ${kafkaBroker.brokers.join(',')}`);
    stack = await LocalStack.start({
      name,
      logDir,
      kafkaBrokers: kafkaBroker.brokers,
      spApiTimeScale: 600,
      pollIntervalMs: 1_000,
      aisTimeoutMs: 3_000,
      leaseMarginMs: 2_000,
    });
    await stack.createConnection(connectionId);
    phase('stack started');

    for (let i = 0; i < SETTLEMENTS - 1; i++) {
      const marketplace = i % 3 === 2 ? 'CA' : 'US';
      const file = generateSettlementFile({
        seed: `chaos-${seed}-${i}`,
        marketplace,
        rows: 150 + Math.floor(random() * 450),
        spanMonthEnd: i % 4 === 0,
        negative: i === 7,
        holdReserve: i % 5 === 3,
      });
      files.push({ ...described(file), marketplace, large: false });
    }
    const large = generateSettlementFile({
      seed: `chaos-${seed}-large`,
      marketplace: 'US',
      rows: LARGE_ROWS,
      start: '2025-06-24T08:00:00Z',
      days: 14,
    });
    files.push({ ...described(large), marketplace: 'US', large: true });
    assert.equal(new Set(files.map((f) => f.settlementId)).size, SETTLEMENTS, 'settlement ids are distinct');
    phase(`generated ${SETTLEMENTS} settlement files (one of ${LARGE_ROWS} rows)`);
  });

  after(async () => {
    driver?.stopSupervising();
    if (stack) {
      const codes = await stack.stop();
      console.log(`[chaos] exit codes on SIGTERM ${JSON.stringify(codes)}`);
      // A failed run keeps its database and broker data for inspection.
      const database = name.replace(/-/g, '_');
      if (passed === 2) {
        const db = await mongoose.createConnection(`${mongoBaseUrl}/${database}`).asPromise();
        await db.dropDatabase();
        await db.close();
      } else {
        console.log(`[chaos] kept the database ${database} and the broker data in ${kafkaBroker?.dir}`);
      }
    }
    if (kafkaBroker) await (passed === 2 ? kafkaBroker.destroy() : kafkaBroker.down());
    console.log(
      `[chaos] phases: ${phases.map(([l, ms]) => `${l} ${(ms / 1000).toFixed(1)} s`).join('; ')}; total ${Math.round((Date.now() - started) / 1000)} s`,
    );
  });

  it('posts every part exactly once, balanced, to the cent, with a complete audit trail', async () => {
    const s = live();
    const chaos = new ChaosDriver(services(), say);
    driver = chaos;
    await post(`${s.urls.ais}/_sim/faults`, { ...AIS_FAULTS, seed });
    await post(`${s.urls.spApi}/_sim/faults`, SP_API_FAULTS);
    chaos.supervise();

    // The plan: three kills of each service in a seeded order, each 0.5–5 s after the service is
    // ready again, each down 0–2 s; the settlements arrive in waves between kills (the large one
    // before the second or third kill); the broker restarts once between the fourth and the
    // seventh kill.
    const plan: string[] = shuffle(
      SERVICES.flatMap((service) => Array.from({ length: KILLS_PER_SERVICE }, () => service)),
      random,
    );
    const small = files.filter((f) => !f.large);
    const large = files.find((f) => f.large) as (typeof files)[number];
    const largeAt = 1 + Math.floor(random() * 2);
    // Two kills are aimed at the large settlement: amazon-ingest while it downloads and reads it,
    // mapping while it maps it (swapped into place; still three kills per service).
    const aim = (service: string, at: number) => {
      if (plan[at] === service) return;
      const from = plan.findIndex((p, j) => p === service && j !== largeAt && j !== largeAt + 1);
      [plan[at], plan[from]] = [plan[from] as string, plan[at] as string];
    };
    aim('amazon-ingest', largeAt);
    aim('mapping', largeAt + 1);
    const brokerRestartAfter = 3 + Math.floor(random() * 4);
    const waves = plan.map((_, i) =>
      small.slice(
        Math.floor((i * small.length) / plan.length),
        Math.floor(((i + 1) * small.length) / plan.length),
      ),
    );
    say(
      `plan: kills ${plan.join(', ')}; large settlement before kill ${largeAt + 1}; broker restart after kill ${brokerRestartAfter + 1}`,
    );
    let brokerDownMs = 0;
    for (const [i, service] of plan.entries()) {
      for (const file of waves[i] ?? []) await s.seedSettlement(connectionId, file.marketplace, file.text);
      if (i === largeAt) {
        await s.seedSettlement(connectionId, 'US', large.text, true);
        say(`seeded the ${large.rows}-row settlement ${large.settlementId}`);
      }
      // A kill hits a service at work: it is given time to come back from its last kill first (a
      // consumer's restart waits for its group to drop the killed member), then a random moment.
      const ready = await waitUntilReady(service as (typeof SERVICES)[number], 60_000);
      if (i === largeAt) {
        // Its download and parse take seconds: the poll runs every second.
        await sleep(500 + Math.floor(random() * 2_500));
      } else if (i === largeAt + 1) {
        // mapping reads and maps it in about a second once it is announced.
        await waitFor(
          'the large settlement announced',
          async () =>
            (await settlementModel(s.db).exists({
              connectionId,
              settlementId: large.settlementId,
              status: { $ne: 'received' },
            })) !== null,
          120_000,
          50,
        );
        await sleep(Math.floor(random() * 800));
      } else {
        await sleep(500 + Math.floor(random() * 4_500));
      }
      const records = await s.settlements(connectionId);
      const statuses = records.map((r) => r.status);
      const count = (status: string) => statuses.filter((x) => x === status).length;
      const largeStatus =
        records.find((r) => r.settlementId === large.settlementId)?.status ?? 'not recorded';
      const posting = await jobModel(s.db).countDocuments({ state: 'posting' }).exec();
      if (service === 'jde-poster') await scrapePoster();
      const record = await chaos.kill(service, Math.floor(random() * 2_000));
      say(
        `kill ${i + 1}/${plan.length}: ${service}${record.wasRunning ? '' : ' (was not running)'} (${ready === null ? 'not ready after 60 s' : `ready after ${ready} ms`}), down ${record.downMs} ms; settlements received ${count('received')}, announced ${count('announced')}, proposed ${count('proposed')}, posted ${count('posted')}; jobs posting ${posting}; the large one ${largeStatus}`,
      );
      if (i === brokerRestartAfter && kafkaBroker) {
        const t = Date.now();
        await kafkaBroker.down();
        await sleep(Math.floor(random() * 3_000));
        await kafkaBroker.up();
        brokerDownMs = Date.now() - t;
        say(`Kafka broker stopped and started again (${brokerDownMs} ms without a broker)`);
      }
    }
    assert.equal(chaos.kills.length, SERVICES.length * KILLS_PER_SERVICE);
    for (const service of SERVICES) {
      assert.equal(
        chaos.kills.filter((k) => k.service === service).length,
        KILLS_PER_SERVICE,
        `${service} killed ${KILLS_PER_SERVICE} times`,
      );
    }
    phase(`chaos: ${chaos.kills.length} kills and one broker restart`);

    const settled = await s.waitForSettled(connectionId, SETTLEMENTS, 300_000).catch(async (error) => {
      const all = await s.settlements(connectionId);
      const open = all.filter((r) => !['posted', 'held', 'rejected'].includes(r.status));
      throw new Error(
        `${error}; ${all.length} recorded, not settled: ${open.map((r) => `${r.settlementId} ${r.status}`).join(', ')}`,
      );
    });
    phase('every settlement settled');
    chaos.stopSupervising();
    await scrapePoster();
    const sim = (await (await fetch(`${s.urls.spApi}/_sim/state`)).json()) as {
      counters: { requests: Record<string, Record<string, number>> };
    };
    await post(`${s.urls.ais}/_sim/faults`, NO_AIS_FAULTS);
    await post(`${s.urls.spApi}/_sim/faults`, { rate429: 0, rate500: 0 });

    // No settlement held or rejected: the faults are all transient.
    for (const record of settled) {
      assert.equal(
        record.status,
        'posted',
        `${record.settlementId} ${record.status}: ${record.reason ?? ''}`,
      );
    }
    assert.equal(settled.length, SETTLEMENTS);
    // Each settlement read whole: Amazon's rows and total as the simulator was given them.
    const expected = new Map(files.map((f) => [f.settlementId, f]));
    for (const record of settled) {
      const file = expected.get(record.settlementId);
      assert.ok(file, `${record.settlementId} was seeded`);
      assert.equal(record.rowCount, file.rows, `${record.settlementId} rows`);
      assert.equal(record.totalAmount, file.total, `${record.settlementId} total`);
    }
    const largeFile = files.find((f) => f.large);
    assert.ok((largeFile?.rows ?? 0) >= LARGE_ROWS, `the large settlement has ${largeFile?.rows} rows`);

    // F0911 as documents; each job's reference in exactly one, each balanced.
    const jobOf = new Map<string, { jobId: string; settlementId: string }>();
    for (const record of settled) {
      assert.ok((record.jobIds ?? []).length > 0, `${record.settlementId} has parts`);
      for (const jobId of record.jobIds ?? []) {
        jobOf.set(jobReference(jobId), { jobId, settlementId: record.settlementId });
      }
    }
    const documents = new Map<string, { references: Set<string>; sum: bigint; number: string }>();
    for (const row of await s.f0911()) {
      const key = `${row.KCO} ${row.DCT} ${row.DOC}`;
      const doc = documents.get(key) ?? { references: new Set<string>(), sum: 0n, number: String(row.DOC) };
      doc.references.add(row.EXR ?? '');
      doc.sum += minor(row.AA, row.CRCD);
      documents.set(key, doc);
    }
    const documentOfJob = new Map<string, string>();
    for (const [key, doc] of documents) {
      assert.equal(doc.references.size, 1, `${key} carries one job reference: ${[...doc.references]}`);
      const [reference = ''] = doc.references;
      const job = jobOf.get(reference);
      assert.ok(job, `${key} belongs to a proposed part (reference "${reference}")`);
      assert.ok(
        !documentOfJob.has(job.jobId),
        `${job.jobId} posted twice: ${documentOfJob.get(job.jobId)} and ${key}`,
      );
      documentOfJob.set(job.jobId, doc.number);
      assert.equal(doc.sum, 0n, `${key} (${job.jobId}) balances`);
    }
    for (const { jobId } of jobOf.values()) assert.ok(documentOfJob.has(jobId), `${jobId} is in F0911`);
    assert.equal(documents.size, jobOf.size, 'exactly one document per settlement part');

    // Amazon's total against the deposit lines in JDE, per settlement, to the cent.
    const rows = await s.reconcile(connectionId);
    for (const row of rows) {
      assert.ok(row.reconciles, `${row.settlementId}: Amazon ${row.amazonTotal} vs JDE ${row.postedTotal}`);
    }

    // The audit trail of each settlement: received, announced, proposed with its parts, each part
    // posted (at least once, always naming the document F0911 holds); nothing held or rejected.
    const audit = await auditModel(s.db).find({ connectionId }).lean().exec();
    for (const record of settled) {
      const events = audit.filter((e) => e.settlementId === record.settlementId);
      const actions = events.map((e) => e.action);
      const where = `${record.settlementId} audit trail [${actions.join(', ')}]`;
      for (const action of ['settlement.received', 'settlement.announced', 'settlement.proposed']) {
        assert.ok(actions.includes(action), `${where} has ${action}`);
      }
      for (const action of ['settlement.held', 'journal.rejected']) {
        assert.ok(!actions.includes(action), `${where} has no ${action}`);
      }
      const proposed = events.filter((e) => e.action === 'settlement.proposed');
      for (const event of proposed) {
        assert.deepEqual(
          [...((event.detail?.jobIds as string[] | undefined) ?? [])].sort(),
          [...(record.jobIds ?? [])].sort(),
          `${where}: the proposal names the settlement's parts`,
        );
      }
      for (const jobId of record.jobIds ?? []) {
        const posted = events.filter((e) => e.action === 'journal.posted' && e.jobId === jobId);
        assert.ok(posted.length > 0, `${where}: ${jobId} has journal.posted`);
        for (const event of posted) {
          assert.equal(
            String(event.detail?.documentNumber),
            documentOfJob.get(jobId),
            `${where}: journal.posted of ${jobId} names its F0911 document`,
          );
        }
      }
    }

    // The faults and kills really happened.
    const spApi = Object.values(sim.counters.requests);
    const spApiStatus = (status: string) => spApi.reduce((n, byStatus) => n + (byStatus[status] ?? 0), 0);
    const ais = (filter: (labels: string) => boolean) =>
      posterScrapes.reduce((n, text) => n + counterSum(text, 'mlc_ais_requests_total', filter), 0);
    const ais444 = ais((l) => l.includes('status="444"'));
    const ais500 = ais((l) => l.includes('status="500"'));
    const lost = ais((l) => l.includes('operation="orchestration"') && l.includes('status="network"'));
    const readBacks = await jobModel(s.db).countDocuments({ 'result.via': 'read-back' }).exec();
    const jobs = await jobModel(s.db).find().lean().exec();
    const attempts = jobs.reduce((n, j) => n + j.attempts, 0);
    say(
      `${settled.length} settlements, ${documents.size} documents; SP-API 429: ${spApiStatus('429')}, 500: ${spApiStatus('500')}; AIS (jde-poster, seen) 444: ${ais444}, 500: ${ais500}, lost answers: ${lost}; jobs posted via read-back: ${readBacks}; attempts ${attempts} for ${jobs.length} jobs; kills ${chaos.kills.length} (${chaos.kills.filter((k) => !k.wasRunning).length} of a process not running), ended by themselves ${JSON.stringify(Object.fromEntries(chaos.selfExits))}; broker down ${brokerDownMs} ms`,
    );
    assert.ok(spApiStatus('429') > 0, 'the SP-API simulator answered 429');
    assert.ok(spApiStatus('500') > 0, 'the SP-API simulator answered 500');
    assert.ok(ais444 > 0, 'AIS answered 444');
    assert.ok(ais500 > 0, 'AIS answered 500');
    assert.ok(brokerDownMs > 0, 'the broker was restarted');
    phase('checked F0911, totals and audit trails');
    passed++;
  });

  it('resetting every consumer group to earliest and restarting posts nothing new', async () => {
    const s = live();
    const before = await s.f0911();
    const reconciledBefore = await s.reconcile(connectionId);
    const consumers = ['mapping', 'jde-poster'] as const;
    // Stopped as an operator stops running services: one still starting (a consumer that waits for
    // its group after the last kill) has no signal handler yet and would die on SIGTERM unordered.
    await s.waitReady();
    for (const service of consumers)
      assert.equal(await s.process(service).stop(), 0, `${service} stops cleanly`);
    const kafka = createKafka({
      brokers: kafkaBroker?.brokers ?? [],
      clientId: `${name}-replay`,
      logger: createLogger('chaos-replay', 'error'),
    });
    const admin = kafka.admin();
    await admin.connect();
    const reset: Array<{ groupId: string; topic: string }> = [];
    try {
      // Nothing of the chaotic run was dead-lettered: every fault was transient.
      for (const topic of (await admin.listTopics()).filter((t) => t.endsWith('.dlt'))) {
        const offsets = await admin.fetchTopicOffsets(topic);
        assert.ok(
          offsets.every((p) => p.high === p.low),
          `${topic} is empty: ${JSON.stringify(offsets)}`,
        );
      }

      // Every group of this namespace, on every topic it has offsets for.
      const { groups } = await admin.listGroups();
      const ours = groups.map((g) => g.groupId).filter((g) => g.startsWith(`${name}.`));
      const { groups: known } = kafkaNames(name);
      for (const group of [known.mapping, known.jdePoster])
        assert.ok(ours.includes(group), `group ${group} exists`);
      for (const groupId of ours) {
        for (const { topic } of await admin.fetchOffsets({ groupId })) {
          const plan = await resetOffsets(admin, { groupId, topic, to: { kind: 'earliest' }, execute: true });
          if (plan.partitions.some((p) => p.current !== p.target)) reset.push({ groupId, topic });
        }
      }
      assert.ok(
        reset.some((r) => r.groupId === known.mapping),
        'mapping had consumed messages to replay',
      );
      assert.ok(
        reset.some((r) => r.groupId === known.jdePoster),
        'jde-poster had consumed messages to replay',
      );
      say(`reset to earliest: ${reset.map((r) => `${r.groupId} on ${r.topic}`).join('; ')}`);

      for (const service of consumers) s.process(service).start();
      await s.waitReady();
      await waitFor(
        'every reset group back at the end of its topics',
        async () => {
          for (const { groupId, topic } of reset) {
            const ends = await admin.fetchTopicOffsets(topic);
            const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
            const at = new Map((committed?.partitions ?? []).map((p) => [p.partition, p.offset]));
            // A partition never written to has no committed offset to return to.
            if (!ends.every((p) => p.high === '0' || at.get(p.partition) === p.high)) return false;
          }
          return true;
        },
        180_000,
        500,
      );
    } finally {
      await admin.disconnect();
    }
    await sleep(3_000);
    const metrics = await (await fetch(`${s.urls.admin['jde-poster']}/metrics`)).text();
    assert.equal(
      counterSum(metrics, 'mlc_ais_requests_total', (l) => l.includes('operation="orchestration"')),
      0,
      'the replay never called the orchestration',
    );
    assert.deepEqual(await s.f0911(), before, 'F0911 unchanged after the replay');
    assert.deepEqual(
      await s.reconcile(connectionId),
      reconciledBefore,
      'settlements unchanged after the replay',
    );
    phase('replay of every consumer group');
    passed++;
  });
});
