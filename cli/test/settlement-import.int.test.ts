/**
 * `mlc settlement import` against the real amazon-ingest, started in this process on a free port
 * (polling off, imports only) with a fresh database and its own Kafka namespace: a valid report is
 * announced, the same file again is a duplicate, and a report that does not reconcile is held
 * (exit 1) with the parser's reason — and then cannot be released, as its report never parsed.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { kafkaNames } from '@mlc/events';
import { auditModel, connectMongo } from '@mlc/mongo';
import { type RunningService, startService } from '@mlc/service';
import { settlementModel } from '@mlc/store';
import { freePort, kafkaBrokers, uniqueMongoUrl, uniqueName } from '@mlc/testkit';
import type { Connection } from 'mongoose';
import { amazonIngest } from '../../services/amazon-ingest/src/service.js';
import { fixtures, mlc } from './mlc.js';

describe('mlc settlement import', () => {
  const mongoUrl = uniqueMongoUrl('cli_import');
  const namespace = uniqueName('cliimp');
  const connectionId = uniqueName('acme');
  // The malformed fixture reuses the valid one's settlement id: it goes to a connection of its own.
  const otherConnection = uniqueName('other');
  let running: RunningService;
  let db: Connection;
  let env: Record<string, string>;

  before(async () => {
    running = await startService(amazonIngest, {
      MLC_ADMIN_HOST: '127.0.0.1',
      MLC_ADMIN_PORT: String(await freePort()),
      MLC_SPAPI_POLL_INTERVAL_MS: '0',
      MLC_MONGO_URL: mongoUrl,
      MLC_KAFKA_BROKERS: kafkaBrokers.join(','),
      MLC_KAFKA_NAMESPACE: namespace,
      MLC_LOG_LEVEL: 'error',
    });
    env = {
      MLC_INGEST_URL: running.adminUrl,
      MLC_MONGO_URL: mongoUrl,
      MLC_KAFKA_BROKERS: kafkaBrokers.join(','),
      MLC_KAFKA_NAMESPACE: namespace,
    };
    db = await connectMongo({ url: mongoUrl });
  });

  after(async () => {
    await running?.shutdown('test done');
    await db?.dropDatabase();
    await db?.close();
  });

  it('announces a valid report, then calls the same file a duplicate', async () => {
    const file = path.join(fixtures, 'v2-us-dot.txt');
    const first = await mlc(
      ['settlement', 'import', file, '--connection', connectionId, '--region', 'NA'],
      env,
    );
    assert.equal(first.code, 0, first.stderr);
    assert.equal(
      first.stdout,
      `announced settlement 9100000001 of connection ${connectionId} (v2-us-dot.txt): mapping picks it up next\n`,
    );
    const record = await settlementModel(db).findOne({ connectionId, settlementId: '9100000001' }).lean();
    assert.equal(record?.status, 'announced');
    assert.equal(record?.totalAmount, '1318.29');
    const raw = await db.collection('raw_documents').findOne({ connectionId });
    assert.equal(raw?.source, 'import:v2-us-dot.txt');
    const audit = await auditModel(db).find({ connectionId }).sort({ at: 1 }).lean();
    assert.deepEqual(
      audit.map((e) => [e.actor, e.action]),
      [
        ['operator:import', 'settlement.received'],
        ['operator:import', 'settlement.announced'],
      ],
    );
    assert.equal(audit[1]!.detail?.topic, kafkaNames(namespace).topics.settlementAvailable.name);

    const again = await mlc(['settlement', 'import', `${file}.gz`, '--connection', connectionId], env);
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stdout,
      /^duplicate: settlement 9100000001 .* is recorded already with status announced; nothing announced$/m,
    );
  });

  it('holds a report that does not reconcile: exit 1 with the reason; release refuses it', async () => {
    const file = path.join(fixtures, 'malformed', 'total-mismatch.txt');
    const held = await mlc(['settlement', 'import', file, '--connection', otherConnection], env);
    assert.equal(held.code, 1);
    assert.match(
      held.stdout,
      new RegExp(
        `^held settlement 9100000001 of connection ${otherConnection} \\(total-mismatch\\.txt\\): total-mismatch\\.txt: line 2, field "total-amount"`,
      ),
    );
    const record = await settlementModel(db).findOne({ connectionId: otherConnection }).lean();
    assert.equal(record?.status, 'held');

    const release = await mlc(['settlement', 'release', '9100000001', '--connection', otherConnection], env);
    assert.equal(release.code, 1);
    assert.match(release.stderr, /cannot be released: its report never parsed/);
  });

  it('names amazon-ingest’s refusal of a bad request', async () => {
    const file = path.join(fixtures, 'v2-us-dot.txt');
    const { code, stderr } = await mlc(['settlement', 'import', file, '--connection', connectionId], {
      ...env,
      MLC_INGEST_URL: `${running.adminUrl}/nowhere`,
    });
    assert.equal(code, 1);
    assert.match(stderr, /amazon-ingest at .*\/nowhere answered HTTP 404/);
  });
});
