import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildSimulatorApp,
  DEFAULT_CHART_OF_ACCOUNTS,
  DEFAULT_SETTLEMENT_ACCOUNTS,
  isoToJulian,
  julianToIso,
  NON_POSTING_ACCOUNT,
  type SimulatorOptions,
} from '../src/index.js';

function setup(options: SimulatorOptions = {}) {
  let now = new Date('2026-03-10T14:30:00Z');
  const sim = buildSimulatorApp({
    clock: () => now,
    openPeriods: { '00001': [{ from: '2026-03-01', to: '2026-04-30' }] },
    ...options,
  });
  const login = async (deviceName = 'dev-1') => {
    const response = await sim.app.inject({
      method: 'POST',
      url: '/jderest/v2/tokenrequest',
      payload: { username: 'JDE', password: 'JDE', deviceName, environment: 'JDV920', role: '*ALL' },
    });
    assert.equal(response.statusCode, 200);
    const token = response.json().userInfo.token as string;
    return { 'jde-AIS-Auth': token, 'jde-AIS-Auth-Device': deviceName };
  };
  const post = (url: string, headers: Record<string, string>, payload: unknown) =>
    sim.app.inject({ method: 'POST', url, headers, payload: payload as object });
  return {
    ...sim,
    login,
    post,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

const standard = (header: Record<string, string>, lines: Record<string, string>[]) => ({
  inputs: Object.entries(header).map(([name, value]) => ({ name, value })),
  detailInputs: [
    {
      name: 'JournalLines',
      repeatingInputs: lines.map((line) => ({
        inputs: Object.entries(line).map(([name, value]) => ({ name, value })),
      })),
    },
  ],
});
const HEADER = {
  Company: '00001',
  GLDate: '03/09/2026',
  Currency: 'USD',
  Explanation: 'Settlement',
  JobReference: 'MLC-1',
};
const BALANCED: Record<string, string>[] = [
  { AccountNumber: '1.1110.AMZN', Amount: '10.05' },
  { AccountNumber: '100.5010', Amount: '-10.05', LineExplanation: 'Sales' },
];
const ORCH = '/jderest/v3/orchestrator/ORCH_MLC_AddJournalEntry';

describe('simulator: tokens', () => {
  it('answers tokenrequest like AIS: userInfo.token, date format, 403 on bad credentials, 415 on wrong content type', async () => {
    const sim = setup();
    const ok = await sim.app.inject({
      method: 'POST',
      url: '/jderest/v2/tokenrequest',
      payload: { username: 'jde', password: 'JDE', deviceName: 'd' },
    });
    const body = ok.json();
    assert.match(body.userInfo.token, /^044/);
    assert.equal(body.userInfo.simpleDateFormat, 'MM/dd/yyyy');
    assert.equal(body.userInfo.dateFormat, 'MDE');
    assert.equal(body.userInfo.dateSeperator, '/');
    const bad = await sim.app.inject({
      method: 'POST',
      url: '/jderest/v2/tokenrequest',
      payload: { username: 'JDE', password: 'nope' },
    });
    assert.equal(bad.statusCode, 403);
    assert.equal(bad.json().message, 'Authorization Failure');
    const text = await sim.app.inject({
      method: 'POST',
      url: '/jderest/v2/tokenrequest',
      headers: { 'content-type': 'text/plain' },
      payload: 'username=JDE',
    });
    assert.equal(text.statusCode, 415);
  });

  it('444 for unknown, wrong-device, idle-expired, logged-out and post-restart tokens', async () => {
    const sim = setup({ sessionTimeoutMs: 60_000 });
    const browse = { targetName: 'F0901', targetType: 'table', dataServiceType: 'BROWSE', maxPageSize: '1' };
    assert.equal(
      (await sim.post('/jderest/v2/dataservice', { 'jde-AIS-Auth': 'nope' }, browse)).statusCode,
      444,
    );
    const h = await sim.login();
    assert.equal((await sim.post('/jderest/v2/dataservice', h, browse)).statusCode, 200);
    assert.equal(
      (await sim.post('/jderest/v2/dataservice', { ...h, 'jde-AIS-Auth-Device': 'other' }, browse))
        .statusCode,
      444,
    );
    sim.advance(61_000);
    const expired = await sim.post('/jderest/v2/dataservice', h, browse);
    assert.equal(expired.statusCode, 444);
    assert.equal(expired.json().message, 'Invalid Token');
    const h2 = await sim.login();
    assert.equal(
      (await sim.post('/jderest/v2/tokenrequest/logout', h2, { token: h2['jde-AIS-Auth'] })).statusCode,
      200,
    );
    assert.equal((await sim.post('/jderest/v2/dataservice', h2, browse)).statusCode, 444);
    const h3 = await sim.login();
    await sim.app.inject({ method: 'POST', url: '/_sim/restart' });
    assert.equal((await sim.post('/jderest/v2/dataservice', h3, browse)).statusCode, 444);
  });

  it('validate answers isValidSession and touch extends the idle timeout', async () => {
    const sim = setup({ sessionTimeoutMs: 60_000 });
    const h = await sim.login();
    const validate = (touch: boolean) =>
      sim.post('/jderest/v2/tokenrequest/validate', h, {
        token: h['jde-AIS-Auth'],
        deviceName: 'dev-1',
        touch,
      });
    sim.advance(40_000);
    assert.equal((await validate(true)).json().isValidSession, true);
    sim.advance(40_000);
    assert.equal((await validate(false)).json().isValidSession, true);
    sim.advance(40_000);
    assert.equal((await validate(false)).json().isValidSession, false);
    const v3 = await sim.app.inject({
      method: 'GET',
      url: '/jderest/v3/orchestrator/jde-validate-session',
      headers: h,
    });
    assert.equal(v3.statusCode, 444);
  });
});

describe('simulator: journal entry orchestration', () => {
  it('writes F0911 rows with document and batch numbers, UPMJ/UPMT, MCU right-justified', async () => {
    const sim = setup();
    const h = await sim.login();
    const first = await sim.post(ORCH, h, standard(HEADER, BALANCED));
    assert.equal(first.statusCode, 200);
    const out = first.json();
    assert.equal(out.DocumentNumber, 1000);
    assert.equal(out.BatchNumber, 5000);
    assert.equal(out.jde__status, 'SUCCESS');
    const second = (await sim.post(ORCH, h, standard({ ...HEADER, JobReference: 'MLC-2' }, BALANCED))).json();
    assert.equal(second.DocumentNumber, 1001);
    assert.equal(second.BatchNumber, 5001);
    const other = (await sim.post(ORCH, h, standard({ ...HEADER, DocumentType: 'JX' }, BALANCED))).json();
    assert.equal(other.DocumentNumber, 1000, 'next numbers are per company and document type');
    const v2 = (
      await sim.post('/jderest/v2/orchestrator/ORCH_MLC_AddJournalEntry', h, standard(HEADER, BALANCED))
    ).json();
    assert.equal(typeof v2.DocumentNumber, 'string', 'v2 outputs are strings');

    const row = sim.state.ledger[1];
    assert.ok(row);
    assert.equal(row.MCU, '         100');
    assert.equal(row.AA, -1005n);
    assert.equal(row.DGJ, isoToJulian('2026-03-09'));
    assert.equal(row.UPMJ, 126069);
    assert.equal(row.UPMT, 143000);
    assert.equal(row.EXR, 'MLC-1');
    assert.equal(row.EXA, 'Sales');
    assert.equal(sim.state.ledger[0]?.EXA, 'Settlement');
    assert.equal(row.ICUT, 'G');
    assert.equal(row.DCT, 'JE');
    assert.equal(row.LT, 'AA');
  });

  it('accepts the Generic shape, and refuses the other shape when the input format is fixed', async () => {
    const sim = setup({ journal: { inputFormat: 'Generic' } });
    const h = await sim.login();
    const generic = await sim.post(ORCH, h, { ...HEADER, JournalLines: BALANCED });
    assert.equal(generic.statusCode, 200);
    const wrong = await sim.post(ORCH, h, standard(HEADER, BALANCED));
    assert.equal(wrong.statusCode, 500);
    assert.match(wrong.json().message, /Generic input format/);
  });

  it('validates like JDE: account exists, postable, balanced, open period, one currency', async () => {
    const sim = setup();
    const h = await sim.login();
    const codes = async (header: Record<string, string>, lines: Record<string, string>[]) => {
      const response = await sim.post(ORCH, h, standard(header, lines));
      assert.equal(response.statusCode, 500);
      const body = response.json();
      assert.equal(body.jde__status, 'ERROR');
      assert.equal(typeof body.jde__simpleMessage, 'string');
      return body.message['Errors/Warnings'][0].Errors.map(
        (e: { CODE: string; ERRORCONTROL: string }) => `${e.CODE}@${e.ERRORCONTROL}`,
      );
    };
    assert.deepEqual(
      await codes(HEADER, [
        { AccountNumber: '1.4242', Amount: '1' },
        { AccountNumber: '1.1990', Amount: '-1' },
      ]),
      ['0028@1.0.12'],
    );
    assert.deepEqual(
      await codes(HEADER, [
        { AccountNumber: '1.1990', Amount: '-1' },
        { AccountNumber: NON_POSTING_ACCOUNT, Amount: '1' },
      ]),
      ['S010@1.1.12'],
    );
    assert.deepEqual(
      await codes(HEADER, [
        { AccountNumber: '1.1990', Amount: '-1' },
        { AccountNumber: '1.1100', Amount: '1.01' },
      ]),
      ['S015@1'],
    );
    assert.deepEqual(await codes({ ...HEADER, GLDate: '05/01/2026' }, BALANCED), ['S007@54']);
    assert.deepEqual(await codes({ ...HEADER, GLDate: '2026-03-09' }, BALANCED), ['S005@54']);
    assert.deepEqual(
      await codes(HEADER, [
        { AccountNumber: '1.1990', Amount: '-1', Currency: 'EUR' },
        { AccountNumber: '1.1100', Amount: '1' },
      ]),
      ['S014@1.0.13'],
    );
    assert.deepEqual(
      await codes(HEADER, [
        { AccountNumber: '1.1990', Amount: '-1.001' },
        { AccountNumber: '1.1100', Amount: '1' },
      ]),
      ['S013@1.0.13'],
    );
    assert.equal(sim.state.ledger.length, 0);
  });

  it('Continue on Error answers 200 with the form errors and no document', async () => {
    const sim = setup({ journal: { errorMode: 'continueOnError' } });
    const h = await sim.login();
    const response = await sim.post(ORCH, h, standard(HEADER, [{ AccountNumber: '1.4242', Amount: '0' }]));
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.equal(body.DocumentNumber, undefined);
    assert.equal(body['Errors/Warnings'][0].Errors[0].CODE, '0028');
    assert.equal(body.continuedOnError.length, 1);
  });

  it('unknown orchestration → 404', async () => {
    const sim = setup();
    const h = await sim.login();
    assert.equal((await sim.post('/jderest/v3/orchestrator/ORCH_Other', h, {})).statusCode, 404);
  });
});

describe('simulator: data service', () => {
  it('answers F0911 in the AIS shape with paging and next links, and forgets cursors on restart', async () => {
    const sim = setup();
    const h = await sim.login();
    for (let i = 0; i < 3; i++)
      await sim.post(ORCH, h, standard({ ...HEADER, JobReference: `MLC-${i}` }, BALANCED));
    const first = await sim.post('/jderest/v2/dataservice', h, {
      targetName: 'F0911',
      targetType: 'table',
      dataServiceType: 'BROWSE',
      maxPageSize: '4',
      enableNextPageProcessing: true,
      returnControlIDs: 'F0911.DOC|F0911.AA|F0911.DGJ|F0911.MCU',
      query: {
        matchType: 'MATCH_ALL',
        condition: [
          {
            controlId: 'F0911.DGJ',
            operator: 'EQUAL',
            value: [{ content: '03/09/2026', specialValueId: 'LITERAL' }],
          },
        ],
      },
    });
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /"F0911_AA":10\.05/, 'amounts are JSON numbers');
    const body = first.json();
    const grid = body.fs_DATABROWSE_F0911.data.gridData;
    assert.equal(grid.rowset.length, 4);
    assert.deepEqual(grid.summary, { records: 4, moreRecords: true });
    assert.deepEqual(Object.keys(grid.rowset[0]), ['F0911_DOC', 'F0911_AA', 'F0911_DGJ', 'F0911_MCU']);
    assert.equal(grid.rowset[0].F0911_DGJ, '20260309');
    assert.equal(grid.rowset[0].F0911_MCU, '           1');
    const href = new URL(body.links[0].href);
    assert.equal(href.pathname, '/jderest/v2/dataservice/next');
    const second = await sim.post(href.pathname + href.search, h, {});
    const grid2 = second.json().fs_DATABROWSE_F0911.data.gridData;
    assert.equal(grid2.rowset.length, 2);
    assert.equal(grid2.summary.moreRecords, false);
    assert.equal(second.json().links, undefined);
    const again = await sim.post(href.pathname + href.search, h, {});
    assert.equal(again.statusCode, 500, 'a finished cursor is gone');
  });

  it('rejects unknown tables and dates not in the user format', async () => {
    const sim = setup();
    const h = await sim.login();
    assert.equal(
      (
        await sim.post('/jderest/v2/dataservice', h, {
          targetName: 'F4211',
          targetType: 'table',
          dataServiceType: 'BROWSE',
        })
      ).statusCode,
      500,
    );
    const badDate = await sim.post('/jderest/v2/dataservice', h, {
      targetName: 'F0911',
      targetType: 'table',
      dataServiceType: 'BROWSE',
      query: {
        condition: [
          {
            controlId: 'F0911.UPMJ',
            operator: 'GREATER',
            value: [{ content: '126068', specialValueId: 'LITERAL' }],
          },
        ],
      },
    });
    assert.equal(badDate.statusCode, 500);
    assert.match(badDate.json().message, /user's format MM\/dd\/yyyy/);
  });
});

describe('simulator: faults and admin', () => {
  it('injects 500s and 444s at the configured rates, replayably with a seed', async () => {
    const sim = setup();
    const h = await sim.login();
    const browse = { targetName: 'F0901', targetType: 'table', dataServiceType: 'BROWSE', maxPageSize: '1' };
    await sim.app.inject({ method: 'POST', url: '/_sim/faults', payload: { rate500: 1 } });
    assert.equal((await sim.post('/jderest/v2/dataservice', h, browse)).statusCode, 500);
    await sim.app.inject({ method: 'POST', url: '/_sim/faults', payload: { rate500: 0, rate444: 1 } });
    assert.equal((await sim.post('/jderest/v2/dataservice', h, browse)).statusCode, 444);
    const bad = await sim.app.inject({ method: 'POST', url: '/_sim/faults', payload: { rate501: 1 } });
    assert.equal(bad.statusCode, 400);

    const outcomes = async (seed: number) => {
      await sim.app.inject({
        method: 'POST',
        url: '/_sim/faults',
        payload: { rate444: 0, rate500: 0.5, seed },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) {
        const login = await sim.app.inject({
          method: 'POST',
          url: '/jderest/v2/tokenrequest',
          payload: { username: 'JDE', password: 'JDE' },
        });
        statuses.push(login.statusCode);
      }
      return statuses;
    };
    const a = await outcomes(7);
    assert.deepEqual(await outcomes(7), a);
    assert.ok(a.includes(500) && a.includes(200));
  });

  it('rateGarbage writes the entry, then answers 200 with a body that is not JSON', async () => {
    const sim = setup();
    const h = await sim.login();
    const set = await sim.app.inject({ method: 'POST', url: '/_sim/faults', payload: { rateGarbage: 1 } });
    assert.equal(set.json().rateGarbage, 1);
    const garbled = await sim.post(ORCH, h, standard(HEADER, BALANCED));
    assert.equal(garbled.statusCode, 200);
    assert.match(String(garbled.headers['content-type']), /^text\/html/);
    assert.throws(() => JSON.parse(garbled.body), SyntaxError);
    assert.equal(sim.state.ledger.length, 2, 'the entry was written all the same');
    assert.equal(sim.state.ledger[0]?.EXR, 'MLC-1');
    // Only orchestrations are garbled: reads (the F0911 read-back) still answer JSON.
    const browse = { targetName: 'F0911', targetType: 'table', dataServiceType: 'BROWSE' };
    assert.equal(
      (await sim.post('/jderest/v2/dataservice', h, browse)).json().fs_DATABROWSE_F0911 !== undefined,
      true,
    );
    await sim.app.inject({ method: 'POST', url: '/_sim/faults', payload: { rateGarbage: 0 } });
    const clean = await sim.post(ORCH, h, standard({ ...HEADER, JobReference: 'MLC-2' }, BALANCED));
    assert.equal(clean.json().jde__status, 'SUCCESS');
  });

  it('seeds accounts and shows F0911 for tests', async () => {
    const sim = setup();
    const seeded = await sim.app.inject({
      method: 'POST',
      url: '/_sim/accounts',
      payload: {
        accounts: [
          {
            company: '00001',
            aid: '00009999',
            businessUnit: '200',
            object: '7000',
            subsidiary: '',
            description: 'New',
            postingEditCode: '',
            levelOfDetail: 7,
          },
        ],
      },
    });
    assert.equal(seeded.json().accounts, DEFAULT_CHART_OF_ACCOUNTS.length + 1);
    const h = await sim.login();
    await sim.post(
      ORCH,
      h,
      standard(HEADER, [
        { AccountNumber: '200.7000', Amount: '5' },
        { AccountNumber: '1.1990', Amount: '-5' },
      ]),
    );
    const ledger = (await sim.app.inject({ method: 'GET', url: '/_sim/f0911' })).json();
    assert.equal(ledger[0].AA, '5.00');
    assert.equal(ledger[0].glDate, '2026-03-09');
  });
});

describe('default chart of accounts', () => {
  it('has every settlement account, postable, and exactly one non-posting account', () => {
    const key = (a: { businessUnit: string; object: string; subsidiary: string }) =>
      a.subsidiary ? `${a.businessUnit}.${a.object}.${a.subsidiary}` : `${a.businessUnit}.${a.object}`;
    const byKey = new Map(DEFAULT_CHART_OF_ACCOUNTS.map((a) => [key(a), a]));
    for (const [role, account] of Object.entries(DEFAULT_SETTLEMENT_ACCOUNTS)) {
      assert.equal(byKey.get(account)?.postingEditCode, '', `${role} ${account}`);
    }
    assert.deepEqual(DEFAULT_CHART_OF_ACCOUNTS.filter((a) => a.postingEditCode !== '').map(key), [
      NON_POSTING_ACCOUNT,
    ]);
    assert.equal(new Set(DEFAULT_CHART_OF_ACCOUNTS.map((a) => a.aid)).size, DEFAULT_CHART_OF_ACCOUNTS.length);
  });

  it('converts Julian dates both ways', () => {
    assert.equal(isoToJulian('2026-03-09'), 126068);
    assert.equal(julianToIso(98185), '1998-07-04');
    assert.equal(julianToIso(100001), '2000-01-01');
  });
});
