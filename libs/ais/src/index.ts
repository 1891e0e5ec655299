/**
 * @mlc/ais: the JD Edwards EnterpriseOne AIS Server client — sessions (tokenrequest, 444 retry),
 * data service BROWSE for F0901/F0911 with paging, orchestration calls, journal entries, the
 * F0911 read-back and an UPMJ poller. See docs/jde-orchestration.md for the orchestration contract.
 */
export { AisClient, type AisClientOptions } from './client.js';
export {
  type AisConnectionConfig,
  DEFAULT_JOURNAL_MAPPING,
  type InputFormat,
  type JournalOrchestrationMapping,
  type OrchestratorVersion,
  type ReferenceField,
  type ResolvedConnection,
  resolveConnection,
} from './config.js';
export {
  type AccountMasterRow,
  type BrowsePage,
  type BrowseRequest,
  buildDataRequest,
  type Condition,
  type ConditionOperator,
  F0901_COLUMNS,
  F0911_COLUMNS,
  type LedgerRow,
  ledgerKey,
  readAccountRow,
  readBrowsePage,
  readLedgerRow,
} from './data-service.js';
export { DEFAULT_DATE_FORMAT, formatAisDate, parseAisDate } from './dates.js';
export {
  AisError,
  type AisErrorDetails,
  type AisErrorKind,
  describeDetails,
  detectBusinessError,
  type FormMessage,
  parseAisErrorBody,
} from './errors.js';
export { type AisResponse, AisTransport, type FetchLike, parseAisJson } from './http.js';
export {
  addCrossReference,
  buildCrossReferenceBody,
  CROSS_REFERENCE_TYPE_LENGTH,
  type CrossReferenceKey,
  type CrossReferenceOrchestrationMapping,
  type CrossReferenceRow,
  F4101_COLUMNS,
  F4104_COLUMNS,
  findCrossReference,
  findCrossReferencesByValue,
  findItemsByNumber,
  ITEM_NUMBER_LENGTH,
  type ItemMasterRow,
  type ItemQueryOptions,
  type ItemSource,
  type NewCrossReference,
  type OrchestrationRunner,
  readCrossReferenceRow,
  readItemMasterRow,
  validateCrossReference,
} from './items.js';
export {
  accountNumber,
  buildJournalEntryBody,
  FIELD_LENGTHS,
  type JournalAccount,
  type JournalEntry,
  type JournalEntryLine,
  type JournalEntryResult,
  jobReference,
  parseAccount,
  readJournalEntryResult,
  type ValidatedJournalEntry,
  validateJournalEntry,
} from './journal-entry.js';
export {
  DEFAULT_MEMO_MAPPING,
  type MemoMappingOverrides,
  postMemoEntry,
  resolveMemoMapping,
} from './memo-entry.js';
export { type AisMetrics, type AisOperation, createAisMetrics } from './metrics.js';
export { type LedgerPollCursor, LedgerPoller, type LedgerPollerOptions, pollIdentity } from './poller.js';
export {
  type AisSession,
  authHeaders,
  InProcessSessionProvider,
  logoutSession,
  requestToken,
  type SessionProvider,
  validateSession,
} from './session.js';
