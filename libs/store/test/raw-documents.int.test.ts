/**
 * Writing a raw document while it is parsed (beginRawDocument), on the real FerretDB: the head is recorded
 * with the digest the caller computed, a second copy of the same content leaves nothing behind, an
 * abandoned document leaves no chunks, and chunks stored before chunk ids were "<document>:<n>" still read.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ensureIndexes } from '@mlc/mongo';
import { uniqueMongoUrl } from '@mlc/testkit';
import mongoose, { type Connection } from 'mongoose';
import {
  beginRawDocument,
  PlainContent,
  RAW_CHUNK_BYTES,
  rawChunkModel,
  rawDocumentModel,
  readRawDocument,
  storeRawDocument,
} from '../src/index.js';

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

describe('raw documents written while parsed', () => {
  let db: Connection;
  before(async () => {
    db = await mongoose
      .createConnection(uniqueMongoUrl('rawdocs'), { bufferCommands: false, autoIndex: false })
      .asPromise();
    await ensureIndexes([rawDocumentModel(db), rawChunkModel(db)] as never);
  });
  after(async () => {
    await db.dropDatabase();
    await db.close();
  });

  it('records the head with the streamed digest; the same content again leaves no chunks', async () => {
    const plain = randomBytes(RAW_CHUNK_BYTES + 1000); // incompressible: two chunks
    const zipped = gzipSync(plain);
    const pending = beginRawDocument(db, { connectionId: 'c1', bytes: zipped, source: 'report:1' });
    const content = new PlainContent(zipped);
    for await (const _chunk of content.chunks()) {
      // the parser would read here
    }
    const first = await pending.finish(content.digest());
    assert.equal(first.created, true);
    assert.equal(first.document.sha256, createHash('sha256').update(plain).digest('hex'));
    assert.equal(first.document.size, plain.length);
    assert.equal(first.document.compressedSize, zipped.length);
    assert.equal(first.document.chunkCount, 2);
    const ids = (await rawChunkModel(db).find({ documentId: first.document._id }).lean().exec())
      .map((chunk) => String(chunk._id))
      .sort();
    assert.deepEqual(ids, [`${first.document._id}:0`, `${first.document._id}:1`]);
    assert.ok(gunzipSync(await readAll(readRawDocument(db, first.document._id))).equals(plain));

    // The same content delivered plain, its digest left to the store: the stored document, nothing new.
    const again = await beginRawDocument(db, { connectionId: 'c1', bytes: plain, source: 'x' }).finish();
    assert.equal(again.created, false);
    assert.equal(again.document._id, first.document._id);
    assert.equal(await rawChunkModel(db).countDocuments({}), 2, 'the second copy’s chunks are dropped');
  });

  it('abandon() drops the chunks written', async () => {
    const chunksBefore = await rawChunkModel(db).countDocuments({});
    const pending = beginRawDocument(db, { connectionId: 'c2', bytes: gzipSync('abandoned'), source: 'x' });
    await pending.abandon();
    assert.equal(await rawChunkModel(db).countDocuments({}), chunksBefore);
    assert.equal(await rawDocumentModel(db).countDocuments({ connectionId: 'c2' }), 0);
  });

  it('hashes corrupt GZIP as delivered when no digest is given', async () => {
    const broken = gzipSync(randomBytes(5000)).subarray(0, 100);
    const { document, created } = await storeRawDocument(db, {
      connectionId: 'c3',
      bytes: broken,
      source: 'x',
    });
    assert.equal(created, true);
    assert.equal(document.sha256, createHash('sha256').update(broken).digest('hex'));
    assert.ok((await readAll(readRawDocument(db, document._id))).equals(broken));
  });

  it('reads chunks stored with generated ids, by document and number', async () => {
    const id = randomUUID();
    const zipped = gzipSync('legacy chunks\n');
    await rawChunkModel(db).collection.insertMany([
      { documentId: id, n: 0, data: zipped.subarray(0, 10) },
      { documentId: id, n: 1, data: zipped.subarray(10) },
    ]);
    await rawDocumentModel(db).create({
      _id: id,
      connectionId: 'c4',
      sha256: 'legacy',
      size: 14,
      compressedSize: zipped.length,
      chunkCount: 2,
      source: 'x',
      createdAt: new Date(),
    });
    assert.equal(gunzipSync(await readAll(readRawDocument(db, id))).toString(), 'legacy chunks\n');
  });
});
