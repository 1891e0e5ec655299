/**
 * `mlc settlement …`: Amazon settlements, as files and as the records the pipeline keeps.
 *
 * - `inspect <file>` reads one settlement report (V2 or legacy flat file, plain or GZIP) with the same
 *   parser amazon-ingest uses and shows what it holds: the summary, the row count, the totals per
 *   (transaction type, amount type, amount description), and whether the rows add up to Amazon's total.
 *   The file is streamed, so a large report needs no more memory than a small one.
 * - `list` and `show` read the settlement records, their audit trail and their jobs from MongoDB
 *   (MLC_MONGO_URL, default mongodb://127.0.0.1:27017/ml-connector); `show` also lists each journal
 *   line with the settlement rows that made it, per repost generation (settlement-lineage.ts).
 * - `repost` reverses what a posted settlement has in JDE and posts it again by the current rules
 *   (settlement-repost.ts).
 * - `release` sends a held settlement back to mapping: status `announced`, an audit event, and its
 *   amazon.settlement.available.v1 event again, rebuilt from the record (MLC_KAFKA_BROKERS,
 *   MLC_KAFKA_NAMESPACE), so mapping maps it with the rules current now.
 * - `import` posts a downloaded file to amazon-ingest's admin route (MLC_INGEST_URL, default
 *   http://127.0.0.1:9401), which takes it down the same path as a report from the SP-API.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { connect } from 'node:net';
import path from 'node:path';
import { Readable } from 'node:stream';
import { jobReference } from '@mlc/ais';
import { kafkaNames, settlementAvailableV1 } from '@mlc/events';
import { createKafka, EventPublisher, kafkaSecurityFromEnv } from '@mlc/kafka';
import { formatMinor } from '@mlc/money';
import { type AuditEvent, appendAudit, auditModel, connectMongo, type Job, jobModel } from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import {
  assertReconciled,
  type DateOrder,
  type SettlementCheck,
  SettlementReader,
  TotalsByType,
  type TypeTotal,
} from '@mlc/settlement';
import {
  SETTLEMENT_STATUSES,
  type SettlementRecord,
  type SettlementStatus,
  settlementModel,
} from '@mlc/store';
import { type Command, type CommandGroup, parseCommandArgs, UsageError } from '../command.js';
import { lineageReport, lineageText, settlementHistory } from './settlement-lineage.js';
import { repost } from './settlement-repost.js';

const inspect: Command = {
  name: 'inspect',
  summary:
    'Parse a settlement flat file and show its summary, totals by type and whether it reconciles (exit 1 if not)',
  usage: '<file> [--json] [--date-order DMY|MDY] [--decimal-separator .|,]',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      json: { type: 'boolean' },
      'date-order': { type: 'string' },
      'decimal-separator': { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one settlement file');
    const file = positionals[0]!;
    const dateOrder = values['date-order'];
    if (dateOrder !== undefined && dateOrder !== 'DMY' && dateOrder !== 'MDY') {
      throw new UsageError(`--date-order must be DMY or MDY, not "${dateOrder}"`);
    }
    const separator = values['decimal-separator'];
    if (separator !== undefined && separator !== '.' && separator !== ',') {
      throw new UsageError(`--decimal-separator must be "." or ",", not "${separator}"`);
    }

    const reader = SettlementReader.fromFile(file, {
      dateOrder: dateOrder as DateOrder | undefined,
      decimalSeparator: separator,
    });
    const totals = new TotalsByType();
    for await (const batch of reader.batches()) {
      for (const row of batch) totals.add(row);
    }
    const check = reader.result();
    const lines = values.json
      ? [JSON.stringify(asJson(check, totals.list()), null, 2)]
      : asText(check, totals.list());
    process.stdout.write(`${lines.join('\n')}\n`);
    assertReconciled(check);
    return 0;
  },
};

function asJson(check: SettlementCheck, totals: TypeTotal[]) {
  const { summary } = check;
  const money = (minor: bigint) => formatMinor(minor, summary.currency);
  return {
    file: check.file,
    settlementId: summary.settlementId,
    format: summary.format,
    currency: summary.currency,
    startDate: summary.startDate,
    endDate: summary.endDate,
    depositDate: summary.depositDate,
    totalAmount: money(summary.totalAmount),
    lineCount: check.lineCount,
    rowCount: check.rowCount,
    sumOfRows: money(check.sumOfRows),
    difference: money(check.difference),
    reconciles: check.reconciles,
    decimalSeparator: check.decimalSeparator,
    dateOrder: check.dateOrder,
    totals: totals.map((total) => ({ ...total, amount: money(total.amount) })),
  };
}

function asText(check: SettlementCheck, totals: TypeTotal[]): string[] {
  const { summary } = check;
  const money = (minor: bigint) => formatMinor(minor, summary.currency);
  const table = [
    ['transaction type', 'amount type', 'amount description', 'rows', 'amount'],
    ...totals.map((t) => [
      t.transactionType,
      t.amountType,
      t.amountDescription,
      String(t.rowCount),
      money(t.amount),
    ]),
  ];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((cells) => cells[column]!.length)));
  const render = (cells: string[]) =>
    cells
      .map((cell, column) => (column >= 3 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  return [
    `settlement    ${summary.settlementId} (${summary.format}, ${summary.currency})`,
    `start         ${summary.startDate}`,
    `end           ${summary.endDate}`,
    `deposit       ${summary.depositDate}`,
    `total         ${money(summary.totalAmount)} ${summary.currency}`,
    `rows          ${check.rowCount} (from ${check.lineCount} lines after the header, summary included)`,
    `sum of rows   ${money(check.sumOfRows)} ${summary.currency}`,
    `reconciles    ${check.reconciles ? 'yes' : `NO (difference ${money(check.difference)} ${summary.currency})`}`,
    '',
    'totals by type:',
    ...table.map((cells) => `  ${render(cells)}`),
  ];
}

// ---- shared by the commands that read MongoDB (mappings.ts uses them too) ----

export const DEFAULT_MONGO_URL = 'mongodb://127.0.0.1:27017/ml-connector';
export type Db = Awaited<ReturnType<typeof connectMongo>>;

function mongoUrl(): string {
  const url = process.env.MLC_MONGO_URL || DEFAULT_MONGO_URL;
  if (!/^mongodb(\+srv)?:\/\//.test(url)) throw new UsageError('MLC_MONGO_URL: expected a mongodb:// URL');
  return url;
}

/** The URL without its password, for messages. */
function redacted(url: string): string {
  return url.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}

/** Runs `work` on a MongoDB connection (MLC_MONGO_URL), closing it afterwards. */
export async function withMongo<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const url = mongoUrl();
  let db: Db;
  try {
    db = await connectMongo({ url, serverSelectionTimeoutMS: 5_000 });
  } catch (error) {
    throw new Error(`cannot reach MongoDB at ${redacted(url)} (MLC_MONGO_URL): ${message(error)}`);
  }
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/** Who an operator's change is recorded as in the audit trail. */
export function operatorActor(): string {
  return `operator:${process.env.USER || 'cli'}`;
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Text table: columns padded to their widest cell, the `right` ones aligned right. */
export function renderTable(header: string[], rows: string[][], right: number[] = []): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((cells) => (cells[column] ?? '').length)));
  return all.map((cells) =>
    cells
      .map((cell, column) =>
        right.includes(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!),
      )
      .join('  ')
      .trimEnd(),
  );
}

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines;
}

const day = (date?: Date | null) => (date ? new Date(date).toISOString().slice(0, 10) : '-');
const minute = (date?: Date | null) =>
  date ? new Date(date).toISOString().slice(0, 16).replace('T', ' ') : '-';
const instant = (date?: Date | null) => (date ? new Date(date).toISOString() : undefined);

// ---- settlement records ----

function recordJson(record: SettlementRecord) {
  return {
    connectionId: record.connectionId,
    settlementId: record.settlementId,
    status: record.status,
    reason: record.reason,
    region: record.region,
    reportId: record.reportId ?? null,
    format: record.format,
    currency: record.currency,
    totalAmount: record.totalAmount,
    rowCount: record.rowCount,
    startDate: instant(record.startDate),
    endDate: instant(record.endDate),
    depositDate: instant(record.depositDate),
    rawDocumentId: record.rawDocumentId,
    checksum: record.checksum,
    jobIds: record.jobIds ?? [],
    createdAt: instant(record.createdAt),
    updatedAt: instant(record.updatedAt),
  };
}

/**
 * The one record of `settlementId` (under `connectionId` when given). Not found: an error (exit 1);
 * found under several connections without --connection: a usage error (exit 2) naming them.
 */
export async function findOneSettlement(
  db: Db,
  settlementId: string,
  connectionId: string | undefined,
): Promise<SettlementRecord> {
  const filter = connectionId ? { settlementId, connectionId } : { settlementId };
  const found = (await settlementModel(db).find(filter).limit(20).lean().exec()) as SettlementRecord[];
  if (found.length === 0) {
    throw new Error(
      `no settlement ${settlementId}${connectionId ? ` under connection ${connectionId}` : ''} is recorded`,
    );
  }
  if (found.length > 1) {
    throw new UsageError(
      `settlement ${settlementId} is recorded under several connections (${found
        .map((r) => r.connectionId)
        .sort()
        .join(', ')}): say which with --connection`,
    );
  }
  return found[0]!;
}

const list: Command = {
  name: 'list',
  summary:
    'List settlement records, newest change first: connection, id, status, currency, total, rows, deposit date, updated, reason',
  usage: '[--connection <id>] [--status <status>] [--limit <n>] [--json]',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      connection: { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const status = values.status;
    if (status !== undefined && !(SETTLEMENT_STATUSES as readonly string[]).includes(status)) {
      throw new UsageError(`--status must be one of ${SETTLEMENT_STATUSES.join(', ')}, not "${status}"`);
    }
    const limit = values.limit === undefined ? 100 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new UsageError(`--limit "${values.limit}" is not a positive whole number`);
    const filter: { connectionId?: string; status?: SettlementStatus } = {};
    if (values.connection) filter.connectionId = values.connection;
    if (status) filter.status = status as SettlementStatus;

    return withMongo(async (db) => {
      const model = settlementModel(db);
      const count = await model.countDocuments(filter).exec();
      const records = (await model
        .find(filter)
        .sort({ updatedAt: -1 })
        .limit(limit)
        .lean()
        .exec()) as SettlementRecord[];
      if (values.json) {
        process.stdout.write(`${JSON.stringify(records.map(recordJson), null, 2)}\n`);
        return 0;
      }
      if (records.length === 0) {
        process.stdout.write('(no settlements)\n');
        return 0;
      }
      const table = renderTable(
        ['connection', 'settlement', 'status', 'currency', 'total', 'rows', 'deposit', 'updated', 'reason'],
        records.map((r) => [
          r.connectionId,
          r.settlementId,
          r.status,
          r.currency ?? '-',
          r.totalAmount ?? '-',
          r.rowCount === undefined ? '-' : String(r.rowCount),
          day(r.depositDate),
          minute(r.updatedAt),
          r.reason ? truncate(r.reason, 60) : '',
        ]),
        [4, 5],
      );
      if (count > records.length) table.push(`(the newest ${records.length} of ${count}; see --limit)`);
      process.stdout.write(`${table.join('\n')}\n`);
      return 0;
    });
  },
};

/** The detail of an audit event in one short line: its reason or message, else its simple fields. */
function keyDetail(event: AuditEvent): string {
  const detail = event.detail ?? {};
  const parts: string[] = [];
  if (event.jobId) parts.push(`job ${event.jobId}`);
  for (const key of ['reason', 'message'] as const) {
    if (typeof detail[key] === 'string') parts.push(detail[key] as string);
  }
  for (const [key, value] of Object.entries(detail)) {
    if (key === 'reason' || key === 'message' || value === undefined || value === null) continue;
    if (Array.isArray(value)) parts.push(`${key}=[${value.length}]`);
    else if (typeof value !== 'object') parts.push(`${key}=${String(value)}`);
  }
  return parts.join(', ');
}

interface Lineage {
  ruleSet?: string;
  parts?: number;
  suspenseRows?: number;
  unmapped?: string[];
  jobs: Array<{
    jobId: string;
    state: string;
    jdeReference: string;
    lines?: number;
    document?: string;
    batch?: string;
  }>;
}

const LINES_NOT_STORED =
  'Journal lines are not stored in MongoDB: they travel only on ledger.journal.proposed.v1 and end up in ' +
  "JDE's F0911. Each journal's lines and the settlement rows behind each line are recomputed below from " +
  'the stored report and the rule set version the journal was mapped with.';

function lineageOf(record: SettlementRecord, trail: AuditEvent[], jobs: Job[]): Lineage {
  const proposed = trail.filter((e) => e.action === 'settlement.proposed').at(-1)?.detail ?? {};
  const jobIds = [...new Set([...(record.jobIds ?? []), ...jobs.map((j) => j.jobId)])];
  const lineage: Lineage = {
    jobs: jobIds.map((jobId) => {
      const job = jobs.find((j) => j.jobId === jobId);
      const posting = trail.filter((e) => e.jobId === jobId && e.action === 'journal.posting').at(-1);
      const result = (job?.result ?? {}) as Record<string, unknown>;
      const entry: Lineage['jobs'][number] = {
        jobId,
        state: job?.state ?? 'not yet recorded by jde-poster',
        jdeReference: jobReference(jobId),
      };
      if (typeof posting?.detail?.lines === 'number') entry.lines = posting.detail.lines;
      if (result.documentNumber !== undefined)
        entry.document = `${result.company ?? '?'} ${result.documentType ?? '?'} ${result.documentNumber}`;
      if (result.batchNumber) entry.batch = String(result.batchNumber);
      return entry;
    }),
  };
  if (typeof proposed.ruleSet === 'string') lineage.ruleSet = proposed.ruleSet;
  if (typeof proposed.parts === 'number') lineage.parts = proposed.parts;
  if (typeof proposed.suspenseRows === 'number') lineage.suspenseRows = proposed.suspenseRows;
  if (Array.isArray(proposed.unmapped)) lineage.unmapped = proposed.unmapped.map(String);
  return lineage;
}

const show: Command = {
  name: 'show',
  summary:
    'Show one settlement: its record, audit trail, jobs, repost generations, and each journal line with the settlement rows that made it (--rows: the rows themselves; --connection when the id exists under several connections)',
  usage: '<settlementId> [--connection <id>] [--rows] [--json]',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      connection: { type: 'string' },
      rows: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one settlement id');
    const settlementId = positionals[0]!;
    return withMongo(async (db) => {
      const record = await findOneSettlement(db, settlementId, values.connection);
      const key = { connectionId: record.connectionId, settlementId };
      const trail = (await auditModel(db).find(key).sort({ at: 1 }).lean().exec()) as AuditEvent[];
      const jobs = (await jobModel(db).find(key).sort({ createdAt: 1 }).lean().exec()) as Job[];
      const lineage = lineageOf(record, trail, jobs);
      const history = await settlementHistory(db, record, trail, jobs);
      const report = await lineageReport(db, record, history, values.rows === true);
      const generations = history.reposts.map((r) => ({
        generation: r.generation,
        state: r.state,
        requestedBy: r.requestedBy,
        requestedAt: instant(r.requestedAt),
        reason: r.reason,
        ruleSet: r.ruleSet,
        glDate: r.glDate ?? null,
        reverses: r.reverses.map((t) => ({
          jobId: t.jobId,
          documentNumber: t.documentNumber,
          reversalJobId: t.reversalJobId,
        })),
        jobIds: r.jobIds ?? [],
        refusal: r.refusal,
      }));

      if (values.json) {
        const json = {
          settlement: recordJson(record),
          audit: trail.map((e) => ({
            at: instant(e.at),
            actor: e.actor,
            action: e.action,
            jobId: e.jobId,
            detail: e.detail ?? {},
          })),
          jobs: jobs.map((j) => ({
            jobId: j.jobId,
            kind: j.kind,
            state: j.state,
            attempts: j.attempts,
            result: j.result,
            lastError: j.lastError,
            createdAt: instant(j.createdAt),
            updatedAt: instant(j.updatedAt),
          })),
          lineage: { ...lineage, note: LINES_NOT_STORED },
          generations,
          journals: report.journals,
          postedDeposit: report.postedDeposit,
        };
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        return 0;
      }

      const r = record;
      const lines = [
        `settlement    ${r.settlementId}`,
        `connection    ${r.connectionId}`,
        `status        ${r.status}${r.reason ? ` — ${r.reason}` : ''}`,
        `region        ${r.region ?? '-'}`,
        `report        ${r.reportId ?? '(imported file)'}`,
        `format        ${r.format ?? '-'}`,
        `total         ${r.totalAmount ?? '-'} ${r.currency ?? ''}`.trimEnd(),
        `rows          ${r.rowCount ?? '-'}`,
        `period        ${day(r.startDate)} to ${day(r.endDate)}`,
        `deposit       ${day(r.depositDate)}`,
        `raw document  ${r.rawDocumentId} (SHA-256 ${r.checksum})`,
        `created       ${instant(r.createdAt) ?? '-'}`,
        `updated       ${instant(r.updatedAt) ?? '-'}`,
        '',
        `audit trail (${trail.length}):`,
        ...(trail.length === 0
          ? ['  (none)']
          : renderTable(
              ['time', 'actor', 'action', 'detail'],
              trail.map((e) => [instant(e.at) ?? '-', e.actor, e.action, truncate(keyDetail(e), 120)]),
            ).map((line) => `  ${line}`)),
        '',
        `jobs (${jobs.length}):`,
        ...(jobs.length === 0
          ? ['  (none)']
          : renderTable(
              ['job', 'state', 'attempts', 'JDE document'],
              jobs.map((j) => [
                j.jobId,
                j.state,
                String(j.attempts),
                lineage.jobs.find((l) => l.jobId === j.jobId)?.document ??
                  (j.lastError ? truncate(j.lastError, 80) : '-'),
              ]),
              [2],
            ).map((line) => `  ${line}`)),
        '',
        'lineage:',
        ...wrap(LINES_NOT_STORED, 100).map((line) => `  ${line}`),
        `  raw document  ${r.rawDocumentId}`,
        `  rule set      ${lineage.ruleSet ?? '(not mapped yet)'}`,
      ];
      if (lineage.parts !== undefined) lines.push(`  parts         ${lineage.parts}`);
      if (lineage.suspenseRows !== undefined) lines.push(`  suspense rows ${lineage.suspenseRows}`);
      for (const group of lineage.unmapped ?? []) lines.push(`  unmapped      ${group}`);
      if (lineage.jobs.length > 0) {
        lines.push(
          ...renderTable(
            ['  job', 'JDE reference', 'lines', 'JDE document', 'batch'],
            lineage.jobs.map((l) => [
              `  ${l.jobId}`,
              l.jdeReference,
              l.lines === undefined ? '-' : String(l.lines),
              l.document ?? l.state,
              l.batch ?? '-',
            ]),
            [2],
          ),
        );
      }
      if (generations.length > 0) {
        lines.push('', `reposts (${generations.length}):`);
        for (const g of generations) {
          lines.push(
            `  generation ${g.generation} ${g.state}: by ${g.requestedBy} at ${g.requestedAt}, rules ${g.ruleSet}, G/L date ${g.glDate ?? 'original'} — ${g.reason}`,
          );
          if (g.refusal) lines.push(`    refused: ${g.refusal}`);
        }
      }
      lines.push('', 'journal lines and the settlement rows behind them:', ...lineageText(report, record));
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    });
  },
};

export function brokers(): string[] {
  return (process.env.MLC_KAFKA_BROKERS || '127.0.0.1:9092').split(',').map((b) => b.trim());
}

/** The CLI's Kafka client: MLC_KAFKA_BROKERS and the MLC_KAFKA_* security settings, errors logged to stderr. */
export function cliKafka(): ReturnType<typeof createKafka> {
  return createKafka({
    brokers: brokers(),
    clientId: 'mlc-cli',
    logger: createLogger('mlc-cli', 'error', process.stderr),
    security: kafkaSecurityFromEnv(),
  });
}

/**
 * Whether any bootstrap broker accepts a TCP connection within `timeoutMs`: a quick answer for an
 * operator when the broker is down or the address wrong (the Kafka client retries for minutes).
 */
export async function anyBrokerListening(list: string[], timeoutMs = 5_000): Promise<boolean> {
  const probe = (broker: string) =>
    new Promise<boolean>((resolve) => {
      const at = broker.lastIndexOf(':');
      const socket = connect({ host: broker.slice(0, at), port: Number(broker.slice(at + 1)) });
      const done = (ok: boolean) => {
        socket.destroy();
        resolve(ok);
      };
      socket.setTimeout(timeoutMs, () => done(false));
      socket.once('connect', () => done(true));
      socket.once('error', () => done(false));
    });
  return (await Promise.all(list.map(probe))).some(Boolean);
}

const release: Command = {
  name: 'release',
  summary:
    'Send a HELD settlement back to mapping: status announced, audit settlement.released, and its amazon.settlement.available.v1 event again (MLC_KAFKA_BROKERS, MLC_KAFKA_NAMESPACE); exit 1 if it is not held',
  usage: '<settlementId> [--connection <id>] [--reason <text>]',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      connection: { type: 'string' },
      reason: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one settlement id');
    const settlementId = positionals[0]!;
    const { topics } = kafkaNames(process.env.MLC_KAFKA_NAMESPACE);
    const topic = topics.settlementAvailable;

    return withMongo(async (db) => {
      const record = await findOneSettlement(db, settlementId, values.connection);
      const name = `settlement ${settlementId} of connection ${record.connectionId}`;
      if (record.status !== 'held') {
        throw new Error(`${name} is ${record.status}, not held: only a held settlement can be released`);
      }
      if (!record.currency || !record.totalAmount) {
        throw new Error(
          `${name} cannot be released: its report never parsed (no currency or total on the record), so there is nothing for mapping to map. It was held because: ${record.reason ?? '(no reason recorded)'}`,
        );
      }
      const parsed = settlementAvailableV1.safeParse({
        connectionId: record.connectionId,
        region: record.region,
        settlementId: record.settlementId,
        reportId: record.reportId ?? null,
        rawDocumentId: record.rawDocumentId,
        checksum: record.checksum,
        format: record.format,
        currency: record.currency,
        startDate: instant(record.startDate),
        endDate: instant(record.endDate),
        depositDate: instant(record.depositDate),
        totalAmount: record.totalAmount,
        rowCount: record.rowCount,
        emittedAt: new Date().toISOString(),
      });
      if (!parsed.success) {
        throw new Error(
          `${name}: cannot rebuild its ${topic.name} event from the record: ${parsed.error.issues
            .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
            .join('; ')}`,
        );
      }

      // Kafka first: if the broker is unreachable, nothing has changed yet.
      if (!(await anyBrokerListening(brokers()))) {
        throw new Error(
          `cannot reach Kafka at ${brokers().join(',')} (MLC_KAFKA_BROKERS): no broker answers`,
        );
      }
      const kafka = cliKafka();
      const publisher = new EventPublisher(kafka);
      try {
        await publisher.connect();
      } catch (error) {
        throw new Error(
          `cannot reach Kafka at ${brokers().join(',')} (MLC_KAFKA_BROKERS): ${message(error)}`,
        );
      }
      try {
        const key = { connectionId: record.connectionId, settlementId };
        // Announced before the event goes out: mapping re-maps only an announced (or received) settlement.
        const moved = await settlementModel(db)
          .updateOne(
            { ...key, status: 'held' },
            { $set: { status: 'announced', updatedAt: new Date() }, $unset: { reason: '' } },
          )
          .exec();
        if (moved.matchedCount !== 1)
          throw new Error(`${name} changed meanwhile; look at it again with show`);
        try {
          await publisher.publish(topic, `${key.connectionId}:${settlementId}`, parsed.data);
        } catch (error) {
          await settlementModel(db)
            .updateOne(
              { ...key, status: 'announced' },
              { $set: { status: 'held', reason: record.reason ?? 'held', updatedAt: new Date() } },
            )
            .exec();
          throw new Error(`${name}: publishing to ${topic.name} failed, it is held again: ${message(error)}`);
        }
        const detail: Record<string, unknown> = { topic: topic.name, heldBecause: record.reason ?? '' };
        if (values.reason) detail.reason = values.reason;
        await appendAudit(db, { actor: operatorActor(), action: 'settlement.released', ...key, detail });
        process.stdout.write(
          `released ${name}: status announced, event published to ${topic.name}; mapping maps it again with the current rules\n`,
        );
        return 0;
      } finally {
        await publisher.disconnect();
      }
    });
  },
};

type ImportOutcome =
  | { kind: 'announced'; settlementId: string }
  | { kind: 'duplicate'; settlementId: string; status: string }
  | { kind: 'held'; settlementId: string; reason: string };

const importFile: Command = {
  name: 'import',
  summary:
    "Feed a downloaded settlement flat file (plain or GZIP) through amazon-ingest's admin import, e.g. a report older than Amazon's 90 days (--url or MLC_INGEST_URL, default http://127.0.0.1:9401; region default NA); exit 1 when held",
  usage: '<file> --connection <id> [--region NA|EU|FE] [--url <amazon-ingest admin url>]',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      connection: { type: 'string' },
      region: { type: 'string' },
      url: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one settlement file');
    if (!values.connection) throw new UsageError('--connection is required');
    const region = values.region;
    if (region !== undefined && !['NA', 'EU', 'FE'].includes(region))
      throw new UsageError(`--region must be NA, EU or FE, not "${region}"`);
    const base = (values.url || process.env.MLC_INGEST_URL || 'http://127.0.0.1:9401').replace(/\/+$/, '');
    if (!URL.canParse(base)) throw new UsageError(`"${base}" is not a URL (--url or MLC_INGEST_URL)`);
    const file = positionals[0]!;
    const size = await stat(file).then(
      (s) => (s.isFile() ? s.size : -1),
      (error: NodeJS.ErrnoException) => {
        throw new Error(`${file}: ${error.code === 'ENOENT' ? 'no such file' : message(error)}`);
      },
    );
    if (size < 0) throw new Error(`${file}: not a file`);
    if (size === 0) throw new Error(`${file}: the file is empty`);

    const fileName = path.basename(file);
    const query = new URLSearchParams({ connectionId: values.connection, fileName });
    if (region) query.set('region', region);
    const target = `${base}/admin/settlements/import?${query}`;
    let response: Response;
    try {
      response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
        body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
        duplex: 'half',
      } as RequestInit);
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(
        `cannot reach amazon-ingest at ${base} (${cause?.code ?? cause?.message ?? message(error)}): is it running? Give its admin URL with --url or MLC_INGEST_URL`,
      );
    }
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const outcome = body as Partial<ImportOutcome> | undefined;
    if ((response.status === 200 || response.status === 422) && outcome?.kind) {
      const name = `settlement ${outcome.settlementId} of connection ${values.connection} (${fileName})`;
      switch (outcome.kind) {
        case 'announced':
          process.stdout.write(`announced ${name}: mapping picks it up next\n`);
          return 0;
        case 'duplicate':
          process.stdout.write(
            `duplicate: ${name} is recorded already with status ${(outcome as { status?: string }).status}; nothing announced\n`,
          );
          return 0;
        case 'held':
          process.stdout.write(`held ${name}: ${(outcome as { reason?: string }).reason}\n`);
          return 1;
      }
    }
    const said = body as { error?: string; message?: string } | undefined;
    throw new Error(
      `amazon-ingest at ${base} answered HTTP ${response.status}: ${said?.error ?? said?.message ?? truncate(text, 300)}`,
    );
  },
};

export const settlementCommands: CommandGroup = {
  name: 'settlement',
  aliases: ['settlements'],
  summary:
    'Amazon settlements: inspect a flat file; list, show, release held ones; repost posted ones; import a file',
  commands: [inspect, list, show, release, importFile, repost],
};
