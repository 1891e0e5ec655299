/**
 * mlc_jde_breakers_open counts the AIS servers whose breaker is not closed, also after a failed
 * half-open trial (opossum then emits 'open' a second time without a 'close' in between).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Registry } from 'prom-client';
import { AisGuards } from '../src/breakers.js';

async function openBreakers(registry: Registry): Promise<number | undefined> {
  return (await registry.getSingleMetric('mlc_jde_breakers_open')?.get())?.values[0]?.value;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const down = () => Promise.reject(new Error('AIS down'));
const up = () => Promise.resolve('ok');

describe('AisGuards breaker gauge', () => {
  it('goes to 1 while a server fails, stays 1 after a failed trial, and back to 0 once it answers', async () => {
    const registry = new Registry();
    const guards = new AisGuards(
      { errorThresholdPercentage: 50, resetTimeout: 50, concurrency: 2 },
      registry,
    );
    await guards.run('https://other', up);
    for (let i = 0; i < 6; i++) await guards.run('https://ais', down).catch(() => undefined);
    assert.equal(await openBreakers(registry), 1);

    await sleep(80); // half-open: the trial call fails, the breaker opens again
    await assert.rejects(guards.run('https://ais', down), /AIS down/);
    assert.equal(await openBreakers(registry), 1);

    await sleep(80); // half-open again: the trial succeeds and closes it
    assert.equal(await guards.run('https://ais', up), 'ok');
    assert.equal(await openBreakers(registry), 0);
    guards.shutdown();
  });
});
