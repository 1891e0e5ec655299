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
export { latestRuleSet, ruleSetModel, type StoredRuleSet, saveRuleSet } from './rule-sets.js';
export {
  recordSettlement,
  SETTLEMENT_STATUSES,
  type SettlementRecord,
  type SettlementStatus,
  setSettlementStatus,
  settlementModel,
} from './settlements.js';
