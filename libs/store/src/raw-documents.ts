/**
 * Raw settlement documents exactly as Amazon (or an operator's import) delivered them, kept
 * GZIP-compressed in MongoDB so any settlement can be re-read, re-mapped or inspected later.
 *
 * A document can be far larger than MongoDB's 16 MB document limit (a 1,000,000-row report), so
 * the compressed bytes are split into chunks of 4 MB in `raw_document_chunks`; the head document
 * in `raw_documents` carries the SHA-256 of the uncompressed bytes, which is also how a report
 * delivered twice is recognised.
 *
 * A chunk's _id is "<document id>:<n>", so reading one is a lookup by _id, which FerretDB v1 (the
 * local and test database) answers without scanning the collection; a lookup by (documentId, n) was
 * measured to read every chunk stored, growing with the collection. Chunks stored before that have
 * generated ids and are still found by (documentId, n). Reading keeps a few lookups in flight.
 *
 * The ingest parses every document anyway, so it need not unzip it a second time to hash it:
 * PlainContent streams the plain bytes to the parser and hashes them on the way, and
 * beginRawDocument writes the compressed chunks while that runs, recording the head once the
 * digest is known.
 */
import { createHash, randomUUID } from 'node:crypto';
import { PassThrough, pipeline, Readable } from 'node:stream';
import { promisify } from 'node:util';
import { createGunzip, gunzipSync, gzip } from 'node:zlib';
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
  /** "<documentId>:<n>" (chunks stored before had generated ids). */
  _id: string;
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
    _id: { type: String, required: true },
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

/** SHA-256 (hex) and length of a document's uncompressed bytes, as the head records them. */
export interface RawContentDigest {
  sha256: string;
  size: number;
}

const gzipAsync = promisify(gzip);
const PLAIN_CHUNK_BYTES = 64 * 1024;

/**
 * A document's plain bytes, streamed once: GZIP is unzipped on the way (off the main thread, running
 * ahead into a 1 MiB buffer), every chunk hashed. digest() is known once chunks() has been read to
 * the end without error; a GZIP error is thrown from chunks() as zlib raises it.
 */
export class PlainContent {
  private readonly hash = createHash('sha256');
  private size = 0;
  private done = false;

  constructor(private readonly bytes: Buffer) {}

  async *chunks(): AsyncGenerator<Buffer> {
    const bytes = this.bytes;
    if (isGzip(bytes)) {
      const plain = pipeline(
        Readable.from([bytes]),
        createGunzip({ chunkSize: PLAIN_CHUNK_BYTES }),
        new PassThrough({ highWaterMark: 1 << 20 }),
        () => {},
      );
      for await (const chunk of plain as AsyncIterable<Buffer>) yield this.take(chunk);
    } else {
      for (let at = 0; at < bytes.length; at += PLAIN_CHUNK_BYTES) {
        yield this.take(bytes.subarray(at, at + PLAIN_CHUNK_BYTES));
      }
    }
    this.done = true;
  }

  /** The digest of the whole document, or undefined when chunks() has not completed. */
  digest(): RawContentDigest | undefined {
    if (!this.done) return undefined;
    return { sha256: this.hash.copy().digest('hex'), size: this.size };
  }

  private take(chunk: Buffer): Buffer {
    this.hash.update(chunk);
    this.size += chunk.length;
    return chunk;
  }
}

/** The digest storeRawDocument records: of the uncompressed bytes, or of the bytes as delivered when they are corrupt GZIP. */
function digestOf(bytes: Buffer): RawContentDigest {
  let plain = bytes;
  if (isGzip(bytes)) {
    try {
      plain = gunzipSync(bytes);
    } catch {
      // Truncated or corrupt GZIP: kept exactly as delivered (hashed as such), so the parser can
      // say where it breaks and the settlement is held with that reason instead of failing here.
      plain = bytes;
    }
  }
  return { sha256: createHash('sha256').update(plain).digest('hex'), size: plain.length };
}

/** A document whose chunks are being written; finish() records its head (or finds it stored already). */
export interface PendingRawDocument {
  /**
   * Waits for the chunks, then records the head unless the same content is stored for the connection
   * already (our chunks are then dropped). `content` is the digest of the plain bytes when the caller
   * computed it (PlainContent); without it the bytes are unzipped and hashed here.
   */
  finish(content?: RawContentDigest): Promise<{ document: RawDocument; created: boolean }>;
  /** Drops the chunks written (the document is not kept after all). */
  abandon(): Promise<void>;
}

/**
 * Starts writing a document's compressed chunks at once, so the caller can parse meanwhile. Chunks are
 * written before the head, so a head always points at complete chunks.
 */
export function beginRawDocument(
  connection: Connection,
  input: { connectionId: string; bytes: Buffer; source: string },
): PendingRawDocument {
  const id = randomUUID();
  const chunks = rawChunkModel(connection);
  const written = (async () => {
    const compressed = isGzip(input.bytes) ? input.bytes : await gzipAsync(input.bytes);
    const chunkCount = Math.max(1, Math.ceil(compressed.length / RAW_CHUNK_BYTES));
    for (let n = 0; n < chunkCount; n++) {
      await chunks.create({
        _id: `${id}:${n}`,
        documentId: id,
        n,
        data: compressed.subarray(n * RAW_CHUNK_BYTES, (n + 1) * RAW_CHUNK_BYTES),
      });
    }
    return { compressedSize: compressed.length, chunkCount };
  })();
  written.catch(() => undefined); // awaited by finish() or abandon()
  const drop = async () => {
    await written.catch(() => undefined);
    await chunks.deleteMany({ documentId: id }).exec();
  };
  return {
    abandon: drop,
    async finish(content) {
      const { sha256, size } = content ?? digestOf(input.bytes);
      const heads = rawDocumentModel(connection);
      let stored: { compressedSize: number; chunkCount: number };
      try {
        stored = await written;
      } catch (error) {
        await drop();
        throw error;
      }
      const existing = await heads.findOne({ connectionId: input.connectionId, sha256 }).lean().exec();
      if (existing) {
        await drop();
        return { document: existing as RawDocument, created: false };
      }
      const document: RawDocument = {
        _id: id,
        connectionId: input.connectionId,
        sha256,
        size,
        ...stored,
        source: input.source,
        createdAt: new Date(),
      };
      try {
        await heads.create(document);
      } catch (error) {
        // Stored concurrently by someone else: keep theirs, drop our chunks.
        await drop();
        if ((error as { code?: number }).code !== 11000) throw error;
        const theirs = await heads.findOne({ connectionId: input.connectionId, sha256 }).lean().exec();
        return { document: theirs as RawDocument, created: false };
      }
      return { document, created: true };
    },
  };
}

/**
 * Stores a document (plain or GZIP bytes) unless the same content is stored for the connection
 * already; returns the head and whether it was new.
 */
export async function storeRawDocument(
  connection: Connection,
  input: { connectionId: string; bytes: Buffer; source: string; content?: RawContentDigest },
): Promise<{ document: RawDocument; created: boolean }> {
  const content = input.content ?? digestOf(input.bytes);
  const existing = await rawDocumentModel(connection)
    .findOne({ connectionId: input.connectionId, sha256: content.sha256 })
    .lean()
    .exec();
  if (existing) return { document: existing as RawDocument, created: false };
  return beginRawDocument(connection, input).finish(content);
}

/** Chunk lookups kept in flight while reading: FerretDB answers parallel lookups markedly faster. */
const READ_AHEAD = 3;

/** The stored document's GZIP bytes as a stream, chunk by chunk (never the whole file in memory). */
export function readRawDocument(connection: Connection, documentId: string): Readable {
  const chunks = rawChunkModel(connection);
  const lookup = async (n: number) =>
    (await chunks.findById(`${documentId}:${n}`).lean().exec()) ??
    (await chunks.findOne({ documentId, n }).lean().exec());
  return Readable.from(
    (async function* () {
      const head = await rawDocumentModel(connection).findById(documentId).lean().exec();
      if (!head) throw new Error(`raw document ${documentId} is not stored`);
      const inFlight: Array<ReturnType<typeof lookup>> = [];
      let next = 0;
      for (let n = 0; n < head.chunkCount; n++) {
        while (next < head.chunkCount && inFlight.length < READ_AHEAD) {
          const pending = lookup(next++);
          pending.catch(() => undefined); // awaited in turn below; not unhandled if the reader stops first
          inFlight.push(pending);
        }
        const chunk = await inFlight.shift()!;
        if (!chunk) throw new Error(`raw document ${documentId} is missing chunk ${n} of ${head.chunkCount}`);
        yield Buffer.from(chunk.data.buffer ?? chunk.data);
      }
    })(),
  );
}
