/**
 * `mlc mappings …`: a connection's mapping rules as a CSV file (libs/mapping/src/csv.ts) for operators
 * who keep them in a spreadsheet.
 *
 * - `export` writes the connection's newest rule set, or the default rules when it has none.
 * - `import` checks every line of a CSV (all bad lines are reported at once), shows what changes
 *   against the rule set in force, and saves it as the connection's next version (unless --dry-run),
 *   with a `mappings.imported` audit event. Stored versions are never edited; mapping uses the newest
 *   for every settlement it maps from then on (held settlements: `mlc settlement release`).
 * - `diff` only shows the changes.
 *
 * The CSV carries the whole rule set — its settings (company, clearing/carried-forward/suspense
 * accounts, unmapped policy, fiscal calendar, currency mode) as "# key: value" lines above the header,
 * then one rule per row — so an exported file is the starting point for an edit. On import the
 * version and creation time in the file are replaced by the next version and now; its
 * "# connection-id:" must be the --connection given. Needs MLC_MONGO_URL (default
 * mongodb://127.0.0.1:27017/ml-connector).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  defaultRuleSet,
  diffRuleSets,
  exportRulesCsv,
  formatAccount,
  importRulesCsv,
  type MappingRule,
  parseRuleSet,
  type RuleSet,
  type RuleSetDiff,
  RulesCsvError,
} from '@mlc/mapping';
import { appendAudit } from '@mlc/mongo';
import { latestRuleSet, type StoredRuleSet, saveRuleSet } from '@mlc/store';
import { type Command, type CommandGroup, parseCommandArgs, UsageError } from '../command.js';
import { type Db, message, operatorActor, withMongo } from './settlement.js';

interface Current {
  ruleSet: RuleSet;
  /** Null when the connection has no stored version and the default rules apply. */
  stored: StoredRuleSet | null;
}

async function currentRuleSet(db: Db, connectionId: string): Promise<Current> {
  const stored = await latestRuleSet(db, connectionId);
  if (!stored) return { ruleSet: defaultRuleSet(connectionId), stored: null };
  try {
    return { ruleSet: parseRuleSet(JSON.parse(stored.definition)), stored };
  } catch (error) {
    throw new Error(
      `the stored rule set of ${connectionId}, version ${stored.version}, does not parse: ${message(error)}`,
    );
  }
}

function describeCurrent({ stored, ruleSet }: Current): string {
  return stored
    ? `version ${stored.version} of ${stored.connectionId} (saved ${new Date(stored.createdAt).toISOString()} by ${stored.createdBy})`
    : `the default rules of ${ruleSet.connectionId} (no version stored)`;
}

/** Reads and checks the CSV; on bad lines prints every one of them and returns null (exit 1). */
async function readCsv(file: string, connectionId: string, command: string): Promise<RuleSet | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${file}: ${code === 'ENOENT' ? 'no such file' : message(error)}`);
  }
  let ruleSet: RuleSet;
  try {
    ruleSet = importRulesCsv(text, { file });
  } catch (error) {
    if (!(error instanceof RulesCsvError)) throw error;
    const count = error.errors.length;
    process.stderr.write(
      `mlc mappings ${command}: ${file} is not a valid rule set (${count} problem${count === 1 ? '' : 's'}; nothing saved):\n${error.errors.map((e) => `  ${e}`).join('\n')}\n`,
    );
    return null;
  }
  if (ruleSet.connectionId !== connectionId) {
    throw new Error(
      `${file}: the rule set is for connection "${ruleSet.connectionId}" (its "# connection-id:" line), not "${connectionId}"`,
    );
  }
  return ruleSet;
}

/** Warns when the CSV was exported from an older version than the newest stored one. */
function noteStale(file: string, imported: RuleSet, current: Current): void {
  if (current.stored && imported.version !== current.stored.version) {
    process.stderr.write(
      `note: ${file} says version ${imported.version}, the newest stored is ${current.stored.version}; the changes shown are against version ${current.stored.version}\n`,
    );
  }
}

function value(v: unknown): string {
  if (v === undefined) return '(none)';
  if (v && typeof v === 'object' && 'businessUnit' in v && 'object' in v)
    return formatAccount(v as Parameters<typeof formatAccount>[0]);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function describeRule(rule: MappingRule): string {
  const match = `${rule.transactionType} / ${rule.amountType} / ${rule.amountDescription}${rule.marketplace ? ` @ ${rule.marketplace}` : ''}`;
  const extras = [
    rule.costCenter ? `cost center ${rule.costCenter}` : '',
    rule.costCenterByMarketplace ? `by marketplace ${value(rule.costCenterByMarketplace)}` : '',
    rule.subledger ? `subledger ${rule.subledger.value}/${rule.subledger.type}` : '',
    rule.explanation ? `"${rule.explanation}"` : '',
  ].filter((x) => x !== '');
  return `${match} → ${formatAccount(rule.account)}${extras.length ? ` ${extras.join(', ')}` : ''}`;
}

function diffLines(diff: RuleSetDiff, from: string, to: string): string[] {
  if (diff.same) return [`no changes: ${to} has the same settings and rules as ${from}`];
  const lines = [`changes from ${from} to ${to}:`];
  for (const s of diff.settings) lines.push(`  setting ${s.setting}: ${value(s.before)} → ${value(s.after)}`);
  for (const rule of diff.added) lines.push(`  + ${rule.id}: ${describeRule(rule)}`);
  for (const rule of diff.removed) lines.push(`  - ${rule.id}: ${describeRule(rule)}`);
  for (const change of diff.changed) {
    const fields = change.fields.map(
      (field) =>
        `${field} ${value(change.before[field as keyof MappingRule])} → ${value(change.after[field as keyof MappingRule])}`,
    );
    lines.push(`  ~ ${change.id}: ${fields.join('; ')}`);
  }
  lines.push(
    `${diff.added.length} added, ${diff.removed.length} removed, ${diff.changed.length} changed, ${diff.settings.length} setting(s) changed`,
  );
  return lines;
}

function csvArgs(args: string[], extra: { 'dry-run'?: { type: 'boolean' } } = {}) {
  const { values, positionals } = parseCommandArgs(args, {
    connection: { type: 'string' },
    ...extra,
  });
  if (positionals.length !== 1) throw new UsageError('give exactly one CSV file');
  if (!values.connection) throw new UsageError('--connection is required');
  return {
    file: positionals[0]!,
    connectionId: values.connection,
    dryRun: (values as { 'dry-run'?: boolean })['dry-run'] === true,
  };
}

const exportCommand: Command = {
  name: 'export',
  summary:
    "Write the connection's newest rule set (or the default rules when it has none; without --connection the default rules as a template) as CSV to stdout or --out",
  usage: '[--connection <id>] [--out <file>]',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      connection: { type: 'string' },
      out: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const connectionId = values.connection;
    const current: Current = connectionId
      ? await withMongo((db) => currentRuleSet(db, connectionId))
      : { ruleSet: defaultRuleSet('default'), stored: null };
    const csv = exportRulesCsv(current.ruleSet);
    if (values.out) {
      try {
        await writeFile(values.out, csv);
      } catch (error) {
        throw new Error(`${values.out}: ${message(error)}`);
      }
    } else process.stdout.write(csv);
    const what = connectionId
      ? describeCurrent(current)
      : 'the default rules as a template (no --connection: set its "# connection-id:" line before importing)';
    process.stderr.write(
      `exported ${what}, ${current.ruleSet.rules.length} rules${values.out ? ` to ${values.out}` : ''}\n`,
    );
    return 0;
  },
};

const importCommand: Command = {
  name: 'import',
  summary:
    "Check a rule-set CSV (every bad line is reported; exit 1), show its changes against the connection's rules, and save it as the next version with a mappings.imported audit event (not with --dry-run)",
  usage: '<csv> --connection <id> [--dry-run]',
  async run(args) {
    const { file, connectionId, dryRun } = csvArgs(args, { 'dry-run': { type: 'boolean' } });
    const imported = await readCsv(file, connectionId, 'import');
    if (!imported) return 1;
    return withMongo(async (db) => {
      const current = await currentRuleSet(db, connectionId);
      const diff = diffRuleSets(current.ruleSet, imported);
      noteStale(file, imported, current);
      const out = diffLines(diff, describeCurrent(current), file);
      if (dryRun) {
        out.push('dry run: nothing saved');
        process.stdout.write(`${out.join('\n')}\n`);
        return 0;
      }
      const version = (current.stored?.version ?? 0) + 1;
      const definition: RuleSet = { ...imported, version, createdAt: new Date().toISOString() };
      // What mapping will read back must parse: check it the way mapping does before saving.
      parseRuleSet(JSON.parse(JSON.stringify(definition)));
      const saved = await saveRuleSet(db, {
        connectionId,
        definition: JSON.stringify(definition),
        createdBy: operatorActor(),
      });
      if (saved.version !== version) {
        throw new Error(
          `another version was saved meanwhile: this import became version ${saved.version} but records version ${version} inside; import it again`,
        );
      }
      await appendAudit(db, {
        actor: operatorActor(),
        action: 'mappings.imported',
        connectionId,
        detail: {
          version,
          previousVersion: current.stored?.version ?? 0,
          ruleSetId: imported.id,
          file: path.basename(file),
          rules: imported.rules.length,
          added: diff.added.map((r) => r.id),
          removed: diff.removed.map((r) => r.id),
          changed: diff.changed.map((c) => c.id),
          settings: diff.settings.map((s) => s.setting),
        },
      });
      out.push(
        `saved as version ${version} of ${connectionId} (${imported.rules.length} rules); mapping uses it for every settlement it maps from now on`,
      );
      process.stdout.write(`${out.join('\n')}\n`);
      return 0;
    });
  },
};

const diffCommand: Command = {
  name: 'diff',
  summary: "Check a rule-set CSV and show its changes against the connection's rules; saves nothing",
  usage: '<csv> --connection <id>',
  async run(args) {
    const { file, connectionId } = csvArgs(args);
    const imported = await readCsv(file, connectionId, 'diff');
    if (!imported) return 1;
    return withMongo(async (db) => {
      const current = await currentRuleSet(db, connectionId);
      noteStale(file, imported, current);
      const out = diffLines(diffRuleSets(current.ruleSet, imported), describeCurrent(current), file);
      process.stdout.write(`${out.join('\n')}\n`);
      return 0;
    });
  },
};

export const mappingsCommands: CommandGroup = {
  name: 'mappings',
  aliases: ['mapping'],
  summary: 'mapping rule sets as CSV: export, import (versioned, audited), diff',
  commands: [exportCommand, importCommand, diffCommand],
};
