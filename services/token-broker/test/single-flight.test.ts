/** SingleFlight: one piece of work per key at a time, shared by every caller, errors included. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SingleFlight } from '../src/single-flight.js';
import { delay } from './fakes.js';

describe('SingleFlight', () => {
  it('shares one run between concurrent callers of a key, and starts anew once settled', async () => {
    const flight = new SingleFlight<number>();
    let runs = 0;
    const work = async () => {
      const n = ++runs;
      await delay(10);
      return n;
    };
    const results = await Promise.all(Array.from({ length: 20 }, () => flight.run('k', work)));
    assert.deepEqual(new Set(results), new Set([1]));
    assert.equal(flight.size, 0);
    assert.equal(await flight.run('k', work), 2);
    assert.deepEqual(await Promise.all([flight.run('a', work), flight.run('b', work)]), [3, 4]);
  });

  it('gives every waiting caller the same error, even from a synchronous throw', async () => {
    const flight = new SingleFlight<number>();
    const boom = () => {
      throw new Error('boom');
    };
    const results = await Promise.allSettled([flight.run('k', boom), flight.run('k', boom)]);
    assert.ok(results.every((r) => r.status === 'rejected' && /boom/.test(String(r.reason))));
    assert.equal(flight.size, 0);
  });
});
