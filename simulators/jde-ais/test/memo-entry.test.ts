/**
 * The memo orchestration as the simulator plays it: statistical lines into a customer ledger
 * (single-sided where the ledger need not balance), refused for actuals ledgers and ledger types
 * not in UDC 09/LT, balanced where the ledger's type rules require it, with the journal-entry
 * checks (accounts, open period) and rows in F0911 under the ledger type.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSimulatorApp, julianToIso, NON_POSTING_ACCOUNT } from '../src/index.js';

async function setup() {
  const sim = buildSimulatorApp({
    clock: () => new Date('2026-03-10T14:30:00Z'),
    openPeriods: { '00001': [{ from: '2026-03-01', to: '2026-04-30' }] },
  });
  const login = await sim.app.inject({
    method: 'POST',
    url: '/jderest/v2/tokenrequest',
    payload: { username: 'JDE', password: 'JDE', deviceName: 'dev-1' },
  });
  const headers = { 'jde-AIS-Auth': login.json().userInfo.token as string, 'jde-AIS-Auth-Device': 'dev-1' };
  const memo = async (
    header: Record<string, string>,
    lines: Record<string, string>[],
    name = 'ORCH_MLC_AddMemoEntry',
  ) => {
    const response = await sim.app.inject({
      method: 'POST',
      url: `/jderest/v3/orchestrator/${name}`,
      headers,
      payload: {
        inputs: Object.entries(header).map(([n, value]) => ({ name: n, value })),
        detailInputs: [
          {
            name: 'MemoLines',
            repeatingInputs: lines.map((line) => ({
              inputs: Object.entries(line).map(([n, value]) => ({ name: n, value })),
            })),
          },
        ],
      },
    });
    return { status: response.statusCode, body: response.json() as Record<string, unknown> };
  };
  return { sim, memo };
}

const HEADER = {
  Company: '00001',
  GLDate: '03/09/2026',
  Currency: 'USD',
  Explanation: 'Amazon sales 2026-03-09',
  JobReference: 'MLC-MEMO-1',
  LedgerType: 'U1',
};

describe('simulator: memo orchestration', () => {
  it('writes a single statistical line to F0911 under the memo ledger type', async () => {
    const { sim, memo } = await setup();
    const answer = await memo(HEADER, [
      { AccountNumber: '100.5010', Amount: '-1500.25', LineExplanation: 'US' },
    ]);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(typeof answer.body.DocumentNumber, 'number');
    const rows = sim.state.ledger;
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.LT, 'U1');
    assert.equal(rows[0]?.AA, -150025n);
    assert.equal(rows[0]?.EXR, 'MLC-MEMO-1');
    assert.equal(julianToIso(rows[0]?.DGJ ?? 0), '2026-03-09');
  });

  it('refuses actuals ledgers and ledger types not in UDC 09/LT', async () => {
    const { sim, memo } = await setup();
    for (const [ledgerType, words] of [
      ['AA', /holds actuals/],
      ['CA', /holds actuals/],
      ['U9', /not defined in UDC 09\/LT/],
      // Blank defaults to AA, as on the journal-entry form.
      ['', /holds actuals/],
    ] as const) {
      const answer = await memo({ ...HEADER, LedgerType: ledgerType }, [
        { AccountNumber: '100.5010', Amount: '-1.00' },
      ]);
      assert.equal(answer.status, 500, ledgerType);
      assert.match(String(answer.body.jde__simpleMessage), words, ledgerType);
    }
    assert.equal(sim.state.ledger.length, 0);
  });

  it('requires a balanced pair when the ledger type rules say the ledger must balance', async () => {
    const { sim, memo } = await setup();
    const single = await memo({ ...HEADER, LedgerType: 'U2' }, [
      { AccountNumber: '100.5010', Amount: '-2.00' },
    ]);
    assert.equal(single.status, 500);
    assert.match(String(single.body.jde__simpleMessage), /Out Of Balance/);
    const pair = await memo({ ...HEADER, LedgerType: 'U2' }, [
      { AccountNumber: '100.5010', Amount: '-2.00' },
      { AccountNumber: '1.1110.AMZN', Amount: '2.00' },
    ]);
    assert.equal(pair.status, 200, JSON.stringify(pair.body));
    assert.deepEqual(
      sim.state.ledger.map((r) => [r.LT, r.AA]),
      [
        ['U2', -200n],
        ['U2', 200n],
      ],
    );
  });

  it('keeps the journal-entry checks: unknown and non-posting accounts, closed periods', async () => {
    const { sim, memo } = await setup();
    const unknown = await memo(HEADER, [{ AccountNumber: '100.9999', Amount: '-1.00' }]);
    assert.match(String(unknown.body.jde__simpleMessage), /0028 Error: Account Number Invalid/);
    const title = await memo(HEADER, [{ AccountNumber: NON_POSTING_ACCOUNT, Amount: '-1.00' }]);
    assert.match(String(title.body.jde__simpleMessage), /posting edit code N/);
    const closed = await memo({ ...HEADER, GLDate: '01/15/2026' }, [
      { AccountNumber: '100.5010', Amount: '-1.00' },
    ]);
    assert.match(String(closed.body.jde__simpleMessage), /before the open periods/);
    assert.equal(sim.state.ledger.length, 0);
  });

  it('leaves the journal-entry orchestration on AA only', async () => {
    const { sim } = await setup();
    assert.equal(sim.journal.name, 'ORCH_MLC_AddJournalEntry');
    assert.equal(sim.memo.name, 'ORCH_MLC_AddMemoEntry');
  });
});
