/**
 * Each service as its own process against the real local stack: it boots, reports ready, serves
 * Prometheus metrics, and exits 0 within 10 seconds of SIGTERM. A service with a bad
 * configuration refuses to start and names the variable.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort, kafkaBrokers, repoRoot, uniqueMongoUrl, uniqueName, waitFor } from '@mlc/testkit';

const services = ['amazon-ingest', 'mapping', 'jde-poster', 'token-broker'] as const;

/** What a service needs beyond the common settings to boot: throwaway values for this test only. */
const extraEnv: Record<string, Record<string, string>> = {
  'amazon-ingest': { MLC_SPAPI_POLL_INTERVAL_MS: '0' },
  mapping: { MLC_ACCOUNT_CHECK: 'off', MLC_ITEM_MATCHING: 'off' },
  'jde-poster': {
    MLC_TOKEN_BROKER_ADDRESS: '127.0.0.1:1',
    MLC_TOKEN_BROKER_TOKEN: 'boot-test-token-0123456789',
  },
  'token-broker': {
    MLC_MASTER_KEYS: `boot-test:${Buffer.alloc(32, 7).toString('base64')}`,
    MLC_ACTIVE_KEY_ID: 'boot-test',
    MLC_BROKER_CLIENT_TOKENS: 'boot-test-client-token-0123456789',
  },
};

function startProcess(
  service: string,
  env: Record<string, string>,
): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(repoRoot, 'services', service, 'src', 'server.ts')],
    {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('services boot on the real stack', () => {
  for (const service of services) {
    it(`${service}: ready, /metrics, exit 0 on SIGTERM within 10 s`, async () => {
      const adminPort = await freePort();
      const mongoUrl = uniqueMongoUrl(service.replace(/-/g, '_'));
      const { child, output } = startProcess(service, {
        MLC_ADMIN_HOST: '127.0.0.1',
        MLC_ADMIN_PORT: String(adminPort),
        MLC_GRPC_HOST: '127.0.0.1',
        MLC_GRPC_PORT: String(await freePort()),
        MLC_KAFKA_BROKERS: kafkaBrokers.join(','),
        MLC_MONGO_URL: mongoUrl,
        MLC_KAFKA_NAMESPACE: uniqueName('boot'),
        MLC_LOG_LEVEL: 'info',
        ...extraEnv[service],
      });
      try {
        const base = `http://127.0.0.1:${adminPort}`;
        await waitFor(
          `${service} /readyz`,
          async () => {
            if (child.exitCode !== null) throw new Error(`exited early:\n${output()}`);
            return (await fetch(`${base}/readyz`)).status === 200;
          },
          60_000,
          250,
        );
        const ready = (await (await fetch(`${base}/readyz`)).json()) as { checks: Record<string, boolean> };
        assert.ok(Object.keys(ready.checks).includes('mongo'), 'readiness checks MongoDB');

        const metrics = await fetch(`${base}/metrics`);
        assert.equal(metrics.status, 200);
        assert.match(metrics.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
        const text = await metrics.text();
        assert.match(text, new RegExp(`^mlc_process_start_time_seconds\\{service="${service}"\\} \\d+`, 'm'));
        for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
          assert.match(line, /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? \S+$/, `Prometheus sample line: ${line}`);
        }

        const started = Date.now();
        child.kill('SIGTERM');
        const { code } = await exited(child);
        const tookMs = Date.now() - started;
        assert.equal(code, 0, `exit code 0 after SIGTERM; output:\n${output()}`);
        assert.ok(tookMs < 10_000, `stopped in ${tookMs} ms`);
        assert.match(
          output(),
          /"msg":"released".*"step":"mongo"|"step":"mongo".*"msg":"released"/,
          'mongo released last',
        );
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });
  }

  it('refuses to start with invalid configuration and names the variable', async () => {
    const { child, output } = startProcess('jde-poster', {
      MLC_ADMIN_PORT: 'not-a-port',
      MLC_MONGO_URL: 'mongodb://127.0.0.1:1/x',
    });
    const { code } = await exited(child);
    assert.equal(code, 1);
    assert.match(output(), /jde-poster: invalid configuration/);
    assert.match(output(), /MLC_KAFKA_BROKERS: required but not set/);
    assert.match(output(), /MLC_ADMIN_PORT: /);
  });
});
