/**
 * Turns the bytes of a settlement report into text lines, streaming: GZIP is recognised by its magic bytes
 * (1f 8b) rather than by a file name or Content-Type, which Amazon does not set reliably; a UTF-8 BOM and CR
 * line endings are dropped. Lines are split by hand (indexOf on "\n") because it is markedly cheaper than
 * readline for a million short lines, and memory stays at one chunk plus one partial line.
 */

import { PassThrough, pipeline, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';

export type TextEncodingName = 'utf8' | 'latin1';

/**
 * Longest line read by default, in characters. Amazon's lines are a few hundred characters; without a
 * bound, a file that never ends its line (a hostile upload, a decompression bomb) would be held in memory
 * whole, and a line past V8's string limit would fail as a RangeError rather than as bad input.
 */
export const DEFAULT_MAX_LINE_LENGTH = 1024 * 1024;

/** A line longer than the limit; `line` is its 1-based number. */
export class LineTooLongError extends Error {
  override name = 'LineTooLongError';
  constructor(
    readonly line: number,
    readonly limit: number,
  ) {
    super(`line ${line} is longer than ${limit} characters`);
  }
}

/**
 * Bytes in, lines out (without their terminators), in batches: one array per chunk read, so the caller pays
 * one await per chunk rather than per line. The last line is kept even without a final "\n".
 */
export async function* readLineBatches(
  source: AsyncIterable<Uint8Array>,
  encoding: TextEncodingName,
  maxLineLength = DEFAULT_MAX_LINE_LENGTH,
): AsyncGenerator<string[]> {
  const decoder = new StringDecoder(encoding);
  let partial = '';
  let first = true;
  let count = 0;
  for await (const chunk of decompressIfGzip(source)) {
    let text = partial + decoder.write(chunk);
    if (first && text.length > 0) {
      first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const lines: string[] = [];
    let start = 0;
    let end = text.indexOf('\n', start);
    while (end !== -1) {
      count++;
      if (end - start > maxLineLength) throw new LineTooLongError(count, maxLineLength);
      lines.push(stripCr(text.slice(start, end)));
      start = end + 1;
      end = text.indexOf('\n', start);
    }
    partial = text.slice(start);
    if (partial.length > maxLineLength) throw new LineTooLongError(count + 1, maxLineLength);
    if (lines.length > 0) yield lines;
  }
  const rest = partial + decoder.end();
  if (rest.length > maxLineLength) throw new LineTooLongError(count + 1, maxLineLength);
  if (rest.length > 0) yield [stripCr(first && rest.charCodeAt(0) === 0xfeff ? rest.slice(1) : rest)];
}

function stripCr(line: string): string {
  return line.length > 0 && line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

const GUNZIP_CHUNK_BYTES = 64 * 1024;

/** Passes the bytes through unchanged, or through gunzip when they start with the GZIP magic bytes. */
async function* decompressIfGzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  while (head.length < 2) {
    const next = await iterator.next();
    if (next.done) break;
    head = Buffer.concat([head, toBuffer(next.value)]);
  }
  const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => iterator };
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    // The roomy buffer after gunzip lets decompression run ahead on the thread pool while lines are parsed;
    // 64 KiB output chunks (zlib's default is 16 KiB) cut the per-chunk callbacks and awaits by four (larger
    // ones measured slower: the line batches outgrow the caches).
    const gunzip = pipeline(
      Readable.from(prepend(head, rest)),
      createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES }),
      new PassThrough({ highWaterMark: 1 << 20 }),
      () => {},
    );
    yield* gunzip;
    return;
  }
  if (head.length > 0) yield head;
  yield* rest;
}

async function* prepend(head: Uint8Array, rest: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield head;
  yield* rest;
}

function toBuffer(chunk: Uint8Array | string): Buffer {
  return typeof chunk === 'string'
    ? Buffer.from(chunk)
    : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
}

/** True for the errors zlib raises on a truncated or corrupt GZIP stream (codes Z_BUF_ERROR, Z_DATA_ERROR, …). */
export function isZlibError(error: unknown): error is Error & { code: string } {
  if (!(error instanceof Error)) return false;
  const code: unknown = (error as Error & { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('Z_');
}
