/**
 * The one path every settlement document takes into the system, whether amazon-ingest downloaded
 * it from the SP-API or an operator imported a file (`mlc settlement import`):
 *
 *   store the raw bytes (deduplicated by content) → parse and validate, summing the rows into row
 *   groups → store the groups → record the settlement → announce it once on
 *   amazon.settlement.available.v1.
 *
 * One pass over the document: the bytes are unzipped once, streaming, into the parser and hashed on
 * the way (the raw document's identity is the SHA-256 of its plain bytes), while the compressed bytes
 * are written to the store; the raw document's head is recorded when the parse has finished. The
 * same pass sums the rows per kind and day (@mlc/settlement RowGroups), and mapping builds the
 * journals from those groups instead of parsing the document again.
 *
 * A report delivered twice, or two reports covering the same settlement, announce it once: the
 * settlement record is unique per (connection, settlement id) and whoever creates it announces.
 * The record is written as `received` before the event and marked `announced` after, so a crash in
 * between is repaired by the next delivery of the same report. An invalid report is recorded as
 * `held` with the parser's reason (file, line, field) and never announced.
 */
import type { SettlementAvailableV1, Topics } from '@mlc/events';
import type { EventPublisher } from '@mlc/kafka';
import { formatMinor } from '@mlc/money';
import { appendAudit, auditModel } from '@mlc/mongo';
import {
  assertReconciled,
  RowGroups,
  type SettlementCheck,
  SettlementParseError,
  SettlementReader,
  type SettlementSummary,
} from '@mlc/settlement';
import {
  beginRawDocument,
  MAX_STORED_ROW_GROUPS,
  PlainContent,
  recordSettlement,
  type SettlementRecord,
  saveRowGroups,
  setSettlementStatus,
  settlementModel,
} from '@mlc/store';
import type { Connection } from 'mongoose';
import { Counter, type Registry } from 'prom-client';

export interface IngestInput {
  connectionId: string;
  region: 'NA' | 'EU' | 'FE';
  /** The SP-API report id, or null for an imported file. */
  reportId: string | null;
  /** Plain or GZIP bytes of the flat file. */
  bytes: Buffer;
  /** For messages: the report id or the imported file's name. */
  fileName: string;
}

export type IngestOutcome =
  | { kind: 'announced'; settlementId: string }
  | { kind: 'duplicate'; settlementId: string; status: string }
  | { kind: 'held'; settlementId: string; reason: string };

export interface IngestDeps {
  db: Connection;
  publisher: EventPublisher;
  topics: Pick<Topics, 'settlementAvailable'>;
  metrics: IngestMetrics;
  actor?: string;
}

export interface IngestMetrics {
  settlements: Counter<'outcome'>;
}

export function createIngestMetrics(registry: Registry): IngestMetrics {
  return {
    settlements: new Counter({
      name: 'mlc_ingest_settlements_total',
      help: 'Settlement documents ingested, by outcome (announced, duplicate, held).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}

export async function ingestSettlementDocument(input: IngestInput, deps: IngestDeps): Promise<IngestOutcome> {
  const { db, publisher, topics } = deps;
  const actor = deps.actor ?? 'amazon-ingest';
  const source = input.reportId ? `report:${input.reportId}` : `import:${input.fileName}`;
  const pending = beginRawDocument(db, {
    connectionId: input.connectionId,
    bytes: input.bytes,
    source,
  });
  const content = new PlainContent(input.bytes);
  const reader = new SettlementReader(content.chunks(), { fileName: input.fileName });
  const groups = new RowGroups(MAX_STORED_ROW_GROUPS);
  let parsed: { summary: SettlementSummary; check: SettlementCheck } | undefined;
  let invalid: SettlementParseError | undefined;
  try {
    const summary = await reader.summary();
    // Reading every row is the validation: types, dates, amounts, one settlement id.
    for await (const batch of reader.batches()) for (const row of batch) groups.add(row);
    const check = reader.result();
    assertReconciled(check);
    parsed = { summary, check };
  } catch (error) {
    if (!(error instanceof SettlementParseError)) {
      await pending.abandon();
      throw error;
    }
    invalid = error;
  }
  // The digest is known when the parse read the whole document; otherwise the store computes it.
  const { document } = await pending.finish(content.digest());

  let held: { settlementId: string; reason: string } | undefined;
  let record: Omit<SettlementRecord, 'createdAt' | 'updatedAt'> | undefined;
  if (parsed) {
    const { summary, check } = parsed;
    // Before the settlement is recorded, so mapping finds them; past the limit mapping reads the rows.
    if (!groups.overflowed) await saveRowGroups(db, document._id, groups.list());
    record = {
      connectionId: input.connectionId,
      settlementId: summary.settlementId,
      status: 'received',
      region: input.region,
      reportId: input.reportId,
      rawDocumentId: document._id,
      checksum: document.sha256,
      format: summary.format,
      currency: summary.currency,
      totalAmount: formatMinor(summary.totalAmount, summary.currency),
      startDate: new Date(summary.startDate),
      endDate: new Date(summary.endDate),
      depositDate: new Date(summary.depositDate),
      rowCount: check.rowCount,
    };
  } else {
    const summaryId = safeSummaryId(reader);
    held = {
      settlementId: summaryId ?? `invalid-${document.sha256.slice(0, 12)}`,
      reason: invalid!.message,
    };
  }

  if (held) {
    const { created, record: existing } = await recordSettlement(db, {
      connectionId: input.connectionId,
      settlementId: held.settlementId,
      status: 'held',
      reason: held.reason,
      region: input.region,
      reportId: input.reportId,
      rawDocumentId: document._id,
      checksum: document.sha256,
    });
    if (!created) {
      deps.metrics.settlements.inc({ outcome: 'duplicate' });
      return { kind: 'duplicate', settlementId: held.settlementId, status: existing.status };
    }
    await appendAudit(db, {
      actor,
      action: 'settlement.held',
      connectionId: input.connectionId,
      settlementId: held.settlementId,
      detail: { reason: held.reason, source },
    });
    deps.metrics.settlements.inc({ outcome: 'held' });
    return { kind: 'held', ...held };
  }

  const valid = record!;
  let { created, record: stored } = await recordSettlement(db, valid);
  if (
    !created &&
    stored.status === 'held' &&
    !stored.currency &&
    stored.rawDocumentId !== valid.rawDocumentId
  ) {
    // The settlement was held because an earlier document of it did not parse; this one does (a
    // corrected file, or Amazon's regenerated report): it replaces the broken one.
    await settlementModel(db)
      .updateOne(key(valid), { $set: { ...valid, updatedAt: new Date() }, $unset: { reason: '' } })
      .exec();
    await appendAudit(db, {
      actor,
      action: 'settlement.replaced',
      connectionId: valid.connectionId,
      settlementId: valid.settlementId,
      detail: { source, previousReason: stored.reason ?? '' },
    });
    stored = { ...stored, ...valid };
    created = true;
  }
  // A delivery killed after announcing but before auditing it leaves the trail without the
  // announcement, and mapping may have moved the settlement on since: this one records it.
  const auditIfMissing = async (action: string, detail: Record<string, unknown>) => {
    const found = await auditModel(db)
      .exists({ ...key(valid), action })
      .exec();
    if (!found) await appendAudit(db, { actor, action, ...key(valid), detail });
  };
  if (!created && stored.status !== 'received') {
    // Valid settlements leave `received` only by being announced.
    if (stored.currency) {
      await auditIfMissing('settlement.announced', { topic: topics.settlementAvailable.name, source });
    }
    deps.metrics.settlements.inc({ outcome: 'duplicate' });
    return { kind: 'duplicate', settlementId: valid.settlementId, status: stored.status };
  }
  const received = { source, rows: valid.rowCount, total: valid.totalAmount, currency: valid.currency };
  if (created) {
    await appendAudit(db, {
      actor,
      action: 'settlement.received',
      connectionId: valid.connectionId,
      settlementId: valid.settlementId,
      detail: received,
    });
  } else {
    // Recorded by a delivery killed before it announced it, perhaps before it audited it too.
    await auditIfMissing('settlement.received', received);
  }
  const event = announcement(created ? valid : stored);
  await publisher.publish(topics.settlementAvailable, `${event.connectionId}:${event.settlementId}`, event);
  await setSettlementStatus(db, valid, 'announced');
  await appendAudit(db, {
    actor,
    action: 'settlement.announced',
    connectionId: valid.connectionId,
    settlementId: valid.settlementId,
    detail: { topic: topics.settlementAvailable.name },
  });
  deps.metrics.settlements.inc({ outcome: 'announced' });
  return { kind: 'announced', settlementId: valid.settlementId };
}

function safeSummaryId(reader: SettlementReader): string | undefined {
  try {
    return reader.result().summary.settlementId || undefined;
  } catch {
    return undefined;
  }
}

function announcement(record: Omit<SettlementRecord, 'createdAt' | 'updatedAt'>): SettlementAvailableV1 {
  return {
    connectionId: record.connectionId,
    region: (record.region ?? 'NA') as SettlementAvailableV1['region'],
    settlementId: record.settlementId,
    reportId: record.reportId ?? null,
    rawDocumentId: record.rawDocumentId,
    checksum: record.checksum,
    format: record.format as SettlementAvailableV1['format'],
    currency: record.currency!,
    startDate: record.startDate!.toISOString(),
    endDate: record.endDate!.toISOString(),
    depositDate: record.depositDate!.toISOString(),
    totalAmount: record.totalAmount!,
    rowCount: record.rowCount ?? 0,
    emittedAt: new Date().toISOString(),
  };
}

function key(record: { connectionId: string; settlementId: string }) {
  return { connectionId: record.connectionId, settlementId: record.settlementId };
}
