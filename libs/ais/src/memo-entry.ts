/**
 * Memo entries: daily sales posted to a statistical (non-AA) ledger through a separate
 * orchestration (default ORCH_MLC_AddMemoEntry). The request has the journal entry's shape —
 * header inputs plus a grid — so a customer can build it from their journal-entry orchestration;
 * only the name, the ledger type and the balancing rule differ. JDE requires an entry to net to
 * zero only for ledgers whose Ledger Type Rules (P0025/F0025) have "Ledger is Required to Balance"
 * set, so a memo entry may be a single statistical line; whether it must be a balanced pair is
 * the customer's ledger setup, and JDE (here the orchestration) has the last word.
 */
import type { AisClient } from './client.js';
import { DEFAULT_JOURNAL_MAPPING, type JournalOrchestrationMapping } from './config.js';
import { AisError } from './errors.js';
import {
  buildJournalEntryBody,
  type JournalEntry,
  type JournalEntryResult,
  readJournalEntryResult,
  validateJournalEntry,
} from './journal-entry.js';

export const DEFAULT_MEMO_MAPPING: JournalOrchestrationMapping = Object.freeze({
  ...DEFAULT_JOURNAL_MAPPING,
  name: 'ORCH_MLC_AddMemoEntry',
  inputs: Object.freeze({ ...DEFAULT_JOURNAL_MAPPING.inputs, lines: 'MemoLines' }),
}) as JournalOrchestrationMapping;

export type MemoMappingOverrides = Partial<Omit<JournalOrchestrationMapping, 'inputs' | 'outputs'>> & {
  inputs?: Partial<JournalOrchestrationMapping['inputs']> | Record<string, string>;
  outputs?: Partial<JournalOrchestrationMapping['outputs']> | Record<string, string>;
};

/** The connection's memo orchestration mapping: the defaults with its overrides; unknown names refused. */
export function resolveMemoMapping(overrides: MemoMappingOverrides = {}): JournalOrchestrationMapping {
  const fail = (field: string, message: string) =>
    new AisError('config', `memo orchestration ${field} ${message}`, { field });
  for (const group of ['inputs', 'outputs'] as const) {
    for (const key of Object.keys(overrides[group] ?? {})) {
      if (!(key in DEFAULT_MEMO_MAPPING[group]))
        throw fail(`${group}.${key}`, `is not one of ${Object.keys(DEFAULT_MEMO_MAPPING[group]).join(', ')}`);
    }
  }
  const mapping: JournalOrchestrationMapping = {
    ...DEFAULT_MEMO_MAPPING,
    ...overrides,
    inputs: { ...DEFAULT_MEMO_MAPPING.inputs, ...overrides.inputs },
    outputs: { ...DEFAULT_MEMO_MAPPING.outputs, ...overrides.outputs },
  };
  if (!/^[A-Za-z0-9_.-]+$/.test(mapping.name))
    throw fail('name', `"${mapping.name}" is not an orchestration name`);
  return mapping;
}

/**
 * Posts a memo entry through the memo orchestration. The ledger type is required and may not be
 * AA; field errors throw before anything is sent. outcomeUnknown errors are settled, like journals,
 * by findJournalEntry(reference, { referenceField: mapping.referenceField }).
 */
export async function postMemoEntry(
  client: Pick<AisClient, 'dateFormat' | 'orchestrate'>,
  entry: JournalEntry,
  mapping: JournalOrchestrationMapping,
): Promise<JournalEntryResult> {
  const ledgerType = entry.ledgerType?.trim() ?? '';
  if (ledgerType === '' || ledgerType === 'AA') {
    throw new AisError(
      'validation',
      `memo entry ledgerType: "${ledgerType}" — a memo entry needs a non-AA ledger type`,
      {
        field: 'ledgerType',
      },
    );
  }
  const valid = validateJournalEntry(entry, mapping.referenceField, { requireBalance: false });
  const body = buildJournalEntryBody(valid, mapping, await client.dateFormat());
  const answer = await client.orchestrate(mapping.name, body, mapping.version);
  return readJournalEntryResult(answer, mapping);
}
