/**
 * A settlement becomes `posted` even when jde-poster posts its parts before mapping has recorded
 * them. mapping publishes a settlement's journals first and records their job ids on the
 * settlement after; killed in between (the chaos test does that), it proposes them again after its
 * restart, and meanwhile jde-poster posts them against a settlement that lists no parts yet.
 * jde-poster must not drop the "every part posted → settlement posted" step then: it retries the
 * message until mapping has recorded the parts. Here mapping is stopped and the test plays its part.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jobReference } from '@mlc/ais';
import { type JournalProposedV1, kafkaNames } from '@mlc/events';
import { createKafka, EventPublisher } from '@mlc/kafka';
import { jobModel } from '@mlc/mongo';
import { createLogger } from '@mlc/observability';
import { recordSettlement, setSettlementStatus, settlementModel } from '@mlc/store';
import { kafkaBrokers, uniqueName, waitFor } from '@mlc/testkit';
import { LocalStack } from '../src/local-stack.js';

describe('jde-poster: a settlement whose parts were posted before mapping recorded them', () => {
  const name = uniqueName('poststatus');
  const connectionId = 'seller-status';
  const key = { connectionId, settlementId: '9300000001' };
  const jobId = `mlc:${connectionId}:${key.settlementId}:2025-06`;
  let stack: LocalStack;
  let publisher: EventPublisher;

  before(async () => {
    stack = await LocalStack.start({ name, logLevel: 'warn' });
    // The test is mapping; nothing comes from Amazon.
    await stack.process('amazon-ingest').stop();
    await stack.process('mapping').stop();
    await stack.createConnection(connectionId);
    const kafka = createKafka({
      brokers: kafkaBrokers,
      clientId: `${name}-test`,
      logger: createLogger('poststatus-test', 'error'),
    });
    publisher = new EventPublisher(kafka);
    await publisher.connect();
  });

  after(async () => {
    await publisher?.disconnect().catch(() => undefined);
    if (stack) await stack.stop();
  });

  it('is marked posted once mapping records the parts, without the journal being proposed again', async () => {
    // As mapping leaves it when killed between publishing and recording: announced, no parts.
    await recordSettlement(stack.db, {
      ...key,
      status: 'announced',
      region: 'NA',
      reportId: null,
      rawDocumentId: 'raw-status-test',
      checksum: 'status-test',
      format: 'v2',
      currency: 'USD',
      totalAmount: '125.37',
      rowCount: 2,
    });
    const journal: JournalProposedV1 = {
      jobId,
      ...key,
      part: { index: 1, count: 1, period: '2025-06' },
      company: '00001',
      documentType: 'JE',
      glDate: '2025-06-15',
      currency: 'USD',
      explanation: `Amazon settlement ${key.settlementId}`,
      lines: [
        {
          account: '1.1200',
          amount: '125.37',
          explanation: `Amazon deposit ${key.settlementId}`,
          lineage: { rowCount: 1 },
        },
        { account: 'M30.4000', amount: '-125.37', explanation: 'sales', lineage: { rowCount: 1 } },
      ],
      proposedAt: new Date().toISOString(),
    };
    const { topics } = kafkaNames(name);
    await publisher.publish(topics.journalProposed, `${connectionId}:${key.settlementId}`, journal);

    await waitFor(
      'the part posted',
      async () => (await jobModel(stack.db).findOne({ jobId }).lean().exec())?.state === 'posted',
      60_000,
      200,
    );
    const status = async () => (await settlementModel(stack.db).findOne(key).lean().exec())?.status;
    assert.equal(await status(), 'announced', 'not posted while mapping has not recorded its parts');

    // mapping, restarted, records the parts (its second proposal is not needed for this).
    await setSettlementStatus(stack.db, key, 'proposed', { jobIds: [jobId] });
    await waitFor('the settlement posted', async () => (await status()) === 'posted', 30_000, 200);
    assert.equal(
      (await stack.f0911()).filter((row) => row.EXR === jobReference(jobId)).length,
      2,
      'posted once: two lines in F0911',
    );
  });
});
