/**
 * `mlc items status | settings | configure` on the real FerretDB: counts per marketplace and status,
 * problems listed first with their reasons (text and --json), settings saved as versions with every
 * bad field named, and the exit codes (0 done, 1 failed, 2 usage).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectMongo, ensureIndexes } from '@mlc/mongo';
import { itemSettingsModel, itemStateModel, updateItemState } from '@mlc/store';
import { uniqueMongoUrl } from '@mlc/testkit';
import type { Connection } from 'mongoose';
import { mlc } from './mlc.js';

describe('mlc items', () => {
  const url = uniqueMongoUrl('cliitems');
  const env = { MLC_MONGO_URL: url };
  const dir = mkdtempSync(path.join(tmpdir(), 'mlc-items-'));
  let db: Connection;

  before(async () => {
    db = await connectMongo({ url });
    await ensureIndexes([itemStateModel(db), itemSettingsModel(db)] as never);
    const key = (marketplaceId: string, sku: string) => ({ connectionId: 'acme', marketplaceId, sku });
    await updateItemState(db, key('US', 'SKU-1'), {
      status: 'matched',
      reason: 'F4101.LITM = "SKU-1"',
      itemNumber: '10001',
      crossReferences: { asin: { state: 'proposed', value: 'B000000001', type: 'AS' } },
      stock: {
        fulfillable: 7,
        inbound: 0,
        inboundWorking: 0,
        inboundShipped: 0,
        inboundReceiving: 0,
        reserved: 0,
        unfulfillable: 0,
        researching: 0,
        total: 7,
        receivedAt: new Date(),
      },
    });
    await updateItemState(db, key('US', 'SKU-2'), {
      status: 'unmatched',
      reason: 'no F4101 item has LITM "SKU-2"',
    });
    await updateItemState(db, key('CA', 'SKU-3'), {
      status: 'ambiguous',
      reason: '2 items have F4101.AITM "SKU-3": 5, 6',
      candidates: '5,6',
    });
    await updateItemState(db, key('CA', 'L'.repeat(30)), {
      status: 'too_long',
      reason: 'SKU is 30 characters; F4101.LITM holds 25, so no JDE item can carry it',
    });
    await updateItemState(
      db,
      { connectionId: 'other', marketplaceId: 'US', sku: 'X' },
      { status: 'matched' },
    );
    // Stock seen, listing not yet: not a status of its own, not listed.
    await updateItemState(db, key('US', 'SKU-9'), { asin: 'B9' });
  });
  after(async () => {
    await db.dropDatabase();
    await db.close();
  });

  it('status lists every status with its reason, problems first', async () => {
    const text = await mlc(['items', 'status', '--connection', 'acme'], env);
    assert.equal(text.code, 0, text.stderr);
    const lines = text.stdout.split('\n');
    assert.match(lines[1] ?? '', /^acme\s+CA\s+0\s+0\s+1\s+1\s+0$/);
    assert.match(lines[2] ?? '', /^acme\s+US\s+1\s+1\s+0\s+0\s+0$/);
    const listed = lines.filter((l) => /^acme\s/.test(l) && /SKU|LLLL/.test(l));
    assert.deepEqual(
      listed.map((l) => l.split(/\s+/)[3]),
      ['unmatched', 'ambiguous', 'too_long', 'matched'],
    );
    assert.match(text.stdout, /no F4101 item has LITM "SKU-2"/);
    assert.match(text.stdout, /\(5,6\)/);
    assert.match(text.stdout, /B000000001 proposed/);
    assert.doesNotMatch(text.stdout, /SKU-9|other/);

    const json = await mlc(['items', 'status', '--status', 'too_long', '--json'], env);
    assert.equal(json.code, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as {
      total: number;
      items: Array<{ sku: string; reason: string }>;
    };
    assert.equal(parsed.total, 1);
    assert.equal(parsed.items[0]?.sku, 'L'.repeat(30));
    assert.match(parsed.items[0]?.reason ?? '', /holds 25/);
  });

  it('configure saves versions and names a bad field; settings shows the one in force', async () => {
    const shown = await mlc(['items', 'settings', '--connection', 'acme', '--json'], env);
    assert.equal(shown.code, 0, shown.stderr);
    assert.equal((JSON.parse(shown.stdout) as { version: number }).version, 0);

    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ match: 'xref:AZ', createMissingItems: true }));
    const refused = await mlc(['items', 'configure', '--connection', 'acme', bad], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /bad\.json: createMissingItems: creating JDE items is not supported/);

    const good = path.join(dir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({
        match: 'xref:AZ',
        crossReferenceTypes: { asin: 'AS', fnsku: 'FN' },
        addressNumber: '4242',
        createCrossReferences: true,
      }),
    );
    const dry = await mlc(['items', 'configure', '--connection', 'acme', good, '--dry-run'], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(await itemSettingsModel(db).countDocuments({ connectionId: 'acme' }).exec(), 0);
    const saved = await mlc(['items', 'configure', '--connection', 'acme', good], env);
    assert.equal(saved.code, 0, saved.stderr);
    assert.match(saved.stdout, /saved item settings version 1 of acme/);
    const after = await mlc(['items', 'settings', '--connection', 'acme'], env);
    assert.match(after.stdout, /version 1/);
    assert.match(after.stdout, /"match": "xref:AZ"/);
  });

  it('usage errors exit 2 with help', async () => {
    const wrong = await mlc(['items', 'status', '--status', 'lost'], env);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--status must be one of matched, unmatched, ambiguous, too_long, conflict/);
    const missing = await mlc(['items', 'configure', 'x.json'], env);
    assert.equal(missing.code, 2);
    const help = await mlc(['items', '--help'], env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /mlc items status/);
  });
});
