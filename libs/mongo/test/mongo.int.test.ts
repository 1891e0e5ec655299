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
  claimAttempt,
  connectMongo,
  ensureIndexes,
  ensureJob,
  getClaim,
  getJob,
  jobClaimModel,
  jobModel,
  pingMongo,
  updateJob,
} from '../src/index.js';

describe('mongo plumbing on FerretDB', () => {
  let connection: Connection;

  before(async () => {
    connection = await connectMongo({ url: uniqueMongoUrl() });
    await ensureIndexes([jobModel(connection), jobClaimModel(connection), auditModel(connection)] as never);
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

  it('gives each attempt of a job to exactly one of many racing workers', async () => {
    await ensureJob(connection, { jobId: 'J3', kind: 'journal', connectionId: 'c1' });
    for (let attempt = 1; attempt <= 5; attempt++) {
      const wins = await Promise.all(
        Array.from({ length: 8 }, (_, worker) => claimAttempt(connection, 'J3', attempt, `worker-${worker}`)),
      );
      assert.equal(wins.filter(Boolean).length, 1, `attempt ${attempt} claimed once`);
      const claim = await getClaim(connection, 'J3', attempt);
      assert.equal(claim?.holder, `worker-${wins.indexOf(true)}`);
    }
    await updateJob(connection, 'J3', { state: 'posted', attempts: 5, result: { documentNumber: '1001' } });
    const job = await getJob(connection, 'J3');
    assert.equal(job?.state, 'posted');
    assert.deepEqual(job?.result, { documentNumber: '1001' });
  });

  it('records a job once however many workers race to create it', async () => {
    const jobs = await Promise.all(
      Array.from({ length: 8 }, () =>
        ensureJob(connection, { jobId: 'J4', kind: 'journal', connectionId: 'c1' }),
      ),
    );
    assert.equal(new Set(jobs.map((j) => String(j.createdAt.getTime()))).size, 1);
    assert.equal(await jobModel(connection).countDocuments({ jobId: 'J4' }), 1);
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
