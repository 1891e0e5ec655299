import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  DEFAULT_SETTLEMENT_ACCOUNTS as ACC,
  DEFAULT_CHART_OF_ACCOUNTS,
  NON_POSTING_ACCOUNT,
} from '@mlc/sim-jde-ais';
import { AisError, buildDataRequest, type JournalEntry, parseAisJson, readLedgerRow } from '../src/index.js';
import { clientFor, type RunningSim, startSim, testClock } from './helpers.js';

const je = (reference: string, amount: bigint): JournalEntry => ({
  company: '00001',
  glDate: '2026-03-09',
  explanation: 'Paging test',
  currency: 'USD',
  reference,
  lines: [
    { account: ACC.amazonClearing, amountMinor: amount },
    { account: ACC.productSales, amountMinor: -amount },
  ],
});

describe('data service BROWSE', () => {
  const clock = testClock('2026-03-09T12:00:00Z');
  let sim: RunningSim;
  before(async () => {
    // A user whose date format is dd/MM/yyyy: date conditions must follow it.
    sim = await startSim({
      users: { JDE: { password: 'JDE-secret-pw', simpleDateFormat: 'dd/MM/yyyy' } },
      clock: clock.now,
      defaultPageSize: 3,
    });
    const { client } = clientFor(sim.baseUrl);
    for (let i = 1; i <= 3; i++) await client.postJournalEntry(je(`MLC-PAGE-${i}`, BigInt(i * 100)));
  });
  after(() => sim.close());

  it('reads the F0901 chart with MCU right-justified and the posting edit code', async () => {
    const { client } = clientFor(sim.baseUrl);
    const accounts = await client.readAccounts([], 5);
    assert.equal(accounts.length, DEFAULT_CHART_OF_ACCOUNTS.length);
    const title = accounts.find((a) => `${a.businessUnit.trim()}.${a.object}` === NON_POSTING_ACCOUNT);
    assert.equal(title?.postingEditCode, 'N');
    assert.equal(title?.businessUnit, '           1');
    const pnl = await client.readAccounts([{ column: 'MCU', operator: 'EQUAL', values: ['100'] }]);
    assert.ok(pnl.length > 0 && pnl.every((a) => a.businessUnit === '         100'));
  });

  it('pages with maxPageSize and follows next links without losing or repeating rows', async () => {
    const { client } = clientFor(sim.baseUrl);
    const first = await client.browse({ table: 'F0911', columns: ['DOC', 'JELN'], maxPageSize: 2 });
    assert.equal(first.rows.length, 2);
    assert.equal(first.moreRecords, true);
    assert.match(first.nextPath ?? '', /^\/jderest\/v2\/dataservice\/next\?/);
    const all = await client.readLedger([], 2);
    assert.equal(all.length, 6);
    assert.equal(new Set(all.map((r) => r.key)).size, 6);
  });

  it('starts the read over once when the next-page cursor is lost (AIS restart between pages)', async () => {
    const { client } = clientFor(sim.baseUrl);
    let restarted = false;
    const original = client.nextPage.bind(client);
    client.nextPage = async (table, nextPath) => {
      if (!restarted) {
        restarted = true;
        await sim.admin('POST', '/_sim/restart');
      }
      return original(table, nextPath);
    };
    const rows = await client.readLedger([], 2);
    assert.equal(rows.length, 6);
    assert.equal(new Set(rows.map((r) => r.key)).size, 6);
  });

  it('without next page processing, browseAll refuses a truncated answer instead of returning part of it', async () => {
    const { client } = clientFor(sim.baseUrl);
    await assert.rejects(
      client.browseAll({ table: 'F0911', maxPageSize: 2, enableNextPageProcessing: false }),
      (error: unknown) => error instanceof AisError && /no next-page link/.test(error.message),
    );
  });

  it('applies conditions: dates in the user format, LIST, GREATER, MATCH_ANY', async () => {
    const { client } = clientFor(sim.baseUrl);
    assert.equal(await client.dateValue('2026-03-09'), '09/03/2026');
    const byDate = await client.readLedger([
      { column: 'DGJ', operator: 'EQUAL', values: [await client.dateValue('2026-03-09')] },
    ]);
    assert.equal(byDate.length, 6);
    const none = await client.readLedger([
      { column: 'DGJ', operator: 'GREATER', values: [await client.dateValue('2026-03-09')] },
    ]);
    assert.equal(none.length, 0);
    const listed = await client.readLedger([
      { column: 'EXR', operator: 'LIST', values: ['MLC-PAGE-1', 'MLC-PAGE-3'] },
    ]);
    assert.deepEqual([...new Set(listed.map((r) => r.remark))].sort(), ['MLC-PAGE-1', 'MLC-PAGE-3']);
    const credits = await client.readLedger([{ column: 'AA', operator: 'LESS', values: ['0'] }]);
    assert.deepEqual(
      credits.map((r) => r.amountMinor).sort((a, b) => (a < b ? -1 : 1)),
      [-300n, -200n, -100n],
    );
    const page = await client.browse({
      table: 'F0911',
      matchType: 'MATCH_ANY',
      conditions: [
        { column: 'EXR', operator: 'EQUAL', values: ['MLC-PAGE-1'] },
        { column: 'EXR', operator: 'STR_END_WITH', values: ['-2'] },
      ],
      maxPageSize: 'No Max',
    });
    assert.equal(page.rows.length, 4);
  });

  it('builds the AIS request body', () => {
    assert.deepEqual(
      buildDataRequest({
        table: 'F0911',
        columns: ['DOC', 'F0911.AA'],
        conditions: [
          { column: 'UPMJ', operator: 'GREATER_EQUAL', values: ['03/09/2026'] },
          { column: 'EXR', operator: 'STR_NOT_BLANK' },
        ],
        orderBy: [{ column: 'UPMJ' }],
        maxPageSize: 100,
      }),
      {
        targetName: 'F0911',
        targetType: 'table',
        dataServiceType: 'BROWSE',
        outputType: 'GRID_DATA',
        findOnEntry: 'TRUE',
        enableNextPageProcessing: true,
        maxPageSize: '100',
        returnControlIDs: 'F0911.DOC|F0911.AA',
        query: {
          autoFind: true,
          matchType: 'MATCH_ALL',
          condition: [
            {
              controlId: 'F0911.UPMJ',
              operator: 'GREATER_EQUAL',
              value: [{ content: '03/09/2026', specialValueId: 'LITERAL' }],
            },
            { controlId: 'F0911.EXR', operator: 'STR_NOT_BLANK' },
          ],
        },
        aggregation: { orderBy: [{ column: 'F0911.UPMJ', direction: 'ASC' }] },
      },
    );
  });

  it('keeps amounts exact: JSON numbers in amount columns never become floats', () => {
    const body = parseAisJson(
      '{"rowset":[{"F0911_AA":1234567890123.45,"F0911_CRCD":"USD","F0911_DOC":7,"F0911_DGJ":"20260309"}]}',
    ) as {
      rowset: Record<string, unknown>[];
    };
    const cells = body.rowset[0] as Record<string, unknown>;
    assert.equal(cells.F0911_AA, '1234567890123.45');
    assert.equal(cells.F0911_DOC, 7);
    assert.equal(readLedgerRow(cells).amountMinor, 123456789012345n);
  });

  it('counts requests by operation and status without secrets or ids in the labels', async () => {
    const { client, registry, sessions } = clientFor(sim.baseUrl);
    await client.readAccounts([], 50);
    const text = await registry.metrics();
    assert.match(text, /mlc_ais_requests_total\{operation="dataservice",status="200"\} 1/);
    assert.match(text, /mlc_ais_requests_total\{operation="tokenrequest",status="200"\} 1/);
    assert.match(text, /mlc_ais_request_duration_seconds_count\{operation="dataservice"\} 1/);
    const session = await sessions.getSession('test-connection');
    assert.equal(text.includes(session.token), false);
    assert.equal(text.includes('test-connection'), false);
    assert.equal(text.includes('JDE'), false);
  });
});
