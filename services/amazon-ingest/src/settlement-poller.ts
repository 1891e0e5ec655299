/**
 * Polling the Reports API for new settlement reports, per connection and region.
 *
 * Amazon generates a settlement report by itself (createReport is refused for this type), so we
 * list reports of type GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2 created since a cursor, download
 * each new one at once (its URL lives five minutes) and feed it through the ingest path. The cursor
 * lags the newest report seen by an overlap window, because reports can become visible late; the
 * report ids seen inside that window are remembered so a report is downloaded once. A report that
 * fails (throttling beyond the client's retries, an expired URL twice) is left unseen and tried
 * again at the next poll. When the listing itself fails part way (a page refused beyond the
 * retries), the reports already ingested are still recorded as seen — the cursor stays where it
 * was — so the next poll does not download them again.
 */
import type { Logger } from '@mlc/observability';
import { ReportDocumentExpiredError, type ReportsApi, SETTLEMENT_REPORT_TYPE } from '@mlc/sp-api';
import { type Connection, type Model, Schema } from 'mongoose';
import { Counter, type Registry } from 'prom-client';
import type { IngestInput, IngestOutcome } from './ingest.js';

export interface PollTarget {
  connectionId: string;
  region: 'NA' | 'EU' | 'FE';
  marketplaceIds: string[];
}

interface Cursor {
  _id: string;
  createdSince: Date;
  /** Reports already ingested that a listing from createdSince can still return. */
  seen: Array<{ reportId: string; createdTime: Date }>;
  updatedAt: Date;
}

const cursorSchema = new Schema<Cursor>(
  {
    _id: { type: String, required: true },
    createdSince: { type: Date, required: true },
    seen: { type: [{ _id: false, reportId: String, createdTime: Date }], required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'ingest_cursors', versionKey: false },
);

export function cursorModel(connection: Connection): Model<Cursor> {
  return (connection.models.IngestCursor as Model<Cursor>) ?? connection.model('IngestCursor', cursorSchema);
}

export interface PollerDeps {
  db: Connection;
  ingest: (input: IngestInput) => Promise<IngestOutcome>;
  logger: Logger;
  registry: Registry;
  /** How far back the first poll of a connection looks (Amazon keeps reports 90 days). */
  initialLookbackMs?: number;
  /** How far the cursor trails the newest report seen. */
  overlapMs?: number;
  now?: () => Date;
}

export interface PollResult {
  listed: number;
  ingested: number;
  failed: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export class SettlementPoller {
  readonly #reportsCounter: Counter<'outcome'>;

  constructor(private readonly deps: PollerDeps) {
    this.#reportsCounter = new Counter({
      name: 'mlc_ingest_reports_total',
      help: 'Settlement reports found by polling, by outcome (ingested, failed).',
      labelNames: ['outcome'],
      registers: [deps.registry],
    });
  }

  async pollOnce(target: PollTarget, api: ReportsApi): Promise<PollResult> {
    const { db } = this.deps;
    const now = this.deps.now?.() ?? new Date();
    const id = `${target.connectionId}:${target.region}`;
    const cursors = cursorModel(db);
    const cursor = (await cursors.findById(id).lean().exec()) ?? {
      _id: id,
      createdSince: new Date(now.getTime() - (this.deps.initialLookbackMs ?? 89 * DAY_MS)),
      seen: [],
      updatedAt: now,
    };
    const seen = new Map(cursor.seen.map((s) => [s.reportId, new Date(s.createdTime)]));
    const result: PollResult = { listed: 0, ingested: 0, failed: 0 };
    const save = async (createdSince: Date) => {
      const keep = [...seen]
        .filter(([, createdTime]) => createdTime.getTime() >= createdSince.getTime())
        .map(([reportId, createdTime]) => ({ reportId, createdTime }));
      await cursors
        .updateOne({ _id: id }, { $set: { createdSince, seen: keep, updatedAt: now } }, { upsert: true })
        .exec();
    };

    try {
      await this.ingestListed(target, api, cursor.createdSince, seen, result);
    } catch (error) {
      // Part of the listing is unread: the cursor stays, but what was ingested is remembered.
      if (result.ingested > 0) await save(cursor.createdSince);
      throw error;
    }
    const newest = Math.max(cursor.createdSince.getTime(), ...[...seen.values()].map((d) => d.getTime()));
    await save(new Date(Math.max(cursor.createdSince.getTime(), newest - (this.deps.overlapMs ?? DAY_MS))));
    return result;
  }

  /** Downloads and ingests each listed report not seen yet; `seen` gains each one ingested. */
  private async ingestListed(
    target: PollTarget,
    api: ReportsApi,
    createdSince: Date,
    seen: Map<string, Date>,
    result: PollResult,
  ): Promise<void> {
    const { logger } = this.deps;
    for await (const report of api.listReports({
      reportTypes: [SETTLEMENT_REPORT_TYPE],
      marketplaceIds: target.marketplaceIds,
      processingStatuses: ['DONE'],
      createdSince: createdSince.toISOString(),
      pageSize: 100,
    })) {
      result.listed++;
      if (seen.has(report.reportId) || !report.reportDocumentId) continue;
      try {
        const bytes = await download(api, report.reportDocumentId);
        const outcome = await this.deps.ingest({
          connectionId: target.connectionId,
          region: target.region,
          reportId: report.reportId,
          bytes,
          fileName: `report ${report.reportId}`,
        });
        logger.info({ reportId: report.reportId, outcome }, 'settlement report ingested');
        seen.set(report.reportId, new Date(report.createdTime));
        result.ingested++;
        this.#reportsCounter.inc({ outcome: 'ingested' });
      } catch (error) {
        result.failed++;
        this.#reportsCounter.inc({ outcome: 'failed' });
        logger.warn(
          { err: error, reportId: report.reportId },
          'settlement report not ingested; next poll tries again',
        );
      }
    }
  }
}

/**
 * Downloads at once, as delivered (GZIP stays compressed: the ingest unzips it once, streaming); an
 * expired URL (the five minutes passed) gets a fresh one, once.
 */
async function download(api: ReportsApi, reportDocumentId: string): Promise<Buffer> {
  try {
    return await api.downloadReportDocumentAsDelivered(reportDocumentId);
  } catch (error) {
    if (!(error instanceof ReportDocumentExpiredError)) throw error;
    return api.downloadReportDocumentAsDelivered(reportDocumentId);
  }
}
