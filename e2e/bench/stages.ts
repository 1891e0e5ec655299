/**
 * Where a large settlement's time goes inside amazon-ingest and mapping, phase by phase, in this process:
 * the real code paths on the local FerretDB (a database of their own, dropped after), Kafka replaced by a
 * publisher that keeps the events (the Kafka hand-offs are pipeline.ts's business). Wall and CPU time
 * (user, all threads: zlib runs on the thread pool) of each phase, run after run.
 *
 *   node --import tsx e2e/bench/stages.ts [rows=1000000] [repetitions=2]
 *
 * Phases: the raw chunks written alone; the parse alone from memory (full rows, and validateOnly as the
 * ingest reads); the chunks read back alone; then ingestSettlementDocument and mapSettlement whole.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { auditModel, connectMongo, ensureIndexes } from '@mlc/mongo';
import { SettlementReader } from '@mlc/settlement';
import {
  beginRawDocument,
  rawChunkModel,
  rawDocumentModel,
  readRawDocument,
  ruleSetModel,
  settlementModel,
} from '@mlc/store';
import { uniqueMongoUrl } from '@mlc/testkit';
import { Registry } from 'prom-client';
import { createIngestMetrics, ingestSettlementDocument } from '../../services/amazon-ingest/src/ingest.js';
import { createMappingMetrics, mapSettlement } from '../../services/mapping/src/map-settlement.js';
import { fmt, intArg, printTable, settlementFile } from './common.js';

const rows = intArg(process.argv[2], 1_000_000, 'rows');
const repetitions = intArg(process.argv[3], 2, 'repetitions');
const { file } = await settlementFile(rows);
const bytes = readFileSync(file);

const db = await connectMongo({ url: uniqueMongoUrl('benchstages') });
const table: string[][] = [['phase', 'run', 'wall s', 'cpu s']];
async function phase<T>(name: string, run: number, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(cpu);
  table.push([name, String(run), fmt((performance.now() - started) / 1000, 2), fmt(used.user / 1e6, 2)]);
  return result;
}
async function drain(reader: SettlementReader): Promise<void> {
  for await (const _batch of reader.batches()) {
    // every row read
  }
  reader.result();
}

try {
  await ensureIndexes([
    auditModel(db),
    rawDocumentModel(db),
    rawChunkModel(db),
    settlementModel(db),
    ruleSetModel(db),
  ] as never);
  for (let run = 1; run <= repetitions; run++) {
    // A connection of its own per run: the same report is a new document for it, not a duplicate.
    const connectionId = `bench-${run}`;
    await phase('raw chunks written (alone)', run, () =>
      beginRawDocument(db, { connectionId, bytes, source: 'bench' }).abandon(),
    );
    await phase('parse from memory, every row built', run, () =>
      drain(new SettlementReader(Readable.from([bytes]))),
    );
    await phase('parse from memory, validateOnly', run, () =>
      drain(new SettlementReader(Readable.from([bytes]), { validateOnly: true })),
    );
    const events: unknown[] = [];
    const publisher = {
      publish: async (_topic: unknown, _key: string, event: unknown) => {
        events.push(event);
      },
    } as never;
    const outcome = await phase('ingestSettlementDocument', run, () =>
      ingestSettlementDocument(
        { connectionId, region: 'NA', reportId: `r${run}`, bytes, fileName: 'bench' },
        {
          db,
          publisher,
          topics: { settlementAvailable: { name: 'bench' } } as never,
          metrics: createIngestMetrics(new Registry()),
        },
      ),
    );
    if (outcome.kind !== 'announced') throw new Error(`ingest: ${JSON.stringify(outcome)}`);
    const announced = events[0] as { rawDocumentId: string };
    await phase('raw chunks read back (alone)', run, async () => {
      for await (const _chunk of readRawDocument(db, announced.rawDocumentId)) {
        // bytes only
      }
    });
    const mapped = await phase('mapSettlement (no account check)', run, () =>
      mapSettlement(events[0] as never, {
        db,
        publisher,
        topics: { journalProposed: { name: 'bench' } } as never,
        metrics: createMappingMetrics(new Registry()),
        accounts: null,
      }),
    );
    if (mapped.kind !== 'proposed') throw new Error(`mapping: ${JSON.stringify(mapped)}`);
  }
  printTable(`ingest and mapping phases, ${fmt(rows)} rows, in-process on FerretDB`, table);
} finally {
  await db.dropDatabase().catch(() => undefined);
  await db.close();
}
