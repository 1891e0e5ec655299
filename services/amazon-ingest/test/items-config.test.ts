/** The listings and stock polling settings of amazon-ingest: defaults, the seller-id list, bad values named. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '@mlc/config';
import { configSchema } from '../src/config.js';
import { passDue } from '../src/items-cursors.js';

const base = {
  MLC_KAFKA_BROKERS: '127.0.0.1:9092',
  MLC_MONGO_URL: 'mongodb://127.0.0.1:27017/x',
  MLC_SPAPI_POLL_INTERVAL_MS: '0',
};

describe('items polling configuration', () => {
  it('is on by default, with its intervals', () => {
    const config = loadConfig('amazon-ingest', configSchema, base);
    assert.equal(config.MLC_ITEMS_POLLING, 'on');
    assert.equal(config.MLC_LISTINGS_POLL_INTERVAL_MS, 900_000);
    assert.equal(config.MLC_STOCK_POLL_INTERVAL_MS, 1_800_000);
    assert.equal(config.MLC_ITEMS_OVERLAP_MS, 600_000);
    assert.equal(config.MLC_LISTINGS_FULL_PASS_INTERVAL_MS, 86_400_000);
    assert.equal(config.MLC_STOCK_FULL_PASS_INTERVAL_MS, 86_400_000);
    assert.equal(config.MLC_AMAZON_SELLER_IDS.size, 0);
  });

  it('reads the seller ids per connection', () => {
    const config = loadConfig('amazon-ingest', configSchema, {
      ...base,
      MLC_AMAZON_SELLER_IDS: 'acme-us = A1ACME, globex=A2GLOBEX9',
      MLC_ITEMS_POLLING: 'off',
    });
    assert.deepEqual(
      [...config.MLC_AMAZON_SELLER_IDS],
      [
        ['acme-us', 'A1ACME'],
        ['globex', 'A2GLOBEX9'],
      ],
    );
    assert.equal(config.MLC_ITEMS_POLLING, 'off');
  });

  it('names every bad variable', () => {
    assert.throws(
      () =>
        loadConfig('amazon-ingest', configSchema, {
          ...base,
          MLC_ITEMS_POLLING: 'yes',
          MLC_STOCK_POLL_INTERVAL_MS: '10',
          MLC_ITEMS_OVERLAP_MS: '-1',
          MLC_LISTINGS_FULL_PASS_INTERVAL_MS: 'daily',
          MLC_AMAZON_SELLER_IDS: 'acme-us:A1ACME',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        for (const name of [
          'MLC_ITEMS_POLLING',
          'MLC_STOCK_POLL_INTERVAL_MS',
          'MLC_ITEMS_OVERLAP_MS',
          'MLC_LISTINGS_FULL_PASS_INTERVAL_MS',
          'MLC_AMAZON_SELLER_IDS',
        ]) {
          assert.match(error.message, new RegExp(`${name}: `));
        }
        return true;
      },
    );
  });

  it('makes the first pass and an overdue one full, the others incremental', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    const day = 86_400_000;
    const cursor = (watermark: Date | null, lastFullPassAt: Date | null) => ({
      _id: 'x',
      watermark,
      lastFullPassAt,
      updatedAt: now,
    });
    assert.equal(passDue(null, day, now), 'full');
    assert.equal(passDue(cursor(now, null), day, now), 'full');
    assert.equal(passDue(cursor(now, new Date(now.getTime() - day + 1)), day, now), 'incremental');
    assert.equal(passDue(cursor(now, new Date(now.getTime() - day)), day, now), 'full');
  });
});
