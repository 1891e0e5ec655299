/**
 * The encrypted `connections` collection on the real FerretDB: raw documents hold no plaintext
 * secret, updates keep unsent secrets, rotation is partial-safe and idempotent, and every write
 * leaves an audit event without secrets.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { auditModel, connectMongo, ensureIndexes } from '@mlc/mongo';
import { uniqueMongoUrl } from '@mlc/testkit';
import type { Connection } from 'mongoose';
import {
  type AmazonCredentials,
  ConcurrentUpdateError,
  ConnectionExistsError,
  ConnectionNotFoundError,
  ConnectionStore,
  CredentialsValidationError,
  connectionModel,
  type JdeCredentials,
  Keyring,
  rotateKeys,
} from '../src/index.js';

const b64 = () => randomBytes(32).toString('base64');
const oldKey = `old:${b64()}`;
const newKey = `new:${b64()}`;

const amazon = (suffix: string): AmazonCredentials => ({
  lwaClientId: `amzn1.application-oa2-client.${suffix}`,
  lwaClientSecret: `client-secret-${suffix}`,
  refreshToken: `Atzr|refresh-${suffix}`,
  regions: ['NA'],
  marketplaceIds: ['ATVPDKIKX0DER'],
  lwaEndpoint: '',
  spApiEndpoint: '',
});
const jde = (suffix: string): JdeCredentials => ({
  aisBaseUrl: 'https://ais.example.com/',
  username: 'JDE',
  password: `jde-password-${suffix}`,
  environment: 'JDV920',
  role: '',
  deviceName: '',
  allowInsecureHttp: false,
});

describe('ConnectionStore on FerretDB', () => {
  let mongo: Connection;
  before(async () => {
    mongo = await connectMongo({ url: uniqueMongoUrl('credentials') });
    await ensureIndexes([connectionModel(mongo), auditModel(mongo)] as never);
  });
  after(async () => {
    await mongo.dropDatabase();
    await mongo.close();
  });

  const secretsOf = (suffix: string) => [
    amazon(suffix).lwaClientId,
    amazon(suffix).lwaClientSecret,
    amazon(suffix).refreshToken,
    jde(suffix).password,
  ];
  const raw = async () => JSON.stringify(await mongo.db!.collection('connections').find().toArray());

  it('stores secrets encrypted, lists without them, and decrypts them back', async () => {
    const store = new ConnectionStore(mongo, Keyring.parse(oldKey, 'old'), { actor: 'test' });
    const created = await store.create({
      connectionId: 'acme-1',
      displayName: 'Acme',
      amazon: amazon('a1'),
      jde: jde('a1'),
    });
    assert.equal(created.keyId, 'old');
    assert.equal(created.jdeRole, '*ALL');
    assert.equal(created.aisBaseUrl, 'https://ais.example.com');
    const text = await raw();
    for (const secret of secretsOf('a1'))
      assert.ok(!text.includes(secret), 'raw document has no plaintext secret');
    assert.ok(!JSON.stringify(await store.list()).includes('a1"'));
    const secrets = await store.loadSecrets('acme-1');
    assert.deepEqual(secrets.amazon, amazon('a1'));
    assert.equal(secrets.jde?.password, jde('a1').password);
    await assert.rejects(
      store.create({ connectionId: 'acme-1', displayName: '', jde: jde('x') }),
      ConnectionExistsError,
    );
  });

  it('validates input naming the field', async () => {
    const store = new ConnectionStore(mongo, Keyring.parse(oldKey, 'old'), { actor: 'test' });
    await assert.rejects(
      store.create({ connectionId: 'bad', displayName: '', amazon: { ...amazon('b'), refreshToken: '' } }),
      (e: Error) => e instanceof CredentialsValidationError && e.message === 'amazon.refresh_token: required',
    );
    await assert.rejects(
      store.create({
        connectionId: 'bad',
        displayName: '',
        jde: { ...jde('b'), aisBaseUrl: 'http://ais.example.com' },
      }),
      /jde.ais_base_url: must be https/,
    );
    await assert.rejects(
      store.create({ connectionId: 'has space', displayName: '', jde: jde('b') }),
      /connection_id/,
    );
    await assert.rejects(store.update('nope', { displayName: 'x' }), ConnectionNotFoundError);
  });

  it('update keeps secrets sent empty and replaces those sent', async () => {
    const store = new ConnectionStore(mongo, Keyring.parse(oldKey, 'old'), { actor: 'test' });
    await store.create({ connectionId: 'acme-2', displayName: 'Two', amazon: amazon('a2') });
    const updated = await store.update('acme-2', {
      amazon: {
        ...amazon('a2'),
        lwaClientSecret: '',
        refreshToken: 'Atzr|new-refresh',
        regions: ['NA', 'EU'],
      },
    });
    assert.deepEqual(updated.regions, ['NA', 'EU']);
    assert.equal(updated.displayName, 'Two');
    const secrets = await store.loadSecrets('acme-2');
    assert.equal(secrets.amazon?.lwaClientSecret, amazon('a2').lwaClientSecret);
    assert.equal(secrets.amazon?.refreshToken, 'Atzr|new-refresh');
  });

  it('rotation re-encrypts under the new key, keeps the old readable meanwhile, and is idempotent', async () => {
    const both = Keyring.parse(`${oldKey},${newKey}`, 'new');
    const store = new ConnectionStore(mongo, both, { actor: 'operator:test' });
    const dry = await rotateKeys(store, both, { dryRun: true });
    assert.equal(dry.needingRotation, 2);
    assert.equal(dry.rotated, 0);
    // Mid-rotation: one document rotated, the other still readable with the old key.
    assert.equal(await store.reencrypt('acme-1', both), 'rotated');
    assert.equal((await store.loadSecrets('acme-2')).summary.keyId, 'old');
    const report = await rotateKeys(store, both);
    assert.deepEqual(
      {
        scanned: report.scanned,
        rotated: report.rotated,
        current: report.alreadyCurrent,
        failed: report.failed,
      },
      { scanned: 2, rotated: 1, current: 1, failed: [] },
    );
    const again = await rotateKeys(store, both);
    assert.equal(again.rotated, 0);
    assert.equal(again.alreadyCurrent, 2);
    const docs = await mongo.db!.collection('connections').find().toArray();
    for (const doc of docs) {
      assert.equal(doc.keyId, 'new');
      assert.ok(!JSON.stringify(doc).includes('"keyId":"old"'));
    }
    const onlyNew = new ConnectionStore(mongo, Keyring.parse(newKey, 'new'), { actor: 'test' });
    assert.equal((await onlyNew.loadSecrets('acme-1')).jde?.password, jde('a1').password);
    assert.equal((await onlyNew.loadSecrets('acme-2')).amazon?.refreshToken, 'Atzr|new-refresh');
  });

  it('rotation reports a document whose key is gone and carries on', async () => {
    const store = new ConnectionStore(mongo, Keyring.parse(oldKey, 'old'), { actor: 'test' });
    await store.create({ connectionId: 'acme-3', displayName: '', jde: jde('a3') });
    const onlyNew = Keyring.parse(newKey, 'new');
    const report = await rotateKeys(new ConnectionStore(mongo, onlyNew, { actor: 'test' }), onlyNew);
    assert.equal(report.failed.length, 1);
    assert.equal(report.failed[0]?.connectionId, 'acme-3');
    assert.match(report.failed[0]?.reason ?? '', /master key "old" is not configured/);
    assert.equal(report.alreadyCurrent, 2);
  });

  it('a concurrent update and rotation both land (conditional updates retry)', async () => {
    const both = Keyring.parse(`${oldKey},${newKey}`, 'new');
    const store = new ConnectionStore(mongo, both, { actor: 'test' });
    await Promise.all([
      store.update('acme-3', { displayName: 'renamed' }),
      rotateKeys(store, both),
      store.update('acme-3', { jde: { ...jde('a3'), password: 'changed-password' } }),
    ]);
    const secrets = await store.loadSecrets('acme-3');
    assert.equal(secrets.summary.keyId, 'new');
    assert.equal(secrets.summary.displayName, 'renamed');
    assert.equal(secrets.jde?.password, 'changed-password');
  });

  it('loses no update when writers and rotation race (FerretDB v1 conditional updates are not atomic)', async () => {
    for (let round = 0; round < 5; round++) {
      const id = `race-${round}`;
      await new ConnectionStore(mongo, Keyring.parse(oldKey, 'old'), { actor: 'test' }).create({
        connectionId: id,
        displayName: '',
        amazon: amazon(id),
        jde: jde(id),
      });
      const both = Keyring.parse(`${oldKey},${newKey}`, 'new');
      const store = new ConnectionStore(mongo, both, { actor: 'test' });
      await Promise.all([
        store.update(id, { displayName: `name-${round}` }),
        store.update(id, { jde: { ...jde(id), password: `pw-${round}-changed` } }),
        store.update(id, {
          amazon: { ...amazon(id), lwaClientSecret: '', refreshToken: `Atzr|rt-${round}` },
        }),
        store.reencrypt(id, both),
      ]);
      const secrets = await store.loadSecrets(id);
      assert.equal(secrets.summary.displayName, `name-${round}`);
      assert.equal(secrets.jde?.password, `pw-${round}-changed`);
      assert.equal(secrets.amazon?.refreshToken, `Atzr|rt-${round}`);
      assert.equal(secrets.amazon?.lwaClientSecret, amazon(id).lwaClientSecret);
      assert.equal(secrets.summary.keyId, 'new');
      const doc = await mongo.db!.collection('connections').findOne({ connectionId: id });
      assert.ok(doc && doc.revision >= 4, `revision ${doc?.revision}`);
    }
  });

  it('a writer that died holding a revision claim blocks only until the claim is stale', async () => {
    const store = new ConnectionStore(mongo, Keyring.parse(`${oldKey},${newKey}`, 'new'), {
      actor: 'test',
      maxAttempts: 2,
    });
    const doc = await mongo.db!.collection('connections').findOne({ connectionId: 'race-0' });
    const claims = mongo.db!.collection<{ _id: string }>('connection_revisions');
    const next = (doc!.revision as number) + 1;
    await claims.insertOne({
      _id: `race-0#${next}`,
      connectionId: 'race-0',
      revision: next,
      at: new Date(),
    } as never);
    await assert.rejects(store.update('race-0', { displayName: 'blocked' }), ConcurrentUpdateError);
    await claims.updateOne({ _id: `race-0#${next}` }, { $set: { at: new Date(Date.now() - 60_000) } });
    await store.update('race-0', { displayName: 'after-stale' });
    const after = await mongo.db!.collection('connections').findOne({ connectionId: 'race-0' });
    assert.equal(after?.displayName, 'after-stale');
    assert.equal(after?.revision, next + 1, 'skipped the stale claim');
  });

  it('delete removes, and every write left an audit event without secrets', async () => {
    const store = new ConnectionStore(mongo, Keyring.parse(`${oldKey},${newKey}`, 'new'), { actor: 'test' });
    assert.equal(await store.delete('acme-2'), true);
    assert.equal(await store.delete('acme-2'), false);
    const events = await auditModel(mongo).find().lean();
    const actions = new Set(events.map((e) => e.action));
    for (const action of [
      'connection.created',
      'connection.updated',
      'connection.deleted',
      'connection.key_rotated',
      'keys.rotated',
    ]) {
      assert.ok(actions.has(action), `audit has ${action}`);
    }
    const text = JSON.stringify(events);
    for (const suffix of ['a1', 'a2', 'a3'])
      for (const secret of secretsOf(suffix)) assert.ok(!text.includes(secret));
    assert.ok(!text.includes('changed-password') && !text.includes('new-refresh'));
  });
});
