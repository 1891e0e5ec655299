/**
 * checkRepostOrder on the real FerretDB: a new part of repost generation n waits until every
 * reversal of generation n is posted, is dead-lettered once one is rejected, and a journal of a
 * superseded generation is not posted unless it already was.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JournalProposedV1 } from '@mlc/events';
import { DeadLetter } from '@mlc/kafka';
import { connectMongo, ensureIndexes, ensureJob, jobModel, updateJob } from '@mlc/mongo';
import { recordRepost, repostModel } from '@mlc/store';
import { uniqueMongoUrl } from '@mlc/testkit';
import type { Connection } from 'mongoose';
import { checkRepostOrder, ReversalsPending } from '../src/repost-order.js';

const key = { connectionId: 'c1', settlementId: 'S1' };
const original = 'mlc:c1:S1:2026-01';

function journal(jobId: string, extra: Partial<JournalProposedV1> = {}): JournalProposedV1 {
  return {
    jobId,
    ...key,
    part: { index: 1, count: 1, period: '2026-01' },
    company: '00001',
    documentType: 'JE',
    glDate: '2026-01-15',
    currency: 'USD',
    explanation: 'AMZ S1 2026-01',
    lines: [
      { account: '1.1110.AMZN', amount: '10.00', explanation: 'deposit', lineage: { rowCount: 0 } },
      { account: '100.5010', amount: '-10.00', explanation: 'sales', lineage: { rowCount: 1 } },
    ],
    proposedAt: '2026-02-01T00:00:00.000Z',
    ...extra,
  };
}

async function request(db: Connection, generation: number, reversed: string) {
  await recordRepost(db, {
    ...key,
    generation,
    reason: 'test',
    requestedBy: 'operator:test',
    requestedAt: new Date(),
    ruleSet: 'c1-default@1',
    reverses: [
      {
        jobId: reversed,
        reversalJobId: `${reversed}:rev${generation}`,
        documentNumber: '1000',
        company: '00001',
        documentType: 'JE',
        rawDocumentId: 'raw-1',
        ruleSet: 'c1-default@1',
        generation: generation - 1,
      },
    ],
  });
}

async function setState(db: Connection, jobId: string, state: 'posted' | 'rejected') {
  await ensureJob(db, { jobId, kind: 'journal', ...key });
  await updateJob(db, jobId, { state });
}

describe('checkRepostOrder', () => {
  let db: Connection;
  before(async () => {
    db = await connectMongo({ url: uniqueMongoUrl('repost_order') });
    await ensureIndexes([jobModel(db), repostModel(db)] as never);
  });
  after(async () => {
    await db.dropDatabase();
    await db.close();
  });

  it('lets a first posting and a reversal through, holds the new part until its reversal is posted', async () => {
    await checkRepostOrder(db, journal(original));
    await assert.rejects(
      checkRepostOrder(db, journal(`${original}:r2`, { generation: 2 })),
      DeadLetter,
      'generation 2 is not recorded yet',
    );
    await request(db, 2, original);
    const reversal = journal(`${original}:rev2`, {
      generation: 2,
      reverses: { jobId: original, documentNumber: '1000' },
    });
    await checkRepostOrder(db, reversal);
    const part = journal(`${original}:r2`, { generation: 2 });
    await assert.rejects(checkRepostOrder(db, part), (error: Error) => {
      assert.ok(error instanceof ReversalsPending);
      assert.match(error.message, /waiting for reversal\(s\) mlc:c1:S1:2026-01:rev2/);
      return true;
    });
    await setState(db, `${original}:rev2`, 'posted');
    await checkRepostOrder(db, part);
  });

  it('dead-letters the new part of a generation whose reversal JDE rejected', async () => {
    const reversed = `${original}:r2`;
    await request(db, 3, reversed);
    await setState(db, `${reversed}:rev3`, 'rejected');
    await assert.rejects(
      checkRepostOrder(db, journal(`${original}:r3`, { generation: 3 })),
      (error: Error) => {
        assert.ok(error instanceof DeadLetter);
        assert.match(error.message, /reversal mlc:c1:S1:2026-01:r2:rev3 was rejected by JDE/);
        return true;
      },
    );
  });

  it('does not post a journal of a superseded generation, but lets a replay of a posted one through', async () => {
    await request(db, 4, `${original}:r2`);
    await assert.rejects(
      checkRepostOrder(
        db,
        journal(`${original}:r2:rev3`, {
          generation: 3,
          reverses: { jobId: `${original}:r2`, documentNumber: '1' },
        }),
      ),
      /superseded by generation 4/,
    );
    // Generation 2's new part was posted before generation 3 and 4 were requested: a replay finds it posted.
    await setState(db, `${original}:r2`, 'posted');
    await checkRepostOrder(db, journal(`${original}:r2`, { generation: 2 }));
  });
});
