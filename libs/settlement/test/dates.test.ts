import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSettlement, SettlementParseError } from '../src/index.js';
import { textSource, v2File } from './helpers.js';

/** The postedAt of each row of a file whose rows carry these posted-date values (and no posted-date-time). */
async function postedAt(texts: string[]): Promise<(string | null)[]> {
  const file = v2File(
    {
      id: '1',
      start: '2025-01-01T00:00:00Z',
      end: '2025-01-15T00:00:00Z',
      deposit: '2025-01-17T00:00:00Z',
      total: `${texts.length}.00`,
      currency: 'USD',
    },
    texts.map((text) => ['1.00', text]),
  );
  const parsed = await parseSettlement(textSource(file));
  return parsed.rows.map((row) => row.postedAt);
}

describe('date formats', () => {
  const cases: Array<[string, string]> = [
    ['2025-08-14T06:23:59+00:00', '2025-08-14T06:23:59.000Z'],
    ['2025-08-14T06:23:59Z', '2025-08-14T06:23:59.000Z'],
    ['2025-08-14T06:23:59.25Z', '2025-08-14T06:23:59.250Z'],
    ['2025-08-14T01:00:00+02:00', '2025-08-13T23:00:00.000Z'],
    ['2025-12-31T22:30:00-0200', '2026-01-01T00:30:00.000Z'],
    ['2025-07-02 14:05:09 UTC', '2025-07-02T14:05:09.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['03.05.2018 09:10:07 UTC', '2018-05-03T09:10:07.000Z'],
    ['03.05.2018', '2018-05-03T00:00:00.000Z'],
  ];
  for (const [text, iso] of cases) {
    it(`reads ${text} as ${iso}`, async () => {
      assert.deepEqual(await postedAt([text]), [iso]);
    });
  }

  it('reads MM/DD/YY once a value proves the order, with 20YY years', async () => {
    assert.deepEqual(await postedAt(['07/02/25', '07/14/25 10:00:00 UTC']), [
      '2025-07-02T00:00:00.000Z',
      '2025-07-14T10:00:00.000Z',
    ]);
  });

  it('reuses the day of the previous timestamp without skipping the clock check', async () => {
    await assert.rejects(
      postedAt(['2025-07-02 14:05:09 UTC', '2025-07-02 24:05:09 UTC']),
      /line 4, field "posted-date": "2025-07-02 24:05:09 UTC" is not a time of day/,
    );
  });

  const bad: Array<[string, RegExp]> = [
    ['2023-02-29', /is not a calendar date/],
    ['31.04.2025', /is not a calendar date/],
    ['2025/07/02', /is not a date in a known format/],
    ['13/13/25', /neither part can be the month/],
    ['yesterday', /is not a date in a known format/],
  ];
  for (const [text, message] of bad) {
    it(`rejects ${text}`, async () => {
      await assert.rejects(postedAt([text]), (error: unknown) => {
        assert.ok(error instanceof SettlementParseError);
        assert.equal(error.field, 'posted-date');
        assert.equal(error.line, 3);
        assert.match(error.message, message);
        return true;
      });
    });
  }

  it('rejects a value whose shape differs from the column’s earlier values', async () => {
    await assert.rejects(
      postedAt(['2025-07-02', '02.07.2025']),
      /line 4, field "posted-date": "02.07.2025" does not match the YYYY-MM-DD format this column has used since line 3/,
    );
  });
});
