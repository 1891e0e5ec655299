/**
 * "<rule set id>@<version>": how a journal's `source` names the rules it was mapped with, and how
 * that name is turned back into the rule set (to reproduce a journal's lines and row lineage, or to
 * reverse it). Stored versions are immutable; the default rules ("<connection>-default@1") are code.
 */

import { defaultRuleSet } from './defaults.js';
import { parseRuleSet, type RuleSet } from './rules.js';

export function ruleSetRef(ruleSet: Pick<RuleSet, 'id' | 'version'>): string {
  return `${ruleSet.id}@${ruleSet.version}`;
}

export function parseRuleSetRef(ref: string): { id: string; version: number } | null {
  const at = ref.lastIndexOf('@');
  const version = Number(ref.slice(at + 1));
  if (at <= 0 || !Number.isInteger(version) || version < 1) return null;
  return { id: ref.slice(0, at), version };
}

/**
 * The rule set `ref` names for the connection, or a readable reason why it cannot be had: a stored
 * version (its JSON definition, from `loadVersion`) whose id matches, else the default rules when
 * `ref` names them. Never a different version in its place.
 */
export async function resolveRuleSetRef(
  connectionId: string,
  ref: string,
  loadVersion: (version: number) => Promise<string | null>,
): Promise<{ ruleSet: RuleSet } | { missing: string }> {
  const parsed = parseRuleSetRef(ref);
  if (!parsed) return { missing: `"${ref}" does not name a rule set version (expected <id>@<version>)` };
  const definition = await loadVersion(parsed.version);
  if (definition !== null) {
    let ruleSet: RuleSet;
    try {
      ruleSet = parseRuleSet(JSON.parse(definition));
    } catch (error) {
      return {
        missing: `stored version ${parsed.version} of ${connectionId}'s rules does not parse: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
    if (ruleSet.id === parsed.id) return { ruleSet };
  }
  const defaults = defaultRuleSet(connectionId);
  if (ruleSetRef(defaults) === ref) return { ruleSet: defaults };
  return {
    missing: `rule set ${ref} is not stored for connection ${connectionId}${definition !== null ? ` (version ${parsed.version} stored has another id)` : ''}`,
  };
}
