/**
 * Bad input end to end: malformed and hostile settlement reports driven through the real system
 * (both simulators and the four services as processes on the real Kafka and FerretDB, one
 * LocalStack). Each bad input must end `held` (or refused) with a reason an operator can read —
 * the parser's reasons name file, line and field — and nothing of it may reach F0911; valid input
 * carrying hostile strings must post as data; a non-JSON AIS answer to the journal write is an
 * unknown outcome settled by the F0911 read-back, never a second posting. Every service must still
 * be running and ready at the end, none having exited.
 *
 * Two ways in, as in production:
 * - "sp-api": seeded into the SP-API simulator, polled, downloaded and ingested by amazon-ingest.
 *   The simulator's own reader is lenient on purpose, but it still needs a header, a summary row
 *   with a settlement id and a currency it knows, and text it can gzip itself; files without those
 *   cannot be seeded (its POST /_sim/settlements answers 400).
 * - "import": the operator's path, POST /admin/settlements/import on amazon-ingest (what
 *   `mlc settlement import` calls), for exactly those files the simulator cannot serve.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { jobReference } from '@mlc/ais';
import { auditModel, jobModel } from '@mlc/mongo';
import { V2_COLUMNS, type V2Column } from '@mlc/settlement';
import { repoRoot, uniqueName, waitFor } from '@mlc/testkit';
import { LocalStack } from '../src/local-stack.js';

const MALFORMED = path.join(repoRoot, 'libs', 'settlement', 'test', 'fixtures', 'malformed');

type Way = 'sp-api' | 'import';

interface Fixture {
  file: string;
  /** Line and field the parser's reason must name (as libs/settlement/test/malformed.test.ts). */
  line: number;
  field: string;
  detail: RegExp;
  way: Way;
  /** Why the file cannot go through the SP-API simulator. */
  why?: string;
}

const NO_SUMMARY = 'the simulator needs a summary row with a settlement id and a known currency to seed';
const FIXTURES: Fixture[] = [
  // The route refuses a 0-byte body before the parser sees it (400); the simulator needs a header.
  {
    file: 'empty.txt',
    line: 1,
    field: 'header',
    detail: /the file is empty/,
    way: 'import',
    why: NO_SUMMARY,
  },
  {
    file: 'header-only.txt',
    line: 2,
    field: 'summary',
    detail: /header but no summary row/,
    way: 'import',
    why: NO_SUMMARY,
  },
  {
    file: 'not-a-settlement.txt',
    line: 1,
    field: 'header',
    detail: /not a settlement flat file header/,
    way: 'import',
    why: 'comma-separated: no tab-separated currency column for the simulator',
  },
  {
    file: 'summary-missing.txt',
    line: 2,
    field: 'settlement-start-date',
    detail: /summary row missing/,
    way: 'import',
    why: NO_SUMMARY,
  },
  {
    file: 'unknown-currency.txt',
    line: 2,
    field: 'currency',
    detail: /"XYZ" is not a settlement currency we know/,
    way: 'import',
    why: 'the simulator cannot parse the total of an unknown currency (its own 400)',
  },
  {
    file: 'ambiguous-decimal-separator.txt',
    line: 2,
    field: 'total-amount',
    detail: /could have "\." or "," as its decimal separator/,
    way: 'import',
    why: 'the simulator guesses "." and refuses "1.234" EUR (its own 400)',
  },
  {
    file: 'truncated.txt.gz',
    line: 9,
    field: 'gzip',
    detail: /truncated or corrupt GZIP data/,
    way: 'import',
    why: 'the simulator takes text and gzips it itself; it cannot serve a truncated GZIP',
  },
  {
    file: 'missing-column.txt',
    line: 1,
    field: 'amount-description',
    detail: /required column/,
    way: 'sp-api',
  },
  { file: 'duplicate-column.txt', line: 1, field: 'sku', detail: /column appears twice/, way: 'sp-api' },
  {
    file: 'mixed-settlement-ids.txt',
    line: 6,
    field: 'settlement-id',
    detail: /"9100000099" differs from the summary's "9100000001"/,
    way: 'sp-api',
  },
  { file: 'empty-settlement-id.txt', line: 4, field: 'settlement-id', detail: /is empty/, way: 'sp-api' },
  {
    file: 'second-summary-row.txt',
    line: 5,
    field: 'total-amount',
    detail: /a second summary row/,
    way: 'sp-api',
  },
  {
    file: 'wrong-column-count.txt',
    line: 8,
    field: 'columns',
    detail: /24 tab-separated fields, the header has 23/,
    way: 'sp-api',
  },
  {
    file: 'bad-amount.txt',
    line: 5,
    field: 'amount',
    detail: /not a decimal amount: "12,3,4"/,
    way: 'sp-api',
  },
  {
    file: 'too-many-decimals.txt',
    line: 4,
    field: 'amount',
    detail: /more decimals than USD allows/,
    way: 'sp-api',
  },
  {
    file: 'empty-amount.txt',
    line: 5,
    field: 'amount',
    detail: /is empty: every V2 row has an amount/,
    way: 'sp-api',
  },
  {
    file: 'mixed-decimal-separators.txt',
    line: 6,
    field: 'amount',
    detail: /"249,99" uses "," as the decimal separator/,
    way: 'sp-api',
  },
  {
    file: 'non-numeric-quantity.txt',
    line: 6,
    field: 'quantity-purchased',
    detail: /"two" is not a whole number/,
    way: 'sp-api',
  },
  {
    file: 'bad-date.txt',
    line: 7,
    field: 'posted-date-time',
    detail: /is not a calendar date/,
    way: 'sp-api',
  },
  {
    file: 'ambiguous-date-order.txt',
    line: 2,
    field: 'settlement-start-date',
    detail: /could be DD\/MM or MM\/DD/,
    way: 'sp-api',
  },
  {
    file: 'contradictory-date-order.txt',
    line: 3,
    field: 'posted-date',
    detail: /reads only as MM\/DD/,
    way: 'sp-api',
  },
  {
    file: 'total-mismatch.txt',
    line: 2,
    field: 'total-amount',
    detail: /total is 1318\.30 USD but the 7 rows sum to 1318\.29 \(difference 0\.01\)/,
    way: 'sp-api',
  },
];

const line = (cells: Partial<Record<V2Column, string>>) => V2_COLUMNS.map((c) => cells[c] ?? '').join('\t');

interface Row {
  amount: string;
  description?: string;
  amountType?: string;
  currency?: string;
  settlementId?: string;
  sku?: string;
  orderId?: string;
}

/** A V2 flat file in July 2025 (one fiscal month): header, summary, one row per entry; total given. */
function v2File(settlementId: string, total: string, rows: Row[]): string {
  const lines = [
    V2_COLUMNS.join('\t'),
    line({
      'settlement-id': settlementId,
      'settlement-start-date': '2025-07-01 08:00:00 UTC',
      'settlement-end-date': '2025-07-15 08:00:00 UTC',
      'deposit-date': '2025-07-17 08:00:00 UTC',
      'total-amount': total,
      currency: 'USD',
    }),
    ...rows.map((row, i) =>
      line({
        'settlement-id': row.settlementId ?? settlementId,
        'transaction-type': 'Order',
        'order-id': row.orderId ?? `111-0000000-${String(i + 1).padStart(7, '0')}`,
        'shipment-id': `S${i + 1}`,
        'marketplace-name': 'Amazon.com',
        'amount-type': row.amountType ?? 'ItemPrice',
        'amount-description': row.description ?? 'Principal',
        amount: row.amount,
        currency: row.currency ?? '',
        'fulfillment-id': 'AFN',
        'posted-date': '07/02/25',
        'posted-date-time': '2025-07-02 14:05:09 UTC',
        sku: row.sku ?? `SKU-${i + 1}`,
        'quantity-purchased': '1',
      }),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** Hostile strings that must travel as data: query and script injection, Mongo operators, RTL text. */
const RTL = '\u202e\u200f';
const UNICODE_2000 = (() => {
  const pieces = ['שלום', RTL, 'مرحبا', '\u200f', 'Grüße', '😀', 'e\u0301', '𝔘𝔫𝔦', '\u202d', '中文'];
  // 2,000 code points, cut on a code point boundary (a lone surrogate is not text).
  const points = ['U'];
  for (let i = 0; points.length < 1_999; i++) points.push(...Array.from(pieces[i % pieces.length]!));
  return `${points.slice(0, 1_999).join('')}Z`;
})();
const INJECTIONS = [
  "'; db.dropDatabase(); //",
  '{"$gt": ""}',
  '<script>alert(1)</script>',
  '$where',
  "Robert'); DROP TABLE F0911;--",
  UNICODE_2000,
];

const READABLE_PARSER_REASON = /line \d+, field "[^"]+": \S/;

describe('bad input end to end: held or refused with a readable reason, nothing posted', () => {
  const name = uniqueName('badinput');
  let stack: LocalStack;
  const started = Date.now();
  /** Connections whose input must end held or refused, with nothing in F0911. */
  const badConnections: string[] = [];
  /** Connections whose settlement must post. */
  const goodConnections: string[] = [];
  /** Import answers by connection. */
  const imports = new Map<string, { status: number; body: Record<string, unknown> }>();
  const outcomes: Array<{ input: string; way: string; observed: string }> = [];

  const connectionOf = (label: string) => `bad-${label.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 50)}`;

  const importFile = async (connectionId: string, fileName: string, bytes: Buffer) => {
    const url = `${stack.urls.admin['amazon-ingest']}/admin/settlements/import?connectionId=${encodeURIComponent(connectionId)}&fileName=${encodeURIComponent(fileName)}`;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    const answer = { status: response.status, body: (await response.json()) as Record<string, unknown> };
    imports.set(connectionId, answer);
    return answer;
  };

  const seed = async (connectionId: string, text: string, compress = false) => {
    await stack.seedSettlement(connectionId, 'US', text, compress);
  };

  /** The connection's one settlement, once it is no longer on its way (held, posted, rejected). */
  const settled = async (connectionId: string, timeoutMs = 90_000) => {
    const [record, ...more] = await stack.waitForSettled(connectionId, 1, timeoutMs);
    assert.ok(record);
    assert.equal(more.length, 0, `${connectionId}: one settlement`);
    return record;
  };

  const rssMb = async (process: string): Promise<number> => {
    const pid = stack.process(process).pid;
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
    return Math.round(kb / 1024);
  };

  before(async () => {
    stack = await LocalStack.start({ name, spApiTimeScale: 600, pollIntervalMs: 1_000 });
  });

  after(async () => {
    if (!stack) return;
    const codes = await stack.stop();
    console.log(
      `[badinput] ${outcomes.length} inputs; exit codes ${JSON.stringify(codes)}; ${Math.round((Date.now() - started) / 1000)} s`,
    );
    for (const o of outcomes) console.log(`[badinput] ${o.input} (${o.way}): ${o.observed}`);
    for (const [process, code] of Object.entries(codes)) {
      if (process.endsWith('simulator')) continue;
      assert.equal(code, 0, `${process} exits 0 on SIGTERM`);
    }
  });

  describe('the 22 malformed fixtures of libs/settlement', () => {
    before(async () => {
      // Everything goes in first, so the polls and imports run side by side.
      for (const fixture of FIXTURES) {
        const connectionId = connectionOf(fixture.file);
        badConnections.push(connectionId);
        await stack.createConnection(connectionId);
        const bytes = await readFile(path.join(MALFORMED, fixture.file));
        if (fixture.way === 'sp-api') await seed(connectionId, bytes.toString('utf8'));
        else await importFile(connectionId, fixture.file, bytes);
      }
    });

    for (const fixture of FIXTURES) {
      it(`${fixture.file} (${fixture.way}${fixture.why ? `: ${fixture.why}` : ''})`, async () => {
        const connectionId = connectionOf(fixture.file);
        const expected = new RegExp(
          `: line ${fixture.line}, field "${fixture.field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}": `,
        );
        if (fixture.file === 'empty.txt') {
          // A 0-byte upload is refused at the door: 400 naming the file, nothing recorded.
          const answer = imports.get(connectionId);
          assert.equal(answer?.status, 400);
          assert.match(String(answer?.body.error), /^empty\.txt: the file is empty$/);
          assert.deepEqual(await stack.settlements(connectionId), []);
          outcomes.push({ input: fixture.file, way: fixture.way, observed: `400 ${answer?.body.error}` });
          return;
        }
        if (fixture.way === 'import') {
          const answer = imports.get(connectionId);
          assert.equal(answer?.status, 422, JSON.stringify(answer?.body));
          assert.equal(answer?.body.kind, 'held');
          assert.match(String(answer?.body.reason), expected);
        }
        const record = await settled(connectionId);
        assert.equal(record.status, 'held', `${fixture.file}: ${record.reason ?? ''}`);
        const reason = record.reason ?? '';
        assert.match(reason, READABLE_PARSER_REASON);
        assert.match(reason, expected);
        assert.match(reason, fixture.detail);
        // The file named: the report id the poller downloaded, or the imported file's name.
        assert.ok(
          fixture.way === 'import' ? reason.startsWith(`${fixture.file}: `) : /^report \d+: /.test(reason),
          reason,
        );
        assert.deepEqual(record.jobIds ?? [], []);
        outcomes.push({ input: fixture.file, way: fixture.way, observed: `held: ${reason}` });
      });
    }
  });

  describe('hostile inputs', () => {
    it('a report with a 10 MB line (one description of 10 MB) is held with a reason; ingest stays up', async () => {
      const connectionId = connectionOf('ten-mb-line');
      badConnections.push(connectionId);
      await stack.createConnection(connectionId);
      const rssBefore = await rssMb('amazon-ingest');
      const huge = `H${'x'.repeat(10 * 1024 * 1024 - 2)}H`;
      await seed(
        connectionId,
        v2File('9200000001', '101.00', [{ amount: '100.00' }, { amount: '1.00', description: huge }]),
      );
      const record = await settled(connectionId, 120_000);
      const rssAfter = await rssMb('amazon-ingest');
      outcomes.push({
        input: '10 MB line',
        way: 'sp-api',
        observed: `${record.status}: ${(record.reason ?? '').slice(0, 200)} (ingest RSS ${rssBefore} → ${rssAfter} MB)`,
      });
      assert.ok(stack.process('amazon-ingest').running, 'amazon-ingest still running');
      assert.ok(rssAfter < 1_024, `amazon-ingest RSS ${rssAfter} MB`);
      assert.equal(record.status, 'held', `10 MB line: ${record.status} ${record.reason ?? ''}`);
      assert.match(record.reason ?? '', READABLE_PARSER_REASON);
      assert.match(record.reason ?? '', /^report \d+: line 4, field "line": longer than 1048576 characters/);
    });

    it('an unknown currency on a transaction row, polled from the SP-API, is held naming line and field', async () => {
      const connectionId = connectionOf('row-currency-XYZ');
      badConnections.push(connectionId);
      await stack.createConnection(connectionId);
      await seed(
        connectionId,
        v2File('9200000002', '30.00', [{ amount: '10.00' }, { amount: '20.00', currency: 'XYZ' }]),
      );
      const record = await settled(connectionId);
      outcomes.push({
        input: 'unknown currency XYZ on a row',
        way: 'sp-api',
        observed: `${record.status}: ${record.reason}`,
      });
      assert.equal(record.status, 'held');
      assert.match(
        record.reason ?? '',
        /^report \d+: line 4, field "currency": "XYZ" differs from the settlement currency "USD"/,
      );
    });

    it('a total mismatch served GZIP-compressed by the SP-API is held naming the total', async () => {
      const connectionId = connectionOf('gzip-total-mismatch');
      badConnections.push(connectionId);
      await stack.createConnection(connectionId);
      await seed(
        connectionId,
        v2File('9200000003', '30.01', [{ amount: '10.00' }, { amount: '20.00' }]),
        true,
      );
      const record = await settled(connectionId);
      outcomes.push({
        input: 'total mismatch, gzip',
        way: 'sp-api',
        observed: `${record.status}: ${record.reason}`,
      });
      assert.equal(record.status, 'held');
      assert.match(
        record.reason ?? '',
        /line 2, field "total-amount": .*30\.01 USD but the 2 rows sum to 30\.00/,
      );
      assert.equal(record.settlementId, '9200000003', 'held under its own settlement id');
    });

    it('a mixed settlement id deep in a polled report is held naming the line', async () => {
      const connectionId = connectionOf('mixed-id-deep');
      badConnections.push(connectionId);
      await stack.createConnection(connectionId);
      const rows: Row[] = Array.from({ length: 500 }, () => ({ amount: '1.00' }));
      rows[420] = { amount: '1.00', settlementId: '9299999999' };
      await seed(connectionId, v2File('9200000004', '500.00', rows));
      const record = await settled(connectionId);
      outcomes.push({
        input: 'mixed settlement id at line 423',
        way: 'sp-api',
        observed: `${record.status}: ${record.reason}`,
      });
      assert.equal(record.status, 'held');
      assert.match(record.reason ?? '', /line 423, field "settlement-id": "9299999999" differs/);
    });

    it('a report that is only a UTF-8 BOM is held as empty', async () => {
      const connectionId = connectionOf('bom-only');
      badConnections.push(connectionId);
      await stack.createConnection(connectionId);
      // import: the simulator cannot seed a file without a summary row.
      const answer = await importFile(connectionId, 'bom-only.txt', Buffer.from([0xef, 0xbb, 0xbf]));
      assert.equal(answer.status, 422, JSON.stringify(answer.body));
      const record = await settled(connectionId);
      outcomes.push({
        input: 'BOM only (3 bytes)',
        way: 'import',
        observed: `${answer.status} ${record.status}: ${record.reason}`,
      });
      assert.equal(record.status, 'held');
      assert.match(record.reason ?? '', /^bom-only\.txt: line 1, field "header": the file is empty/);
    });

    it('random binary bytes are held at the header', async () => {
      const connectionId = connectionOf('binary-noise');
      badConnections.push(connectionId);
      await stack.createConnection(connectionId);
      // import: the simulator cannot seed bytes that are not text with a summary row.
      const noise = randomBytes(64 * 1024);
      noise[0] = 0x00; // never the GZIP magic
      const answer = await importFile(connectionId, 'noise.bin', noise);
      assert.equal(answer.status, 422, JSON.stringify(answer.body));
      const record = await settled(connectionId);
      outcomes.push({
        input: '64 KiB random bytes',
        way: 'import',
        observed: `${answer.status} ${record.status}: ${(record.reason ?? '').slice(0, 160)}`,
      });
      assert.equal(record.status, 'held');
      assert.match(record.reason ?? '', /^noise\.bin: line \d+, field "[^"]+": /);
    });

    it('an expired document URL is fetched afresh: neither held nor lost, posted once', async () => {
      // Both URLs of the first poll are issued already expired (the first, and the fresh one the poller
      // asks for once); the next poll's URL works. An expired URL is Amazon's five minutes, not bad data.
      const connectionId = connectionOf('expired-url');
      goodConnections.push(connectionId);
      await stack.createConnection(connectionId);
      const downloads = async () => {
        const response = await fetch(`${stack.urls.spApi}/_sim/state`);
        const state = (await response.json()) as {
          counters: { requests: Record<string, Record<string, number>> };
        };
        return state.counters.requests.documentDownload ?? {};
      };
      const before = await downloads();
      await fetch(`${stack.urls.spApi}/_sim/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ expireNextDocumentUrls: 2 }),
      });
      await seed(connectionId, v2File('9200000009', '30.00', [{ amount: '10.00' }, { amount: '20.00' }]));
      const record = await settled(connectionId);
      const after = await downloads();
      const refused = (after[403] ?? 0) - (before[403] ?? 0);
      outcomes.push({
        input: 'expired document URL (twice)',
        way: 'sp-api',
        observed: `${refused} downloads refused "Request has expired", then ${record.status}`,
      });
      assert.equal(refused, 2, 'both expired URLs were tried and refused');
      assert.equal(record.status, 'posted', record.reason);
      const [row] = await stack.reconcile(connectionId);
      assert.ok(row?.reconciles, JSON.stringify(row));
    });
  });

  describe('valid input carrying hostile strings', () => {
    it('posts them as data (unmapped → suspense), the records and the audit trail intact', async () => {
      const connectionId = connectionOf('injection-valid');
      goodConnections.push(connectionId);
      await stack.createConnection(connectionId);
      const rows: Row[] = [
        { amount: '100.00' },
        ...INJECTIONS.map((description, i) => ({
          amount: `${i + 1}.00`,
          amountType: 'Other',
          description,
          sku: i === 1 ? '{"$ne": null}' : `SKU-$where-${i}`,
        })),
      ];
      const suspense = INJECTIONS.reduce((n, _, i) => n + i + 1, 0);
      await seed(connectionId, v2File('9300000001', `${100 + suspense}.00`, rows));
      const record = await settled(connectionId, 120_000);
      outcomes.push({
        input: 'injection strings in a valid settlement',
        way: 'sp-api',
        observed: `${record.status} ${record.reason ?? ''}`,
      });
      assert.equal(record.status, 'posted', record.reason ?? '');
      assert.equal(record.totalAmount, `${100 + suspense}.00`);

      // JDE has the document, balanced, with the hostile rows on the suspense account.
      const [row] = await stack.reconcile(connectionId);
      assert.ok(row?.reconciles, JSON.stringify(row));
      const references = new Set((record.jobIds ?? []).map((jobId) => jobReference(jobId)));
      const lines = (await stack.f0911()).filter((l) => references.has(l.EXR ?? ''));
      const onSuspense = lines.filter((l) => l.MCU.trim() === '1' && l.OBJ.trim() === '9999');
      assert.equal(onSuspense.length, 1, JSON.stringify(lines));
      assert.equal(Math.abs(Number(onSuspense[0]?.AA)), suspense);

      // The strings are stored as they came, as values: the audit trail names each unmapped group.
      const audit = await auditModel(stack.db).find({ connectionId }).sort({ at: 1 }).lean().exec();
      const actions = audit.map((a) => a.action);
      for (const action of [
        'settlement.received',
        'settlement.announced',
        'settlement.proposed',
        'journal.posted',
      ]) {
        assert.ok(actions.includes(action), `${action} in ${actions.join(', ')}`);
      }
      const proposed = audit.find((a) => a.action === 'settlement.proposed');
      const unmapped = (proposed?.detail?.unmapped ?? []) as string[];
      for (const text of INJECTIONS) {
        assert.ok(
          unmapped.some((u) => u === `Order / Other / ${text} (1 rows)`),
          `audit keeps ${JSON.stringify(text.slice(0, 40))} verbatim`,
        );
      }
      // And the database was not dropped: every other input's record is still there.
      for (const other of badConnections.filter((c) => c !== connectionOf('empty.txt'))) {
        assert.equal((await stack.settlements(other)).length, 1, `${other} still recorded`);
      }
    });
  });

  describe('a non-JSON answer from AIS to the journal write', () => {
    const setFaults = async (faults: Record<string, number>) => {
      const response = await fetch(`${stack.urls.ais}/_sim/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(faults),
      });
      assert.equal(response.status, 200, await response.text());
    };

    after(async () => {
      if (stack) await setFaults({ rateGarbage: 0 }).catch(() => undefined);
    });

    it('is an unknown outcome settled by the F0911 read-back: posted exactly once', async () => {
      const connectionId = connectionOf('ais-garbage');
      goodConnections.push(connectionId);
      await stack.createConnection(connectionId);
      // Every journal orchestration writes, then answers 200 with an HTML page.
      await setFaults({ rateGarbage: 1 });
      await seed(connectionId, v2File('9400000001', '60.00', [{ amount: '10.00' }, { amount: '50.00' }]));
      const record = await settled(connectionId, 120_000);
      await setFaults({ rateGarbage: 0 });
      outcomes.push({
        input: 'AIS answers 200 non-JSON to the write',
        way: 'sp-api',
        observed: `${record.status} ${record.reason ?? ''}`,
      });
      assert.equal(record.status, 'posted', record.reason ?? '');
      const [jobId, ...moreJobs] = record.jobIds ?? [];
      assert.ok(jobId);
      assert.equal(moreJobs.length, 0);

      const documents = new Set(
        (await stack.f0911())
          .filter((l) => l.EXR === jobReference(jobId))
          .map((l) => `${l.KCO} ${l.DCT} ${l.DOC}`),
      );
      assert.equal(documents.size, 1, `one document, not two: ${[...documents].join(', ')}`);
      const job = await jobModel(stack.db).findOne({ jobId }).lean().exec();
      assert.equal(job?.state, 'posted');
      assert.equal(job?.result?.via, 'read-back', 'found by the read-back, not by the garbled answer');
      const audit = await auditModel(stack.db).find({ jobId }).sort({ at: 1 }).lean().exec();
      const failed = audit.find((a) => a.action === 'journal.attempt-failed');
      assert.equal(failed?.detail?.outcomeUnknown, true);
      assert.match(String(failed?.detail?.message), /read F0911 back by reference/);
      assert.equal(audit.filter((a) => a.action === 'journal.posting').length, 1, 'JDE was written once');
      const [row] = await stack.reconcile(connectionId);
      assert.ok(row?.reconciles, JSON.stringify(row));
    });
  });

  describe('afterwards', () => {
    it('nothing of the bad inputs reached JDE, and every service is running, ready, never exited', async () => {
      // No job was ever created for a bad input, and F0911 holds only the good settlements' documents.
      const jobs = await jobModel(stack.db)
        .find({ connectionId: { $in: badConnections } })
        .lean()
        .exec();
      assert.deepEqual(
        jobs.map((j) => j.jobId),
        [],
      );
      const goodReferences = new Set<string>();
      for (const connectionId of goodConnections) {
        for (const s of await stack.settlements(connectionId)) {
          for (const jobId of s.jobIds ?? []) goodReferences.add(jobReference(jobId));
        }
      }
      const ledger = await stack.f0911();
      assert.ok(ledger.length > 0);
      for (const l of ledger)
        assert.ok(goodReferences.has(l.EXR ?? ''), `F0911 ${l.DCT} ${l.DOC} is a good input's`);
      for (const connectionId of badConnections) {
        for (const s of await stack.settlements(connectionId)) {
          assert.equal(s.status, 'held', `${connectionId}/${s.settlementId}`);
          assert.ok((s.reason ?? '').trim().length > 0, `${connectionId}: a reason`);
        }
      }
      assert.ok(
        badConnections.length + goodConnections.length >= 25,
        `${badConnections.length + goodConnections.length} inputs`,
      );

      for (const [processName, process] of stack.processes) {
        assert.ok(process.running, `${processName} running`);
        assert.equal(process.exits, 0, `${processName} never exited`);
      }
      await waitFor(
        'every service ready',
        async () => {
          for (const service of ['token-broker', 'amazon-ingest', 'mapping', 'jde-poster'] as const) {
            const response = await fetch(`${stack.urls.admin[service]}/readyz`);
            if (response.status !== 200) throw new Error(`${service} /readyz ${response.status}`);
          }
          return true;
        },
        10_000,
      );
    });
  });
});
