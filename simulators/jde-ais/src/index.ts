/**
 * @mlc/sim-jde-ais: an in-memory JDE AIS Server for tests and local runs (see app.ts), and the
 * default chart of accounts other code can reuse.
 */
export { buildSimulatorApp, type Simulator, type SimulatorOptions } from './app.js';
export * from './chart-of-accounts.js';
export { isoToJulian, julianToIso } from './dates.js';
export {
  DEFAULT_CROSS_REFERENCE_TYPES,
  DEFAULT_ITEM_XREF_ORCHESTRATION,
  type ItemStore,
  type ItemXrefOrchestrationConfig,
  itemsOf,
  type SeedCrossReference,
  type SeedItem,
  seedItems,
} from './items.js';
export {
  DEFAULT_JOURNAL_ORCHESTRATION,
  type InputFormat,
  type JournalOrchestrationConfig,
  type ReferenceField,
} from './journal-entry.js';
export {
  DEFAULT_LEDGER_TYPES,
  DEFAULT_MEMO_ORCHESTRATION,
  type LedgerTypeRule,
  type MemoOrchestrationConfig,
} from './memo-entry.js';
export type { AccountRow, Faults, LedgerRow, OpenPeriod, SimState, SimUser } from './state.js';
