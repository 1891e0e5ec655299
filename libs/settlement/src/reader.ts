/**
 * Reads one Amazon settlement flat file (V2 or legacy, plain or GZIP) into its summary and normalized rows,
 * and checks it: a summary row first, one settlement id, a known currency, and the rows summing to the total.
 *
 * Two ways in. SettlementReader streams: iterate it for rows (nothing is accumulated, so a million-row file
 * reads in flat memory), then ask result() for the reconciliation. parseSettlement() is the convenience that
 * collects every row and, by default, throws when the file does not reconcile.
 *
 * The decimal separator and the day/month order of slash dates are learnt from the file (see amounts.ts and
 * dates.ts). A line that needs one of them before the file has revealed it is parked, in order, and released
 * as soon as a later line decides; if none ever does, the read fails rather than guessing. Parked lines are
 * the only thing held in memory, bounded by maxLookaheadLines.
 *
 * A thrown SettlementParseError means the whole file is rejected, even if rows were already yielded.
 */
import { createReadStream } from 'node:fs';
import { type DecimalSeparator, formatMinor, isKnownCurrency } from '@mlc/money';
import { AmountReader } from './amounts.js';
import { DateColumn, type DateOrder, DateReader } from './dates.js';
import { SettlementParseError } from './errors.js';
import { FieldSplitter, readColumns } from './fields.js';
import { type Layout, readLayout } from './layout.js';
import { isZlibError, LineTooLongError, readLineBatches, type TextEncodingName } from './lines.js';
import type { SettlementRow, SettlementSummary } from './types.js';

export interface SettlementReadOptions {
  /** The name errors give for the file; default "<input>" (fromFile and parseSettlementFile use the path). */
  fileName?: string;
  /** Day/month order of slash dates, for a file whose own dates cannot tell ("03/04/25" only). */
  dateOrder?: DateOrder;
  /** Decimal separator of the amounts, for a file whose own amounts cannot tell ("1.234" only). */
  decimalSeparator?: DecimalSeparator;
  /** Text encoding; default utf8. Amazon has served V2 files as Cp1252 / ISO-8859-1: pass latin1 then. */
  encoding?: TextEncodingName;
  /** Most lines held while waiting for the file to reveal its decimal separator or date order; default 100000. */
  maxLookaheadLines?: number;
  /** Longest line accepted, in characters; default DEFAULT_MAX_LINE_LENGTH (1 MiB). */
  maxLineLength?: number;
  /**
   * Check every line exactly as a full read does, but build no rows: batches() yields none (so summary()
   * reads the whole file), result() has the counts and the sum. For a caller that only validates
   * (amazon-ingest): the columns only rows carry (order id, SKU, amount type, …) are never even cut out
   * of the line.
   */
  validateOnly?: boolean;
}

/** What a complete read found, and whether the rows add up to Amazon's total. */
export interface SettlementCheck {
  file: string;
  summary: SettlementSummary;
  /** Line of the summary row (2 unless blank lines precede it). */
  summaryLine: number;
  /** Non-blank lines after the header, the summary row included. */
  lineCount: number;
  /** Normalized rows (a legacy line yields one per filled amount column; its quantity-only lines yield none). */
  rowCount: number;
  sumOfRows: bigint;
  /** totalAmount − sumOfRows: 0n when the file reconciles. */
  difference: bigint;
  reconciles: boolean;
  /** The decimal separator the amounts used, or null when no amount had one. */
  decimalSeparator: DecimalSeparator | null;
  /** The day/month order of slash dates, or null when the file has none that decided it. */
  dateOrder: DateOrder | null;
}

export type SettlementSource = AsyncIterable<Uint8Array>;

/** A value that cannot be read until the file reveals its date order or decimal separator. */
interface Blocker {
  kind: 'date' | 'amount';
  field: string;
  text: string;
}

interface ParkedLine {
  line: number;
  fields: string[];
}

export class SettlementReader implements AsyncIterable<SettlementRow> {
  readonly file: string;
  private readonly dates: DateReader;
  private readonly maxLookahead: number;
  private layout: Layout | undefined;
  private splitter: FieldSplitter | undefined;
  private amounts: AmountReader | undefined;
  private startColumn: DateColumn | undefined;
  private endColumn: DateColumn | undefined;
  private depositColumn: DateColumn | undefined;
  private postedColumn: DateColumn | undefined;
  private postedTimeColumn: DateColumn | undefined;
  private settlementId = '';
  private summaryLine = 0;
  private summaryValue: SettlementSummary | undefined;
  private readonly parked: ParkedLine[] = [];
  private parkedHead = 0;
  private lineCount = 0;
  private rowCount = 0;
  /** The rows' sum: `sum` plus `smallSum`, which adds the amounts read as safe integers without a BigInt each. */
  private sum = 0n;
  private smallSum = 0;
  private finished: SettlementCheck | undefined;
  private parsed: AsyncGenerator<SettlementRow[]> | undefined;
  /** A batch summary() had to read before the caller asked for rows. */
  private held: SettlementRow[] | undefined;

  constructor(
    private readonly source: SettlementSource,
    private readonly options: SettlementReadOptions = {},
  ) {
    this.file = options.fileName ?? '<input>';
    this.dates = new DateReader(this.file, options.dateOrder);
    this.maxLookahead = options.maxLookaheadLines ?? 100_000;
  }

  static fromFile(path: string, options: SettlementReadOptions = {}): SettlementReader {
    return new SettlementReader(createReadStream(path), { fileName: path, ...options });
  }

  /** Reads up to the summary row (and what deciding its formats takes) and returns it. */
  async summary(): Promise<SettlementSummary> {
    if (this.summaryValue === undefined) {
      this.parsed ??= this.run();
      const next = await this.parsed.next();
      if (!next.done) this.held = next.value;
    }
    return this.summaryValue!;
  }

  /**
   * The rows in file order, one array per chunk of input (a few hundred rows): the cheapest way to consume
   * a large file, since a for-await step costs more than the parsing of a row.
   */
  async *batches(): AsyncGenerator<SettlementRow[]> {
    this.parsed ??= this.run();
    if (this.held !== undefined) {
      const held = this.held;
      this.held = undefined;
      yield held;
    }
    yield* this.parsed;
  }

  /** The rows one by one, in file order. */
  [Symbol.asyncIterator](): AsyncIterator<SettlementRow> {
    return new RowIterator(this.batches());
  }

  /** The reconciliation; available once every row has been read. */
  result(): SettlementCheck {
    if (this.finished === undefined) {
      throw new Error(`${this.file}: read every row before asking for the result`);
    }
    return this.finished;
  }

  private async *run(): AsyncGenerator<SettlementRow[]> {
    let line = 0;
    try {
      for await (const lines of readLineBatches(
        this.source,
        this.options.encoding ?? 'utf8',
        this.options.maxLineLength,
      )) {
        const batch: SettlementRow[] = [];
        for (const text of lines) {
          line++;
          if (line === 1) {
            this.readHeader(text);
            continue;
          }
          if (text.length === 0) continue; // real CA files have blank lines
          const fields = this.splitter!.split(text);
          if (typeof fields === 'number') {
            throw new SettlementParseError(
              this.file,
              line,
              'columns',
              `the line has ${fields} tab-separated fields, the header has ${this.layout!.width}`,
            );
          }
          this.lineCount++;
          if (this.summaryLine === 0) this.observeSummary(fields, line);
          else this.observeRow(fields, line);
          if (this.parkedHead === this.parked.length && this.canResolve(fields, line)) {
            this.resolve(fields, line, batch);
          } else {
            this.park(fields, line);
            this.unpark(batch);
          }
        }
        if (batch.length > 0) yield batch;
      }
    } catch (error) {
      if (error instanceof LineTooLongError) {
        throw new SettlementParseError(
          this.file,
          error.line,
          'line',
          `longer than ${error.limit} characters without a line break: not a settlement flat file line`,
        );
      }
      if (isZlibError(error)) {
        throw new SettlementParseError(
          this.file,
          line + 1,
          'gzip',
          `truncated or corrupt GZIP data (${error.message})`,
        );
      }
      throw error;
    }
    if (line === 0) throw new SettlementParseError(this.file, 1, 'header', 'the file is empty');
    if (this.summaryLine === 0) {
      throw new SettlementParseError(
        this.file,
        line + 1,
        'summary',
        'the file has a header but no summary row',
      );
    }
    if (this.parkedHead < this.parked.length) {
      throw this.undecided(this.parked[this.parkedHead]!, 'no line of the file');
    }
    const summary = this.summaryValue!;
    const sumOfRows = this.sum + BigInt(this.smallSum);
    const difference = summary.totalAmount - sumOfRows;
    this.finished = {
      file: this.file,
      summary,
      summaryLine: this.summaryLine,
      lineCount: this.lineCount,
      rowCount: this.rowCount,
      sumOfRows,
      difference,
      reconciles: difference === 0n,
      decimalSeparator: this.amounts!.separator ?? null,
      dateOrder: this.dates.order ?? null,
    };
  }

  private readHeader(text: string): void {
    if (text.trim() === '') {
      throw new SettlementParseError(this.file, 1, 'header', 'the first line is empty, not the header');
    }
    const layout = readLayout(text, this.file);
    this.layout = layout;
    this.splitter = new FieldSplitter(
      layout.width,
      readColumns(layout, { rows: this.options.validateOnly !== true }),
    );
    this.startColumn = new DateColumn('settlement-start-date', layout.startDate);
    this.endColumn = new DateColumn('settlement-end-date', layout.endDate);
    this.depositColumn = new DateColumn('deposit-date', layout.depositDate);
    if (layout.postedDate !== -1) this.postedColumn = new DateColumn('posted-date', layout.postedDate);
    if (layout.postedDateTime !== -1) {
      this.postedTimeColumn = new DateColumn('posted-date-time', layout.postedDateTime);
    }
  }

  /** The first data line must be the summary: it fixes the settlement id, the currency and the total. */
  private observeSummary(fields: string[], line: number): void {
    const layout = this.layout!;
    for (const [index, name] of [
      [layout.settlementId, 'settlement-id'],
      [layout.startDate, 'settlement-start-date'],
      [layout.endDate, 'settlement-end-date'],
      [layout.depositDate, 'deposit-date'],
      [layout.totalAmount, 'total-amount'],
      [layout.currency, 'currency'],
    ] as const) {
      if (fields[index]!.trim() === '') {
        throw new SettlementParseError(
          this.file,
          line,
          name,
          'summary row missing: the first data row must be the settlement summary, with settlement-id, ' +
            'settlement-start-date, settlement-end-date, deposit-date, total-amount and currency, but this field is empty',
        );
      }
    }
    const currency = fields[layout.currency]!.trim();
    if (!isKnownCurrency(currency)) {
      throw new SettlementParseError(
        this.file,
        line,
        'currency',
        `"${currency}" is not a settlement currency we know`,
      );
    }
    const amountColumns =
      layout.amount !== -1 ? [{ index: layout.amount, column: 'amount' }] : layout.legacyAmounts;
    for (const { index, column } of amountColumns) {
      if (cell(fields, index) !== '') {
        throw new SettlementParseError(
          this.file,
          line,
          column,
          'the summary row carries no amounts, but this one does',
        );
      }
    }
    this.settlementId = fields[layout.settlementId]!.trim();
    this.summaryLine = line;
    this.amounts = new AmountReader(this.file, currency, this.options.decimalSeparator);
    this.amounts.observe(fields[layout.totalAmount]!, line);
    for (const column of [this.startColumn!, this.endColumn!, this.depositColumn!]) {
      this.dates.observe(column, fields[column.index]!.trim(), line);
    }
  }

  /** Checks a transaction line against the summary and lets it teach the separator and date order. */
  private observeRow(fields: string[], line: number): void {
    const layout = this.layout!;
    const id = fields[layout.settlementId]!;
    if (id !== this.settlementId && id.trim() !== this.settlementId) {
      const detail =
        id.trim() === ''
          ? 'is empty'
          : `"${id.trim()}" differs from the summary's "${this.settlementId}" (line ${this.summaryLine}): one file holds one settlement`;
      throw new SettlementParseError(this.file, line, 'settlement-id', detail);
    }
    if (cell(fields, layout.totalAmount) !== '') {
      throw new SettlementParseError(
        this.file,
        line,
        'total-amount',
        `a second summary row: only the summary row (line ${this.summaryLine}) carries total-amount`,
      );
    }
    const currency = cell(fields, layout.currency);
    if (currency !== '' && currency !== this.amounts!.currency) {
      throw new SettlementParseError(
        this.file,
        line,
        'currency',
        `"${currency}" differs from the settlement currency "${this.amounts!.currency}"`,
      );
    }
    const amounts = this.amounts!;
    if (layout.amount !== -1) {
      amounts.observe(fields[layout.amount]!, line);
    } else {
      for (const column of layout.legacyAmounts) amounts.observe(fields[column.index]!, line);
    }
    if (this.postedColumn !== undefined) this.observeDate(this.postedColumn, fields, line);
    if (this.postedTimeColumn !== undefined) this.observeDate(this.postedTimeColumn, fields, line);
  }

  private observeDate(column: DateColumn, fields: string[], line: number): void {
    const text = fields[column.index]!;
    if (text !== '') this.dates.observe(column, trimmed(text), line);
  }

  /** Whether everything this line needs (separator, date order) is known. */
  private canResolve(fields: string[], line: number): boolean {
    return this.blocker(fields, line) === undefined;
  }

  /** The first value on the line that cannot be read yet. */
  private blocker(fields: string[], line: number): Blocker | undefined {
    const layout = this.layout!;
    const amounts = this.amounts!;
    const dates = this.dates;
    if (line === this.summaryLine) {
      const total = fields[layout.totalAmount]!;
      if (!amounts.canRead(total)) return { kind: 'amount', field: 'total-amount', text: total };
      for (const column of [this.startColumn!, this.endColumn!, this.depositColumn!]) {
        if (!dates.canRead(column)) return { kind: 'date', field: column.name, text: fields[column.index]! };
      }
      return undefined;
    }
    if (amounts.separator === undefined) {
      if (layout.amount !== -1) {
        const text = fields[layout.amount]!;
        if (!amounts.canRead(text)) return { kind: 'amount', field: 'amount', text };
      } else {
        for (const column of layout.legacyAmounts) {
          const text = fields[column.index]!;
          if (!amounts.canRead(text)) return { kind: 'amount', field: column.column, text };
        }
      }
    }
    const posted = this.postedAtColumn(fields);
    if (posted !== undefined && !dates.canRead(posted)) {
      return { kind: 'date', field: posted.name, text: fields[posted.index]! };
    }
    return undefined;
  }

  /** The column postedAt comes from on this line: posted-date-time when filled, else posted-date. */
  private postedAtColumn(fields: string[]): DateColumn | undefined {
    const timed = this.postedTimeColumn;
    if (timed !== undefined && cell(fields, timed.index) !== '') return timed;
    const dated = this.postedColumn;
    if (dated !== undefined && cell(fields, dated.index) !== '') return dated;
    return undefined;
  }

  private park(fields: string[], line: number): void {
    this.parked.push({ line, fields: fields.slice() }); // the splitter reuses its array
    if (this.parked.length - this.parkedHead > this.maxLookahead) {
      throw this.undecided(this.parked[this.parkedHead]!, `none of the next ${this.maxLookahead} lines`);
    }
  }

  /** Releases parked lines, in order, as far as the decisions learnt so far allow. */
  private unpark(batch: SettlementRow[]): void {
    while (this.parkedHead < this.parked.length) {
      const next = this.parked[this.parkedHead]!;
      if (!this.canResolve(next.fields, next.line)) return;
      this.resolve(next.fields, next.line, batch);
      this.parkedHead++;
    }
    this.parked.length = 0;
    this.parkedHead = 0;
  }

  private undecided(parked: ParkedLine, where: string): SettlementParseError {
    const { kind, field, text } = this.blocker(parked.fields, parked.line)!;
    const detail =
      kind === 'date'
        ? `"${text.trim()}" could be DD/MM or MM/DD and ${where} decides (a first part above 12 proves DD/MM, a second ` +
          "part above 12 proves MM/DD); pass the dateOrder option ('DMY' or 'MDY') for this file"
        : `"${text.trim()}" could have "." or "," as its decimal separator and ${where} decides; pass the ` +
          "decimalSeparator option ('.' or ',') for this file";
    return new SettlementParseError(this.file, parked.line, field, detail);
  }

  /** Turns a readable line into the summary, or into its normalized rows (added to batch and to the sum). */
  private resolve(fields: string[], line: number, batch: SettlementRow[]): void {
    const layout = this.layout!;
    const amounts = this.amounts!;
    if (line === this.summaryLine) {
      this.summaryValue = {
        settlementId: this.settlementId,
        startDate: this.dateAt(this.startColumn!, fields, line),
        endDate: this.dateAt(this.endColumn!, fields, line),
        depositDate: this.dateAt(this.depositColumn!, fields, line),
        totalAmount: amounts.read(fields[layout.totalAmount]!, line, 'total-amount'),
        currency: amounts.currency,
        format: layout.format,
      };
      return;
    }
    const postedColumn = this.postedAtColumn(fields);
    const postedAt = postedColumn === undefined ? null : this.dateAt(postedColumn, fields, line);
    const other = postedColumn === this.postedTimeColumn ? this.postedColumn : undefined;
    if (other !== undefined && cell(fields, other.index) !== '' && this.dates.canRead(other)) {
      this.dateAt(other, fields, line);
    }
    const quantity = this.quantityAt(fields, line);
    if (layout.amount !== -1) {
      const text = fields[layout.amount]!;
      if (text.trim() === '') {
        throw new SettlementParseError(this.file, line, 'amount', 'is empty: every V2 row has an amount');
      }
      const units = amounts.readUnits(text, line, 'amount');
      this.tally(units);
      if (this.options.validateOnly) return;
      const amount = typeof units === 'number' ? BigInt(units) : units;
      const type = fields[layout.amountType]!;
      const description = fields[layout.amountDescription]!;
      batch.push(this.row(fields, line, type, description, amount, 'amount', postedAt, quantity));
      return;
    }
    for (const column of layout.legacyAmounts) {
      const text = fields[column.index]!;
      if (text === '' || trimmed(text) === '') continue;
      const units = amounts.readUnits(text, line, column.column);
      this.tally(units);
      if (this.options.validateOnly) continue;
      const amount = typeof units === 'number' ? BigInt(units) : units;
      const description =
        column.descriptionIndex === -1 ? column.fixedDescription : fields[column.descriptionIndex]!;
      batch.push(
        this.row(fields, line, column.amountType, description, amount, column.column, postedAt, quantity),
      );
    }
  }

  /** Counts a row and adds its amount to the sum, exactly. */
  private tally(units: number | bigint): void {
    this.rowCount++;
    if (typeof units === 'bigint') {
      this.sum += units;
      return;
    }
    // Each number is below 10^15 (< 2^50): flushed past 2^52, the running number never leaves the safe range.
    const small = this.smallSum + units;
    if (small > SMALL_SUM_LIMIT || small < -SMALL_SUM_LIMIT) {
      this.sum += BigInt(small);
      this.smallSum = 0;
    } else {
      this.smallSum = small;
    }
  }

  private row(
    fields: string[],
    line: number,
    amountType: string,
    amountDescription: string,
    amount: bigint,
    sourceColumn: string,
    postedAt: string | null,
    quantity: number | null,
  ): SettlementRow {
    const layout = this.layout!;
    return {
      rowNumber: line,
      transactionType: cell(fields, layout.transactionType),
      amountType: trimmed(amountType),
      amountDescription: trimmed(amountDescription),
      amount,
      postedAt,
      orderId: optional(fields, layout.orderId),
      adjustmentId: optional(fields, layout.adjustmentId),
      shipmentId: optional(fields, layout.shipmentId),
      merchantOrderId: optional(fields, layout.merchantOrderId),
      sku: optional(fields, layout.sku),
      quantity,
      marketplace: optional(fields, layout.marketplace),
      fulfillmentId: optional(fields, layout.fulfillmentId),
      sourceColumn,
    };
  }

  private dateAt(column: DateColumn, fields: string[], line: number): string {
    return this.dates.toIso(column, cell(fields, column.index), line);
  }

  private quantityAt(fields: string[], line: number): number | null {
    const index = this.layout!.quantity;
    if (index === -1) return null;
    const text = cell(fields, index);
    if (text === '') return null;
    const quantity = wholeNumber(text);
    if (quantity === undefined) {
      throw new SettlementParseError(
        this.file,
        line,
        'quantity-purchased',
        `"${text}" is not a whole number`,
      );
    }
    return quantity;
  }
}

/** Hands out a stream of row batches one row at a time, with a settled promise for every row but a batch's first. */
class RowIterator implements AsyncIterator<SettlementRow> {
  private batch: SettlementRow[] = [];
  private index = 0;

  constructor(private readonly batches: AsyncGenerator<SettlementRow[]>) {}

  next(): Promise<IteratorResult<SettlementRow>> {
    if (this.index < this.batch.length) {
      return Promise.resolve({ value: this.batch[this.index++]!, done: false });
    }
    return this.batches.next().then((next) => {
      if (next.done) return { value: undefined, done: true };
      this.batch = next.value;
      this.index = 1;
      return { value: this.batch[0]!, done: false };
    });
  }

  async return(): Promise<IteratorResult<SettlementRow>> {
    await this.batches.return(undefined);
    return { value: undefined, done: true };
  }
}

const SMALL_SUM_LIMIT = 2 ** 52;

/** "12" or "-1" as a number (at most 9 digits), else undefined; a char-code scan, as it runs on every row. */
function wholeNumber(text: string): number | undefined {
  const negative = text.charCodeAt(0) === 45;
  const start = negative ? 1 : 0;
  if (text.length === start || text.length - start > 9) return undefined;
  let value = 0;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return undefined;
    value = value * 10 + (code - 48);
  }
  return negative ? -value : value;
}

/** The cell without surrounding whitespace (real files pad some amounts); trims only when it must. */
function cell(fields: string[], index: number): string {
  return trimmed(fields[index]!);
}

function trimmed(value: string): string {
  return value === '' || (value.charCodeAt(0) > 32 && value.charCodeAt(value.length - 1) > 32)
    ? value
    : value.trim();
}

/** The trimmed cell, or null when the column is absent or the cell blank. */
function optional(fields: string[], index: number): string | null {
  if (index === -1) return null;
  const value = cell(fields, index);
  return value === '' ? null : value;
}

/** Everything a file holds: the reconciliation and every row, in file order. */
export interface ParsedSettlement extends SettlementCheck {
  rows: SettlementRow[];
}

/**
 * Reads a whole settlement into memory. Throws SettlementParseError on bad input and, unless
 * requireReconciled is false, when the rows do not sum to the summary's total.
 */
export async function parseSettlement(
  source: SettlementSource,
  options: SettlementReadOptions & { requireReconciled?: boolean } = {},
): Promise<ParsedSettlement> {
  const reader = new SettlementReader(source, options);
  const rows: SettlementRow[] = [];
  for await (const row of reader) rows.push(row);
  const check = reader.result();
  if (options.requireReconciled ?? true) assertReconciled(check);
  return { ...check, rows };
}

export function parseSettlementFile(
  path: string,
  options: SettlementReadOptions & { requireReconciled?: boolean } = {},
): Promise<ParsedSettlement> {
  return parseSettlement(createReadStream(path), { fileName: path, ...options });
}

/** Throws SettlementParseError, pointing at the summary's total-amount, unless the rows sum to it exactly. */
export function assertReconciled(check: SettlementCheck): void {
  if (check.reconciles) return;
  const { currency, totalAmount } = check.summary;
  throw new SettlementParseError(
    check.file,
    check.summaryLine,
    'total-amount',
    `the summary's total is ${formatMinor(totalAmount, currency)} ${currency} but the ${check.rowCount} rows sum to ` +
      `${formatMinor(check.sumOfRows, currency)} (difference ${formatMinor(check.difference, currency)})`,
  );
}
