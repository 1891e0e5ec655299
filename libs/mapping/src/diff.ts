/**
 * What changed between two versions of a rule set, for `mappings diff` and for the audit trail of a
 * mapping change. Rules are matched by id; a rule whose id changed shows as one removed and one added.
 */

import type { MappingRule, RuleSet } from './rules.js';

export interface RuleChange {
  id: string;
  /** Changed rule fields, sorted ("account", "amountDescription", …). */
  fields: string[];
  before: MappingRule;
  after: MappingRule;
}

export interface SettingChange {
  setting: string;
  before: unknown;
  after: unknown;
}

export interface RuleSetDiff {
  added: MappingRule[];
  removed: MappingRule[];
  changed: RuleChange[];
  settings: SettingChange[];
  /** True when nothing differs (ids, versions and creation times are not compared). */
  same: boolean;
}

const SETTINGS = [
  'connectionId',
  'company',
  'clearingAccount',
  'carriedForwardAccount',
  'suspenseAccount',
  'unmappedPolicy',
  'fiscalCalendar',
  'currency',
] as const;

export function diffRuleSets(before: RuleSet, after: RuleSet): RuleSetDiff {
  const old = new Map(before.rules.map((rule) => [rule.id, rule]));
  const now = new Map(after.rules.map((rule) => [rule.id, rule]));
  const byId = (a: MappingRule, b: MappingRule) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  const added = after.rules.filter((rule) => !old.has(rule.id)).sort(byId);
  const removed = before.rules.filter((rule) => !now.has(rule.id)).sort(byId);
  const changed: RuleChange[] = [];
  for (const rule of after.rules) {
    const previous = old.get(rule.id);
    if (!previous) continue;
    const keys = new Set([...Object.keys(previous), ...Object.keys(rule)]) as Set<keyof MappingRule>;
    const fields = [...keys].filter((key) => canonical(previous[key]) !== canonical(rule[key])).sort();
    if (fields.length > 0) changed.push({ id: rule.id, fields, before: previous, after: rule });
  }
  changed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const settings = SETTINGS.filter((key) => canonical(before[key]) !== canonical(after[key])).map((key) => ({
    setting: key,
    before: before[key],
    after: after[key],
  }));
  return {
    added,
    removed,
    changed,
    settings,
    same: added.length + removed.length + changed.length + settings.length === 0,
  };
}

/** JSON with sorted object keys, so key order never counts as a change. */
function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_key, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
          )
        : v,
    ) ?? 'undefined'
  );
}
