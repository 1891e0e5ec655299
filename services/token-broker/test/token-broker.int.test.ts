/**
 * The token-broker on the real stack (FerretDB), in-process through startService, against fake LWA
 * and AIS endpoints: connections over gRPC, tokens cached with one exchange per burst, gRPC status
 * codes, secrets absent from raw documents, audit events and metrics, key rotation with restarts,
 * and refusal of unauthenticated callers. A second test runs the broker as a child process at log
 * level trace and checks that its whole output holds none of the secrets.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as grpc from '@grpc/grpc-js';
import { ConnectionStore, Keyring, rotateKeys } from '@mlc/credentials';
import { loadHealthProto } from '@mlc/grpc-contracts';
import { connectMongo } from '@mlc/mongo';
import { type RunningService, startService } from '@mlc/service';
import { freePort, kafkaBrokers, repoRoot, uniqueMongoUrl, waitFor } from '@mlc/testkit';
import {
  type ConnectionInput,
  createTokenBrokerClient,
  type TokenBrokerClient,
  TokenBrokerError,
} from '@mlc/token-broker-client';
import type { Connection } from 'mongoose';
import { tokenBroker } from '../src/service.js';
import { type FakeUpstreams, startFakeUpstreams } from './fake-upstreams.js';

const secrets = {
  clientId: `amzn1.application-oa2-client.${randomBytes(8).toString('hex')}`,
  clientSecret: `amzn1.oa2-cs.v1.${randomBytes(16).toString('hex')}`,
  refreshToken: `Atzr|IwEB${randomBytes(24).toString('hex')}`,
  username: 'JDE',
  password: `jde-pw-${randomBytes(12).toString('hex')}`,
};
const oldKey = `old:${randomBytes(32).toString('base64')}`;
const newKey = `new:${randomBytes(32).toString('base64')}`;
const clientToken = `client-${randomBytes(16).toString('hex')}`;

function connectionInput(upstreams: FakeUpstreams, connectionId: string): ConnectionInput {
  return {
    connectionId,
    displayName: 'Acme US',
    amazon: {
      lwaClientId: secrets.clientId,
      lwaClientSecret: secrets.clientSecret,
      refreshToken: secrets.refreshToken,
      regions: ['NA'],
      marketplaceIds: ['ATVPDKIKX0DER'],
      lwaEndpoint: upstreams.lwaUrl,
      sellerId: 'A1ACMESELLER',
    },
    jde: {
      aisBaseUrl: upstreams.aisUrl,
      username: secrets.username,
      password: secrets.password,
      environment: 'JDV920',
      allowInsecureHttp: true,
    },
  };
}

const secretValues = () => [secrets.clientId, secrets.clientSecret, secrets.refreshToken, secrets.password];

async function expectCode(promise: Promise<unknown>, code: grpc.status, detail?: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof TokenBrokerError, String(error));
    assert.equal(error.code, code, `${grpc.status[error.code]}: ${error.details}`);
    if (detail) assert.match(error.details, detail);
    return true;
  });
}

describe('token-broker in-process on the real stack', () => {
  const mongoUrl = uniqueMongoUrl('token_broker');
  let upstreams: FakeUpstreams;
  let mongo: Connection;
  let grpcPort = 0;
  let running: RunningService | undefined;
  let client: TokenBrokerClient;

  async function boot(masterKeys: string, activeKeyId: string): Promise<void> {
    await running?.shutdown('restart');
    grpcPort = await freePort();
    running = await startService(tokenBroker, {
      MLC_ADMIN_HOST: '127.0.0.1',
      MLC_ADMIN_PORT: String(await freePort()),
      MLC_GRPC_HOST: '127.0.0.1',
      MLC_GRPC_PORT: String(grpcPort),
      MLC_KAFKA_BROKERS: kafkaBrokers.join(','),
      MLC_MONGO_URL: mongoUrl,
      MLC_LOG_LEVEL: 'error',
      MLC_MASTER_KEYS: masterKeys,
      MLC_ACTIVE_KEY_ID: activeKeyId,
      MLC_BROKER_CLIENT_TOKENS: `other-client-token-xyz0123,${clientToken}`,
    });
    client?.close();
    client = createTokenBrokerClient({ address: `127.0.0.1:${grpcPort}`, token: clientToken });
  }

  before(async () => {
    upstreams = await startFakeUpstreams(secrets);
    mongo = await connectMongo({ url: mongoUrl });
    await boot(oldKey, 'old');
  });
  after(async () => {
    client?.close();
    await running?.shutdown('test done');
    await mongo.dropDatabase();
    await mongo.close();
    await upstreams.close();
  });

  const rawDocs = async () => mongo.db!.collection('connections').find().toArray();

  it('refuses unauthenticated calls; the health service stays open', async () => {
    const wrong = createTokenBrokerClient({
      address: `127.0.0.1:${grpcPort}`,
      token: 'not-a-configured-token',
    });
    await expectCode(wrong.listConnections(), grpc.status.UNAUTHENTICATED);
    wrong.close();
    const Raw = (await import('@mlc/grpc-contracts')).loadTokenBrokerProto().mlc.tokenbroker.v1.TokenBroker;
    const raw = new Raw(`127.0.0.1:${grpcPort}`, grpc.credentials.createInsecure());
    const code = await new Promise<number>((resolve) =>
      raw.ListConnections({}, (error) => resolve(error?.code ?? grpc.status.OK)),
    );
    assert.equal(code, grpc.status.UNAUTHENTICATED);
    raw.close();
    const Health = loadHealthProto().grpc.health.v1.Health;
    const health = new Health(`127.0.0.1:${grpcPort}`, grpc.credentials.createInsecure());
    const answer = await new Promise<string>((resolve, reject) =>
      health.Check({ service: '' }, (error, response) => (error ? reject(error) : resolve(response!.status))),
    );
    assert.equal(answer, 'SERVING');
    health.close();
  });

  it('creates a connection and answers without secrets; raw documents hold none either', async () => {
    const created = await client.createConnection(connectionInput(upstreams, 'acme-us'));
    assert.equal(created.connectionId, 'acme-us');
    assert.equal(created.keyId, 'old');
    assert.deepEqual(created.regions, ['NA']);
    assert.equal(created.jdeRole, '*ALL');
    assert.equal(created.amazonSellerId, 'A1ACMESELLER', 'the seller id for the Listings API');
    const listed = await client.listConnections();
    assert.equal(listed[0]?.amazonSellerId, 'A1ACMESELLER');
    assert.deepEqual(
      listed.map((c) => c.connectionId),
      ['acme-us'],
    );
    const answers = JSON.stringify([created, listed, await client.getConnection('acme-us')]);
    for (const secret of secretValues()) assert.ok(!answers.includes(secret), 'no secret in answers');
    const raw = JSON.stringify(await rawDocs());
    for (const secret of secretValues()) assert.ok(!raw.includes(secret), 'no plaintext secret in MongoDB');
    assert.match(raw, /"keyId":"old"/);
  });

  it('answers with the right status codes', async () => {
    await expectCode(
      client.createConnection(connectionInput(upstreams, 'acme-us')),
      grpc.status.ALREADY_EXISTS,
    );
    const bad = connectionInput(upstreams, 'acme-bad');
    await expectCode(
      client.createConnection({ ...bad, amazon: { ...bad.amazon!, refreshToken: '' } }),
      grpc.status.INVALID_ARGUMENT,
      /amazon\.refresh_token/,
    );
    await expectCode(
      client.createConnection({ ...bad, amazon: { ...bad.amazon!, sellerId: 'A1/../x' } }),
      grpc.status.INVALID_ARGUMENT,
      /amazon\.seller_id/,
    );
    await expectCode(client.getAmazonAccessToken('nobody', 'NA'), grpc.status.NOT_FOUND);
    await expectCode(client.getJdeSession('nobody'), grpc.status.NOT_FOUND);
    await expectCode(
      client.getAmazonAccessToken('acme-us', 'XX' as never),
      grpc.status.INVALID_ARGUMENT,
      /^region/,
    );
    await expectCode(client.getAmazonAccessToken('acme-us', 'EU'), grpc.status.INVALID_ARGUMENT, /region EU/);
    await expectCode(client.getAmazonAccessToken('', 'NA'), grpc.status.INVALID_ARGUMENT, /connection_id/);
  });

  it('hands out one cached Amazon token per burst and refreshes once per burst of reports', async () => {
    const before = upstreams.lwaCalls;
    const tokens = await Promise.all(
      Array.from({ length: 25 }, () => client.getAmazonAccessToken('acme-us', 'NA')),
    );
    assert.equal(upstreams.lwaCalls - before, 1);
    assert.equal(new Set(tokens.map((t) => t.accessToken)).size, 1);
    const first = tokens[0]!;
    assert.ok(first.expiresAtMs > Date.now() + 3_500_000);
    const reports = await Promise.all(
      Array.from({ length: 10 }, () => client.reportInvalidAmazonToken('acme-us', 'NA', first.accessToken)),
    );
    assert.equal(reports.filter(Boolean).length, 1);
    assert.equal(upstreams.lwaCalls - before, 2);
    assert.notEqual((await client.getAmazonAccessToken('acme-us', 'NA')).accessToken, first.accessToken);
  });

  it('reuses a JDE session and logs in once per burst of 444 reports', async () => {
    const sessions = await Promise.all(Array.from({ length: 10 }, () => client.getJdeSession('acme-us')));
    assert.equal(upstreams.aisLogins, 1);
    const session = sessions[0]!;
    assert.equal(session.aisBaseUrl, upstreams.aisUrl);
    assert.equal(session.deviceName, 'mlc-connector');
    assert.equal(session.expiresAtMs, 0);
    const reports = await Promise.all(
      Array.from({ length: 20 }, () => client.reportInvalidJdeSession('acme-us', session.token)),
    );
    assert.equal(reports.filter(Boolean).length, 1);
    assert.equal(upstreams.aisLogins, 2);
    assert.notEqual((await client.getJdeSession('acme-us')).token, session.token);
  });

  it('maps refused credentials to PERMISSION_DENIED and an unreachable LWA to UNAVAILABLE', async () => {
    const input = connectionInput(upstreams, 'acme-refused');
    await client.createConnection({
      ...input,
      amazon: { ...input.amazon!, refreshToken: 'Atzr|revoked-token' },
    });
    await expectCode(
      client.getAmazonAccessToken('acme-refused', 'NA'),
      grpc.status.PERMISSION_DENIED,
      /invalid_grant/,
    );
    await client.updateConnection('acme-refused', {
      amazon: {
        ...input.amazon!,
        lwaClientSecret: '',
        refreshToken: '',
        lwaEndpoint: 'http://127.0.0.1:1/auth/o2/token',
      },
    });
    await expectCode(client.getAmazonAccessToken('acme-refused', 'NA'), grpc.status.UNAVAILABLE);
    await client.updateConnection('acme-refused', { jde: { ...input.jde!, password: 'wrong-password-123' } });
    await expectCode(client.getJdeSession('acme-refused'), grpc.status.PERMISSION_DENIED);
    assert.equal(await client.deleteConnection('acme-refused'), true);
    assert.equal(await client.deleteConnection('acme-refused'), false);
    await expectCode(client.getConnection('acme-refused'), grpc.status.NOT_FOUND);
  });

  it('exposes token metrics without ids or secrets', async () => {
    const text = await (await fetch(`${running!.adminUrl.replace('0.0.0.0', '127.0.0.1')}/metrics`)).text();
    assert.match(
      text,
      /mlc_token_refreshes_total\{kind="amazon",outcome="success",service="token-broker"\} [1-9]/,
    );
    assert.match(
      text,
      /mlc_token_refreshes_total\{kind="amazon",outcome="refused",service="token-broker"\} 1/,
    );
    assert.match(text, /mlc_token_refreshes_total\{kind="jde",outcome="success",service="token-broker"\} 2/);
    assert.match(text, /mlc_token_cache_hits_total\{kind="amazon",service="token-broker"\} [1-9]/);
    assert.ok(!text.includes('acme'));
    for (const secret of [...secretValues(), ...upstreams.issued]) assert.ok(!text.includes(secret));
  });

  it('after rotation to a new key everything still decrypts and raw documents carry the new key id', async () => {
    // 1. Deploy both keys with the new one active; 2. rotate (what `mlc keys rotate` does).
    await boot(`${oldKey},${newKey}`, 'new');
    const both = Keyring.parse(`${oldKey},${newKey}`, 'new');
    const report = await rotateKeys(new ConnectionStore(mongo, both, { actor: 'operator:test' }), both);
    assert.equal(report.rotated, 1);
    assert.deepEqual(report.failed, []);
    const docs = await rawDocs();
    assert.ok(docs.length === 1 && docs.every((d) => d.keyId === 'new'));
    assert.ok(!JSON.stringify(docs).includes('"keyId":"old"'));
    for (const secret of secretValues()) assert.ok(!JSON.stringify(docs).includes(secret));
    // 3. Drop the old key: the broker still decrypts everything.
    await boot(newKey, 'new');
    const lwaBefore = upstreams.lwaCalls;
    assert.ok((await client.getAmazonAccessToken('acme-us', 'NA')).accessToken.startsWith('Atza|'));
    assert.equal(upstreams.lwaCalls, lwaBefore + 1, 'a new process exchanges with the decrypted credentials');
    assert.ok((await client.getJdeSession('acme-us')).token);
    assert.equal((await client.getConnection('acme-us')).keyId, 'new');
  });

  it('recorded every change in the audit trail without secrets', async () => {
    const events = await mongo.db!.collection('audit_events').find().toArray();
    const actions = events.map((e) => e.action);
    for (const action of [
      'connection.created',
      'connection.updated',
      'connection.deleted',
      'connection.key_rotated',
      'keys.rotated',
    ]) {
      assert.ok(actions.includes(action), `audit has ${action}`);
    }
    const text = JSON.stringify(events);
    for (const secret of [...secretValues(), ...upstreams.issued, 'wrong-password-123', 'revoked-token']) {
      assert.ok(!text.includes(secret), 'no secret in audit events');
    }
  });
});

describe('token-broker as a process: its logs hold no secret', () => {
  it('runs a full session at log level trace and prints none of the secret values', async () => {
    const upstreams = await startFakeUpstreams(secrets);
    const grpcPort = await freePort();
    const adminPort = await freePort();
    const mongoUrl = uniqueMongoUrl('token_broker_logs');
    let output = '';
    const child: ChildProcess = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'services', 'token-broker', 'src', 'server.ts')],
      {
        cwd: repoRoot,
        env: {
          PATH: process.env.PATH ?? '',
          MLC_ADMIN_HOST: '127.0.0.1',
          MLC_ADMIN_PORT: String(adminPort),
          MLC_GRPC_HOST: '127.0.0.1',
          MLC_GRPC_PORT: String(grpcPort),
          MLC_KAFKA_BROKERS: kafkaBrokers.join(','),
          MLC_MONGO_URL: mongoUrl,
          MLC_LOG_LEVEL: 'trace',
          MLC_MASTER_KEYS: `${oldKey},${newKey}`,
          MLC_ACTIVE_KEY_ID: 'new',
          MLC_BROKER_CLIENT_TOKENS: clientToken,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });
    const client = createTokenBrokerClient({ address: `127.0.0.1:${grpcPort}`, token: clientToken });
    const mongo = await connectMongo({ url: mongoUrl });
    try {
      await waitFor(
        'token-broker ready',
        async () => {
          if (child.exitCode !== null) throw new Error(`exited early:\n${output}`);
          return (await fetch(`http://127.0.0.1:${adminPort}/readyz`)).status === 200;
        },
        60_000,
        250,
      );
      const input = connectionInput(upstreams, 'acme-logs');
      await client.createConnection(input);
      const amazon = await client.getAmazonAccessToken('acme-logs', 'NA');
      await client.reportInvalidAmazonToken('acme-logs', 'NA', amazon.accessToken);
      const session = await client.getJdeSession('acme-logs');
      await client.reportInvalidJdeSession('acme-logs', session.token);
      await client.getJdeSession('acme-logs');
      await client.updateConnection('acme-logs', {
        amazon: { ...input.amazon!, lwaClientSecret: '', refreshToken: 'Atzr|wrong-refresh-token-abc' },
      });
      await expectCode(client.getAmazonAccessToken('acme-logs', 'NA'), grpc.status.PERMISSION_DENIED);
      const wrong = createTokenBrokerClient({
        address: `127.0.0.1:${grpcPort}`,
        token: 'bad-token-0123456789',
      });
      await expectCode(wrong.listConnections(), grpc.status.UNAUTHENTICATED);
      wrong.close();
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      assert.match(output, /"msg":"connection created"/, 'the run did log');
      assert.match(output, /amazon token reported invalid/);
      const leaked = [
        ...secretValues(),
        ...upstreams.issued,
        clientToken,
        'Atzr|wrong-refresh-token-abc',
        oldKey.slice(4),
        newKey.slice(4),
      ].filter((secret) => output.includes(secret));
      assert.deepEqual(
        leaked.map((s) => `${s.slice(0, 6)}…`),
        [],
        'secret values in the logs',
      );
      assert.ok(upstreams.issued.length >= 4, 'tokens were issued');
    } finally {
      client.close();
      if (child.exitCode === null) child.kill('SIGKILL');
      await mongo.dropDatabase();
      await mongo.close();
      await upstreams.close();
    }
  });
});
