/**
 * libs/store on the real FerretDB: raw documents survive the round trip byte for byte (across
 * chunk boundaries), a document stored twice is stored once, and a settlement is recorded once.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ensureIndexes } from '@mlc/mongo';
import { uniqueMongoUrl } from '@mlc/testkit';
import mongoose, { type Connection } from 'mongoose';
import {
  latestRuleSet,
  RAW_CHUNK_BYTES,
  rawChunkModel,
  rawDocumentModel,
  readRawDocument,
  recordSettlement,
  ruleSetModel,
  saveRuleSet,
  setSettlementStatus,
  settlementModel,
  storeRawDocument,
} from '../src/index.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('store on FerretDB', () => {
  let db: Connection;
  before(async () => {
    db = await mongoose
      .createConnection(uniqueMongoUrl('store'), { bufferCommands: false, autoIndex: false })
      .asPromise();
    await ensureIndexes([
      rawDocumentModel(db),
      rawChunkModel(db),
      settlementModel(db),
      ruleSetModel(db),
    ] as never);
  });
  after(async () => {
    await db.dropDatabase();
    await db.close();
  });

  it('stores a multi-chunk document once and reads back the same bytes', async () => {
    // Random bytes do not compress: the GZIP is larger than two chunks.
    const plain = randomBytes(RAW_CHUNK_BYTES * 2 + 12345);
    const first = await storeRawDocument(db, { connectionId: 'c1', bytes: plain, source: 'test' });
    assert.equal(first.created, true);
    assert.equal(first.document.chunkCount, 3);
    const again = await storeRawDocument(db, {
      connectionId: 'c1',
      bytes: gzipSync(plain),
      source: 'test-again',
    });
    assert.equal(again.created, false, 'same content, GZIP or not, is the same document');
    assert.equal(again.document._id, first.document._id);
    assert.equal(await rawChunkModel(db).countDocuments({ documentId: first.document._id }), 3);
    const back = gunzipSync(await readAll(readRawDocument(db, first.document._id)));
    assert.ok(back.equals(plain));
  });

  it('records a settlement once and moves its status', async () => {
    const record = {
      connectionId: 'c1',
      settlementId: 'S1',
      status: 'announced' as const,
      rawDocumentId: 'd1',
      checksum: 'x',
    };
    assert.equal((await recordSettlement(db, record)).created, true);
    const second = await recordSettlement(db, { ...record, rawDocumentId: 'd2' });
    assert.equal(second.created, false);
    assert.equal(second.record.rawDocumentId, 'd1');
    assert.equal(
      await setSettlementStatus(db, { connectionId: 'c1', settlementId: 'S1' }, 'held', {
        reason: 'unmapped rows',
      }),
      true,
    );
    assert.equal((await settlementModel(db).findOne({ settlementId: 'S1' }).lean())?.reason, 'unmapped rows');
    await setSettlementStatus(db, { connectionId: 'c1', settlementId: 'S1' }, 'proposed');
    const after = await settlementModel(db).findOne({ settlementId: 'S1' }).lean();
    assert.equal(after?.status, 'proposed');
    assert.equal(after?.reason, undefined, 'the hold reason is cleared');
    assert.equal(await setSettlementStatus(db, { connectionId: 'c1', settlementId: 'nope' }, 'held'), false);
  });

  it('versions rule sets per connection', async () => {
    assert.equal(await latestRuleSet(db, 'c1'), null);
    await saveRuleSet(db, { connectionId: 'c1', definition: '{"v":1}', createdBy: 'test' });
    await saveRuleSet(db, { connectionId: 'c2', definition: '{"other":true}', createdBy: 'test' });
    const second = await saveRuleSet(db, { connectionId: 'c1', definition: '{"v":2}', createdBy: 'test' });
    assert.equal(second.version, 2);
    const latest = await latestRuleSet(db, 'c1');
    assert.equal(latest?.version, 2);
    assert.equal(latest?.definition, '{"v":2}');
  });
});
