/**
 * Reposting: the reversing entry of a posted journal, and whether a new mapping changes anything.
 *
 * A repost (docs/operations.md "Reposting") first reverses every journal a settlement has posted and
 * then posts the settlement again by the current rules, as generation n (the first posting is
 * generation 1). A reversal is the posted journal with every amount negated — same accounts, same
 * subledgers, same line texts and row lineage — under its own job id `<posted job id>:rev<n>`, with a
 * journal explanation naming the JDE document it reverses. Posted together with the original it nets
 * every account to zero; it still balances, since negating a balanced entry keeps it balanced.
 */

import type { Journal } from './journal.js';

export interface ReversalOptions {
  /** The repost generation doing the reversing (2 for the first repost). */
  generation: number;
  /** The JDE document number the original became. */
  documentNumber: string;
  /** "YYYY-MM-DD"; default the original's G/L date. */
  glDate?: string;
}

export function reversalJobId(jobId: string, generation: number): string {
  return `${jobId}:rev${generation}`;
}

/** The reversing entry of `journal` (see the module comment). */
export function reverseJournal(journal: Journal, options: ReversalOptions): Journal {
  if (!Number.isInteger(options.generation) || options.generation < 2)
    throw new RangeError(`repost generation must be a whole number from 2, not ${options.generation}`);
  if (options.glDate !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(options.glDate))
    throw new RangeError(`G/L date "${options.glDate}" is not YYYY-MM-DD`);
  const jobId = reversalJobId(journal.jobId, options.generation);
  return {
    ...journal,
    jobId,
    glDate: options.glDate ?? journal.glDate,
    explanation: `REV ${options.documentNumber} AMZ ${journal.settlementId}`.slice(0, 30),
    lines: journal.lines.map((line) => ({
      ...line,
      amount: -line.amount,
      explanation: `REV ${line.explanation}`.slice(0, 30),
    })),
    totals: {
      debit: journal.totals.credit,
      credit: journal.totals.debit,
      rowCount: journal.totals.rowCount,
      rowsAmount: -journal.totals.rowsAmount,
      deposit: -journal.totals.deposit,
    },
  };
}

/**
 * Whether two postings of a settlement say the same to JDE: the same parts with the same company,
 * G/L date, currency and lines (account, subledger, amount, text), whatever their job ids and rule
 * set versions. A repost whose new mapping is the same as what is posted would change nothing.
 */
export function samePosting(a: readonly Journal[], b: readonly Journal[]): boolean {
  const shape = (journals: readonly Journal[]) =>
    JSON.stringify(
      journals.map((j) => [
        j.part.period.id,
        j.company,
        j.glDate,
        j.currency,
        j.lines.map((l) => [
          l.accountText,
          l.subledger?.type ?? '',
          l.subledger?.value ?? '',
          String(l.amount),
          l.explanation,
        ]),
      ]),
    );
  return shape(a) === shape(b);
}

/** Net of the journals per account ("BU.OBJ.SUB" plus subledger), minor units; zero nets left out. */
export function netByAccount(journals: readonly Journal[]): Map<string, bigint> {
  const net = new Map<string, bigint>();
  for (const journal of journals) {
    for (const line of journal.lines) {
      const key = line.subledger
        ? `${line.accountText} ${line.subledger.type}/${line.subledger.value}`
        : line.accountText;
      net.set(key, (net.get(key) ?? 0n) + line.amount);
    }
  }
  for (const [key, amount] of net) if (amount === 0n) net.delete(key);
  return net;
}
