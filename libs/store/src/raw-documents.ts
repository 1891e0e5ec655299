/**
 * Raw settlement documents exactly as Amazon (or an operator's import) delivered them, kept
 * GZIP-compressed in MongoDB so any settlement can be re-read, re-mapped or inspected later.
 *
 * A document can be far larger than MongoDB's 16 MB document limit (a 1,000,000-row report), so
 * the compressed bytes are split into chunks of 4 MB in `raw_document_chunks`; the head document
 * in `raw_documents` carries the SHA-256 of the uncompressed bytes, which is also how a report
 * delivered twice is recognised.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { type Connection, type Model, Schema } from 'mongoose';

export const RAW_CHUNK_BYTES = 4 * 1024 * 1024;

export interface RawDocument {
  _id: string;
  connectionId: string;
  /** SHA-256 (hex) of the uncompressed document (of the bytes as delivered when they are corrupt GZIP). */
  sha256: string;
  size: number;
  compressedSize: number;
  chunkCount: number;
  /** Where it came from: an SP-API report id, or "import:<file name>". */
  source: string;
  createdAt: Date;
}

interface RawChunk {
  documentId: string;
  n: number;
  data: Buffer;
}

const rawDocumentSchema = new Schema<RawDocument>(
  {
    _id: { type: String, required: true },
    connectionId: { type: String, required: true },
    sha256: { type: String, required: true },
    size: { type: Number, required: true },
    compressedSize: { type: Number, required: true },
    chunkCount: { type: Number, required: true },
    source: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'raw_documents', versionKey: false },
);
rawDocumentSchema.index({ connectionId: 1, sha256: 1 }, { unique: true });

const rawChunkSchema = new Schema<RawChunk>(
  {
    documentId: { type: String, required: true },
    n: { type: Number, required: true },
    data: { type: Buffer, required: true },
  },
  { collection: 'raw_document_chunks', versionKey: false },
);
rawChunkSchema.index({ documentId: 1, n: 1 }, { unique: true });

export function rawDocumentModel(connection: Connection): Model<RawDocument> {
  return (
    (connection.models.RawDocument as Model<RawDocument>) ??
    connection.model('RawDocument', rawDocumentSchema)
  );
}

export function rawChunkModel(connection: Connection): Model<RawChunk> {
  return (connection.models.RawChunk as Model<RawChunk>) ?? connection.model('RawChunk', rawChunkSchema);
}

const GZIP_MAGIC = [0x1f, 0x8b];

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
}

/**
 * Stores a document (plain or GZIP bytes) unless the same content is stored for the connection
 * already; returns the head and whether it was new. Chunks are written before the head, so a head
 * always points at complete chunks.
 */
export async function storeRawDocument(
  connection: Connection,
  input: { connectionId: string; bytes: Buffer; source: string },
): Promise<{ document: RawDocument; created: boolean }> {
  let plain = input.bytes;
  if (isGzip(input.bytes)) {
    try {
      plain = gunzipSync(input.bytes);
    } catch {
      // Truncated or corrupt GZIP: kept exactly as delivered (hashed as such), so the parser can
      // say where it breaks and the settlement is held with that reason instead of failing here.
      plain = input.bytes;
    }
  }
  const compressed = isGzip(input.bytes) ? input.bytes : gzipSync(plain);
  const sha256 = createHash('sha256').update(plain).digest('hex');
  const heads = rawDocumentModel(connection);
  const existing = await heads.findOne({ connectionId: input.connectionId, sha256 }).lean().exec();
  if (existing) return { document: existing as RawDocument, created: false };

  const id = randomUUID();
  const chunkCount = Math.max(1, Math.ceil(compressed.length / RAW_CHUNK_BYTES));
  const chunks = rawChunkModel(connection);
  for (let n = 0; n < chunkCount; n++) {
    await chunks.create({
      documentId: id,
      n,
      data: compressed.subarray(n * RAW_CHUNK_BYTES, (n + 1) * RAW_CHUNK_BYTES),
    });
  }
  const document: RawDocument = {
    _id: id,
    connectionId: input.connectionId,
    sha256,
    size: plain.length,
    compressedSize: compressed.length,
    chunkCount,
    source: input.source,
    createdAt: new Date(),
  };
  try {
    await heads.create(document);
  } catch (error) {
    // Stored concurrently by someone else: keep theirs, drop our chunks.
    await chunks.deleteMany({ documentId: id }).exec();
    if ((error as { code?: number }).code !== 11000) throw error;
    const theirs = await heads.findOne({ connectionId: input.connectionId, sha256 }).lean().exec();
    return { document: theirs as RawDocument, created: false };
  }
  return { document, created: true };
}

/** The stored document's GZIP bytes as a stream, chunk by chunk (never the whole file in memory). */
export function readRawDocument(connection: Connection, documentId: string): Readable {
  const chunks = rawChunkModel(connection);
  return Readable.from(
    (async function* () {
      const head = await rawDocumentModel(connection).findById(documentId).lean().exec();
      if (!head) throw new Error(`raw document ${documentId} is not stored`);
      for (let n = 0; n < head.chunkCount; n++) {
        const chunk = await chunks.findOne({ documentId, n }).lean().exec();
        if (!chunk) throw new Error(`raw document ${documentId} is missing chunk ${n} of ${head.chunkCount}`);
        yield Buffer.from(chunk.data.buffer ?? chunk.data);
      }
    })(),
  );
}
