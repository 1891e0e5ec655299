/**
 * The parser alone in a fresh process, so its peak memory is its own: reads the settlement file given as
 * the argument as amazon-ingest does (every batch, then result()) and prints one JSON line with the rows,
 * the time and the process's peak RSS (process.resourceUsage().maxRSS, in kilobytes).
 *
 *   node --import tsx e2e/bench/parser-child.ts .tmp/bench/settlement-us-1000000.txt.gz
 */
import { parseOnce } from './common.js';

const file = process.argv[2];
if (!file) {
  console.error('usage: parser-child.ts <settlement file>');
  process.exit(2);
}
const { ms, rows } = await parseOnce(file);
console.log(JSON.stringify({ rows, ms, maxRssKiB: process.resourceUsage().maxRSS }));
