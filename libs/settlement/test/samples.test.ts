/**
 * Amazon's real (and one synthetic) sample files from ../shared, read in place. Every file must parse; a file
 * that does not reconcile must be listed below with the reason, read from the file, and the exact figures.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { formatMinor } from '@mlc/money';
import { parseSettlementFile } from '../src/index.js';
import { sharedDir } from './helpers.js';

const samplesDir = path.join(sharedDir, 'amazon', 'samples');

const expected: Record<string, { rows: number; total: string; sum: string; notReconciling?: string }> = {
  'ca_flatfile_adwweaver_50018020314.txt': { rows: 15, total: '-62.31', sum: '-62.31' },
  'ca_flatfile_adwweaver_50034020328.txt': { rows: 153, total: '1016.08', sum: '1016.08' },
  'ca_flatfile_adwweaver_50044020356.txt': { rows: 575, total: '4630.23', sum: '4630.23' },
  'us_flatfile_v1_fluxxu-mws-rs_tdff-test.txt': {
    rows: 2,
    total: '16630.13',
    sum: '26.99',
    notReconciling:
      'an excerpt: the summary row of a 16630.13 USD settlement followed by only its first order item ' +
      '(quantity row, Principal 27.99, FBAPerOrderFulfillmentFee -1.00), as embedded in a unit test of fluxxu/mws-rs',
  },
  'SYNTHETIC_airbyte_GET_V2_SETTLEMENT_REPORT_DATA_FLAT_FILE.csv': {
    rows: 2,
    total: '1234.56',
    sum: '16.77',
    notReconciling:
      "Airbyte's made-up fixture: a dummy total of 1234.56 over one line with Principal 19.99 and " +
      'FBAPerUnitFulfillmentFee -3.22; not an Amazon file',
  },
};

describe('shared Amazon sample files', () => {
  if (!existsSync(samplesDir)) {
    it('are read in place', (t) => t.skip(`${samplesDir} absent (../shared is not beside the repo)`));
    return;
  }
  for (const name of readdirSync(samplesDir).sort()) {
    const want = expected[name];
    it(`${name} parses${want?.notReconciling ? ' (does not reconcile: known why)' : ' and reconciles to the cent'}`, async () => {
      const parsed = await parseSettlementFile(path.join(samplesDir, name), { requireReconciled: false });
      const { currency } = parsed.summary;
      const figures = {
        rows: parsed.rowCount,
        total: formatMinor(parsed.summary.totalAmount, currency),
        sum: formatMinor(parsed.sumOfRows, currency),
      };
      if (want === undefined) {
        assert.equal(
          figures.sum,
          figures.total,
          `${name} is new: it must reconcile, or be listed with the reason`,
        );
        return;
      }
      assert.deepEqual(figures, { rows: want.rows, total: want.total, sum: want.sum });
      assert.equal(parsed.reconciles, want.notReconciling === undefined, want.notReconciling);
      if (want.notReconciling) {
        await assert.rejects(
          parseSettlementFile(path.join(samplesDir, name)),
          /field "total-amount": the summary's total/,
        );
      }
    });
  }
});
