/**
 * Reports API 2021-06-30: finding settlement reports and downloading their documents.
 *
 * Settlement reports cannot be requested: Amazon creates them when a settlement closes and we list them
 * with getReports. A report's document URL is presigned and lives five minutes, so the download
 * starts right after getReportDocument answers; the body is gunzipped when Amazon says GZIP or when it
 * starts with the gzip magic bytes (a document flagged GZIP has been seen raw, and the reverse).
 */
import { pipeline, Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { createGunzip } from 'node:zlib';
import { paginate, type SpApiClient } from './client.js';
import { assertMarketplacesInRegion } from './regions.js';
import type {
  CreateReportResponse,
  CreateReportSpecification,
  GetReportsResponse,
  ProcessingStatus,
  Report,
  ReportDocument,
} from './types.js';

export const SETTLEMENT_REPORT_TYPE = 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE_V2';
export const LEGACY_SETTLEMENT_REPORT_TYPE = 'GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE';

const BASE = '/reports/2021-06-30';

export interface ReportsFilter {
  reportTypes: string[];
  /** Amazon ignores this for settlement reports (every marketplace's come back), but it is sent. */
  marketplaceIds: string[];
  processingStatuses?: ProcessingStatus[];
  /** ISO 8601; Amazon keeps reports 90 days and defaults to 90 days ago. */
  createdSince?: string;
  createdUntil?: string;
  /** 1..100, Amazon's default 10. */
  pageSize?: number;
}

/** The document URL answered 403: it expired (five minutes) before the download began. */
export class ReportDocumentExpiredError extends Error {
  override name = 'ReportDocumentExpiredError';
}

export class ReportDocumentDownloadError extends Error {
  override name = 'ReportDocumentDownloadError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export class ReportsApi {
  constructor(private readonly client: SpApiClient) {}

  /** Every report matching the filter, across pages (the next token is sent as the only parameter). */
  listReports(filter: ReportsFilter): AsyncGenerator<Report, void, undefined> {
    if (filter.reportTypes.length < 1 || filter.reportTypes.length > 10) {
      throw new RangeError('getReports takes 1 to 10 reportTypes');
    }
    assertMarketplacesInRegion(this.client.region, filter.marketplaceIds);
    return paginate(async (nextToken) => {
      const page = await this.client.request<GetReportsResponse>({
        operation: 'getReports',
        method: 'GET',
        path: `${BASE}/reports`,
        query: nextToken
          ? { nextToken }
          : {
              reportTypes: filter.reportTypes,
              processingStatuses: filter.processingStatuses,
              marketplaceIds: filter.marketplaceIds,
              createdSince: filter.createdSince,
              createdUntil: filter.createdUntil,
              pageSize: filter.pageSize,
            },
      });
      return { items: page.reports, nextToken: page.nextToken };
    });
  }

  getReport(reportId: string): Promise<Report> {
    return this.client.request<Report>({
      operation: 'getReport',
      method: 'GET',
      path: `${BASE}/reports/${encodeURIComponent(reportId)}`,
    });
  }

  /** Amazon answers 400 InvalidInput for settlement report types: they cannot be requested. */
  createReport(specification: CreateReportSpecification): Promise<CreateReportResponse> {
    assertMarketplacesInRegion(this.client.region, specification.marketplaceIds);
    return this.client.request<CreateReportResponse>({
      operation: 'createReport',
      method: 'POST',
      path: `${BASE}/reports`,
      body: specification,
    });
  }

  getReportDocument(reportDocumentId: string): Promise<ReportDocument> {
    return this.client.request<ReportDocument>({
      operation: 'getReportDocument',
      method: 'GET',
      path: `${BASE}/documents/${encodeURIComponent(reportDocumentId)}`,
    });
  }

  /** Resolves the document and opens its (decompressed) content as a stream at once. */
  async openReportDocument(reportDocumentId: string): Promise<Readable> {
    return this.download(await this.getReportDocument(reportDocumentId));
  }

  /** Resolves the document and reads its whole (decompressed) content. */
  async downloadReportDocument(reportDocumentId: string): Promise<Buffer> {
    return buffer(await this.openReportDocument(reportDocumentId));
  }

  /**
   * Resolves the document and reads its bytes as Amazon delivered them: GZIP stays compressed (a
   * 1,000,000-row settlement is 13 MiB so, 183 MiB unzipped), for a caller that stores the bytes and
   * decompresses them once, streaming, itself.
   */
  async downloadReportDocumentAsDelivered(reportDocumentId: string): Promise<Buffer> {
    return buffer(await this.fetchDocumentBody(await this.getReportDocument(reportDocumentId)));
  }

  /** Opens a resolved document's URL; call it within five minutes of getReportDocument. */
  async download(document: ReportDocument): Promise<Readable> {
    return gunzipIfNeeded(await this.fetchDocumentBody(document));
  }

  /** The body of a resolved document's URL, as delivered (not decompressed). */
  private async fetchDocumentBody(document: ReportDocument): Promise<Readable> {
    const response = await this.client.fetchDocument(document.url);
    if (!response.ok || !response.body) {
      const text = await response.text().catch(() => '');
      if (response.status === 403) {
        throw new ReportDocumentExpiredError(
          `report document ${document.reportDocumentId}: URL refused (403${/expired/i.test(text) ? ', request has expired' : ''}); fetch the document again`,
        );
      }
      throw new ReportDocumentDownloadError(
        `report document ${document.reportDocumentId}: download failed with ${response.status}`,
        response.status,
      );
    }
    return Readable.fromWeb(response.body as import('node:stream/web').ReadableStream<Uint8Array>);
  }
}

/** Passes the bytes through, gunzipping them when they start with the gzip magic bytes 1f 8b. */
async function gunzipIfNeeded(source: Readable): Promise<Readable> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await iterator.next();
  if (first.done) return Readable.from([]);
  const head: Buffer = first.value;
  async function* rest(): AsyncGenerator<Buffer> {
    yield head;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  }
  const body = Readable.from(rest(), { objectMode: false });
  if (!(head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b)) return body;
  const gunzip = createGunzip();
  pipeline(body, gunzip, () => undefined);
  return gunzip;
}
