import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatMinor, MoneyError, parseDecimalToMinor, sumMinor } from '../src/index.js';

describe('parseDecimalToMinor', () => {
  const cases: Array<[string, string, bigint]> = [
    ['95.00', 'USD', 9500n],
    ['95,00', 'EUR', 9500n],
    ['-0.5', 'USD', -50n],
    ['-,5', 'EUR', -50n],
    ['1,234.56', 'USD', 123456n],
    ['1.234,56', 'EUR', 123456n],
    ['1.234.567', 'EUR', 123456700n],
    ['1500', 'JPY', 1500n],
    ['1500.00', 'JPY', 1500n],
    ['0', 'CAD', 0n],
    ['+12.3', 'CAD', 1230n],
  ];
  for (const [text, currency, expected] of cases) {
    it(`reads ${text} ${currency} as ${expected}`, () => {
      assert.equal(parseDecimalToMinor(text, currency), expected);
    });
  }

  it('refuses more decimals than the currency has', () => {
    assert.throws(() => parseDecimalToMinor('1.005', 'USD'), /more decimals than USD allows/);
    assert.throws(() => parseDecimalToMinor('10.5', 'JPY'), /more decimals than JPY allows/);
  });

  it('refuses text that is not an amount, and unknown currencies', () => {
    for (const bad of ['', 'abc', '1.2.3,4,5', '12-', '1e5', 'NaN']) {
      assert.throws(() => parseDecimalToMinor(bad, 'USD'), MoneyError, bad);
    }
    assert.throws(() => parseDecimalToMinor('1.00', 'XYZ'), /unknown currency "XYZ"/);
  });

  it('says when "1,234" is ambiguous instead of guessing', () => {
    assert.throws(() => parseDecimalToMinor('1,234', 'USD'), /ambiguous/);
    assert.equal(parseDecimalToMinor('1,234', 'USD', { decimalSeparator: '.' }), 123400n);
  });
});

describe('formatMinor', () => {
  it('formats with the currency exponent', () => {
    assert.equal(formatMinor(-123450n, 'USD'), '-1234.50');
    assert.equal(formatMinor(5n, 'EUR'), '0.05');
    assert.equal(formatMinor(-5n, 'EUR'), '-0.05');
    assert.equal(formatMinor(1500n, 'JPY'), '1500');
  });

  it('round-trips through parse for any amount', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.constantFrom('USD', 'EUR', 'JPY'),
        (minor, cur) => {
          assert.equal(parseDecimalToMinor(formatMinor(minor, cur), cur), minor);
        },
      ),
    );
  });
});

describe('sumMinor', () => {
  it('sums exactly where floats would not', () => {
    assert.equal(sumMinor([10n, 20n]), 30n);
    assert.equal(sumMinor(Array.from({ length: 1000 }, () => 1n)), 1000n);
  });
});
