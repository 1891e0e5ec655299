/**
 * postJournal on the real FerretDB with a scripted JDE: every path that could post twice or lose a
 * posting — success, replay of a posted job, a lost answer after a write, a lost answer without a
 * write, a crash left in `posting`, and a business rejection.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AisError, type JournalEntry, type JournalEntryResult } from '@mlc/ais';
import type { JournalProposedV1 } from '@mlc/events';
import {
  auditModel,
  claimAttempt,
  connectMongo,
  ensureIndexes,
  jobClaimModel,
  jobModel,
  updateJob,
} from '@mlc/mongo';
import { uniqueMongoUrl } from '@mlc/testkit';
import type { Connection } from 'mongoose';
import { AttemptInFlight, JournalRejected, type JournalTarget, postJournal } from '../src/posting.js';

/** A JDE stand-in that keeps F0911 documents by reference and misbehaves on cue. */
class ScriptedJde implements JournalTarget {
  documents = new Map<string, number>();
  calls = 0;
  nextNumber = 1000;
  script: Array<'ok' | 'lost-after-write' | 'lost-before-write' | 'reject'> = [];

  async postJournalEntry(entry: JournalEntry): Promise<JournalEntryResult> {
    this.calls++;
    const step = this.script.shift() ?? 'ok';
    if (step === 'reject') {
      throw new AisError('business', 'Account 1.9999 is not postable (PEC N)', {
        operation: 'orchestration',
      });
    }
    if (step === 'lost-before-write') {
      throw new AisError('transport', 'connection reset', { outcomeUnknown: true });
    }
    const documentNumber = this.nextNumber++;
    this.documents.set(entry.reference, documentNumber);
    if (step === 'lost-after-write')
      throw new AisError('transport', 'socket hang up', { outcomeUnknown: true });
    return {
      documentNumber,
      batchNumber: 7,
      documentCompany: entry.company,
      documentType: 'JE',
      warnings: [],
      raw: {},
    };
  }

  async findJournalEntry(reference: string) {
    const documentNumber = this.documents.get(reference);
    return {
      documents:
        documentNumber === undefined
          ? []
          : [{ documentNumber, documentType: 'JE', documentCompany: '00001', batchNumber: 7 }],
    };
  }
}

function journal(jobId: string): JournalProposedV1 {
  return {
    jobId,
    connectionId: 'c1',
    settlementId: 'S1',
    part: { index: 1, count: 1, period: '2026-01' },
    company: '00001',
    documentType: 'JE',
    glDate: '2026-01-15',
    currency: 'USD',
    explanation: 'Amazon settlement S1',
    lines: [
      {
        account: '1.1200',
        amount: '100.50',
        explanation: 'deposit',
        lineage: { rowCount: 0, rowRanges: [] },
      },
      {
        account: '1.4000',
        amount: '-100.50',
        explanation: 'sales',
        lineage: { rowCount: 3, rowRanges: [[2, 4]] },
      },
    ],
    proposedAt: '2026-01-16T00:00:00.000Z',
  };
}

describe('postJournal: at most once into JDE', () => {
  let db: Connection;
  before(async () => {
    db = await connectMongo({ url: uniqueMongoUrl('poster') });
    await ensureIndexes([jobModel(db), jobClaimModel(db), auditModel(db)] as never);
  });
  after(async () => {
    await db.dropDatabase();
    await db.close();
  });

  it('posts once, and a replay of the same journal does not call JDE again', async () => {
    const jde = new ScriptedJde();
    const first = await postJournal(journal('J-ok'), { db, target: jde, holder: 'me', leaseMs: 60_000 });
    assert.equal(first.kind, 'posted');
    assert.equal(first.kind === 'posted' && first.event.documentNumber, '1000');
    assert.equal(first.kind === 'posted' && first.event.debitTotal, '100.50');
    const again = await postJournal(journal('J-ok'), { db, target: jde, holder: 'me', leaseMs: 60_000 });
    assert.equal(again.kind, 'already-posted');
    assert.equal(jde.calls, 1);
    assert.equal(jde.documents.size, 1);
  });

  it('a lost answer after the write is resolved by the F0911 read-back, not a second post', async () => {
    const jde = new ScriptedJde();
    jde.script = ['lost-after-write'];
    await assert.rejects(
      postJournal(journal('J-lost'), { db, target: jde, holder: 'me', leaseMs: 60_000 }),
      /socket hang up/,
    );
    assert.equal((await jobModel(db).findOne({ jobId: 'J-lost' }).lean())?.state, 'posting');
    const retry = await postJournal(journal('J-lost'), { db, target: jde, holder: 'me', leaseMs: 60_000 });
    assert.equal(retry.kind, 'posted');
    assert.equal(retry.kind === 'posted' && retry.event.documentNumber, '1000');
    assert.equal(jde.calls, 1, 'JDE was called once');
  });

  it('a lost answer without a write is retried after the read-back finds nothing', async () => {
    const jde = new ScriptedJde();
    jde.script = ['lost-before-write'];
    await assert.rejects(
      postJournal(journal('J-retry'), { db, target: jde, holder: 'me', leaseMs: 60_000 }),
      /connection reset/,
    );
    const retry = await postJournal(journal('J-retry'), { db, target: jde, holder: 'me', leaseMs: 60_000 });
    assert.equal(retry.kind, 'posted');
    assert.equal(jde.calls, 2);
    assert.equal(jde.documents.size, 1);
    const job = await jobModel(db).findOne({ jobId: 'J-retry' }).lean();
    assert.equal(job?.attempts, 2);
  });

  it('a job left `posting` by another process waits out its lease, then is settled by the read-back', async () => {
    const jde = new ScriptedJde();
    await postJournal(journal('J-crash'), { db, target: jde, holder: 'me', leaseMs: 60_000 });
    // As if another process had claimed attempt 2 and died before recording its answer.
    assert.equal(await claimAttempt(db, 'J-crash', 2, 'dead-process'), true);
    await updateJob(db, 'J-crash', { state: 'posting', attempts: 2 });
    await assert.rejects(
      postJournal(journal('J-crash'), { db, target: jde, holder: 'me', leaseMs: 60_000 }),
      AttemptInFlight,
    );
    const after = await postJournal(journal('J-crash'), { db, target: jde, holder: 'me', leaseMs: 0 });
    assert.equal(after.kind, 'posted');
    assert.equal(after.kind === 'posted' && after.event.documentNumber, '1000');
    assert.equal(jde.calls, 1, 'found by the read-back, not posted again');
  });

  it('many workers racing on one journal post it once', async () => {
    const jde = new ScriptedJde();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        postJournal(journal('J-race'), { db, target: jde, holder: `worker-${i}`, leaseMs: 60_000 }),
      ),
    );
    assert.equal(jde.calls, 1);
    assert.equal(jde.documents.size, 1);
    const posted = results.filter((r) => r.status === 'fulfilled' && r.value.kind === 'posted');
    assert.equal(posted.length, 1);
    for (const r of results) {
      if (r.status === 'rejected') assert.ok(r.reason instanceof AttemptInFlight, String(r.reason));
    }
  });

  it('a business rejection ends the job rejected and is never retried', async () => {
    const jde = new ScriptedJde();
    jde.script = ['reject'];
    await assert.rejects(
      postJournal(journal('J-bad'), { db, target: jde, holder: 'me', leaseMs: 60_000 }),
      JournalRejected,
    );
    const again = await postJournal(journal('J-bad'), { db, target: jde, holder: 'me', leaseMs: 60_000 });
    assert.deepEqual(again, { kind: 'already-rejected', reason: 'Account 1.9999 is not postable (PEC N)' });
    assert.equal(jde.calls, 1);
    assert.equal(jde.documents.size, 0);
    const trail = await auditModel(db).find({ jobId: 'J-bad' }).sort({ at: 1 }).lean();
    assert.deepEqual(
      trail.map((e) => e.action),
      ['journal.posting', 'journal.rejected'],
    );
  });
});
