import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { formatMinor } from '@mlc/money';
import { parseSettlement, SettlementParseError, SettlementReader, TotalsByType } from '../src/index.js';
import { fixture, textSource, v2File, v2Line } from './helpers.js';

describe('SettlementReader (streaming)', () => {
  it('gives the summary first, then the rows, then the result', async () => {
    const reader = SettlementReader.fromFile(fixture('v2-us-dot.txt'));
    assert.equal((await reader.summary()).settlementId, '9100000001');
    assert.throws(() => reader.result(), /read every row before asking for the result/);
    const lines: number[] = [];
    for await (const row of reader) lines.push(row.rowNumber);
    assert.deepEqual(lines, [3, 4, 5, 6, 7, 8, 9]);
    assert.equal(reader.result().reconciles, true);
  });

  it('hands out the same rows in batches', async () => {
    const reader = SettlementReader.fromFile(fixture('legacy-ca.txt'));
    let count = 0;
    for await (const batch of reader.batches()) count += batch.length;
    assert.equal(count, 10);
    assert.equal(reader.result().sumOfRows, -321n);
  });

  it('streams many rows without holding them, and checks the sum at the end', async () => {
    const rows = 50_000;
    const totals = new TotalsByType();
    async function* source() {
      yield Buffer.alloc(0); // an empty first chunk must not upset GZIP detection
      yield Buffer.from(
        v2File(
          {
            id: '42',
            start: '2025-01-01T00:00:00+00:00',
            end: '2025-01-15T00:00:00+00:00',
            deposit: '2025-01-17T00:00:00+00:00',
            total: formatMinor(BigInt(rows) * 1001n, 'USD'),
            currency: 'USD',
          },
          [],
        ),
      );
      for (let i = 0; i < rows; i++) {
        yield Buffer.from(
          `${v2Line({
            'settlement-id': '42',
            'transaction-type': 'Order',
            'amount-type': 'ItemPrice',
            'amount-description': 'Principal',
            amount: '10.01',
            'posted-date-time': '2025-01-02 03:04:05 UTC',
          })}\n`,
        );
      }
    }
    const reader = new SettlementReader(source(), { fileName: 'generated' });
    for await (const row of reader) totals.add(row);
    const result = reader.result();
    assert.equal(result.rowCount, rows);
    assert.equal(result.reconciles, true);
    assert.deepEqual(
      totals.list().map((t) => [t.rowCount, t.amount]),
      [[rows, BigInt(rows) * 1001n]],
    );
  });
});

describe('input details', () => {
  const summary = {
    id: '5',
    start: '2025-04-01T00:00:00+00:00',
    end: '2025-04-14T00:00:00+00:00',
    deposit: '2025-04-16T00:00:00+00:00',
    total: '1.00',
    currency: 'EUR',
  };

  it('reads Cp1252 / ISO-8859-1 text when asked for latin1', async () => {
    const text = v2File(summary, [['1.00', '2025-04-02']]).replace(
      '\tPrincipal\t',
      '\tPrincipal caf\u00e9\t',
    );
    const parsed = await parseSettlement(Readable.from([Buffer.from(text, 'latin1')]), {
      encoding: 'latin1',
    });
    assert.equal(parsed.rows[0]!.amountDescription, 'Principal caf\u00e9');
  });

  it('refuses a summary row that carries an amount, which no row would account for', async () => {
    const lines = v2File(summary, [['1.00', '2025-04-02']]).split('\n');
    lines[1] = v2Line({
      'settlement-id': '5',
      'settlement-start-date': summary.start,
      'settlement-end-date': summary.end,
      'deposit-date': summary.deposit,
      'total-amount': '6.00',
      currency: 'EUR',
      amount: '5.00',
    });
    await assert.rejects(
      parseSettlement(textSource(lines.join('\n')), { fileName: 'f.txt' }),
      /f.txt: line 2, field "amount": the summary row carries no amounts, but this one does/,
    );
  });

  it('refuses a line longer than maxLineLength, naming it, without reading it whole', async () => {
    const text = v2File(summary, [['1.00', '2025-04-02']]).replace(
      '\tPrincipal\t',
      `\tPrincipal ${'x'.repeat(500)}\t`,
    );
    await assert.rejects(
      parseSettlement(textSource(text, 64), { fileName: 'long.txt', maxLineLength: 400 }),
      /^SettlementParseError: long\.txt: line 3, field "line": longer than 400 characters/,
    );
    // The last line, unterminated, and the default limit (1 MiB): a 2 MiB line never ends.
    async function* endless() {
      yield Buffer.from(`${v2File(summary, [])}5\t`);
      for (let i = 0; i < 32; i++) yield Buffer.alloc(64 * 1024, 0x41);
    }
    await assert.rejects(
      parseSettlement(endless(), { fileName: 'endless.txt' }),
      /endless\.txt: line 3, field "line": longer than 1048576 characters/,
    );
    // A line just within the limit is read as usual.
    assert.equal((await parseSettlement(textSource(text), { maxLineLength: 1000 })).rows.length, 1);
  });
});

describe('learning the format from later lines', () => {
  const uk = { id: '7', start: '01/04/2025', end: '02/04/2025', deposit: '04/04/2025', currency: 'GBP' };

  it('parks lines until a slash date proves the order, then releases them in order', async () => {
    const text = v2File({ ...uk, total: '6.00' }, [
      ['1.00', '03/04/2025'],
      ['2.00', '05/04/2025'],
      ['3.00', '13/04/2025'],
    ]);
    const parsed = await parseSettlement(textSource(text));
    assert.equal(parsed.dateOrder, 'DMY');
    assert.equal(parsed.summary.startDate, '2025-04-01T00:00:00.000Z');
    assert.deepEqual(
      parsed.rows.map((row) => [row.rowNumber, row.postedAt]),
      [
        [3, '2025-04-03T00:00:00.000Z'],
        [4, '2025-04-05T00:00:00.000Z'],
        [5, '2025-04-13T00:00:00.000Z'],
      ],
    );
  });

  it('parks an amount like "1.000" until another amount proves the separator', async () => {
    const de = { id: '8', start: '2025-04-01', end: '2025-04-14', deposit: '2025-04-16', currency: 'EUR' };
    const text = v2File({ ...de, total: '1.012,50' }, [
      ['1.000', '2025-04-02'],
      ['12,50', '2025-04-03'],
    ]);
    const parsed = await parseSettlement(textSource(text));
    assert.equal(parsed.decimalSeparator, ',');
    assert.deepEqual(
      parsed.rows.map((row) => row.amount),
      [100000n, 1250n],
    );
  });

  it('gives up after maxLookaheadLines rather than holding the file', async () => {
    const text = v2File({ ...uk, total: '3.00' }, [
      ['1.00', '03/04/2025'],
      ['1.00', '05/04/2025'],
      ['1.00', '13/04/2025'],
    ]);
    await assert.rejects(
      parseSettlement(textSource(text), { fileName: 'uk.txt', maxLookaheadLines: 2 }),
      (error: unknown) =>
        error instanceof SettlementParseError &&
        error.line === 2 &&
        error.field === 'settlement-start-date' &&
        /none of the next 2 lines decides/.test(error.message),
    );
  });

  it('does not need the order of a posted-date it does not use', async () => {
    const lines = v2File(
      {
        id: '9',
        start: '2025-04-01 00:00:00 UTC',
        end: '2025-04-14 00:00:00 UTC',
        deposit: '2025-04-16 00:00:00 UTC',
        total: '1.00',
        currency: 'USD',
      },
      [],
    );
    const row = v2Line({
      'settlement-id': '9',
      'transaction-type': 'Order',
      'amount-type': 'ItemPrice',
      'amount-description': 'Principal',
      amount: '1.00',
      'posted-date': '04/02/25',
      'posted-date-time': '2025-04-02 10:00:00 UTC',
    });
    const parsed = await parseSettlement(textSource(`${lines}${row}\n`));
    assert.equal(parsed.dateOrder, null);
    assert.equal(parsed.rows[0]!.postedAt, '2025-04-02T10:00:00.000Z');
  });
});
