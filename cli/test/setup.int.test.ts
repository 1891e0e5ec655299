/**
 * `mlc setup init` on the real broker and FerretDB: creates the namespaced topics with their
 * dead-letter twins and the shared indexes, and a second run creates nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createKafka } from '@mlc/kafka';
import { createLogger } from '@mlc/observability';
import { kafkaBrokers, uniqueMongoUrl, uniqueName } from '@mlc/testkit';
import mongoose from 'mongoose';
import { mlc } from './mlc.js';

describe('mlc setup init', () => {
  it('creates topics and indexes once', async () => {
    const namespace = uniqueName('setup');
    const mongoUrl = uniqueMongoUrl('setup');
    const env = {
      MLC_KAFKA_BROKERS: kafkaBrokers.join(','),
      MLC_KAFKA_NAMESPACE: namespace,
      MLC_MONGO_URL: mongoUrl,
    };
    const first = await mlc(['setup', 'init', '--json'], env);
    assert.equal(first.code, 0, first.stderr);
    const result = JSON.parse(first.stdout) as { topics: string[]; createdTopics: string[] };
    assert.equal(
      result.createdTopics.length,
      result.topics.length * 2,
      'every topic and its dead-letter twin',
    );

    const kafka = createKafka({
      brokers: kafkaBrokers,
      clientId: 'setup-test',
      logger: createLogger('t', 'silent'),
    });
    const admin = kafka.admin();
    await admin.connect();
    const existing = await admin.listTopics();
    await admin.disconnect();
    for (const topic of result.topics) {
      assert.ok(existing.includes(topic) && existing.includes(`${topic}.dlt`), topic);
    }

    const db = await mongoose.createConnection(mongoUrl).asPromise();
    const jobIndexes = await db.collection('jobs').indexes();
    assert.ok(
      jobIndexes.some((i) => i.key.jobId === 1 && i.unique),
      'jobs has its unique job id',
    );
    await db.dropDatabase();
    await db.close();

    const second = await mlc(['setup', 'init', '--json'], env);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(JSON.parse(second.stdout).createdTopics, [], 'nothing created the second time');
  });

  it('says which variable is missing', async () => {
    const run = await mlc(['setup', 'init'], { MLC_MONGO_URL: 'mongodb://127.0.0.1:27017/x' });
    assert.equal(run.code, 2);
    assert.match(run.stderr, /MLC_KAFKA_BROKERS is not set/);
  });
});
