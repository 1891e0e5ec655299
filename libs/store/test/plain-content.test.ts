/** PlainContent: the plain bytes streamed once, hashed on the way as storeRawDocument hashes them. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { PlainContent } from '../src/index.js';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const plain = Buffer.from(
  Array.from({ length: 30_000 }, (_, i) => `line ${i}\t${(i * 37) % 1000}.99\n`).join(''),
);

async function drain(content: PlainContent): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of content.chunks()) parts.push(chunk);
  return Buffer.concat(parts);
}

describe('PlainContent', () => {
  it('unzips GZIP once and gives the digest of the plain bytes', async () => {
    const content = new PlainContent(gzipSync(plain));
    assert.equal(content.digest(), undefined, 'nothing read yet');
    const out = await drain(content);
    assert.ok(out.equals(plain));
    assert.deepEqual(content.digest(), { sha256: sha256(plain), size: plain.length });
  });

  it('passes plain bytes through in chunks, with the same digest', async () => {
    const content = new PlainContent(plain);
    const parts: Buffer[] = [];
    for await (const chunk of content.chunks()) parts.push(chunk);
    assert.ok(parts.length > 1, 'cut into chunks, not handed over whole');
    assert.ok(Buffer.concat(parts).equals(plain));
    assert.deepEqual(content.digest(), { sha256: sha256(plain), size: plain.length });
  });

  it('has no digest when the reading stopped early', async () => {
    const content = new PlainContent(gzipSync(plain));
    for await (const _chunk of content.chunks()) break;
    assert.equal(content.digest(), undefined);
  });

  it('throws zlib’s error for truncated GZIP, and has no digest', async () => {
    const zipped = gzipSync(plain);
    const content = new PlainContent(zipped.subarray(0, zipped.length - 40));
    await assert.rejects(drain(content), (error: NodeJS.ErrnoException) => {
      assert.match(String(error.code), /^Z_/);
      return true;
    });
    assert.equal(content.digest(), undefined);
  });
});
