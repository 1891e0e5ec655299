import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { scrubSecrets } from '@mlc/observability';
import {
  AisClient,
  AisError,
  type AisSession,
  resolveConnection,
  type SessionProvider,
} from '../src/index.js';
import { clientFor, connectionFor, type RunningSim, SIM_USERS, startSim, testClock } from './helpers.js';

describe('AIS sessions', () => {
  const clock = testClock('2026-03-09T10:00:00Z');
  let sim: RunningSim;
  before(async () => {
    sim = await startSim({ users: SIM_USERS, clock: clock.now, sessionTimeoutMs: 30 * 60_000 });
  });
  after(() => sim.close());

  it('logs in with tokenrequest, sends the token and device headers, and masks the token in logs', async () => {
    const { client, sessions } = clientFor(sim.baseUrl);
    const session = await sessions.getSession('test-connection');
    assert.match(session.token, /^044/);
    assert.equal(session.dateFormat, 'MM/dd/yyyy');
    assert.equal(scrubSecrets(`token=${session.token}`), 'token=[REDACTED]');
    assert.equal(scrubSecrets('pw JDE-secret-pw'), 'pw [REDACTED]');
    assert.equal(await client.validate(), true);
    assert.equal(sim.state.sessions.get(session.token)?.device, 'mlc-test');
  });

  it('shares one login between concurrent callers', async () => {
    const { sessions } = clientFor(sim.baseUrl);
    const before = sim.state.sessions.size;
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => sessions.getSession('test-connection')));
    assert.equal(a?.token, b?.token);
    assert.equal(b?.token, c?.token);
    assert.equal(sim.state.sessions.size, before + 1);
  });

  it('turns 403 into a clear forbidden error', async () => {
    const { client } = clientFor(sim.baseUrl, { password: 'wrong-password' });
    await assert.rejects(client.readAccounts(), (error: unknown) => {
      assert.ok(error instanceof AisError);
      assert.equal(error.kind, 'forbidden');
      assert.equal(error.status, 403);
      assert.match(error.message, /login refused for user JDE/);
      assert.doesNotMatch(error.message, /wrong-password/);
      return true;
    });
  });

  it('on 444 after an AIS restart reports the token, logs in again and retries once', async () => {
    const { client, sessions, registry } = clientFor(sim.baseUrl);
    const first = await sessions.getSession('test-connection');
    await sim.admin('POST', '/_sim/restart');
    const accounts = await client.readAccounts();
    assert.ok(accounts.length > 0);
    const second = await sessions.getSession('test-connection');
    assert.notEqual(first.token, second.token);
    const metrics = await registry.getMetricsAsJSON();
    const retries = metrics.find((m) => m.name === 'mlc_ais_token_retries_total');
    assert.equal(retries?.values.find((v) => v.labels.operation === 'dataservice')?.value, 1);
  });

  it('re-logs in when the session idled past the timeout', async () => {
    const { client, sessions } = clientFor(sim.baseUrl);
    const first = await sessions.getSession('test-connection');
    clock.advance(31 * 60_000);
    await client.readAccounts([{ column: 'OBJ', operator: 'EQUAL', values: ['5010'] }]);
    assert.notEqual((await sessions.getSession('test-connection')).token, first.token);
  });

  it('gives up with invalid-token when the fresh token is refused too (one retry only)', async () => {
    let calls = 0;
    const reported: string[] = [];
    const bogus: SessionProvider = {
      getSession: async (connectionId): Promise<AisSession> => {
        calls++;
        return {
          connectionId,
          token: `bogus-token-${calls}`,
          deviceName: 'mlc-test',
          username: 'JDE',
          environment: 'JDV920',
          role: '*ALL',
          dateFormat: 'MM/dd/yyyy',
          obtainedAt: new Date(),
        };
      },
      reportInvalid: (_id, token) => {
        reported.push(token);
      },
    };
    const client = new AisClient({ connection: connectionFor(sim.baseUrl), sessions: bogus });
    await assert.rejects(
      client.readAccounts(),
      (error: unknown) => error instanceof AisError && error.kind === 'invalid-token',
    );
    assert.equal(calls, 2);
    assert.deepEqual(reported, ['bogus-token-1', 'bogus-token-2']);
  });

  it('a token is bound to its device: another device gets 444', async () => {
    const { sessions } = clientFor(sim.baseUrl);
    const session = await sessions.getSession('test-connection');
    const response = await fetch(`${sim.baseUrl}/jderest/v2/dataservice`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'jde-AIS-Auth': session.token,
        'jde-AIS-Auth-Device': 'other',
      },
      body: JSON.stringify({ targetName: 'F0901', targetType: 'table', dataServiceType: 'BROWSE' }),
    });
    assert.equal(response.status, 444);
  });

  it('logout ends the session; the next call logs in again', async () => {
    const { client, sessions } = clientFor(sim.baseUrl);
    const first = await sessions.getSession('test-connection');
    await client.logout();
    assert.equal(sim.state.sessions.has(first.token), false);
    await client.readAccounts([{ column: 'OBJ', operator: 'EQUAL', values: ['5010'] }]);
    assert.notEqual((await sessions.getSession('test-connection')).token, first.token);
  });

  it('close() logs every cached session out', async () => {
    const { sessions } = clientFor(sim.baseUrl);
    const session = await sessions.getSession('test-connection');
    await sessions.close();
    assert.equal(sim.state.sessions.has(session.token), false);
  });

  it('unreachable AIS is a transport error with an unknown outcome', async () => {
    const connection = resolveConnection(connectionFor('http://127.0.0.1:1', { requestTimeoutMs: 5_000 }));
    const { client } = clientFor(connection.baseUrl);
    await assert.rejects(client.readAccounts(), (error: unknown) => {
      assert.ok(error instanceof AisError);
      assert.equal(error.kind, 'transport');
      assert.equal(error.outcomeUnknown, true);
      return true;
    });
  });
});
