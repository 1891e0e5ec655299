export {
  type DailySales,
  type DailySalesProposal,
  dailySalesModel,
  dailySalesProposalModel,
} from './daily-sales.js';
export {
  type DailySalesMarketplace,
  type DailySalesSettings,
  DailySalesSettingsError,
  dailySalesSettingsModel,
  type MemoOrchestrationSettings,
  parseDailySalesSettings,
  readDailySalesSettings,
  saveDailySalesSettings,
} from './daily-sales-settings.js';
export {
  addressNumberFor,
  type CrossReferenceOrchestration,
  currentItemSettings,
  DEFAULT_CROSS_REFERENCE_ORCHESTRATION,
  DEFAULT_ITEM_SETTINGS,
  type ItemInputFormat,
  type ItemMatchRule,
  type ItemSettings,
  ItemSettingsError,
  itemSettingsModel,
  latestItemSettings,
  parseItemSettings,
  type StoredItemSettings,
  saveItemSettings,
} from './item-settings.js';
export {
  CROSS_REFERENCE_STATES,
  type CrossReferenceState,
  type CrossReferenceStatus,
  getItemState,
  ITEM_MATCH_STATUSES,
  type ItemMatchStatus,
  type ItemState,
  type ItemStateKey,
  type ItemStock,
  itemStateId,
  itemStateModel,
  updateItemState,
} from './item-states.js';
export {
  beginRawDocument,
  isGzip,
  type PendingRawDocument,
  PlainContent,
  RAW_CHUNK_BYTES,
  type RawContentDigest,
  type RawDocument,
  rawChunkModel,
  rawDocumentModel,
  readRawDocument,
  storeRawDocument,
} from './raw-documents.js';
export { type RebuiltSettlement, rebuildSettlement } from './rebuild.js';
export {
  getRepost,
  listReposts,
  REPOST_STATES,
  type RepostRecord,
  type RepostState,
  type RepostTarget,
  recordRepost,
  repostId,
  repostModel,
  setRepostState,
} from './reposts.js';
export {
  MAX_STORED_ROW_GROUPS,
  type RowGroup,
  readRowGroups,
  rowGroupsModel,
  saveRowGroups,
} from './row-groups.js';
export { latestRuleSet, ruleSetModel, type StoredRuleSet, saveRuleSet } from './rule-sets.js';
export {
  recordSettlement,
  SETTLEMENT_STATUSES,
  type SettlementRecord,
  type SettlementStatus,
  setSettlementStatus,
  settlementModel,
} from './settlements.js';
export { NOT_POSTED_STATUSES, type NotPostedGroup, notPostedSettlements } from './unposted.js';
