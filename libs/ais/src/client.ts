/**
 * The AIS client for one customer connection: every call carries jde-AIS-Auth and
 * jde-AIS-Auth-Device from the SessionProvider; an HTTP 444 reports the token invalid, takes a
 * fresh session and retries once (AIS checks the token before doing anything, so this is safe
 * for writes too). Non-2xx answers and business errors inside 2xx answers become AisErrors.
 * On top: data-service BROWSE with paging, F0901/F0911 reads, orchestration calls, and posting a
 * journal entry with the F0911 read-back that settles an ambiguous outcome.
 */
import type { AisConnectionConfig, ReferenceField, ResolvedConnection } from './config.js';
import { resolveConnection } from './config.js';
import {
  type AccountMasterRow,
  type BrowsePage,
  type BrowseRequest,
  buildDataRequest,
  type Condition,
  F0901_COLUMNS,
  F0911_COLUMNS,
  type LedgerRow,
  readAccountRow,
  readBrowsePage,
  readLedgerRow,
} from './data-service.js';
import { DEFAULT_DATE_FORMAT, formatAisDate } from './dates.js';
import { AisError, describeDetails, detectBusinessError, parseAisErrorBody } from './errors.js';
import { type AisResponse, AisTransport, type FetchLike } from './http.js';
import {
  buildJournalEntryBody,
  type JournalEntry,
  type JournalEntryResult,
  readJournalEntryResult,
  validateJournalEntry,
} from './journal-entry.js';
import type { AisMetrics, AisOperation } from './metrics.js';
import {
  type AisSession,
  authHeaders,
  logoutSession,
  type SessionProvider,
  validateSession,
} from './session.js';

export interface AisClientOptions {
  connection: AisConnectionConfig | ResolvedConnection;
  sessions: SessionProvider;
  metrics?: AisMetrics;
  fetch?: FetchLike;
  /** Safety cap on pages followed by browseAll (default 1000). */
  maxPages?: number;
}

export class AisClient {
  readonly connection: ResolvedConnection;
  private readonly transport: AisTransport;
  private readonly sessions: SessionProvider;
  private readonly maxPages: number;
  private readonly metrics: AisMetrics | undefined;

  constructor(options: AisClientOptions) {
    this.connection = resolveConnection(options.connection);
    this.sessions = options.sessions;
    this.metrics = options.metrics;
    this.maxPages = options.maxPages ?? 1000;
    const transportOptions: { fetch?: FetchLike; metrics?: AisMetrics } = {};
    if (options.fetch) transportOptions.fetch = options.fetch;
    if (options.metrics) transportOptions.metrics = options.metrics;
    this.transport = new AisTransport(this.connection, transportOptions);
  }

  /**
   * One authenticated call: 444 → reportInvalid, fresh session, one retry; then a second 444 is
   * an 'invalid-token' error. Returns the answer of any other status for the caller to judge.
   */
  async call(
    operation: AisOperation,
    path: string,
    body: unknown,
    method: 'POST' | 'GET' = 'POST',
  ): Promise<{ response: AisResponse; session: AisSession }> {
    let session = await this.sessions.getSession(this.connection.id);
    let response = await this.transport.send(operation, path, body, authHeaders(session), method);
    if (response.status === 444) {
      await this.sessions.reportInvalid(this.connection.id, session.token);
      this.metrics?.tokenRetries.inc({ operation });
      session = await this.sessions.getSession(this.connection.id);
      response = await this.transport.send(operation, path, body, authHeaders(session), method);
      if (response.status === 444) {
        await this.sessions.reportInvalid(this.connection.id, session.token);
        throw new AisError(
          'invalid-token',
          `AIS ${operation} on connection "${this.connection.id}": 444 Invalid Token again right after a fresh login (device binding or session settings?)`,
          { operation, status: 444, details: parseAisErrorBody(response.body) },
        );
      }
    }
    return { response, session };
  }

  /** Throws the AisError an answer stands for; returns the body when it is a clean success. */
  private judge(operation: AisOperation, what: string, response: AisResponse, write: boolean): unknown {
    const { status, body } = response;
    if (status >= 200 && status < 300) {
      const business = detectBusinessError(body);
      if (business) {
        throw new AisError(
          'business',
          `${what} refused by JDE (HTTP ${status}): ${describeDetails(business)}`,
          {
            operation,
            status,
            details: business,
          },
        );
      }
      return body;
    }
    const details = parseAisErrorBody(body);
    const text = describeDetails(details);
    if (status === 403) {
      throw new AisError(
        'forbidden',
        `${what}: 403 Authorization Failure — the AIS user/role lacks access${text ? `: ${text}` : ''}`,
        {
          operation,
          status,
          details,
        },
      );
    }
    if (details.errors.length > 0 || details.continuedOnError.length > 0) {
      throw new AisError('business', `${what} refused by JDE (HTTP ${status}): ${text}`, {
        operation,
        status,
        details,
      });
    }
    throw new AisError('http', `${what} failed with HTTP ${status}${text ? `: ${text}` : ''}`, {
      operation,
      status,
      details,
      // A 5xx without form errors may come after the write (e.g. a lost commit acknowledgement).
      outcomeUnknown: write && status >= 500,
    });
  }

  // ---- sessions -----------------------------------------------------------------------------

  async validate(touch = false): Promise<boolean> {
    return validateSession(this.transport, await this.sessions.getSession(this.connection.id), touch);
  }

  /** Logs the current session out and tells the provider to forget it. */
  async logout(): Promise<void> {
    const session = await this.sessions.getSession(this.connection.id);
    await logoutSession(this.transport, session);
    await this.sessions.reportInvalid(this.connection.id, session.token);
  }

  /** The user date pattern dates are sent in: configured, else the login's simpleDateFormat. */
  async dateFormat(): Promise<string> {
    if (this.connection.dateFormat) return this.connection.dateFormat;
    return (await this.sessions.getSession(this.connection.id)).dateFormat || DEFAULT_DATE_FORMAT;
  }

  /** A date condition value in the user's format. */
  async dateValue(iso: string): Promise<string> {
    return formatAisDate(iso, await this.dateFormat());
  }

  // ---- data service -------------------------------------------------------------------------

  /** One page of a BROWSE. */
  async browse(request: BrowseRequest): Promise<BrowsePage> {
    const { response } = await this.call('dataservice', '/jderest/v2/dataservice', buildDataRequest(request));
    const body = this.judge('dataservice', `data service BROWSE ${request.table}`, response, false);
    return readBrowsePage(body, request.table);
  }

  /** The page behind a next link (path and query only; always against our base URL). */
  async nextPage(table: string, nextPath: string): Promise<BrowsePage> {
    const { response } = await this.call('dataservice_next', nextPath, {});
    const body = this.judge('dataservice_next', `data service next page of ${table}`, response, false);
    return readBrowsePage(body, table);
  }

  /**
   * Every row of a BROWSE, following next links. Next-page cursors live in the AIS session and
   * time out, so if a next page fails (cursor gone, session replaced after a 444) the whole read
   * starts over once. Fails if AIS says more rows exist but gives no link.
   */
  async browseAll(request: BrowseRequest): Promise<Record<string, unknown>[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.browseAllOnce(request);
      } catch (error) {
        const cursorLost =
          error instanceof AisError &&
          error.options.operation === 'dataservice_next' &&
          (error.kind === 'http' || error.kind === 'invalid-token');
        if (!cursorLost || attempt >= 2) throw error;
      }
    }
  }

  private async browseAllOnce(request: BrowseRequest): Promise<Record<string, unknown>[]> {
    let page = await this.browse({
      ...request,
      enableNextPageProcessing: request.enableNextPageProcessing ?? true,
    });
    const rows = [...page.rows];
    for (let pages = 1; page.moreRecords; pages++) {
      if (!page.nextPath) {
        throw new AisError(
          'protocol',
          `data service ${request.table}: more records exist but no next-page link came back; enable next page processing or raise maxPageSize`,
          { operation: 'dataservice' },
        );
      }
      if (pages >= this.maxPages) {
        throw new AisError('protocol', `data service ${request.table}: more than ${this.maxPages} pages`);
      }
      page = await this.nextPage(request.table, page.nextPath);
      rows.push(...page.rows);
    }
    return rows;
  }

  /** F0901 accounts matching the conditions (e.g. by company or business unit). */
  async readAccounts(conditions: Condition[] = [], maxPageSize = 500): Promise<AccountMasterRow[]> {
    const rows = await this.browseAll({
      table: 'F0901',
      columns: [...F0901_COLUMNS],
      conditions,
      orderBy: [{ column: 'AID' }],
      maxPageSize,
    });
    return rows.map(readAccountRow);
  }

  /** F0911 rows matching the conditions. */
  async readLedger(
    conditions: Condition[],
    maxPageSize = 500,
    orderBy?: BrowseRequest['orderBy'],
  ): Promise<LedgerRow[]> {
    const request: BrowseRequest = { table: 'F0911', columns: [...F0911_COLUMNS], conditions, maxPageSize };
    if (orderBy) request.orderBy = orderBy;
    return (await this.browseAll(request)).map(readLedgerRow);
  }

  // ---- orchestrations -----------------------------------------------------------------------

  /** POSTs an orchestration and returns its body; errors (incl. business errors in a 200) throw. */
  async orchestrate(
    name: string,
    body: unknown,
    version = this.connection.journal.version,
  ): Promise<Record<string, unknown>> {
    const prefix = version === 'v1' ? '' : `${version}/`;
    const { response } = await this.call(
      'orchestration',
      `/jderest/${prefix}orchestrator/${encodeURIComponent(name)}`,
      body,
    );
    const result = this.judge('orchestration', `orchestration ${name}`, response, true);
    return (typeof result === 'object' && result !== null ? result : { output: result }) as Record<
      string,
      unknown
    >;
  }

  /**
   * Posts a journal entry through the configured orchestration. Field errors throw before
   * anything is sent. An error with outcomeUnknown (no answer, 5xx) means: call
   * findJournalEntry(reference) before trying again.
   */
  async postJournalEntry(entry: JournalEntry): Promise<JournalEntryResult> {
    const mapping = this.connection.journal;
    const valid = validateJournalEntry(entry, mapping.referenceField);
    const body = buildJournalEntryBody(valid, mapping, await this.dateFormat());
    const answer = await this.orchestrate(mapping.name, body, mapping.version);
    return readJournalEntryResult(answer, mapping);
  }

  /**
   * The F0911 read-back: rows of documents carrying this job reference (in the configured field),
   * narrowed by company, document type and G/L date when given. Empty = not posted. A memo
   * orchestration may write the reference to another field: `scope.referenceField`.
   */
  async findJournalEntry(
    reference: string,
    scope: { company?: string; documentType?: string; glDate?: string; referenceField?: ReferenceField } = {},
  ): Promise<{
    documents: {
      documentCompany: string;
      documentType: string;
      documentNumber: number;
      glDate: string;
      batchNumber: number;
    }[];
    rows: LedgerRow[];
  }> {
    const field = scope.referenceField ?? this.connection.journal.referenceField;
    const conditions: Condition[] = [{ column: field, operator: 'EQUAL', values: [reference] }];
    if (scope.company) conditions.push({ column: 'KCO', operator: 'EQUAL', values: [scope.company] });
    if (scope.documentType)
      conditions.push({ column: 'DCT', operator: 'EQUAL', values: [scope.documentType] });
    if (scope.glDate)
      conditions.push({ column: 'DGJ', operator: 'EQUAL', values: [await this.dateValue(scope.glDate)] });
    const rows = await this.readLedger(conditions);
    const documents = new Map<
      string,
      {
        documentCompany: string;
        documentType: string;
        documentNumber: number;
        glDate: string;
        batchNumber: number;
      }
    >();
    for (const row of rows) {
      const key = `${row.documentCompany}|${row.documentType}|${row.documentNumber}|${row.glDate}`;
      if (!documents.has(key)) {
        documents.set(key, {
          documentCompany: row.documentCompany,
          documentType: row.documentType,
          documentNumber: row.documentNumber,
          glDate: row.glDate,
          batchNumber: row.batchNumber,
        });
      }
    }
    return { documents: [...documents.values()], rows };
  }
}
