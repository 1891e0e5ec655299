/**
 * Money in integer minor units (bigint). Never a binary float.
 *
 * Amazon reports amounts as decimal text in the marketplace's local format ("95.00", "95,00",
 * "1.234,56", "-0.5"); JDE takes decimal text in its own format. Everything in between is an
 * integer count of the currency's minor unit (cents, or yen for JPY which has none).
 */

/** ISO 4217 minor-unit exponents for the currencies Amazon marketplaces settle in. */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = Object.freeze({
  USD: 2,
  CAD: 2,
  MXN: 2,
  BRL: 2,
  EUR: 2,
  GBP: 2,
  SEK: 2,
  PLN: 2,
  TRY: 2,
  AED: 2,
  SAR: 2,
  EGP: 2,
  INR: 2,
  AUD: 2,
  SGD: 2,
  ZAR: 2,
  CHF: 2,
  JPY: 0,
});

export class MoneyError extends Error {
  override name = 'MoneyError';
}

export function isKnownCurrency(currency: string): boolean {
  return Object.hasOwn(CURRENCY_EXPONENTS, currency);
}

/** Minor-unit exponent of an ISO currency code; throws for a code we do not know. */
export function currencyExponent(currency: string): number {
  const exponent = CURRENCY_EXPONENTS[currency];
  if (exponent === undefined) throw new MoneyError(`unknown currency "${currency}"`);
  return exponent;
}

export type DecimalSeparator = '.' | ',';

/**
 * Parses a decimal amount into minor units.
 *
 * The decimal separator is given, or detected: with both "." and "," present the last one is the
 * decimal separator and the other groups thousands; with only "," it is decimal when followed by
 * 1..exponent digits at the end ("95,00"), and otherwise ambiguous unless the caller says.
 * More fraction digits than the currency has is an error, never a silent rounding.
 */
export function parseDecimalToMinor(
  text: string,
  currency: string,
  options: { decimalSeparator?: DecimalSeparator } = {},
): bigint {
  const exponent = currencyExponent(currency);
  const raw = text.trim();
  if (raw === '') throw new MoneyError('empty amount');
  const match = /^([+-]?)(\d[\d.,' ]*)?$/.exec(raw) ?? /^([+-]?)([.,]\d+)$/.exec(raw);
  if (!match?.[2]) throw new MoneyError(`"${text}" is not a decimal amount`);
  const sign = match[1] === '-' ? -1n : 1n;
  const body = match[2].replace(/[' ]/g, '');
  const separator = options.decimalSeparator ?? detectSeparator(body, exponent, text);

  const group = separator === '.' ? ',' : '.';
  const parts = body.split(separator);
  if (parts.length > 2) throw new MoneyError(`"${text}" has more than one decimal separator "${separator}"`);
  const [intPartRaw = '', fracPart = ''] = parts;
  if (fracPart.includes(group))
    throw new MoneyError(`"${text}" has a digit-group separator after the decimals`);
  if (intPartRaw.includes(group) && !/^\d{1,3}(\D\d{3})+$/.test(intPartRaw)) {
    throw new MoneyError(`"${text}" has misplaced digit-group separators`);
  }
  const intPart = intPartRaw.split(group).join('') || '0';
  if (!/^\d+$/.test(intPart) || (fracPart !== '' && !/^\d+$/.test(fracPart))) {
    throw new MoneyError(`"${text}" is not a decimal amount`);
  }
  if (fracPart.length > exponent) {
    const extra = fracPart.slice(exponent);
    if (!/^0*$/.test(extra)) {
      throw new MoneyError(`"${text}" has more decimals than ${currency} allows (${exponent})`);
    }
  }
  const frac = fracPart.slice(0, exponent).padEnd(exponent, '0');
  return sign * BigInt(intPart + frac);
}

function detectSeparator(body: string, exponent: number, original: string): DecimalSeparator {
  const lastDot = body.lastIndexOf('.');
  const lastComma = body.lastIndexOf(',');
  if (lastDot >= 0 && lastComma >= 0) return lastDot > lastComma ? '.' : ',';
  if (lastComma >= 0) {
    const decimals = body.length - lastComma - 1;
    if (
      body.indexOf(',') === lastComma &&
      decimals >= 1 &&
      decimals <= Math.max(exponent, 2) &&
      decimals !== 3
    ) {
      return ',';
    }
    throw new MoneyError(`"${original}" is ambiguous: say whether "," is the decimal separator`);
  }
  if (lastDot >= 0 && body.indexOf('.') !== lastDot) return ','; // "1.234.567" groups thousands
  return '.';
}

/** Formats minor units as a plain decimal string with "." ("-1234.50"; "1234" for JPY). */
export function formatMinor(minor: bigint, currency: string): string {
  const exponent = currencyExponent(currency);
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString();
  if (exponent === 0) return (negative ? '-' : '') + digits;
  const padded = digits.padStart(exponent + 1, '0');
  const whole = padded.slice(0, padded.length - exponent);
  const frac = padded.slice(padded.length - exponent);
  return `${negative ? '-' : ''}${whole}.${frac}`;
}

/** Sums minor-unit amounts exactly. */
export function sumMinor(values: Iterable<bigint>): bigint {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}
