/**
 * Journals to and from a JSON-safe form, for Kafka events (ledger.journal.proposed.v1) and Mongo.
 *
 * JSON has no bigint and a JS number would lose cents, so every amount travels as a plain decimal string in
 * the journal's currency ("-1234.50", "1500" for JPY) and is parsed back exactly. Everything else is kept as is.
 */

import { formatMinor, parseDecimalToMinor } from '@mlc/money';
import { z } from 'zod';
import type { Journal, JournalLine } from './journal.js';

type Amounts<T, K extends keyof T> = Omit<T, K> & { [P in K]: string };

export type JournalLineJson = Amounts<JournalLine, 'amount'>;
export type JournalJson = Omit<Journal, 'lines' | 'totals'> & {
  lines: JournalLineJson[];
  totals: Amounts<Journal['totals'], 'debit' | 'credit' | 'rowsAmount' | 'deposit'>;
};

export function journalToJson(journal: Journal): JournalJson {
  const money = (value: bigint) => formatMinor(value, journal.currency);
  return {
    ...journal,
    lines: journal.lines.map((line) => ({ ...line, amount: money(line.amount) })),
    totals: {
      ...journal.totals,
      debit: money(journal.totals.debit),
      credit: money(journal.totals.credit),
      rowsAmount: money(journal.totals.rowsAmount),
      deposit: money(journal.totals.deposit),
    },
  };
}

const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'decimal string');
const account = z.object({ businessUnit: z.string(), object: z.string(), subsidiary: z.string() });
const range = z.tuple([z.number().int(), z.number().int()]);
const lineSchema = z.object({
  lineNumber: z.number().int().positive(),
  kind: z.enum(['mapped', 'suspense', 'carried-forward', 'clearing']),
  account,
  accountText: z.string(),
  costCenter: z.string(),
  subledger: z.object({ value: z.string(), type: z.string() }).optional(),
  amount: decimal,
  explanation: z.string().max(30),
  lineage: z.object({ rowCount: z.number().int().nonnegative(), rowNumbers: z.array(range).optional() }),
  ruleIds: z.array(z.string()),
});
const journalSchema = z.object({
  jobId: z.string().min(1),
  connectionId: z.string(),
  settlementId: z.string(),
  ruleSet: z.object({ id: z.string(), version: z.number().int() }),
  company: z.string(),
  documentType: z.literal('JE'),
  glDate: z.string(),
  explanation: z.string().max(30),
  currency: z.string(),
  part: z.object({
    index: z.number().int().positive(),
    count: z.number().int().positive(),
    period: z.object({ id: z.string(), start: z.string(), end: z.string() }),
  }),
  lines: z.array(lineSchema),
  totals: z.object({
    debit: decimal,
    credit: decimal,
    rowCount: z.number().int().nonnegative(),
    rowsAmount: decimal,
    deposit: decimal,
  }),
});

/** Parses the JSON form back (validating its shape); throws on anything malformed. */
export function journalFromJson(input: unknown): Journal {
  const json = journalSchema.parse(input);
  const money = (value: string) => parseDecimalToMinor(value, json.currency, { decimalSeparator: '.' });
  return {
    ...json,
    lines: json.lines.map(({ subledger, ...line }) => ({
      ...line,
      ...(subledger ? { subledger } : {}),
      amount: money(line.amount),
      lineage: {
        rowCount: line.lineage.rowCount,
        ...(line.lineage.rowNumbers
          ? { rowNumbers: line.lineage.rowNumbers.map(([a, b]): [number, number] => [a, b]) }
          : {}),
      },
    })),
    totals: {
      ...json.totals,
      debit: money(json.totals.debit),
      credit: money(json.totals.credit),
      rowsAmount: money(json.totals.rowsAmount),
      deposit: money(json.totals.deposit),
    },
  };
}

export function journalsToJson(journals: readonly Journal[]): JournalJson[] {
  return journals.map(journalToJson);
}

export function journalsFromJson(input: unknown): Journal[] {
  return z.array(z.unknown()).parse(input).map(journalFromJson);
}
