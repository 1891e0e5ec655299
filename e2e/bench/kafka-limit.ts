/**
 * How big mapping's ledger.journal.proposed.v1 events get for a settlement, against the broker's
 * message.max.bytes: the first limit a large settlement meets on its way through the pipeline.
 *
 *   node --import tsx e2e/bench/kafka-limit.ts [rows…]   (default 20000 100000 200000 1000000)
 *
 * Builds the journals in-process exactly as mapping does (SettlementReader → buildJournals with the default
 * rule set → toEvent from services/mapping), serialises each event as the publisher does (JSON), and reads
 * message.max.bytes from the running broker (make infra-up). Each line's lineage carries its rows as
 * compressed ranges; rows of one kind are interleaved with the others in a real file, so the ranges grow
 * about linearly with the rows, and so does the event.
 */

import { createKafka } from '@mlc/kafka';
import { buildJournals, defaultRuleSet } from '@mlc/mapping';
import { createLogger } from '@mlc/observability';
import { SettlementReader } from '@mlc/settlement';
import { kafkaBrokers } from '@mlc/testkit';
import kafkajs from 'kafkajs';
import { toEvent } from '../../services/mapping/src/map-settlement.js';
import { fmt, intArg, printTable, settlementFile } from './common.js';

export interface EventSizes {
  rows: number;
  journals: number;
  largestBytes: number;
  largestLines: number;
  largestRanges: number;
}

/** The JSON sizes of the journal.proposed events mapping would publish for this settlement file. */
export async function proposedEventSizes(file: string): Promise<EventSizes> {
  const reader = SettlementReader.fromFile(file);
  const summary = await reader.summary();
  const result = await buildJournals(summary, reader, defaultRuleSet('bench-seller'));
  if (result.status !== 'ready') throw new Error(`${file}: mapping would hold it: ${result.reason}`);
  let largestBytes = 0;
  let largestLines = 0;
  let largestRanges = 0;
  const proposedAt = new Date().toISOString();
  for (const journal of result.journals) {
    const event = toEvent(journal, proposedAt, 'bench-document');
    const bytes = Buffer.byteLength(JSON.stringify(event));
    if (bytes > largestBytes) {
      largestBytes = bytes;
      largestLines = event.lines.length;
      largestRanges = event.lines.reduce((n, line) => n + (line.lineage.rowRanges?.length ?? 0), 0);
    }
  }
  return {
    rows: reader.result().rowCount,
    journals: result.journals.length,
    largestBytes,
    largestLines,
    largestRanges,
  };
}

/** The broker's message.max.bytes (what a produce request's record batch may not exceed). */
export async function brokerMessageMaxBytes(): Promise<number> {
  const kafka = createKafka({
    brokers: kafkaBrokers,
    clientId: 'bench-limit',
    logger: createLogger('bench-limit', 'error'),
  });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { brokers } = await admin.describeCluster();
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        {
          type: kafkajs.ConfigResourceTypes.BROKER,
          name: String(brokers[0]?.nodeId ?? 1),
          configNames: ['message.max.bytes'],
        },
      ],
    });
    const value = described.resources[0]?.configEntries.find((e) => e.configName === 'message.max.bytes');
    return Number(value?.configValue ?? 1_048_588);
  } finally {
    await admin.disconnect();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sizes = process.argv.length > 2 ? process.argv.slice(2) : ['20000', '100000', '200000', '1000000'];
  const limit = await brokerMessageMaxBytes();
  const table: Array<Array<string | number>> = [
    ['rows', 'journals', 'largest event bytes', 'its lines', 'its row ranges', 'vs message.max.bytes'],
  ];
  for (const size of sizes) {
    const { file } = await settlementFile(intArg(size, 0, 'rows'));
    const s = await proposedEventSizes(file);
    table.push([
      fmt(s.rows),
      s.journals,
      fmt(s.largestBytes),
      s.largestLines,
      fmt(s.largestRanges),
      `${fmt(s.largestBytes / limit, 2)}× ${s.largestBytes > limit ? 'TOO LARGE' : 'fits'}`,
    ]);
  }
  printTable(`ledger.journal.proposed.v1 event size (broker message.max.bytes = ${fmt(limit)})`, table);
}
