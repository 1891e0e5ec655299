/**
 * The pipeline end to end, every service its own process on the real stack: settlements Amazon
 * holds (US and CA, one across a month end, one negative) end up in the simulated JDE F0911 as
 * balanced documents whose clearing lines equal Amazon's totals to the cent; resetting every
 * consumer group to earliest and restarting posts nothing new.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { kafkaNames } from '@mlc/events';
import { createKafka, resetOffsets } from '@mlc/kafka';
import { defaultRuleSet, parseAccount } from '@mlc/mapping';
import { parseDecimalToMinor } from '@mlc/money';
import { createLogger } from '@mlc/observability';
import { generateSettlementFile } from '@mlc/sim-amazon-sp-api';
import { saveRuleSet } from '@mlc/store';
import { kafkaBrokers, uniqueName } from '@mlc/testkit';
import { LocalStack } from '../src/local-stack.js';

describe('pipeline: Amazon settlement reports to JDE journals', () => {
  let stack: LocalStack;
  const name = uniqueName('e2e');
  const connectionId = 'seller-1';

  before(async () => {
    stack = await LocalStack.start({ name, spApiTimeScale: 600, pollIntervalMs: 1_000 });
    await stack.createConnection(connectionId);
    const files = [
      generateSettlementFile({
        seed: 'e2e-us-1',
        marketplace: 'US',
        rows: 300,
        start: '2025-05-02T08:00:00Z',
      }),
      generateSettlementFile({
        seed: 'e2e-us-2',
        marketplace: 'US',
        rows: 300,
        start: '2025-05-24T08:00:00Z',
        days: 14,
      }),
      generateSettlementFile({
        seed: 'e2e-ca-1',
        marketplace: 'CA',
        rows: 200,
        start: '2025-05-05T08:00:00Z',
        negative: true,
      }),
    ];
    for (const [i, file] of files.entries()) {
      await stack.seedSettlement(connectionId, file.summary.marketplace as 'US' | 'CA', file.text, i === 1);
    }
  });

  after(async () => {
    if (!stack) return;
    const codes = await stack.stop();
    for (const [process, code] of Object.entries(codes)) {
      if (process.endsWith('simulator')) continue;
      assert.equal(code, 0, `${process} exits 0 on SIGTERM`);
    }
  });

  it('posts every settlement, balanced, equal to Amazon to the cent', async () => {
    const settled = await stack.waitForSettled(connectionId, 3);
    const rows = await stack.reconcile(connectionId);
    assert.equal(rows.length, 3);
    for (const row of rows) {
      assert.equal(row.status, 'posted', `${row.settlementId}: ${row.reason ?? ''}`);
      assert.ok(row.reconciles, `${row.settlementId}: Amazon ${row.amazonTotal} vs JDE ${row.postedTotal}`);
    }
    const spanning = settled.find((s) => (s.jobIds ?? []).length > 1);
    assert.ok(spanning, 'the settlement across the month end is posted in two parts');
    assert.ok(
      rows.some((r) => r.amazonTotal.startsWith('-')),
      'the negative settlement is posted too',
    );

    // Every JDE document balances to zero.
    const byDocument = new Map<string, bigint>();
    for (const line of await stack.f0911()) {
      const key = `${line.KCO} ${line.DCT} ${line.DOC}`;
      byDocument.set(
        key,
        (byDocument.get(key) ?? 0n) + parseDecimalToMinor(line.AA, line.CRCD, { decimalSeparator: '.' }),
      );
    }
    for (const [document, sum] of byDocument) assert.equal(sum, 0n, `${document} balances`);
    assert.equal(
      byDocument.size,
      settled.reduce((n, s) => n + (s.jobIds?.length ?? 0), 0),
      'one document per part',
    );
  });

  it('replaying every consumer group from the earliest offset posts nothing new', async () => {
    const before = (await stack.f0911()).length;
    const { topics, groups } = kafkaNames(name);
    await stack.process('mapping').stop();
    await stack.process('jde-poster').stop();
    const kafka = createKafka({
      brokers: kafkaBrokers,
      clientId: 'replay-test',
      logger: createLogger('replay', 'error'),
    });
    const admin = kafka.admin();
    await admin.connect();
    try {
      for (const [group, topic] of [
        [groups.mapping, topics.settlementAvailable.name],
        [groups.jdePoster, topics.journalProposed.name],
      ] as const) {
        const plan = await resetOffsets(admin, {
          groupId: group,
          topic,
          to: { kind: 'earliest' },
          execute: true,
        });
        assert.ok(
          plan.partitions.some((p) => p.current !== p.target),
          `${group} had consumed messages to replay`,
        );
      }
    } finally {
      await admin.disconnect();
    }
    stack.process('mapping').start();
    stack.process('jde-poster').start();
    await stack.waitReady();
    // Give the replay time to run through both topics.
    await new Promise((r) => setTimeout(r, 8_000));
    assert.equal((await stack.f0911()).length, before, 'F0911 unchanged after the replay');
    for (const row of await stack.reconcile(connectionId)) assert.ok(row.reconciles, row.settlementId);
  });

  it('holds a settlement whose rules post to an account JDE does not have, naming it', async () => {
    const other = 'seller-2';
    await stack.createConnection(other);
    const rules = { ...defaultRuleSet(other), clearingAccount: parseAccount('1.7777') };
    await saveRuleSet(stack.db, {
      connectionId: other,
      definition: JSON.stringify(rules),
      createdBy: 'test',
    });
    const file = generateSettlementFile({
      seed: 'e2e-us-9',
      marketplace: 'US',
      rows: 50,
      start: '2025-05-10T08:00:00Z',
    });
    await stack.seedSettlement(other, 'US', file.text);
    const [settlement] = await stack.waitForSettled(other, 1);
    assert.equal(settlement?.status, 'held');
    assert.match(settlement?.reason ?? '', /1\.7777/);
  });
});
