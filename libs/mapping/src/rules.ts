/**
 * Versioned mapping rule sets: their shape, their validation, and how a settlement row finds its rule.
 *
 * A rule set belongs to one connection and is immutable once stored; a change is a new version. Each rule
 * matches a row on transaction type, amount type, amount description and (optionally) marketplace, and
 * sends it to a JDE account, cost center and optional subledger.
 *
 * Specificity — the most specific matching rule wins:
 *   each field scores exact 2, pattern (glob or regex) 1, wildcard 0 (an absent marketplace is a wildcard);
 *   rules compare lexicographically on (transactionType, amountType, amountDescription, marketplace), so
 *   an exact transaction type beats anything less specific there whatever the other fields say;
 *   equivalently score = 27·tt + 9·at + 3·ad + mp, highest wins.
 * Two rules with the same score that some row could match both are a tie, and a tie is a validation error
 * when the rule set is loaded — never resolved silently. "Could match both" is decided per field by
 * match.ts#provablyDisjoint (regexes are assumed to overlap other patterns).
 */

import { z } from 'zod';
import {
  accountProblem,
  formatAccount,
  type JdeAccount,
  type Subledger,
  subledgerProblem,
} from './account.js';
import { calendarProblems, type FiscalCalendar } from './calendar.js';
import { compileMatcher, fold, MatchExpressionError, type Matcher, provablyDisjoint } from './match.js';

export type UnmappedPolicy = 'suspense' | 'hold';

export type CurrencyMode =
  /** One company; journals carry the settlement currency as the transaction currency. */
  | { mode: 'foreign-currency'; allowedCurrencies: string[] }
  /** One JDE company per settlement currency; a currency without a company is not allowed. */
  | { mode: 'company-per-currency'; companies: Record<string, string>; allowedCurrencies?: string[] };

export interface MappingRule {
  id: string;
  transactionType: string;
  amountType: string;
  amountDescription: string;
  /** Absent = any marketplace (wildcard). */
  marketplace?: string;
  account: JdeAccount;
  /** Business unit the line is posted to; defaults to the account's business unit. */
  costCenter?: string;
  /** Per-marketplace override of the cost center, keyed by marketplace name (case-insensitive). */
  costCenterByMarketplace?: Record<string, string>;
  subledger?: Subledger;
  /** Journal line text, ≤30 chars; defaults to the amount description. */
  explanation?: string;
}

export interface RuleSet {
  id: string;
  connectionId: string;
  version: number;
  /** ISO 8601 instant. */
  createdAt: string;
  company: string;
  clearingAccount: JdeAccount;
  carriedForwardAccount: JdeAccount;
  suspenseAccount: JdeAccount;
  unmappedPolicy: UnmappedPolicy;
  fiscalCalendar: FiscalCalendar;
  currency: CurrencyMode;
  rules: MappingRule[];
}

export interface RuleSetIssue {
  /** Where: "rules[3].account", "clearingAccount", … */
  path: string;
  message: string;
}

export class RuleSetError extends Error {
  override name = 'RuleSetError';
  constructor(readonly issues: RuleSetIssue[]) {
    super(`invalid rule set: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
  }
}

// ---- schema (shape only; meaning is checked by validateRuleSet) ----

const ID = /^[A-Za-z0-9._-]+$/;
const accountSchema = z.object({ businessUnit: z.string(), object: z.string(), subsidiary: z.string() });
const subledgerSchema = z.object({ value: z.string(), type: z.string() });
const periodSchema = z.object({ id: z.string().min(1), start: z.string(), end: z.string() });

export const ruleSchema = z.object({
  id: z.string().regex(ID, 'rule id: letters, digits, ".", "_", "-"'),
  transactionType: z.string(),
  amountType: z.string(),
  amountDescription: z.string(),
  marketplace: z.string().optional(),
  account: accountSchema,
  costCenter: z.string().optional(),
  costCenterByMarketplace: z.record(z.string(), z.string()).optional(),
  subledger: subledgerSchema.optional(),
  explanation: z.string().max(30).optional(),
});

export const fiscalCalendarSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('monthly') }),
  z.object({
    kind: z.literal('weeks'),
    pattern: z.array(z.number().int().positive()).min(1),
    start: z.string(),
  }),
  z.object({ kind: z.literal('table'), periods: z.array(periodSchema).min(1) }),
]);

const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'ISO 4217 code');
export const currencyModeSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('foreign-currency'), allowedCurrencies: z.array(currencyCode).min(1) }),
  z.object({
    mode: z.literal('company-per-currency'),
    companies: z.record(currencyCode, z.string().min(1).max(5)),
    allowedCurrencies: z.array(currencyCode).optional(),
  }),
]);

export const ruleSetSchema = z.object({
  id: z.string().regex(ID),
  connectionId: z.string().regex(ID, 'connection id: letters, digits, ".", "_", "-"'),
  version: z.number().int().positive(),
  createdAt: z.string(),
  company: z.string().min(1).max(5),
  clearingAccount: accountSchema,
  carriedForwardAccount: accountSchema,
  suspenseAccount: accountSchema,
  unmappedPolicy: z.enum(['suspense', 'hold']),
  fiscalCalendar: fiscalCalendarSchema,
  currency: currencyModeSchema,
  rules: z.array(ruleSchema),
});

/** Parses and validates untrusted input (JSON from Mongo, an API body); throws RuleSetError. */
export function parseRuleSet(input: unknown): RuleSet {
  const parsed = ruleSetSchema.safeParse(input);
  if (!parsed.success) {
    throw new RuleSetError(
      parsed.error.issues.map((issue) => ({
        path: issue.path.join('.') || '(root)',
        message: issue.message,
      })),
    );
  }
  const ruleSet = stripUndefined(parsed.data) as RuleSet;
  const issues = validateRuleSet(ruleSet);
  if (issues.length > 0) throw new RuleSetError(issues);
  return ruleSet;
}

function stripUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

// ---- specificity ----

export type Specificity = [tt: number, at: number, ad: number, mp: number];

export function ruleSpecificity(rule: MappingRule): Specificity {
  return [
    compileMatcher(rule.transactionType).level,
    compileMatcher(rule.amountType).level,
    compileMatcher(rule.amountDescription).level,
    rule.marketplace === undefined ? 0 : compileMatcher(rule.marketplace).level,
  ];
}

export function specificityScore([tt, at, ad, mp]: Specificity): number {
  return tt * 27 + at * 9 + ad * 3 + mp;
}

// ---- compiled form ----

export interface CompiledRule {
  rule: MappingRule;
  matchers: [Matcher, Matcher, Matcher, Matcher];
  score: number;
}

const WILDCARD = compileMatcher('*');

function compileRule(rule: MappingRule): CompiledRule {
  const matchers: [Matcher, Matcher, Matcher, Matcher] = [
    compileMatcher(rule.transactionType),
    compileMatcher(rule.amountType),
    compileMatcher(rule.amountDescription),
    rule.marketplace === undefined ? WILDCARD : compileMatcher(rule.marketplace),
  ];
  const score = specificityScore([
    matchers[0].level,
    matchers[1].level,
    matchers[2].level,
    matchers[3].level,
  ]);
  return { rule, matchers, score };
}

/** Semantic checks: accounts, expressions, calendar, currencies, duplicate ids and ties. */
export function validateRuleSet(ruleSet: RuleSet): RuleSetIssue[] {
  const issues: RuleSetIssue[] = [];
  for (const key of ['clearingAccount', 'carriedForwardAccount', 'suspenseAccount'] as const) {
    const problem = accountProblem(ruleSet[key]);
    if (problem) issues.push({ path: key, message: `"${formatAccount(ruleSet[key])}" ${problem}` });
  }
  for (const problem of calendarProblems(ruleSet.fiscalCalendar))
    issues.push({ path: 'fiscalCalendar', message: problem });
  if (
    ruleSet.currency.mode === 'company-per-currency' &&
    Object.keys(ruleSet.currency.companies).length === 0
  ) {
    issues.push({ path: 'currency.companies', message: 'no currency has a company' });
  }
  if (!Number.isFinite(Date.parse(ruleSet.createdAt))) {
    issues.push({ path: 'createdAt', message: `"${ruleSet.createdAt}" is not an ISO 8601 instant` });
  }

  const compiled: CompiledRule[] = [];
  const seen = new Map<string, number>();
  ruleSet.rules.forEach((rule, index) => {
    const path = `rules[${index}]`;
    const earlier = seen.get(rule.id);
    if (earlier !== undefined)
      issues.push({ path: `${path}.id`, message: `"${rule.id}" also used by rules[${earlier}]` });
    seen.set(rule.id, index);
    issues.push(...ruleIssues(rule, path));
    try {
      compiled.push(compileRule(rule));
    } catch (error) {
      if (!(error instanceof MatchExpressionError)) throw error;
      // the expression problem is already reported by ruleIssues
    }
  });
  issues.push(...tieIssues(compiled));
  return issues;
}

/** Problems with one rule, each with the rule-relative field name appended to `path`. */
export function ruleIssues(rule: MappingRule, path: string): RuleSetIssue[] {
  const issues: RuleSetIssue[] = [];
  const fields = ['transactionType', 'amountType', 'amountDescription', 'marketplace'] as const;
  for (const field of fields) {
    const expression = rule[field];
    if (expression === undefined) continue;
    try {
      compileMatcher(expression);
    } catch (error) {
      issues.push({ path: `${path}.${field}`, message: (error as Error).message });
    }
  }
  const accountText = formatAccount(rule.account);
  const problem = accountProblem(rule.account);
  if (problem) issues.push({ path: `${path}.account`, message: `"${accountText}" ${problem}` });
  const centers = [rule.costCenter, ...Object.values(rule.costCenterByMarketplace ?? {})];
  for (const center of centers) {
    if (center === undefined) continue;
    if (center === '' || center.length > 12 || /[\s.]/.test(center)) {
      issues.push({
        path: `${path}.costCenter`,
        message: `"${center}" is not a business unit (1–12 chars, no "." or space)`,
      });
    }
  }
  if (rule.subledger) {
    const sub = subledgerProblem(rule.subledger);
    if (sub) issues.push({ path: `${path}.subledger`, message: sub });
  }
  if (rule.explanation !== undefined && rule.explanation.length > 30) {
    issues.push({ path: `${path}.explanation`, message: 'longer than 30' });
  }
  return issues;
}

function tieIssues(compiled: CompiledRule[]): RuleSetIssue[] {
  const issues: RuleSetIssue[] = [];
  const byScore = new Map<number, CompiledRule[]>();
  for (const c of compiled) byScore.set(c.score, [...(byScore.get(c.score) ?? []), c]);
  for (const group of byScore.values()) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const a = group[i]!;
        const b = group[j]!;
        const disjoint = a.matchers.some((m, k) => provablyDisjoint(m, b.matchers[k]!));
        if (!disjoint) {
          issues.push({
            path: 'rules',
            message: `rules "${a.rule.id}" and "${b.rule.id}" are equally specific and can match the same row; make one more specific`,
          });
        }
      }
    }
  }
  return issues;
}

export interface CompiledRuleSet {
  ruleSet: RuleSet;
  /** The rule for a row, or null when none matches. */
  classify(row: RowKey): MappingRule | null;
}

export interface RowKey {
  transactionType: string;
  amountType: string;
  amountDescription: string;
  marketplace: string | null;
}

const compiledCache = new WeakMap<RuleSet, CompiledRuleSet>();

/** Compiles (and caches per rule-set object) for classification; throws RuleSetError when invalid. */
export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  const cached = compiledCache.get(ruleSet);
  if (cached) return cached;
  const issues = validateRuleSet(ruleSet);
  if (issues.length > 0) throw new RuleSetError(issues);
  const rules = ruleSet.rules.map(compileRule).sort((a, b) => b.score - a.score);
  const memo = new Map<string, MappingRule | null>();
  const compiled: CompiledRuleSet = {
    ruleSet,
    classify(row) {
      const key = [
        row.transactionType,
        row.amountType,
        row.amountDescription,
        row.marketplace ?? '\u0000',
      ].join('\u0001');
      const hit = memo.get(key);
      if (hit !== undefined) return hit;
      const values = [row.transactionType, row.amountType, row.amountDescription, row.marketplace] as const;
      const found = rules.find((c) => c.matchers.every((m, k) => m.test(values[k] ?? null)))?.rule ?? null;
      memo.set(key, found);
      return found;
    },
  };
  compiledCache.set(ruleSet, compiled);
  return compiled;
}

/** The business unit a row mapped by `rule` posts to (per-marketplace override, else costCenter, else the account's). */
export function costCenterFor(rule: MappingRule, marketplace: string | null): string {
  if (marketplace !== null && rule.costCenterByMarketplace) {
    const wanted = fold(marketplace);
    for (const [name, center] of Object.entries(rule.costCenterByMarketplace)) {
      if (fold(name) === wanted) return center;
    }
  }
  return rule.costCenter ?? rule.account.businessUnit;
}

/** Currencies the rule set accepts, and the JDE company for each. */
export function companyFor(ruleSet: RuleSet, currency: string): string | null {
  const mode = ruleSet.currency;
  if (mode.mode === 'foreign-currency')
    return mode.allowedCurrencies.includes(currency) ? ruleSet.company : null;
  if (mode.allowedCurrencies && !mode.allowedCurrencies.includes(currency)) return null;
  return mode.companies[currency] ?? null;
}
