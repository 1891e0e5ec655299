/**
 * Day closing and adjustments: marketplace-local days (across daylight-saving changes), the grace
 * for late order updates, and that later changes of a posted day post only the difference.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  dailySalesJobId,
  dayEnd,
  isDayClosed,
  localDay,
  memoExplanation,
  memoLines,
  nextPosting,
  oldestAdjustableDay,
} from '../src/daily-sales-closing.js';

describe('marketplace-local days', () => {
  it('puts an order on the calendar day of its marketplace, not of UTC', () => {
    const instant = new Date('2026-03-02T05:30:00Z');
    assert.equal(localDay(instant, 'UTC'), '2026-03-02');
    assert.equal(localDay(instant, 'America/Los_Angeles'), '2026-03-01');
    assert.equal(localDay(instant, 'America/Toronto'), '2026-03-02');
    assert.equal(localDay(new Date('2026-03-02T04:59:59Z'), 'America/Toronto'), '2026-03-01');
  });

  it('ends a day at the next local midnight, also on daylight-saving days', () => {
    assert.equal(dayEnd('2026-03-01', 'UTC').toISOString(), '2026-03-02T00:00:00.000Z');
    assert.equal(dayEnd('2026-01-15', 'America/Los_Angeles').toISOString(), '2026-01-16T08:00:00.000Z');
    assert.equal(dayEnd('2026-07-15', 'America/Los_Angeles').toISOString(), '2026-07-16T07:00:00.000Z');
    // 2026-03-08 has 23 hours in Los Angeles (clocks go forward at 02:00).
    assert.equal(dayEnd('2026-03-07', 'America/Los_Angeles').toISOString(), '2026-03-08T08:00:00.000Z');
    assert.equal(dayEnd('2026-03-08', 'America/Los_Angeles').toISOString(), '2026-03-09T07:00:00.000Z');
    // 2026-11-01 has 25 hours (clocks go back at 02:00).
    assert.equal(dayEnd('2026-11-01', 'America/Los_Angeles').toISOString(), '2026-11-02T08:00:00.000Z');
    assert.equal(dayEnd('2026-12-31', 'Asia/Tokyo').toISOString(), '2026-12-31T15:00:00.000Z');
  });

  it('closes a day only once it has ended and the grace has passed', () => {
    const end = dayEnd('2026-01-15', 'America/Los_Angeles').getTime();
    const at = (ms: number) => new Date(end + ms);
    assert.equal(isDayClosed('2026-01-15', 'America/Los_Angeles', 0, at(-1)), false, 'still the day');
    assert.equal(isDayClosed('2026-01-15', 'America/Los_Angeles', 0, at(0)), true);
    assert.equal(isDayClosed('2026-01-15', 'America/Los_Angeles', 120, at(119 * 60_000)), false, 'grace');
    assert.equal(isDayClosed('2026-01-15', 'America/Los_Angeles', 120, at(120 * 60_000)), true);
  });

  it('adjusts days inside the window only', () => {
    assert.equal(oldestAdjustableDay(new Date('2026-03-31T12:00:00Z'), 'UTC', 30), '2026-03-01');
  });
});

describe('postings of a day', () => {
  it('posts the full day first, then only differences, numbered in order', () => {
    assert.deepEqual(nextPosting(12_345n, []), { adjustment: 0, amountMinor: 12_345n });
    const first = [{ adjustment: 0, amountMinor: 12_345n }];
    assert.equal(nextPosting(12_345n, first), null, 'unchanged day: nothing more');
    assert.deepEqual(nextPosting(10_000n, first), { adjustment: 1, amountMinor: -2_345n });
    const adjusted = [...first, { adjustment: 1, amountMinor: -2_345n }];
    assert.equal(nextPosting(10_000n, adjusted), null);
    assert.deepEqual(nextPosting(11_000n, adjusted), { adjustment: 2, amountMinor: 1_000n });
  });

  it('posts nothing for a day whose sales are zero, and the first change is the first posting', () => {
    assert.equal(nextPosting(0n, []), null);
    assert.deepEqual(nextPosting(500n, []), { adjustment: 0, amountMinor: 500n });
  });

  it('names jobs deterministically per connection, marketplace, currency, day and adjustment', () => {
    const key = { connectionId: 'c1', marketplaceId: 'ATVPDKIKX0DER', currency: 'USD', day: '2026-01-15' };
    assert.equal(dailySalesJobId(key, 0), 'ds:c1:ATVPDKIKX0DER:USD:2026-01-15');
    assert.equal(dailySalesJobId(key, 2), 'ds:c1:ATVPDKIKX0DER:USD:2026-01-15:adj2');
    assert.notEqual(dailySalesJobId({ ...key, currency: 'CAD' }, 0), dailySalesJobId(key, 0));
  });

  it('credits the memo account, and balances on the offset account only when one is set', () => {
    const market = { marketplaceId: 'ATVPDKIKX0DER', currency: 'USD', timeZone: 'UTC', account: '100.5010' };
    const single = memoLines(market, 2_500n);
    assert.deepEqual(
      single.map((l) => [l.account, l.amountMinor]),
      [['100.5010', -2_500n]],
    );
    const pair = memoLines({ ...market, offsetAccount: '1.1110.AMZN' }, -300n);
    assert.deepEqual(
      pair.map((l) => [l.account, l.amountMinor]),
      [
        ['100.5010', 300n],
        ['1.1110.AMZN', -300n],
      ],
    );
    assert.equal(
      pair.reduce((sum, l) => sum + l.amountMinor, 0n),
      0n,
    );
  });

  it('keeps explanations within the 30 characters of EXA', () => {
    assert.equal(memoExplanation('2026-01-15', 0), 'Amazon sales 2026-01-15');
    assert.ok(memoExplanation('2026-01-15', 999).length <= 30);
  });
});
