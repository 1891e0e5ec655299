import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settlementAvailableV1, topics } from '../src/index.js';

describe('event schemas', () => {
  const good = {
    connectionId: 'c1',
    region: 'NA',
    settlementId: '123',
    reportId: 'r1',
    rawDocumentId: 'd1',
    checksum: 'a'.repeat(64),
    format: 'flat-file-v2',
    currency: 'USD',
    startDate: '2026-01-01T00:00:00Z',
    endDate: '2026-01-15T00:00:00Z',
    depositDate: '2026-01-17T00:00:00Z',
    totalAmount: '-12.50',
    rowCount: 10,
    emittedAt: '2026-01-17T00:00:00.000Z',
  };

  it('accepts a valid settlement event and rejects a float amount', () => {
    assert.equal(settlementAvailableV1.safeParse(good).success, true);
    const bad = settlementAvailableV1.safeParse({ ...good, totalAmount: -12.5 });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error?.issues[0]?.path, ['totalAmount']);
  });

  it('names every topic by data with a version suffix', () => {
    for (const spec of Object.values(topics)) assert.match(spec.name, /^[a-z]+(\.[a-z]+)+\.v\d+$/);
  });
});
