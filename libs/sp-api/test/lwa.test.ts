import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Clock } from '../src/clock.js';
import { exchangeRefreshToken, InProcessTokenProvider, LwaError } from '../src/lwa.js';
import { CLIENT_ID, CLIENT_SECRET, type Harness, startSimulator } from './support.js';

describe('LWA', () => {
  let sim: Harness;
  let endpoint: string;
  before(async () => {
    sim = await startSimulator();
    endpoint = `${sim.baseUrl}/auth/o2/token`;
  });
  after(() => sim.close());

  it('exchanges a refresh token for a one-hour access token', async () => {
    const token = await exchangeRefreshToken(
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: 'Atzr|seller-1' },
      { endpoint },
    );
    assert.match(token.accessToken, /^Atza\|/);
    assert.equal(token.expiresIn, 3600);
    assert.equal(token.tokenType, 'bearer');
  });

  it('reads Amazon’s error body on a refused grant or client', async () => {
    await assert.rejects(
      exchangeRefreshToken(
        { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, refreshToken: 'nonsense' },
        { endpoint },
      ),
      (error: unknown) =>
        error instanceof LwaError &&
        error.status === 400 &&
        error.error === 'invalid_grant' &&
        /invalid grant parameter : refresh_token/.test(error.errorDescription),
    );
    await assert.rejects(
      exchangeRefreshToken(
        { clientId: CLIENT_ID, clientSecret: 'stale-secret', refreshToken: 'Atzr|seller-1' },
        { endpoint },
      ),
      (error: unknown) =>
        error instanceof LwaError && error.status === 401 && error.error === 'invalid_client',
    );
  });

  it('exchanges once for 100 concurrent callers, then serves from cache', async () => {
    const before = sim.state.counters.lwa;
    const provider = new InProcessTokenProvider({
      credentials: () => ({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        refreshToken: 'Atzr|seller-9',
      }),
      endpoint,
    });
    const tokens = await Promise.all(
      Array.from({ length: 100 }, () => provider.getAccessToken('seller-9', 'NA')),
    );
    assert.equal(new Set(tokens).size, 1);
    assert.equal(sim.state.counters.lwa - before, 1);
    await provider.getAccessToken('seller-9', 'NA');
    assert.equal(sim.state.counters.lwa - before, 1);
  });

  it('keeps one token per (connection, region) and refreshes ahead of expiry', async () => {
    let time = Date.now();
    const clock: Clock = { now: () => time, sleep: async () => undefined };
    const provider = new InProcessTokenProvider({
      credentials: (connectionId) => ({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        refreshToken: `Atzr|${connectionId}`,
      }),
      endpoint,
      clock,
      refreshAheadMs: 5 * 60_000,
    });
    const na = await provider.getAccessToken('seller-2', 'NA');
    const eu = await provider.getAccessToken('seller-2', 'EU');
    assert.notEqual(na, eu);
    time += 54 * 60_000;
    assert.equal(await provider.getAccessToken('seller-2', 'NA'), na, 'still fresh 6 minutes before expiry');
    time += 2 * 60_000;
    assert.notEqual(
      await provider.getAccessToken('seller-2', 'NA'),
      na,
      'renewed within 5 minutes of expiry',
    );
    provider.invalidate('seller-2', 'EU');
    assert.notEqual(await provider.getAccessToken('seller-2', 'EU'), eu);
  });
});
