/**
 * The operator CLI's plumbing for the broker, run as processes on the real stack: `mlc keys rotate`
 * (dry run, rotation, idempotence, bad keys) against the connections collection, and
 * `mlc connections add|list|delete` against an in-process broker.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConnectionStore, connectionModel, Keyring } from '@mlc/credentials';
import { auditModel, connectMongo, ensureIndexes } from '@mlc/mongo';
import { type RunningService, startService } from '@mlc/service';
import { freePort, kafkaBrokers, repoRoot, uniqueMongoUrl } from '@mlc/testkit';
import type { Connection } from 'mongoose';
import { tokenBroker } from '../src/service.js';

const oldKey = `old:${randomBytes(32).toString('base64')}`;
const newKey = `new:${randomBytes(32).toString('base64')}`;

function mlc(
  args: string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'cli', 'src', 'main.ts'), ...args],
      {
        cwd: repoRoot,
        env: { PATH: process.env.PATH ?? '', ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdin.end(stdin ?? '');
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('mlc keys rotate', () => {
  const mongoUrl = uniqueMongoUrl('cli_keys');
  let mongo: Connection;
  const password = `jde-password-${randomBytes(8).toString('hex')}`;

  before(async () => {
    mongo = await connectMongo({ url: mongoUrl });
    await ensureIndexes([connectionModel(mongo), auditModel(mongo)] as never);
    const store = new ConnectionStore(mongo, Keyring.parse(oldKey, 'old'), { actor: 'test' });
    for (const id of ['c-1', 'c-2']) {
      await store.create({
        connectionId: id,
        displayName: id,
        jde: {
          aisBaseUrl: 'https://ais.example.com',
          username: 'JDE',
          password,
          environment: 'JDV920',
          role: '',
          deviceName: '',
          allowInsecureHttp: false,
        },
      });
    }
  });
  after(async () => {
    await mongo.dropDatabase();
    await mongo.close();
  });

  const env = { MLC_MONGO_URL: mongoUrl, MLC_MASTER_KEYS: `${oldKey},${newKey}`, MLC_ACTIVE_KEY_ID: 'new' };
  const keyIds = async () =>
    (await mongo.db!.collection('connections').find().toArray()).map((d) => d.keyId as string).sort();

  it('--dry-run counts without changing anything', async () => {
    const { code, stdout } = await mlc(['keys', 'rotate', '--dry-run', '--json'], env);
    assert.equal(code, 0);
    const report = JSON.parse(stdout);
    assert.deepEqual(
      [report.dryRun, report.scanned, report.needingRotation, report.rotated],
      [true, 2, 2, 0],
    );
    assert.deepEqual(await keyIds(), ['old', 'old']);
  });

  it('rotates every connection, then finds nothing to do', async () => {
    const first = await mlc(['keys', 'rotate'], env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /rotated: +2/);
    assert.deepEqual(await keyIds(), ['new', 'new']);
    const second = await mlc(['keys', 'rotate', '--json'], env);
    assert.equal(second.code, 0);
    assert.deepEqual([JSON.parse(second.stdout).rotated, JSON.parse(second.stdout).alreadyCurrent], [0, 2]);
    const onlyNew = new ConnectionStore(mongo, Keyring.parse(newKey, 'new'), { actor: 'test' });
    assert.equal((await onlyNew.loadSecrets('c-1')).jde?.password, password);
    const audit = await auditModel(mongo).find({ action: 'connection.key_rotated' }).lean();
    assert.equal(audit.length, 2);
    assert.match(audit[0]!.actor, /^operator:/);
  });

  it('refuses bad keys with a clear message and no key material', async () => {
    const short = randomBytes(16).toString('base64');
    const bad = await mlc(['keys', 'rotate'], { ...env, MLC_MASTER_KEYS: `new:${short}` });
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /key "new": decodes to 16 bytes, expected 32/);
    assert.ok(!bad.stderr.includes(short));
    const unknown = await mlc(['keys', 'rotate'], { ...env, MLC_ACTIVE_KEY_ID: 'newer' });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /active key id "newer" is not among the master keys/);
    const usage = await mlc(['keys', 'rotate', '--bogus'], env);
    assert.equal(usage.code, 2);
  });
});

describe('mlc connections', () => {
  const mongoUrl = uniqueMongoUrl('cli_connections');
  const token = `cli-client-${randomBytes(12).toString('hex')}`;
  let running: RunningService;
  let env: Record<string, string>;

  before(async () => {
    const grpcPort = await freePort();
    running = await startService(tokenBroker, {
      MLC_ADMIN_HOST: '127.0.0.1',
      MLC_ADMIN_PORT: String(await freePort()),
      MLC_GRPC_HOST: '127.0.0.1',
      MLC_GRPC_PORT: String(grpcPort),
      MLC_KAFKA_BROKERS: kafkaBrokers.join(','),
      MLC_MONGO_URL: mongoUrl,
      MLC_LOG_LEVEL: 'error',
      MLC_MASTER_KEYS: newKey,
      MLC_ACTIVE_KEY_ID: 'new',
      MLC_BROKER_CLIENT_TOKENS: token,
    });
    env = { MLC_TOKEN_BROKER_ADDRESS: `127.0.0.1:${grpcPort}`, MLC_TOKEN_BROKER_TOKEN: token };
  });
  after(async () => {
    await running.shutdown('test done');
    const mongo = await connectMongo({ url: mongoUrl });
    await mongo.dropDatabase();
    await mongo.close();
  });

  it('adds from stdin, lists without secrets, deletes', async () => {
    const secret = `Atzr|${randomBytes(12).toString('hex')}`;
    const input = {
      connectionId: 'acme-cli',
      displayName: 'Acme via CLI',
      amazon: {
        lwaClientId: 'amzn1.application-oa2-client.cli',
        lwaClientSecret: 'cli-client-secret',
        refreshToken: secret,
        regions: ['EU'],
        marketplaceIds: ['A1PA6795UKMFR9'],
      },
    };
    const added = await mlc(['connections', 'add', '--file', '-'], env, JSON.stringify(input));
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /created acme-cli .*amazon EU A1PA6795UKMFR9/);
    const listed = await mlc(['connections', 'list', '--json'], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(
      JSON.parse(listed.stdout).map((c: { connectionId: string; keyId: string }) => [
        c.connectionId,
        c.keyId,
      ]),
      [['acme-cli', 'new']],
    );
    assert.ok(!listed.stdout.includes(secret) && !listed.stdout.includes('cli-client-secret'));
    const invalid = await mlc(
      ['connections', 'add', '--file', '-'],
      env,
      JSON.stringify({ ...input, connectionId: 'x y' }),
    );
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /INVALID_ARGUMENT: connection_id/);
    const refused = await mlc(['connections', 'list'], {
      ...env,
      MLC_TOKEN_BROKER_TOKEN: 'wrong-token-0123456789',
    });
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /UNAUTHENTICATED/);
    assert.equal((await mlc(['connections', 'delete', 'acme-cli'], env)).code, 0);
    assert.equal((await mlc(['connections', 'delete', 'acme-cli'], env)).code, 1);
  });
});
