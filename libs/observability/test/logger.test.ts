import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger, createMetricsRegistry, registerSecret } from '../src/index.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  it('redacts secret fields at any depth', () => {
    const { lines, stream } = capture();
    const log = createLogger('t', 'info', stream);
    log.info(
      {
        password: 'hunter2hunter2',
        conn: { refreshToken: 'Atzr|abc' },
        req: { headers: { authorization: 'Bearer x' } },
      },
      'hi',
    );
    const text = lines.join('');
    assert.doesNotMatch(text, /hunter2hunter2|Atzr\|abc|Bearer x/);
    assert.match(text, /\[REDACTED\]/);
  });

  it('masks a registered secret value wherever it appears', () => {
    const { lines, stream } = capture();
    const log = createLogger('t', 'info', stream);
    registerSecret('s3cr3t-value-123');
    log.error({ detail: 'upstream said s3cr3t-value-123 is bad' }, 'failed with s3cr3t-value-123');
    assert.doesNotMatch(lines.join(''), /s3cr3t-value-123/);
  });
});

describe('metrics registry', () => {
  it('exports default metrics with the mlc_ prefix and service label', async () => {
    const text = await createMetricsRegistry('svc-a').metrics();
    assert.match(text, /^mlc_process_cpu_user_seconds_total\{service="svc-a"\} /m);
  });
});
