/**
 * addProposedCrossReference on the real FerretDB with a scripted F4104: written once and not again
 * on a replay; found before writing means nothing is called; a lost answer after the write is
 * settled by the read-back; "already exists" is done, any other refusal rejected; a success
 * without the row fails loudly; with createCrossReferences off nothing is written; and the audit
 * event of an outcome is written before the job's state, so a process killed between the two loses
 * no event.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, mock } from 'node:test';
import { AisError, type CrossReferenceKey, type CrossReferenceRow, type NewCrossReference } from '@mlc/ais';
import type { ItemCrossReferenceProposedV1 } from '@mlc/events';
import { auditModel, connectMongo, ensureIndexes, getJob, jobClaimModel, jobModel } from '@mlc/mongo';
import { parseItemSettings } from '@mlc/store';
import { uniqueMongoUrl } from '@mlc/testkit';
import type { Connection } from 'mongoose';
import {
  addProposedCrossReference,
  CrossReferenceRejected,
  type CrossReferenceTarget,
} from '../src/cross-references.js';

type Step = 'ok' | 'lost-after-write' | 'lost-before-write' | 'refuse' | 'exists' | 'silent';

class ScriptedF4104 implements CrossReferenceTarget {
  rows = new Set<string>();
  adds = 0;
  finds = 0;
  script: Step[] = [];
  static key(k: CrossReferenceKey) {
    return `${k.itemNumber}|${k.type}|${k.addressNumber}|${k.crossReferenceItemNumber}`;
  }
  async add(_mapping: unknown, xref: NewCrossReference) {
    this.adds++;
    const step = this.script.shift() ?? 'ok';
    if (step === 'refuse')
      throw new AisError('business', 'S101 Item Number Invalid', { operation: 'orchestration' });
    if (step === 'exists') {
      this.rows.add(ScriptedF4104.key(xref));
      throw new AisError('business', 'S106 Record Already Exists', { operation: 'orchestration' });
    }
    if (step === 'lost-before-write') throw new AisError('transport', 'reset', { outcomeUnknown: true });
    if (step !== 'silent') this.rows.add(ScriptedF4104.key(xref));
    if (step === 'lost-after-write')
      throw new AisError('transport', 'socket hang up', { outcomeUnknown: true });
    return {};
  }
  async find(key: CrossReferenceKey): Promise<CrossReferenceRow[]> {
    this.finds++;
    return this.rows.has(ScriptedF4104.key(key))
      ? [
          {
            itemNumber: key.itemNumber,
            type: key.type,
            addressNumber: key.addressNumber,
            crossReferenceItemNumber: key.crossReferenceItemNumber,
            expires: '',
          },
        ]
      : [];
  }
}

const on = parseItemSettings({
  crossReferenceTypes: { asin: 'AS' },
  addressNumber: '4242',
  createCrossReferences: true,
});

function proposal(value: string): ItemCrossReferenceProposedV1 {
  return {
    jobId: `xref:c1:10001:AS:4242:${value}`,
    connectionId: 'c1',
    marketplaceId: 'ATVPDKIKX0DER',
    sku: 'SKU-1',
    itemNumber: '10001',
    kind: 'asin',
    crossReferenceType: 'AS',
    crossReferenceValue: value,
    addressNumber: '4242',
    proposedAt: '2026-11-01T00:00:00.000Z',
  };
}

describe('addProposedCrossReference: each F4104 row at most once', () => {
  let db: Connection;
  before(async () => {
    db = await connectMongo({ url: uniqueMongoUrl('xref') });
    await ensureIndexes([jobModel(db), jobClaimModel(db), auditModel(db)] as never);
  });
  after(async () => {
    await db.dropDatabase();
    await db.close();
  });
  const deps = (target: CrossReferenceTarget, settings = on) => ({
    db,
    target,
    settings,
    holder: 'me',
    leaseMs: 60_000,
  });

  it('writes once, reads back before and after, and a replay calls JDE no more', async () => {
    const jde = new ScriptedF4104();
    assert.deepEqual(await addProposedCrossReference(proposal('B1'), deps(jde)), { kind: 'created' });
    assert.deepEqual(await addProposedCrossReference(proposal('B1'), deps(jde)), { kind: 'already-done' });
    assert.equal(jde.adds, 1);
    assert.equal(jde.finds, 2);
    assert.equal((await getJob(db, proposal('B1').jobId))?.state, 'posted');
  });

  it('a row JDE already holds is not written', async () => {
    const jde = new ScriptedF4104();
    jde.rows.add('10001|AS|4242|B2');
    assert.deepEqual(await addProposedCrossReference(proposal('B2'), deps(jde)), {
      kind: 'found',
      when: 'before',
    });
    assert.equal(jde.adds, 0);
  });

  it('a lost answer after the write is settled by the read-back, not a second write', async () => {
    const jde = new ScriptedF4104();
    jde.script = ['lost-after-write'];
    await assert.rejects(addProposedCrossReference(proposal('B3'), deps(jde)), /socket hang up/);
    assert.equal((await getJob(db, proposal('B3').jobId))?.state, 'posting');
    assert.deepEqual(await addProposedCrossReference(proposal('B3'), deps(jde)), {
      kind: 'found',
      when: 'after-unknown',
    });
    assert.equal(jde.adds, 1);
  });

  it('a lost answer without a write is tried again, once', async () => {
    const jde = new ScriptedF4104();
    jde.script = ['lost-before-write'];
    await assert.rejects(addProposedCrossReference(proposal('B4'), deps(jde)), /reset/);
    assert.deepEqual(await addProposedCrossReference(proposal('B4'), deps(jde)), { kind: 'created' });
    assert.equal(jde.adds, 2);
    assert.equal(jde.rows.size, 1);
  });

  it('"already exists" is done; another refusal is rejected for good', async () => {
    const exists = new ScriptedF4104();
    exists.script = ['exists'];
    assert.deepEqual(await addProposedCrossReference(proposal('B5'), deps(exists)), {
      kind: 'found',
      when: 'after-refusal',
    });
    const refuse = new ScriptedF4104();
    refuse.script = ['refuse'];
    await assert.rejects(addProposedCrossReference(proposal('B6'), deps(refuse)), CrossReferenceRejected);
    const again = await addProposedCrossReference(proposal('B6'), deps(refuse));
    assert.equal(again.kind, 'already-rejected');
    assert.equal(refuse.adds, 1);
  });

  it('a success without the row in F4104 fails the job loudly', async () => {
    const jde = new ScriptedF4104();
    jde.script = ['silent'];
    await assert.rejects(
      addProposedCrossReference(proposal('B7'), deps(jde)),
      /answered success but F4104 has no row 10001\/AS\/4242\/"B7"/,
    );
  });

  it('with createCrossReferences off nothing is written', async () => {
    const jde = new ScriptedF4104();
    const off = parseItemSettings({ crossReferenceTypes: { asin: 'AS' } });
    await assert.rejects(
      addProposedCrossReference(proposal('B8'), deps(jde, off)),
      /createCrossReferences is off/,
    );
    assert.equal(jde.adds, 0);
  });

  /** Runs `run` with every job state write to `state` failing, as if the process died right there. */
  async function killedAtStateWrite(state: 'posted' | 'rejected', run: () => Promise<unknown>) {
    const jobs = jobModel(db) as unknown as { updateOne: (...args: unknown[]) => unknown };
    const write = jobs.updateOne.bind(jobs);
    const killed = mock.method(jobs, 'updateOne', (filter: unknown, update: unknown, ...rest: unknown[]) => {
      if ((update as { $set?: { state?: string } })?.$set?.state === state) {
        throw new Error(`killed before writing the job ${state}`);
      }
      return write(filter, update, ...rest);
    });
    try {
      await assert.rejects(run(), /killed before writing the job/);
    } finally {
      killed.mock.restore();
    }
  }
  const trail = async (jobId: string) =>
    (await auditModel(db).find({ jobId }).lean().exec()).map((event) => event.action).sort();

  it('the audit event is written before the job state: killed in between, no event is lost', async () => {
    const jde = new ScriptedF4104();
    const { jobId } = proposal('B9');
    await killedAtStateWrite('posted', () => addProposedCrossReference(proposal('B9'), deps(jde)));
    assert.deepEqual(await trail(jobId), ['xref.adding', 'xref.created']);
    assert.equal((await getJob(db, jobId))?.state, 'posting');
    // The redelivery reads F4104 back, writes nothing, and settles the job.
    assert.deepEqual(await addProposedCrossReference(proposal('B9'), deps(jde)), {
      kind: 'found',
      when: 'after-unknown',
    });
    assert.equal(jde.adds, 1);
    assert.equal((await getJob(db, jobId))?.state, 'posted');
    assert.deepEqual(await trail(jobId), ['xref.adding', 'xref.created', 'xref.found']);
  });

  it('a rejection is audited before the job state too', async () => {
    const jde = new ScriptedF4104();
    jde.script = ['refuse'];
    const { jobId } = proposal('B10');
    await killedAtStateWrite('rejected', () => addProposedCrossReference(proposal('B10'), deps(jde)));
    assert.deepEqual(await trail(jobId), ['xref.adding', 'xref.rejected']);
    const rejected = await auditModel(db).findOne({ jobId, action: 'xref.rejected' }).lean().exec();
    assert.equal(rejected?.detail?.message, 'S101 Item Number Invalid');
    assert.equal((await getJob(db, jobId))?.state, 'posting');
  });
});
