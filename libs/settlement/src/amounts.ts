/**
 * Reads a file's amounts into bigint minor units, learning the decimal separator from the file itself.
 *
 * Amazon writes amounts in the marketplace's local format ("95.00" in the US, "95,00" in the EU) and the
 * report says nowhere which it is, so the separator is decided per file from the first amount that can only
 * be read one way: "12,50" or "1.234,56" prove ",", "12.50" or "1,234.56" prove ".". An amount like "1.234"
 * (three digits after the only separator) proves nothing in a two-decimal currency, and the caller parks it
 * until another amount decides; a later amount that contradicts the decision is an error, never a re-guess
 * (checked when such an amount falls off the fast path below, which it always does).
 * In a zero-decimal currency (JPY) a three-digit tail can only be digit grouping, so it does decide.
 *
 * The common case ("-12.50" once the separator is known) is read with a char-code scan into an exact safe
 * integer; anything else goes to @mlc/money's parseDecimalToMinor, which owns the grouping rules and the
 * error wording.
 */
import { currencyExponent, type DecimalSeparator, MoneyError, parseDecimalToMinor } from '@mlc/money';
import { SettlementParseError } from './errors.js';

export class AmountReader {
  readonly exponent: number;
  separator: DecimalSeparator | undefined;
  /** Where the separator was learnt, for the message when a later amount disagrees. */
  private evidence = '';

  constructor(
    private readonly file: string,
    readonly currency: string,
    explicitSeparator: DecimalSeparator | undefined,
  ) {
    this.exponent = currencyExponent(currency);
    this.separator = explicitSeparator;
    if (explicitSeparator) this.evidence = 'the decimalSeparator option';
  }

  /** True when this text can be read now: it has no separator, or the file's separator is known. */
  canRead(text: string): boolean {
    return this.separator !== undefined || (text.indexOf('.') === -1 && text.indexOf(',') === -1);
  }

  /** Learns the file's separator from an amount, while it is still unknown. */
  observe(text: string, line: number): void {
    if (this.separator !== undefined || (text.indexOf('.') === -1 && text.indexOf(',') === -1)) return;
    const shown = text.trim();
    const proves = provenSeparator(shown, this.exponent);
    if (proves === undefined) return;
    this.separator = proves;
    this.evidence = `line ${line} ("${shown}")`;
  }

  /** Minor units of one amount; call only when canRead(text). */
  read(text: string, line: number, field: string): bigint {
    const units = this.readUnits(text, line, field);
    return typeof units === 'number' ? BigInt(units) : units;
  }

  /**
   * Minor units of one amount: a number when the char-code scan read it (at most 15 digits, so an exact
   * integer far below 2^53), else a bigint. Lets a caller that only sums skip a BigInt per row.
   */
  readUnits(text: string, line: number, field: string): number | bigint {
    const fast = scanUnits(text, this.separator === ',' ? 44 : 46, this.exponent);
    if (fast !== undefined) return fast;
    const shown = text.trim();
    const proves = provenSeparator(shown, this.exponent);
    if (proves !== undefined && this.separator !== undefined && proves !== this.separator) {
      throw new SettlementParseError(
        this.file,
        line,
        field,
        `"${shown}" uses "${proves}" as the decimal separator, but ${this.evidence} set "${this.separator}" for this file`,
      );
    }
    try {
      return parseDecimalToMinor(text, this.currency, { decimalSeparator: this.separator ?? '.' });
    } catch (error) {
      if (error instanceof MoneyError) {
        throw new SettlementParseError(this.file, line, field, `not a decimal amount: ${error.message}`);
      }
      throw error;
    }
  }
}

/** The decimal separator an amount proves, or undefined when it could be read either way (or has none). */
function provenSeparator(text: string, exponent: number): DecimalSeparator | undefined {
  const dot = text.lastIndexOf('.');
  const comma = text.lastIndexOf(',');
  if (dot === -1 && comma === -1) return undefined;
  if (dot !== -1 && comma !== -1) return dot > comma ? '.' : ',';
  const separator: DecimalSeparator = dot !== -1 ? '.' : ',';
  const other: DecimalSeparator = separator === '.' ? ',' : '.';
  const last = Math.max(dot, comma);
  if (text.indexOf(separator) !== last) return isGrouped(text, separator) ? other : undefined;
  const decimals = text.length - last - 1;
  if (decimals === 3) return exponent === 0 ? other : undefined;
  return separator;
}

/** "1.234.567" or "-12,345,678": every separator followed by exactly three digits. */
function isGrouped(text: string, separator: string): boolean {
  const parts = text.replace(/^[+-]/, '').split(separator);
  return parts.every((part, i) => /^\d+$/.test(part) && (i === 0 ? part.length <= 3 : part.length === 3));
}

/**
 * "-123.45"-shaped text (no grouping, no spaces, at most `exponent` decimals) to minor units, else undefined.
 * The digits are gathered as an exact integer count of minor units (at most 15 digits, far below 2^53: no
 * fraction is ever held in a float); BigInt(number) is several times cheaper than BigInt(string) for whoever
 * needs a bigint.
 */
function scanUnits(text: string, separatorCode: number, exponent: number): number | undefined {
  const n = text.length;
  let i = 0;
  const first = text.charCodeAt(0);
  const negative = first === 45;
  if (negative || first === 43) i = 1;
  const intStart = i;
  let units = 0;
  let code = text.charCodeAt(i);
  while (i < n && code >= 48 && code <= 57) {
    units = units * 10 + (code - 48);
    code = text.charCodeAt(++i);
  }
  const intDigits = i - intStart;
  if (intDigits === 0 || intDigits + exponent > 15) return undefined;
  let decimals = 0;
  if (i < n) {
    if (code !== separatorCode) return undefined;
    code = text.charCodeAt(++i);
    while (i < n && code >= 48 && code <= 57) {
      units = units * 10 + (code - 48);
      decimals++;
      code = text.charCodeAt(++i);
    }
    if (i !== n || decimals > exponent) return undefined;
  }
  for (; decimals < exponent; decimals++) units *= 10;
  return negative ? -units : units;
}
