/**
 * libs/mongo through mongoose on the real FerretDB from `make infra-up`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { uniqueMongoUrl } from '@mlc/testkit';
import type { Connection } from 'mongoose';
import {
  appendAudit,
  auditModel,
  connectMongo,
  ensureIndexes,
  ensureJob,
  jobModel,
  pingMongo,
  transitionJob,
} from '../src/index.js';

describe('mongo plumbing on FerretDB', () => {
  let connection: Connection;

  before(async () => {
    connection = await connectMongo({ url: uniqueMongoUrl() });
    await ensureIndexes([jobModel(connection), auditModel(connection)] as never);
  });

  after(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('answers a ping', async () => {
    assert.equal(await pingMongo(connection), true);
  });

  it('creates indexes idempotently', async () => {
    await ensureIndexes([jobModel(connection), auditModel(connection)] as never);
    const indexes = await jobModel(connection).collection.indexes();
    const unique = indexes.find((i) => i.key.jobId === 1);
    assert.equal(unique?.unique, true);
  });

  it('rejects a second insert of the same job id through the unique index', async () => {
    const jobs = jobModel(connection);
    const base = {
      jobId: 'mlc:c1:S1:p1',
      kind: 'journal',
      connectionId: 'c1',
      state: 'pending',
      attempts: 0,
    };
    await jobs.create({ ...base, createdAt: new Date(), updatedAt: new Date() });
    await assert.rejects(
      jobs.create({ ...base, createdAt: new Date(), updatedAt: new Date() }),
      (error: { code?: number }) => error.code === 11000,
    );
    assert.equal(await jobs.countDocuments({ jobId: base.jobId }), 1);
  });

  it('an upsert with $setOnInsert run twice leaves one unchanged document', async () => {
    const first = await ensureJob(connection, {
      jobId: 'mlc:c1:S2:p1',
      kind: 'journal',
      connectionId: 'c1',
      settlementId: 'S2',
    });
    await new Promise((r) => setTimeout(r, 20));
    const second = await ensureJob(connection, {
      jobId: 'mlc:c1:S2:p1',
      kind: 'other',
      connectionId: 'c9',
      settlementId: 'S9',
    });
    assert.equal(await jobModel(connection).countDocuments({ jobId: 'mlc:c1:S2:p1' }), 1);
    assert.deepEqual(second, first, 'the second upsert changed nothing');
    assert.equal(second.kind, 'journal');
  });

  it('moves a job through its states only from the expected state', async () => {
    await ensureJob(connection, { jobId: 'J3', kind: 'journal', connectionId: 'c1' });
    const claimed = await transitionJob(connection, 'J3', ['pending'], 'posting', {}, { countAttempt: true });
    assert.equal(claimed?.state, 'posting');
    assert.equal(claimed?.attempts, 1);
    assert.equal(await transitionJob(connection, 'J3', ['pending'], 'posting'), null, 'a second claim loses');
    const posted = await transitionJob(connection, 'J3', ['posting'], 'posted', {
      result: { documentNumber: '1001' },
    });
    assert.deepEqual(posted?.result, { documentNumber: '1001' });
  });

  it('keeps the audit trail append-only', async () => {
    await appendAudit(connection, {
      actor: 'test',
      action: 'settlement.received',
      settlementId: 'S1',
      detail: { rows: 3 },
    });
    const audit = auditModel(connection);
    assert.equal(await audit.countDocuments({ settlementId: 'S1' }), 1);
    await assert.rejects(
      audit.updateOne({ settlementId: 'S1' }, { $set: { action: 'x' } }).exec(),
      /append-only/,
    );
    await assert.rejects(audit.deleteMany({}).exec(), /append-only/);
    assert.equal(await audit.countDocuments({ settlementId: 'S1', action: 'settlement.received' }), 1);
  });
});
