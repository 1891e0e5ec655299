/**
 * `mlc connections test` against the running stack: a good connection passes every step; a wrong
 * JDE password, an unreachable SP-API endpoint and a revoked refresh token each fail at the right
 * step with words that say what failed.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, repoRoot, uniqueName } from '@mlc/testkit';
import { LocalStack } from '../src/local-stack.js';

function mlc(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'cli/src/main.ts'), ...args],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? '', ...env },
      },
    );
    let out = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      out += c;
    });
    child.once('close', (code) => resolve({ code, out }));
  });
}

describe('mlc connections test', () => {
  let stack: LocalStack;
  let env: Record<string, string>;

  before(async () => {
    stack = await LocalStack.start({
      name: uniqueName('conntest'),
      spApiTimeScale: 600,
      pollIntervalMs: 60_000,
    });
    env = { MLC_TOKEN_BROKER_ADDRESS: stack.urls.grpc, MLC_TOKEN_BROKER_TOKEN: stack.brokerToken };
    await stack.createConnection('good');
    await stack.createConnection('bad-jde');
    await stack.broker.updateConnection('bad-jde', {
      jde: {
        aisBaseUrl: stack.urls.ais,
        username: 'JDE',
        password: 'wrong-password',
        environment: 'JDV920',
        allowInsecureHttp: true,
      },
    });
    await stack.createConnection('no-spapi');
    await stack.broker.updateConnection('no-spapi', {
      amazon: {
        lwaClientId: 'amzn1.application-oa2-client.simulator',
        lwaClientSecret: 'simulator-client-secret',
        refreshToken: 'Atzr|no-spapi',
        regions: ['NA'],
        marketplaceIds: ['ATVPDKIKX0DER'],
        lwaEndpoint: `${stack.urls.spApi}/auth/o2/token`,
        spApiEndpoint: `http://127.0.0.1:${await freePort()}`,
      },
    });
  });

  after(async () => {
    if (stack) await stack.stop();
  });

  it('passes every step for a working connection', async () => {
    const run = await mlc(['connections', 'test', 'good'], env);
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /✓ token-broker/);
    assert.match(run.out, /✓ amazon NA .*answered getReports/);
    assert.match(run.out, /✓ jde .*F0901 readable/);
  });

  it('names a refused AIS login', async () => {
    const run = await mlc(['connections', 'test', 'bad-jde'], env);
    assert.equal(run.code, 1);
    assert.match(run.out, /✓ amazon NA/);
    assert.match(run.out, /✗ jde +AIS login: credentials refused/);
  });

  it('names an SP-API endpoint that refuses connections', async () => {
    const run = await mlc(['connections', 'test', 'no-spapi'], env);
    assert.equal(run.code, 1);
    assert.match(run.out, /✗ amazon NA +SP-API http:\/\/127\.0\.0\.1:\d+: connection refused/);
  });

  it('names a refresh token Amazon revoked, and an unknown connection', async () => {
    await fetch(`${stack.urls.spApi}/_sim/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: 'Atzr|good' }),
    });
    const revoked = await mlc(['connections', 'test', 'good'], env);
    assert.equal(revoked.code, 1);
    assert.match(revoked.out, /✗ amazon NA +Login with Amazon: credentials refused/);
    const unknown = await mlc(['connections', 'test', 'nobody'], env);
    assert.equal(unknown.code, 1);
    assert.match(unknown.out, /✗ token-broker +not found/);
  });
});
