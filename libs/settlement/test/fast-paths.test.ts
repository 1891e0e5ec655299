/**
 * The parser's fast paths, each against what the plain way gives: the field splitter against split('\t'),
 * the char-code amount scan against amounts it must hand to @mlc/money (grouped, beyond 2^53), parked lines
 * against the splitter reusing its array, 64 KiB gunzip chunks against line, BOM and CRLF boundaries, and
 * validateOnly (no rows built) against the full read, on every fixture, good and malformed.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { FieldSplitter } from '../src/fields.js';
import { parseSettlement, SettlementParseError, SettlementReader, V2_COLUMNS } from '../src/index.js';
import { fixture, fixturesDir, malformedDir, textSource, v2File, v2Line } from './helpers.js';

const summary = (total: string, currency = 'USD') => ({
  id: '7',
  start: '2025-01-01T00:00:00+00:00',
  end: '2025-01-15T00:00:00+00:00',
  deposit: '2025-01-17T00:00:00+00:00',
  total,
  currency,
});

describe('FieldSplitter', () => {
  it('gives the read columns as split would and leaves the others empty', () => {
    const splitter = new FieldSplitter(5, [0, 2, 4]);
    assert.deepEqual(splitter.split('a\tb\t c \td\te'), ['a', '', ' c ', '', 'e']);
    assert.deepEqual(splitter.split('\t\t\t\t'), ['', '', '', '', '']);
  });

  it('reuses one array, so a kept line must be copied', () => {
    const splitter = new FieldSplitter(2, [0, 1]);
    const first = splitter.split('a\tb');
    assert.ok(Array.isArray(first));
    const kept = [...first];
    const second = splitter.split('c\td');
    assert.equal(first, second);
    assert.deepEqual(kept, ['a', 'b']);
    assert.deepEqual(second, ['c', 'd']);
  });

  it('counts the fields of a line that has fewer or more than the header', () => {
    const splitter = new FieldSplitter(4, [0, 1, 2, 3]);
    assert.equal(splitter.split('a\tb'), 2);
    assert.equal(splitter.split('no tabs'), 1);
    assert.equal(splitter.split('a\tb\tc\td\te\tf'), 6);
  });

  it('a one-column layout takes the whole line', () => {
    assert.deepEqual(new FieldSplitter(1, [0]).split('whole line'), ['whole line']);
    assert.equal(new FieldSplitter(1, [0]).split('a\tb'), 2);
  });
});

describe('amounts, exact to the minor unit', () => {
  async function amounts(rows: string[], total: string, currency = 'USD') {
    const text = v2File(
      summary(total, currency),
      rows.map((amount) => [amount, '2025-01-02']),
    );
    const parsed = await parseSettlement(textSource(text, 64));
    return { amounts: parsed.rows.map((row) => row.amount), parsed };
  }

  it('reads "-0.01", "0.10", "+5" and " 12.5 " (padded) in a dot file', async () => {
    const { amounts: got, parsed } = await amounts(['-0.01', '0.10', '+5', ' 12.5 '], '17.59');
    assert.deepEqual(got, [-1n, 10n, 500n, 1250n]);
    assert.equal(parsed.decimalSeparator, '.');
  });

  it('reads grouped amounts: "1,234.56" in a dot file, "1.234,56" in a comma file', async () => {
    assert.deepEqual((await amounts(['1,234.56', '0.44'], '1,235.00')).amounts, [123456n, 44n]);
    const comma = await amounts(['1.234,56', '-0,56'], '1.234,00', 'EUR');
    assert.deepEqual(comma.amounts, [123456n, -56n]);
    assert.equal(comma.parsed.decimalSeparator, ',');
  });

  it('reads JPY (no decimals), grouped or not', async () => {
    const { amounts: got } = await amounts(['1,234', '-5', '100000'], '101,229', 'JPY');
    assert.deepEqual(got, [1234n, -5n, 100000n]);
  });

  it('keeps values beyond 2^53 exact, in the rows and in the sum', async () => {
    // 2^53 = 9,007,199,254,740,992: these are beyond what a float holds exactly.
    const big = '90071992547409.93'; // 9,007,199,254,740,993 minor units
    const bigger = '-123456789012345678.91';
    const { amounts: got, parsed } = await amounts([big, big, bigger, '0.01'], '-123276645027250859.04');
    assert.deepEqual(got, [9007199254740993n, 9007199254740993n, -12345678901234567891n, 1n]);
    assert.equal(parsed.sumOfRows, -12327664502725085904n);
    assert.equal(parsed.reconciles, true);
  });

  it('keeps a 15-digit amount (the fast scan’s limit) exact', async () => {
    const { amounts: got } = await amounts(['9999999999999.99', '-9999999999999.98'], '0.01');
    assert.deepEqual(got, [999999999999999n, -999999999999998n]);
  });

  it('sums many near-limit amounts exactly, far past 2^53, with or without building rows', async () => {
    // 999,999,999,999,999 minor units each (≈ 2^49.8): the running sum crosses 2^52 again and again.
    const rows = Array.from({ length: 40 }, (_, i) =>
      i % 7 === 3 ? '-9999999999999.99' : '9999999999999.99',
    );
    const expected = rows.reduce(
      (sum, text) => sum + (text.startsWith('-') ? -1n : 1n) * 999999999999999n,
      0n,
    );
    const abs = expected < 0n ? -expected : expected;
    const total = `${expected < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
    const text = v2File(
      summary(total),
      rows.map((amount) => [amount, '2025-01-02']),
    );
    const parsed = await parseSettlement(textSource(text, 64));
    assert.ok(expected > 2n ** 53n);
    assert.equal(parsed.sumOfRows, expected);
    assert.equal(parsed.reconciles, true);
    const reader = new SettlementReader(textSource(text, 64), { validateOnly: true });
    for await (const _batch of reader.batches()) {
      // nothing is built
    }
    assert.equal(reader.result().sumOfRows, expected);
    assert.equal(reader.result().rowCount, 40);
  });

  it('names the line and field of an amount that is not a number', async () => {
    await assert.rejects(amounts(['1.00', '12x.00'], '13.00'), (error: unknown) => {
      assert.ok(error instanceof SettlementParseError);
      assert.equal(error.line, 4);
      assert.equal(error.field, 'amount');
      return true;
    });
  });
});

describe('parked lines keep their own fields', () => {
  it('a line waiting for the separator comes out with its own cells, not the deciding line’s', async () => {
    const lines = [
      V2_COLUMNS.join('\t'),
      v2Line({
        'settlement-id': '7',
        'settlement-start-date': '2025-01-01',
        'settlement-end-date': '2025-01-15',
        'deposit-date': '2025-01-17',
        'total-amount': '1.236,50',
        currency: 'EUR',
      }),
      // "1.234" could be 1.234 or 1234: parked until line 5 proves ","
      v2Line({
        'settlement-id': '7',
        'transaction-type': 'Order',
        'amount-type': 'ItemPrice',
        'amount-description': 'Principal',
        amount: '1.234',
        sku: 'FIRST',
        'posted-date': '2025-01-02',
      }),
      v2Line({
        'settlement-id': '7',
        'transaction-type': 'Refund',
        'amount-type': 'ItemFees',
        'amount-description': 'Commission',
        amount: '2',
        sku: 'SECOND',
        'posted-date': '2025-01-03',
      }),
      v2Line({
        'settlement-id': '7',
        'transaction-type': 'Other',
        'amount-type': 'other-transaction',
        'amount-description': 'Storage Fee',
        amount: '0,50',
        sku: 'THIRD',
        'posted-date': '2025-01-04',
      }),
    ];
    const parsed = await parseSettlement(textSource(`${lines.join('\n')}\n`, 5));
    assert.deepEqual(
      parsed.rows.map((r) => [r.rowNumber, r.transactionType, r.sku, r.amount, r.postedAt]),
      [
        [3, 'Order', 'FIRST', 123400n, '2025-01-02T00:00:00.000Z'],
        [4, 'Refund', 'SECOND', 200n, '2025-01-03T00:00:00.000Z'],
        [5, 'Other', 'THIRD', 50n, '2025-01-04T00:00:00.000Z'],
      ],
    );
    assert.equal(parsed.reconciles, true);
  });
});

describe('GZIP in 64 KiB chunks', () => {
  it('reads a BOM, CRLF file whose lines straddle the chunks the same as the plain text', async () => {
    const rows: Array<[string, string]> = [];
    let total = 0n;
    for (let i = 0; i < 20_000; i++) {
      const minor = BigInt((i * 7919) % 100_000) - 50_000n;
      total += minor;
      const abs = minor < 0n ? -minor : minor;
      rows.push([
        `${minor < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`,
        '2025-01-02',
      ]);
    }
    const abs = total < 0n ? -total : total;
    const totalText = `${total < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
    const text = `\ufeff${v2File(summary(totalText), rows).replace(/\n/g, '\r\n')}`;
    const plain = await parseSettlement(textSource(text, 4096));
    const zipped = await parseSettlement(Readable.from([gzipSync(Buffer.from(text))]));
    assert.equal(zipped.rows.length, 20_000);
    assert.deepEqual(zipped.rows, plain.rows);
    assert.equal(zipped.sumOfRows, total);
    assert.equal(zipped.reconciles, true);
  });
});

describe('validateOnly', () => {
  async function outcome(file: string, validateOnly: boolean) {
    const reader = SettlementReader.fromFile(file, { validateOnly });
    let rows = 0;
    try {
      for await (const batch of reader.batches()) rows += batch.length;
      const { summary, sumOfRows, rowCount, lineCount, reconciles, decimalSeparator, dateOrder } =
        reader.result();
      return { rows, summary, sumOfRows, rowCount, lineCount, reconciles, decimalSeparator, dateOrder };
    } catch (error) {
      assert.ok(error instanceof SettlementParseError, String(error));
      return { error: error.message };
    }
  }

  it('checks every good file as the full read does, building no rows', async () => {
    const files = (await readdir(fixturesDir)).filter(
      (name) => name.startsWith('v2') || name.startsWith('legacy'),
    );
    assert.ok(files.length >= 8);
    for (const name of files) {
      const full = await outcome(fixture(name), false);
      const checked = await outcome(fixture(name), true);
      assert.ok((full.rows ?? 0) > 0, name);
      assert.deepEqual(checked, { ...full, rows: 0 }, name);
    }
  });

  it('rejects every malformed file with the same error as the full read', async () => {
    const files = await readdir(malformedDir);
    assert.ok(files.length >= 20);
    for (const name of files) {
      const full = await outcome(path.join(malformedDir, name), false);
      const checked = await outcome(path.join(malformedDir, name), true);
      if (name !== 'total-mismatch.txt') assert.ok('error' in full, `${name} is rejected`);
      assert.deepEqual(checked, full.rows === undefined ? full : { ...full, rows: 0 }, name);
    }
  });
});
