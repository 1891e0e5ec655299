/**
 * `mlc settlement inspect <file>`: reads one Amazon settlement report (V2 or legacy flat file, plain or GZIP)
 * with the same parser amazon-ingest uses and shows what it holds: the summary, the row count, the totals
 * per (transaction type, amount type, amount description), and whether the rows add up to Amazon's total.
 * Operators use it to look at a file before ingesting it or when ingest rejected it. The file is streamed,
 * so a large report needs no more memory than a small one.
 */
import { formatMinor } from '@mlc/money';
import {
  assertReconciled,
  type DateOrder,
  type SettlementCheck,
  SettlementReader,
  TotalsByType,
  type TypeTotal,
} from '@mlc/settlement';
import { type Command, type CommandGroup, parseCommandArgs, UsageError } from '../command.js';

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

export const settlementCommands: CommandGroup = {
  name: 'settlement',
  aliases: ['settlements'],
  summary: 'Amazon settlement reports: inspect a flat file',
  commands: [inspect],
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
