/**
 * Checks every account the journals post to against the JDE account master (F0901), through a lookup the
 * caller supplies (the mapping service's F0901 cache). A missing or non-postable account makes JDE reject
 * the whole document, so the service holds the settlement instead and names the accounts to fix.
 *
 * The lookup may also report the posting edit code; then subledger rules are checked too
 * (S/L need a subledger, X forbids one; N and I never post; see reference jde-ais §6).
 */

import type { JdeAccount } from './account.js';
import { formatAccount } from './account.js';
import type { Journal } from './journal.js';

export interface AccountStatus {
  exists: boolean;
  postable: boolean;
  /** F0901 GMPEC, when known: ' ' / '' posting, N non-posting, I inactive, S/L subledger required, X no subledger. */
  postingEditCode?: string;
}

export type AccountLookup = (account: JdeAccount) => AccountStatus | Promise<AccountStatus>;

export interface AccountIssue {
  account: string;
  problem: 'missing' | 'not-postable' | 'subledger-required' | 'subledger-forbidden';
  reason: string;
  /** Job ids of the journals that use it. */
  jobIds: string[];
  /** Line numbers per job id ("<jobId>#<line>"). */
  lines: string[];
}

/** Looks each distinct account up once; returns the problems, sorted by account (empty = all good). */
export async function validateAccounts(
  journals: readonly Journal[],
  lookup: AccountLookup,
): Promise<AccountIssue[]> {
  const uses = new Map<
    string,
    { account: JdeAccount; jobIds: Set<string>; lines: string[]; withSub: boolean; withoutSub: boolean }
  >();
  for (const journal of journals) {
    for (const line of journal.lines) {
      const key = formatAccount(line.account);
      let use = uses.get(key);
      if (!use) {
        use = { account: line.account, jobIds: new Set(), lines: [], withSub: false, withoutSub: false };
        uses.set(key, use);
      }
      use.jobIds.add(journal.jobId);
      use.lines.push(`${journal.jobId}#${line.lineNumber}`);
      if (line.subledger) use.withSub = true;
      else use.withoutSub = true;
    }
  }
  const issues: AccountIssue[] = [];
  for (const [key, use] of [...uses.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const status = await lookup(use.account);
    const base = { account: key, jobIds: [...use.jobIds].sort(), lines: use.lines };
    const pec = (status.postingEditCode ?? '').trim().toUpperCase();
    if (!status.exists) {
      issues.push({
        ...base,
        problem: 'missing',
        reason: `account ${key} is not in the account master (F0901)`,
      });
    } else if (!status.postable || pec === 'N' || pec === 'I') {
      const why = pec ? ` (posting edit code ${pec})` : '';
      issues.push({ ...base, problem: 'not-postable', reason: `account ${key} is not postable${why}` });
    } else if ((pec === 'S' || pec === 'L') && use.withoutSub) {
      issues.push({
        ...base,
        problem: 'subledger-required',
        reason: `account ${key} requires a subledger (posting edit code ${pec})`,
      });
    } else if (pec === 'X' && use.withSub) {
      issues.push({
        ...base,
        problem: 'subledger-forbidden',
        reason: `account ${key} must have a blank subledger (posting edit code X)`,
      });
    }
  }
  return issues;
}
