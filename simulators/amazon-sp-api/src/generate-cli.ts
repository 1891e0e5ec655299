/**
 * Writes a generated settlement flat file to a path or stdout, for benchmarks and manual tests:
 *   node --import tsx simulators/amazon-sp-api/src/generate-cli.ts --marketplace DE --rows 1000000 \
 *     [--seed 42] [--negative] [--span-month-end] [--hold-reserve] [--gzip] [--out file]
 * Prints the summary (id, dates, total, rows) to stderr.
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatMinor } from '@mlc/money';
import { type GeneratorMarketplace, writeSettlementFile } from './generator.js';

const { values } = parseArgs({
  options: {
    marketplace: { type: 'string', default: 'US' },
    rows: { type: 'string', default: '200' },
    seed: { type: 'string', default: '1' },
    negative: { type: 'boolean', default: false },
    'span-month-end': { type: 'boolean', default: false },
    'hold-reserve': { type: 'boolean', default: false },
    gzip: { type: 'boolean', default: false },
    out: { type: 'string' },
  },
});

const marketplace = values.marketplace as GeneratorMarketplace;
if (!['US', 'CA', 'DE'].includes(marketplace))
  throw new Error(`--marketplace must be US, CA or DE, not ${marketplace}`);
const started = performance.now();
const summary = await writeSettlementFile(values.out ? createWriteStream(values.out) : process.stdout, {
  seed: values.seed,
  marketplace,
  rows: Number(values.rows),
  negative: values.negative,
  spanMonthEnd: values['span-month-end'],
  holdReserve: values['hold-reserve'],
  gzip: values.gzip,
});
process.stderr.write(
  `${summary.settlementId} ${summary.marketplace} ${summary.startDate}..${summary.endDate} ` +
    `total ${formatMinor(summary.totalAmount, summary.currency)} ${summary.currency}, ${summary.rows} rows, ` +
    `${Math.round(performance.now() - started)} ms\n`,
);
