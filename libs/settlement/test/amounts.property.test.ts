/** Property: whatever local format Amazon writes amounts in, the file's rows come back as the same minor units. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { currencyExponent } from '@mlc/money';
import fc from 'fast-check';
import { parseSettlement } from '../src/index.js';
import { textSource, v2File } from './helpers.js';

type Style = { currency: string; decimal: '.' | ','; group: '' | ',' | '.' };

const styles: Style[] = [
  { currency: 'USD', decimal: '.', group: '' },
  { currency: 'USD', decimal: '.', group: ',' },
  { currency: 'EUR', decimal: ',', group: '' },
  { currency: 'EUR', decimal: ',', group: '.' },
  { currency: 'JPY', decimal: '.', group: ',' },
  { currency: 'JPY', decimal: '.', group: '' },
];

/** Writes minor units the way a marketplace would: grouped thousands, the currency's number of decimals. */
function localFormat(minor: bigint, style: Style): string {
  const exponent = currencyExponent(style.currency);
  const digits = (minor < 0n ? -minor : minor).toString().padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const grouped = style.group === '' ? whole : whole.replace(/\B(?=(\d{3})+$)/g, style.group);
  return `${minor < 0n ? '-' : ''}${grouped}${exponent > 0 ? style.decimal + digits.slice(-exponent) : ''}`;
}

describe('amounts in any local format', () => {
  it('parse back to the minor units they were written from, and reconcile (separator given)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...styles),
        fc.array(fc.bigInt({ min: -10_000_000n, max: 10_000_000n }), { minLength: 1, maxLength: 20 }),
        async (style, minors) => {
          const total = minors.reduce((a, b) => a + b, 0n);
          const text = v2File(
            {
              id: '1',
              start: '2025-01-01T00:00:00+00:00',
              end: '2025-01-15T00:00:00+00:00',
              deposit: '2025-01-17T00:00:00+00:00',
              total: localFormat(total, style),
              currency: style.currency,
            },
            minors.map((minor) => [localFormat(minor, style), '2025-01-02']),
          );
          const parsed = await parseSettlement(textSource(text, 4096), { decimalSeparator: style.decimal });
          assert.deepEqual(
            parsed.rows.map((row) => row.amount),
            minors,
          );
          assert.equal(parsed.reconciles, true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('learns the separator without help whenever an amount has one to two decimals', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...styles.filter((style) => style.currency !== 'JPY')),
        fc.array(fc.bigInt({ min: -10_000_000n, max: 10_000_000n }), { minLength: 1, maxLength: 20 }),
        async (style, minors) => {
          const total = minors.reduce((a, b) => a + b, 0n);
          const text = v2File(
            {
              id: '1',
              start: '2025-01-01T00:00:00+00:00',
              end: '2025-01-15T00:00:00+00:00',
              deposit: '2025-01-17T00:00:00+00:00',
              total: localFormat(total, style),
              currency: style.currency,
            },
            minors.map((minor) => [localFormat(minor, style), '2025-01-02']),
          );
          const parsed = await parseSettlement(textSource(text, 4096));
          assert.equal(parsed.decimalSeparator, style.decimal);
          assert.deepEqual(
            parsed.rows.map((row) => row.amount),
            minors,
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});
