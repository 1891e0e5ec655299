/**
 * @mlc/settlement: reads Amazon settlement flat files (V2 and legacy, plain or GZIP) into a summary and
 * normalized rows in bigint minor units, and checks that they reconcile to Amazon's total.
 */
export type { DateOrder } from './dates.js';
export { SettlementParseError } from './errors.js';
export { V2_COLUMNS, type V2Column } from './layout.js';
export type { TextEncodingName } from './lines.js';
export {
  assertReconciled,
  type ParsedSettlement,
  parseSettlement,
  parseSettlementFile,
  type SettlementCheck,
  SettlementReader,
  type SettlementReadOptions,
  type SettlementSource,
} from './reader.js';
export { RowGroups, type SettlementRowGroup } from './row-groups.js';
export { TotalsByType, type TypeTotal, totalsByType } from './totals.js';
export type { SettlementFormat, SettlementRow, SettlementSummary } from './types.js';
