/**
 * The customer's memo orchestration (default ORCH_MLC_AddMemoEntry) as the simulator plays it:
 * daily sales into a statistical ledger. Same inputs and the same JDE journal-entry checks as the
 * journal-entry orchestration (accounts in F0901 and postable, open period, one currency, field
 * lengths), writing rows to the simulated F0911 under the entry's ledger type — except that:
 * - the ledger type must be defined in UDC 09/LT and may not be an actuals ledger (AA, CA);
 * - the entry must net to zero only if the ledger's type rules say "Ledger is Required to
 *   Balance" (F0025, set up in P0025), so single-sided statistical lines are fine elsewhere.
 * Ledger types U1–U9 and UA–UZ are JDE's customer ledgers; the defaults below make U1 a
 * statistical ledger that need not balance and U2 one that must.
 */
import {
  addJournalEntry,
  DEFAULT_JOURNAL_ORCHESTRATION,
  type JournalContext,
  type JournalOrchestrationConfig,
  type LedgerPolicy,
} from './journal-entry.js';

/** One row of the simulated Ledger Type Master (F0025). */
export interface LedgerTypeRule {
  description: string;
  requiredToBalance: boolean;
}

export const DEFAULT_LEDGER_TYPES: Readonly<Record<string, LedgerTypeRule>> = Object.freeze({
  AA: { description: 'Actual Amounts', requiredToBalance: true },
  CA: { description: 'Foreign Currency Amounts', requiredToBalance: true },
  BA: { description: 'Budget Amounts', requiredToBalance: false },
  U1: { description: 'Daily sales (statistical)', requiredToBalance: false },
  U2: { description: 'Daily sales (balanced memo)', requiredToBalance: true },
});

const ACTUALS = new Set(['AA', 'CA']);

export interface MemoOrchestrationConfig extends JournalOrchestrationConfig {
  /** UDC 09/LT with each ledger's type rules. */
  ledgerTypes: Record<string, LedgerTypeRule>;
}

export const DEFAULT_MEMO_ORCHESTRATION: MemoOrchestrationConfig = Object.freeze({
  ...DEFAULT_JOURNAL_ORCHESTRATION,
  name: 'ORCH_MLC_AddMemoEntry',
  inputs: Object.freeze({ ...DEFAULT_JOURNAL_ORCHESTRATION.inputs, lines: 'MemoLines' }),
  ledgerTypes: DEFAULT_LEDGER_TYPES,
}) as MemoOrchestrationConfig;

export function memoLedgerPolicy(config: MemoOrchestrationConfig): LedgerPolicy {
  return {
    refuse(ledgerType) {
      if (!config.ledgerTypes[ledgerType]) return `Ledger type ${ledgerType} is not defined in UDC 09/LT.`;
      if (ACTUALS.has(ledgerType))
        return `Ledger type ${ledgerType} holds actuals; memo entries go to a statistical ledger.`;
      return null;
    },
    requiresBalance: (ledgerType) => config.ledgerTypes[ledgerType]?.requiredToBalance ?? true,
  };
}

/** Runs the memo orchestration: the HTTP status and body AIS would answer with. */
export function addMemoEntry(
  body: unknown,
  ctx: Omit<JournalContext, 'config' | 'policy'> & { config: MemoOrchestrationConfig },
): { status: number; body: Record<string, unknown> } {
  return addJournalEntry(body, { ...ctx, policy: memoLedgerPolicy(ctx.config) });
}
