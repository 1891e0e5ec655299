import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEFAULT_SETTLEMENT_ACCOUNTS as ACC, NON_POSTING_ACCOUNT } from '@mlc/sim-jde-ais';
import {
  AisError,
  buildJournalEntryBody,
  DEFAULT_JOURNAL_MAPPING,
  type JournalEntry,
  jobReference,
  parseAccount,
  validateJournalEntry,
} from '../src/index.js';
import { clientFor, type RunningSim, SIM_USERS, startSim, testClock } from './helpers.js';

function entry(overrides: Partial<JournalEntry> = {}): JournalEntry {
  return {
    company: '00001',
    glDate: '2026-03-09',
    explanation: 'Amazon settlement 12345',
    currency: 'USD',
    reference: 'MLC-J-0001',
    lines: [
      { account: ACC.amazonClearing, amountMinor: 9_050n, explanation: 'Net payout' },
      { account: ACC.referralFees, amountMinor: 1_450n, explanation: 'Referral fees' },
      { account: ACC.productSales, amountMinor: -10_500n, explanation: 'Product sales' },
    ],
    ...overrides,
  };
}

const ledgerOf = async (sim: RunningSim) =>
  (await sim.admin('GET', '/_sim/f0911')) as Record<string, unknown>[];

describe('journal entries through the orchestration', () => {
  const clock = testClock('2026-03-10T08:30:15Z');
  let sim: RunningSim;
  before(async () => {
    sim = await startSim({
      users: SIM_USERS,
      clock: clock.now,
      openPeriods: { '00001': [{ from: '2026-03-01', to: '2026-04-30' }] },
      seed: 42,
    });
  });
  after(() => sim.close());
  beforeEach(async () => {
    sim.state.ledger.length = 0;
    await sim.admin('POST', '/_sim/faults', { latencyMs: 0, rate500: 0, rateLostAnswer: 0, rate444: 0 });
    await sim.admin('POST', '/_sim/config', {
      errorMode: 'exception',
      inputFormat: 'any',
      referenceField: 'EXR',
    });
  });

  it('posts a JE (JDE Standard, v3) and reads it back from F0911 by the job reference', async () => {
    const { client } = clientFor(sim.baseUrl);
    const result = await client.postJournalEntry(entry());
    assert.equal(typeof result.documentNumber, 'number');
    assert.equal(typeof result.batchNumber, 'number');
    assert.equal(result.documentType, 'JE');

    const found = await client.findJournalEntry('MLC-J-0001', {
      company: '00001',
      documentType: 'JE',
      glDate: '2026-03-09',
    });
    assert.equal(found.documents.length, 1);
    assert.equal(found.documents[0]?.documentNumber, result.documentNumber);
    assert.equal(found.documents[0]?.batchNumber, result.batchNumber);
    assert.deepEqual(
      found.rows.map((r) => [r.businessUnit, r.object, r.subsidiary, r.amountMinor, r.remark, r.explanation]),
      [
        ['           1', '1110', 'AMZN', 9_050n, 'MLC-J-0001', 'Net payout'],
        ['         100', '6110', '', 1_450n, 'MLC-J-0001', 'Referral fees'],
        ['         100', '5010', '', -10_500n, 'MLC-J-0001', 'Product sales'],
      ],
    );
    assert.equal(found.rows[0]?.glDate, '2026-03-09');
    assert.equal(found.rows[0]?.updatedDate, '2026-03-10');
    assert.equal(found.rows[0]?.updatedTime, 83015);
    assert.equal((await client.findJournalEntry('MLC-J-NONE')).documents.length, 0);
  });

  it('posts in the Generic shape and on the v2 path (string outputs)', async () => {
    await sim.admin('POST', '/_sim/config', { inputFormat: 'Generic' });
    const { client } = clientFor(sim.baseUrl, { journal: { inputFormat: 'Generic', version: 'v2' } });
    const result = await client.postJournalEntry(entry({ reference: 'MLC-J-GEN' }));
    assert.ok(result.documentNumber > 0);
    assert.equal((await ledgerOf(sim)).length, 3);
  });

  it('the configured reference field (VR01) is where the read-back looks', async () => {
    await sim.admin('POST', '/_sim/config', { referenceField: 'VR01' });
    const { client } = clientFor(sim.baseUrl, { journal: { referenceField: 'VR01' } });
    const result = await client.postJournalEntry(entry({ reference: 'MLC-J-VR01' }));
    const found = await client.findJournalEntry('MLC-J-VR01');
    assert.equal(found.documents[0]?.documentNumber, result.documentNumber);
    assert.equal(found.rows[0]?.reference1, 'MLC-J-VR01');
  });

  it('a JDE rejection (500 with form errors) is a business error naming the JDE codes', async () => {
    const { client } = clientFor(sim.baseUrl);
    const bad = entry({
      lines: [
        { account: '1.9999', amountMinor: 100n },
        { account: ACC.suspense, amountMinor: -100n },
      ],
    });
    await assert.rejects(client.postJournalEntry(bad), (error: unknown) => {
      assert.ok(error instanceof AisError);
      assert.equal(error.kind, 'business');
      assert.equal(error.status, 500);
      assert.equal(error.outcomeUnknown, false);
      assert.deepEqual(
        error.details?.errors.map((e) => e.code),
        ['0028'],
      );
      assert.match(error.message, /Account Number Invalid/);
      return true;
    });
    assert.equal((await ledgerOf(sim)).length, 0);
  });

  it('detects a business error that comes back with HTTP 200 (Continue on Error)', async () => {
    await sim.admin('POST', '/_sim/config', { errorMode: 'continueOnError' });
    const { client } = clientFor(sim.baseUrl);
    const bad = entry({
      lines: [
        { account: NON_POSTING_ACCOUNT, amountMinor: 100n },
        { account: ACC.suspense, amountMinor: -100n },
      ],
    });
    await assert.rejects(client.postJournalEntry(bad), (error: unknown) => {
      assert.ok(error instanceof AisError);
      assert.equal(error.kind, 'business');
      assert.equal(error.status, 200);
      assert.match(error.message, /Not Postable/);
      assert.equal(error.details?.continuedOnError.length, 1);
      return true;
    });
    assert.equal((await ledgerOf(sim)).length, 0);
  });

  it('a G/L date outside the open periods is refused by JDE', async () => {
    const { client } = clientFor(sim.baseUrl);
    await assert.rejects(
      client.postJournalEntry(entry({ glDate: '2026-02-27' })),
      (error: unknown) =>
        error instanceof AisError && error.kind === 'business' && /PBCO/.test(error.message),
    );
  });

  it('a lost answer leaves the outcome unknown; the F0911 read-back finds the entry', async () => {
    const { client } = clientFor(sim.baseUrl);
    await sim.admin('POST', '/_sim/faults', { rateLostAnswer: 1 });
    await assert.rejects(client.postJournalEntry(entry({ reference: 'MLC-J-LOST' })), (error: unknown) => {
      assert.ok(error instanceof AisError);
      assert.equal(error.kind, 'transport');
      assert.equal(error.outcomeUnknown, true);
      return true;
    });
    await sim.admin('POST', '/_sim/faults', { rateLostAnswer: 0 });
    const found = await client.findJournalEntry('MLC-J-LOST', { company: '00001' });
    assert.equal(found.documents.length, 1);
  });

  it('a 500 without form errors is an http error with an unknown outcome', async () => {
    const { client } = clientFor(sim.baseUrl);
    await client.readAccounts([{ column: 'OBJ', operator: 'EQUAL', values: ['5010'] }]);
    await sim.admin('POST', '/_sim/faults', { rate500: 1 });
    await assert.rejects(
      client.postJournalEntry(entry()),
      (error: unknown) =>
        error instanceof AisError && error.kind === 'http' && error.status === 500 && error.outcomeUnknown,
    );
  });

  it('field-length and balance errors are raised before anything is sent, naming the field', async () => {
    const { client, registry } = clientFor(sim.baseUrl);
    const cases: [Partial<JournalEntry>, string, RegExp][] = [
      [{ explanation: 'x'.repeat(31) }, 'explanation', /EXA holds 30/],
      [{ company: '000001' }, 'company', /KCO holds 5/],
      [{ reference: 'R'.repeat(31) }, 'reference', /EXR \(the job reference field\) holds 30/],
      [{ reference: ' MLC-1' }, 'reference', /leading or trailing blanks/],
      [{ glDate: '09/03/2026' }, 'glDate', /ISO date/],
      [{ currency: 'XXX' }, 'currency', /not a known ISO currency/],
      [
        {
          lines: [
            { account: '1234567890123.1110', amountMinor: 1n },
            { account: ACC.suspense, amountMinor: -1n },
          ],
        },
        'lines[0].account.businessUnit',
        /MCU holds 12/,
      ],
      [
        {
          lines: [
            { account: ACC.suspense, amountMinor: -1n },
            { account: '1.1234567', amountMinor: 1n },
          ],
        },
        'lines[1].account.object',
        /OBJ holds 6/,
      ],
      [
        {
          lines: [
            { account: '1.1110.123456789', amountMinor: 1n },
            { account: ACC.suspense, amountMinor: -1n },
          ],
        },
        'lines[0].account.subsidiary',
        /SUB holds 8/,
      ],
      [
        {
          lines: [
            { account: ACC.suspense, amountMinor: 1n, subledger: '123456789', subledgerType: 'A' },
            { account: ACC.suspense, amountMinor: -1n },
          ],
        },
        'lines[0].subledger',
        /SBL holds 8/,
      ],
      [
        {
          lines: [
            { account: ACC.suspense, amountMinor: 1n, explanation: 'e'.repeat(31) },
            { account: ACC.suspense, amountMinor: -1n },
          ],
        },
        'lines[0].explanation',
        /holds 30/,
      ],
      [
        {
          lines: [
            { account: ACC.suspense, amountMinor: 1n, subledger: '42' },
            { account: ACC.suspense, amountMinor: -1n },
          ],
        },
        'lines[0].subledgerType',
        /required/,
      ],
      [
        {
          lines: [
            { account: ACC.suspense, amountMinor: 1n },
            { account: ACC.bank, amountMinor: -2n },
          ],
        },
        'lines',
        /net to -0.01 USD/,
      ],
      [{ lines: [{ account: 'nodots', amountMinor: 0n }] }, 'lines[0].account', /not BU.OBJ/],
      [{ lines: [] }, 'lines', /empty/],
    ];
    for (const [overrides, field, message] of cases) {
      await assert.rejects(client.postJournalEntry(entry(overrides)), (error: unknown) => {
        assert.ok(error instanceof AisError, `${field}: ${String(error)}`);
        assert.equal(error.kind, 'validation');
        assert.equal(error.field, field);
        assert.match(error.message, message);
        return true;
      });
    }
    const { client: vr01 } = clientFor(sim.baseUrl, { journal: { referenceField: 'VR01' } });
    await assert.rejects(
      vr01.postJournalEntry(entry({ reference: 'R'.repeat(26) })),
      /VR01 \(the job reference field\) holds 25/,
    );
    const metrics = await registry.getMetricsAsJSON();
    const requests = metrics.find((m) => m.name === 'mlc_ais_requests_total');
    assert.equal(requests?.values.length ?? 0, 0, 'nothing was sent to AIS');
  });

  it('builds both input shapes with the mapped names, amounts as decimal text and the user date format', () => {
    const valid = validateJournalEntry(
      entry({
        lines: [
          { account: '1.1110.AMZN', amountMinor: -5n, subledger: '1001', subledgerType: 'A' },
          { account: ACC.suspense, amountMinor: 5n },
        ],
      }),
      'EXR',
    );
    const standard = buildJournalEntryBody(valid, DEFAULT_JOURNAL_MAPPING, 'dd/MM/yyyy') as {
      inputs: { name: string; value: string }[];
      detailInputs: { name: string; repeatingInputs: { inputs: { name: string; value: string }[] }[] }[];
    };
    assert.deepEqual(
      standard.inputs.find((i) => i.name === 'GLDate'),
      { name: 'GLDate', value: '09/03/2026' },
    );
    assert.deepEqual(
      standard.inputs.find((i) => i.name === 'JobReference'),
      { name: 'JobReference', value: 'MLC-J-0001' },
    );
    assert.equal(standard.detailInputs[0]?.name, 'JournalLines');
    assert.deepEqual(standard.detailInputs[0]?.repeatingInputs[0]?.inputs, [
      { name: 'AccountNumber', value: '1.1110.AMZN' },
      { name: 'Amount', value: '-0.05' },
      { name: 'LineExplanation', value: '' },
      { name: 'Subledger', value: '1001' },
      { name: 'SubledgerType', value: 'A' },
    ]);
    const generic = buildJournalEntryBody(
      valid,
      {
        ...DEFAULT_JOURNAL_MAPPING,
        inputFormat: 'Generic',
        inputs: { ...DEFAULT_JOURNAL_MAPPING.inputs, lines: 'Lines' },
      },
      'MM/dd/yyyy',
    ) as Record<string, unknown>;
    assert.equal(generic.Company, '00001');
    assert.equal(generic.GLDate, '03/09/2026');
    assert.deepEqual((generic.Lines as Record<string, string>[])[1], {
      AccountNumber: '1.1990',
      Amount: '0.05',
      LineExplanation: '',
    });
  });

  it('parses accounts with the business unit right-justified to 12', () => {
    assert.deepEqual(parseAccount('100.5010'), {
      businessUnit: '         100',
      object: '5010',
      subsidiary: '',
    });
    assert.deepEqual(parseAccount(' 1.1110.AMZN '), {
      businessUnit: '           1',
      object: '1110',
      subsidiary: 'AMZN',
    });
  });

  it('derives a short, stable job reference from a long job id', () => {
    assert.equal(jobReference('job-123'), 'job-123');
    const long = jobReference('01J9ZK3M5Q8R7T6V5W4X3Y2Z1A-settlement-1234567890');
    assert.match(long, /^MLC-[A-Z2-7]{20}$/);
    assert.equal(long.length, 24);
    assert.equal(jobReference('01J9ZK3M5Q8R7T6V5W4X3Y2Z1A-settlement-1234567890'), long);
    assert.notEqual(
      jobReference('0b7f6c1e-4c1a-4d2b-9a51-3d1f0b2e9c77'),
      jobReference('0b7f6c1e-4c1a-4d2b-9a51-3d1f0b2e9c78'),
    );
  });
});
