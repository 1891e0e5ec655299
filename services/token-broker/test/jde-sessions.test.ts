/** JDE AIS sessions: reuse, one login for many callers, one re-login per burst of 444 reports. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JdeSessions } from '../src/jde-sessions.js';
import { CountingAis, delay, manualClock, secretsFor } from './fakes.js';

function setup(maxAgeMs = 0) {
  const clock = manualClock();
  const ais = new CountingAis();
  const sessions = new JdeSessions({
    credentials: async (id) => secretsFor(id),
    authenticator: ais,
    maxAgeMs,
    now: clock.now,
  });
  return { clock, ais, sessions };
}

describe('JdeSessions', () => {
  it('logs in once for many concurrent callers and reuses the session', async () => {
    const { ais, sessions } = setup();
    const results = await Promise.all(Array.from({ length: 30 }, () => sessions.get('c1')));
    assert.equal(ais.logins, 1);
    assert.ok(
      results.every((s) => s.token === 'ais-token-1' && s.deviceName === 'dev' && s.expiresAtMs === 0),
    );
    await sessions.get('c1');
    assert.equal(ais.logins, 1);
  });

  it('50 concurrent 444 reports for one token cause one re-login', async () => {
    const { ais, sessions } = setup();
    const { token } = await sessions.get('c1');
    const answers = await Promise.all(Array.from({ length: 50 }, () => sessions.reportInvalid('c1', token)));
    assert.equal(ais.logins, 2);
    assert.equal(answers.filter(Boolean).length, 1);
    assert.equal((await sessions.get('c1')).token, 'ais-token-2');
    // Late reports naming the replaced token change nothing.
    assert.equal(await sessions.reportInvalid('c1', token), false);
    assert.equal(ais.logins, 2);
  });

  it('reports arriving while the re-login runs join it instead of logging in again', async () => {
    const { ais, sessions } = setup();
    const { token } = await sessions.get('c1');
    const first = sessions.reportInvalid('c1', token);
    await delay(5);
    const [late, got] = await Promise.all([sessions.reportInvalid('c1', token), sessions.get('c1')]);
    assert.equal(await first, true);
    assert.equal(late, false);
    assert.equal(got.token, 'ais-token-2');
    assert.equal(ais.logins, 2);
  });

  it('logs in again after the maximum age and logs the old session out', async () => {
    const { clock, ais, sessions } = setup(60_000);
    const first = await sessions.get('c1');
    assert.equal(first.expiresAtMs, clock.now() + 60_000);
    clock.advance(60_000);
    assert.equal((await sessions.get('c1')).token, 'ais-token-2');
    await delay(1);
    assert.deepEqual(ais.logouts, ['ais-token-1']);
  });

  it('forget() and close() log sessions out', async () => {
    const { ais, sessions } = setup();
    await sessions.get('c1');
    await sessions.get('c2');
    await sessions.forget('c1');
    assert.deepEqual(ais.logouts, ['ais-token-1']);
    await sessions.close();
    assert.deepEqual(ais.logouts, ['ais-token-1', 'ais-token-2']);
    assert.equal((await sessions.get('c1')).token, 'ais-token-3');
  });
});
