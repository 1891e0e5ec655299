/**
 * Memo entries through the memo orchestration of the simulator: a single statistical line in a
 * customer ledger, the orchestration and input names from the connection's settings, AA refused
 * before anything is sent, JDE's rejection of an unbalanced entry in a ledger that must balance, and
 * the F0911 read-back by the job reference in the memo orchestration's reference field.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AisError, type JournalEntry, postMemoEntry, resolveMemoMapping } from '../src/index.js';
import { clientFor, type RunningSim, SIM_USERS, startSim } from './helpers.js';

const entry = (overrides: Partial<JournalEntry> = {}): JournalEntry => ({
  company: '00001',
  glDate: '2026-03-09',
  explanation: 'Amazon sales 2026-03-09',
  currency: 'USD',
  reference: 'MLC-MEMO-7',
  ledgerType: 'U1',
  lines: [{ account: '100.5010', amountMinor: -123_456n, explanation: 'ATVPDKIKX0DER USD' }],
  ...overrides,
});

describe('memo entries through the memo orchestration', () => {
  let sim: RunningSim;
  before(async () => {
    sim = await startSim({
      users: SIM_USERS,
      clock: () => new Date('2026-03-10T08:30:15Z'),
      openPeriods: { '00001': [{ from: '2026-03-01', to: '2026-04-30' }] },
      memo: {
        name: 'ORCH_ACME_Memo',
        referenceField: 'VR01',
        inputs: { lines: 'Rows', ledgerType: 'LT' },
      },
    });
  });
  after(() => sim.close());

  const mapping = resolveMemoMapping({
    name: 'ORCH_ACME_Memo',
    referenceField: 'VR01',
    inputs: { lines: 'Rows', ledgerType: 'LT' },
  });

  it('posts one statistical line to the memo ledger and reads it back by its reference', async () => {
    const { client } = clientFor(sim.baseUrl);
    const result = await postMemoEntry(client, entry(), mapping);
    assert.equal(typeof result.documentNumber, 'number');
    const rows = sim.state.ledger.filter((r) => r.VR01 === 'MLC-MEMO-7');
    assert.deepEqual(
      rows.map((r) => [r.LT, r.AA, r.OBJ]),
      [['U1', -123_456n, '5010']],
    );
    const found = await client.findJournalEntry('MLC-MEMO-7', { referenceField: 'VR01', company: '00001' });
    assert.deepEqual(
      found.documents.map((d) => d.documentNumber),
      [result.documentNumber],
    );
    const byDefaultField = await client.findJournalEntry('MLC-MEMO-7');
    assert.equal(byDefaultField.documents.length, 0, 'the journal reference field (EXR) does not hold it');
  });

  it('refuses AA or no ledger type before sending anything', async () => {
    const { client } = clientFor(sim.baseUrl);
    const before = sim.state.ledger.length;
    for (const ledgerType of ['AA', '', undefined]) {
      await assert.rejects(
        postMemoEntry(client, { ...entry({ reference: 'MLC-MEMO-8' }), ledgerType } as JournalEntry, mapping),
        (error: unknown) =>
          error instanceof AisError && error.kind === 'validation' && /non-AA/.test(error.message),
      );
    }
    assert.equal(sim.state.ledger.length, before);
  });

  it('leaves the balancing rule to JDE: a ledger required to balance rejects a single line', async () => {
    const { client } = clientFor(sim.baseUrl);
    await assert.rejects(
      postMemoEntry(client, entry({ reference: 'MLC-MEMO-9', ledgerType: 'U2' }), mapping),
      (error: unknown) =>
        error instanceof AisError && error.kind === 'business' && /Out Of Balance/.test(error.message),
    );
    const pair = await postMemoEntry(
      client,
      entry({
        reference: 'MLC-MEMO-10',
        ledgerType: 'U2',
        lines: [
          { account: '100.5010', amountMinor: -500n },
          { account: '1.1110.AMZN', amountMinor: 500n },
        ],
      }),
      mapping,
    );
    assert.equal(typeof pair.documentNumber, 'number');
  });

  it('refuses input names the orchestration contract does not have', () => {
    assert.throws(() => resolveMemoMapping({ inputs: { amont: 'Amt' } }), /inputs\.amont is not one of/);
    assert.throws(() => resolveMemoMapping({ name: 'bad name' }), /not an orchestration name/);
  });
});
