import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_SETTLEMENT_ACCOUNTS as ACC } from '@mlc/sim-jde-ais';
import { type JournalEntry, LedgerPoller } from '../src/index.js';
import { clientFor, type RunningSim, SIM_USERS, startSim, testClock } from './helpers.js';

const je = (reference: string): JournalEntry => ({
  company: '00001',
  glDate: '2026-03-09',
  explanation: 'Poller test',
  currency: 'EUR',
  reference,
  lines: [
    { account: ACC.amazonClearing, amountMinor: 1_000n },
    { account: ACC.productSales, amountMinor: -1_000n },
  ],
});

describe('F0911 poller by UPMJ/UPMT', () => {
  const clock = testClock('2026-03-09T10:00:00Z');
  let sim: RunningSim;
  before(async () => {
    sim = await startSim({ users: SIM_USERS, clock: clock.now, defaultPageSize: 1 });
  });
  after(() => sim.close());

  it('re-reads the boundary day, delivers each row once, and resumes from a saved cursor', async () => {
    const { client } = clientFor(sim.baseUrl);
    const poller = new LedgerPoller({ client, start: { date: '2026-03-09' }, pageSize: 1 });
    assert.deepEqual(await poller.poll(), []);

    await client.postJournalEntry(je('MLC-POLL-1'));
    const first = await poller.poll();
    assert.deepEqual(
      first.map((r) => r.remark),
      ['MLC-POLL-1', 'MLC-POLL-1'],
    );
    assert.deepEqual(await poller.poll(), [], 'the boundary day is re-read but nothing is delivered twice');

    clock.advance(60_000); // same day, later time
    await client.postJournalEntry(je('MLC-POLL-2'));
    assert.deepEqual(
      (await poller.poll()).map((r) => r.remark),
      ['MLC-POLL-2', 'MLC-POLL-2'],
    );

    const saved = JSON.parse(JSON.stringify(poller.cursor));
    clock.set('2026-03-10T00:00:05Z'); // next day
    await client.postJournalEntry(je('MLC-POLL-3'));
    const next = await poller.poll();
    assert.deepEqual(
      next.map((r) => r.remark),
      ['MLC-POLL-3', 'MLC-POLL-3'],
    );
    assert.equal(poller.cursor.date, '2026-03-10');

    const resumed = new LedgerPoller({ client, start: saved, pageSize: 1 });
    assert.deepEqual(
      (await resumed.poll()).map((r) => r.remark),
      ['MLC-POLL-3', 'MLC-POLL-3'],
    );
    assert.deepEqual(await resumed.poll(), []);
  });

  it('filters by extra conditions (company)', async () => {
    const { client } = clientFor(sim.baseUrl);
    const poller = new LedgerPoller({
      client,
      start: { date: '2026-03-01' },
      conditions: [{ column: 'KCO', operator: 'EQUAL', values: ['00002'] }],
    });
    assert.deepEqual(await poller.poll(), []);
  });
});
