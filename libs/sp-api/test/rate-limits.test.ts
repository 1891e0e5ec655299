import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { SpApiClient } from '../src/client.js';
import { TokenBucket, USAGE_PLANS } from '../src/rate-limits.js';
import { manualClock } from './support.js';

describe('TokenBucket', () => {
  it('lets the burst through, then spaces requests at the rate', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ rate: 0.5, burst: 3 }, clock);
    const takenAt: number[] = [];
    for (let i = 0; i < 5; i++) {
      await bucket.take();
      takenAt.push(clock.time);
    }
    assert.deepEqual(takenAt, [0, 0, 0, 2000, 4000]);
  });

  it('serves concurrent callers in arrival order', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ rate: 1, burst: 1 }, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => bucket.take().then(() => order.push(i))));
    assert.deepEqual(order, [0, 1, 2, 3]);
    assert.equal(clock.time, 3000);
  });

  it('adopts the rate from x-amzn-RateLimit-Limit and empties on a 429', async () => {
    const clock = manualClock();
    const bucket = new TokenBucket({ rate: 1, burst: 5 }, clock);
    bucket.setRate(4);
    assert.equal(bucket.rate, 4);
    bucket.drain();
    await bucket.take();
    assert.equal(clock.time, 250);
  });

  it('has Amazon’s documented plans for the operations we call', () => {
    assert.deepEqual(USAGE_PLANS.getReports, { rate: 0.0222, burst: 10 });
    assert.deepEqual(USAGE_PLANS.getReportDocument, { rate: 0.0167, burst: 15 });
    assert.deepEqual(USAGE_PLANS.listFinancialEventGroups, { rate: 0.5, burst: 30 });
    assert.deepEqual(USAGE_PLANS.listTransactions, { rate: 0.5, burst: 10 });
    assert.deepEqual(USAGE_PLANS.searchOrders, { rate: 0.0056, burst: 20 });
  });
});

describe('backoff', () => {
  const client = (random: () => number) =>
    new SpApiClient({
      connectionId: 'c',
      region: 'NA',
      tokens: { getAccessToken: async () => 'x', invalidate: () => undefined },
      registry: new Registry(),
      random,
      retry: { baseDelayMs: 1000, maxDelayMs: 60_000 },
    });

  it('is full jitter under a doubling ceiling, capped', () => {
    const top = client(() => 0.999_999);
    assert.ok(Math.abs(top.backoff(0, 100) - 1000) < 1);
    assert.ok(Math.abs(top.backoff(3, 100) - 8000) < 1);
    assert.ok(Math.abs(top.backoff(10, 100) - 60_000) < 1);
    assert.equal(client(() => 0).backoff(5, 100), 0);
  });

  it('never lets the ceiling drop below one token interval of the plan', () => {
    const top = client(() => 0.999_999);
    assert.ok(Math.abs(top.backoff(0, 0.05) - 20_000) < 1);
  });
});
