/**
 * JDE account numbers in the structured BU.OBJ.SUB form, and subledgers.
 *
 * JDE keys an account as business unit (≤12 chars, right-justified in its field), object (≤6 chars, a string:
 * "000456" is not "456") and subsidiary (≤8 chars, often blank). The text form joins them with "." and drops
 * a blank subsidiary ("1.1200"). Everything here works on trimmed segments; padding MCU is the poster's job.
 */

export interface JdeAccount {
  businessUnit: string;
  object: string;
  /** '' when the account has no subsidiary. */
  subsidiary: string;
}

export interface Subledger {
  /** ≤8 chars. */
  value: string;
  /** Subledger type, one character (UDC 00/ST: A address book, E employee, …). */
  type: string;
}

export const ACCOUNT_LIMITS = Object.freeze({ businessUnit: 12, object: 6, subsidiary: 8, subledger: 8 });

export class AccountFormatError extends Error {
  override name = 'AccountFormatError';
}

const SEGMENT = /^[^\s.]*$/;

/** Checks one account's segments; returns the problem in words, or null when it is well formed. */
export function accountProblem(account: JdeAccount): string | null {
  const { businessUnit, object, subsidiary } = account;
  if (businessUnit === '') return 'business unit is empty';
  if (object === '') return 'object is empty';
  for (const [name, value] of [
    ['business unit', businessUnit],
    ['object', object],
    ['subsidiary', subsidiary],
  ] as const) {
    if (!SEGMENT.test(value)) return `${name} "${value}" contains a space or a "."`;
  }
  if (businessUnit.length > ACCOUNT_LIMITS.businessUnit) return 'business unit longer than 12';
  if (object.length > ACCOUNT_LIMITS.object) return 'object longer than 6';
  if (subsidiary.length > ACCOUNT_LIMITS.subsidiary) return 'subsidiary longer than 8';
  return null;
}

/** Parses "BU.OBJ" or "BU.OBJ.SUB"; throws AccountFormatError whose message names the segment at fault. */
export function parseAccount(text: string): JdeAccount {
  const parts = text.trim().split('.');
  if (parts.length < 2 || parts.length > 3) {
    throw new AccountFormatError(`"${text}" is not BU.OBJ or BU.OBJ.SUB`);
  }
  const account: JdeAccount = {
    businessUnit: (parts[0] ?? '').trim(),
    object: (parts[1] ?? '').trim(),
    subsidiary: (parts[2] ?? '').trim(),
  };
  const problem = accountProblem(account);
  if (problem) throw new AccountFormatError(`"${text}" ${problem}`);
  return account;
}

/** "BU.OBJ.SUB", or "BU.OBJ" when the subsidiary is blank. */
export function formatAccount(account: JdeAccount): string {
  const base = `${account.businessUnit}.${account.object}`;
  return account.subsidiary === '' ? base : `${base}.${account.subsidiary}`;
}

export function subledgerProblem(subledger: Subledger): string | null {
  if (subledger.value === '') return 'subledger is empty';
  if (subledger.value.length > ACCOUNT_LIMITS.subledger) return 'subledger longer than 8';
  if (subledger.type.length !== 1) return 'subledger type must be one character';
  return null;
}

export function sameAccount(a: JdeAccount, b: JdeAccount): boolean {
  return a.businessUnit === b.businessUnit && a.object === b.object && a.subsidiary === b.subsidiary;
}
