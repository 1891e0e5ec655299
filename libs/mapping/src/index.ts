/**
 * @mlc/mapping — versioned mapping rules and the journal builder that turns a parsed Amazon settlement
 * into balanced JDE summary journals. Pure logic: no Kafka, no Mongo, no AIS (docs/mapping.md).
 */

export * from './account.js';
export * from './calendar.js';
export * from './csv.js';
export * from './defaults.js';
export * from './diff.js';
export * from './journal.js';
export * from './lineage.js';
export * from './match.js';
export * from './reversal.js';
export * from './rule-set-ref.js';
export * from './rules.js';
export * from './serialize.js';
export * from './validate-accounts.js';
