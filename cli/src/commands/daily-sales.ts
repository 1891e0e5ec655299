/**
 * `mlc daily-sales …`: a connection's daily sales to the JDE memo ledger (docs/architecture.md
 * "Daily sales to the memo ledger"; runbook in docs/operations.md).
 *
 * - `settings show|set|enable|disable` read and write the connection's daily sales settings
 *   (`daily_sales_settings`, libs/store/src/daily-sales-settings.ts). `set` checks a JSON file with
 *   the store's parser — a bad file is refused naming the file and every bad field, and nothing is
 *   stored — then replaces the settings; `enable` / `disable` flip `enabled` only. Every change is
 *   recorded in the audit trail (`daily-sales.configured`, `daily-sales.enabled`,
 *   `daily-sales.disabled`). mapping reads the settings again at its next sweep.
 * - `status` shows, per marketplace and local day of the last --days days, the summary mapping keeps
 *   (`daily_sales`), what was proposed for the memo ledger (`daily_sales_proposals`) and what
 *   jde-poster made of each proposal (its job in `jobs`).
 *
 * Needs MLC_MONGO_URL (default mongodb://127.0.0.1:27017/ml-connector). Exit codes: 0 done, 1 failed
 * (the message says why), 2 usage.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AisError, resolveMemoMapping } from '@mlc/ais';
import { formatMinor, parseDecimalToMinor } from '@mlc/money';
import { appendAudit, type Job, jobModel } from '@mlc/mongo';
import {
  type DailySales,
  type DailySalesProposal,
  type DailySalesSettings,
  DailySalesSettingsError,
  dailySalesModel,
  dailySalesProposalModel,
  dailySalesSettingsModel,
  parseDailySalesSettings,
  readDailySalesSettings,
  saveDailySalesSettings,
} from '@mlc/store';
import { type Command, type CommandGroup, parseCommandArgs, UsageError } from '../command.js';
import { type Db, message, operatorActor, renderTable, withMongo } from './settlement.js';

const GROUP = 'daily-sales';
const setCommandFor = (connectionId: string) =>
  `mlc ${GROUP} settings set --connection ${connectionId} <file.json>`;

/** What stored settings say in one line. */
function describe(settings: DailySalesSettings): string {
  const markets = settings.marketplaces.map((m) => `${m.marketplaceId} ${m.currency}`).join(', ');
  return [
    settings.enabled ? 'postings ENABLED' : 'postings disabled',
    `company ${settings.company}`,
    `${settings.documentType} to ledger ${settings.ledgerType}`,
    `grace ${settings.graceMinutes} min`,
    `adjustments for ${settings.adjustmentWindowDays} days`,
    `${settings.marketplaces.length} marketplace(s)${markets ? ` (${markets})` : ''}`,
  ].join(', ');
}

/** The stored settings with who saved them when, or null; bad stored settings are an error (exit 1). */
async function currentSettings(db: Db, connectionId: string) {
  let settings: DailySalesSettings | null;
  try {
    settings = await readDailySalesSettings(db, connectionId);
  } catch (error) {
    if (!(error instanceof DailySalesSettingsError)) throw error;
    throw new Error(`${error.message} — store valid ones with \`${setCommandFor(connectionId)}\``);
  }
  if (!settings) return null;
  const stored = await dailySalesSettingsModel(db)
    .findById(connectionId, { updatedAt: 1, updatedBy: 1 })
    .lean()
    .exec();
  return { settings, updatedAt: stored?.updatedAt, updatedBy: stored?.updatedBy };
}

function connectionArg(values: { connection?: string }, positionals: string[], files = 0): string {
  if (positionals.length > files) throw new UsageError(`unexpected argument "${positionals[files]}"`);
  if (!values.connection) throw new UsageError('--connection is required');
  return values.connection;
}

const noSettings = (connectionId: string) =>
  `no daily sales settings for ${connectionId}: nothing is posted to the memo ledger for it (its daily summaries are still kept). Set them with \`${setCommandFor(connectionId)}\``;

// ---- settings ----

interface SettingsAction {
  name: string;
  usage: string;
  run(args: string[]): Promise<number>;
}

const showSettings: SettingsAction = {
  name: 'show',
  usage: '--connection <id> [--json]',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      connection: { type: 'string' },
      json: { type: 'boolean' },
    });
    const connectionId = connectionArg(values, positionals);
    return withMongo(async (db) => {
      const current = await currentSettings(db, connectionId);
      if (values.json) {
        const json = current
          ? {
              connectionId,
              settings: current.settings,
              updatedAt: current.updatedAt ? new Date(current.updatedAt).toISOString() : null,
              updatedBy: current.updatedBy ?? null,
            }
          : { connectionId, settings: null, note: 'no settings: nothing is posted to the memo ledger' };
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        return 0;
      }
      if (!current) {
        process.stdout.write(`${noSettings(connectionId)}\n`);
        return 0;
      }
      const s = current.settings;
      const lines = [
        `connection          ${connectionId}`,
        `enabled             ${s.enabled ? 'yes: closed days are posted to the memo ledger' : 'no: nothing is proposed (proposals already made are still posted)'}`,
        `company             ${s.company}`,
        `document type       ${s.documentType}`,
        `ledger type         ${s.ledgerType}`,
        `grace               ${s.graceMinutes} minutes after the local day ended`,
        `adjustment window   ${s.adjustmentWindowDays} days`,
        orchestrationLine(s),
      ];
      for (const group of ['inputs', 'outputs'] as const) {
        const names = Object.entries(s.orchestration[group] ?? {});
        if (names.length > 0)
          lines.push(
            `  ${`${group} renamed`.padEnd(18)}${names.map(([ours, theirs]) => `${ours}=${theirs}`).join(', ')}`,
          );
      }
      lines.push(
        `updated             ${current.updatedAt ? new Date(current.updatedAt).toISOString() : '-'} by ${current.updatedBy ?? '-'}`,
        '',
        `marketplaces (${s.marketplaces.length}):`,
        ...renderTable(
          ['marketplace', 'currency', 'time zone', 'account (credit)', 'offset (debit)'],
          s.marketplaces.map((m) => [
            m.marketplaceId,
            m.currency,
            m.timeZone,
            m.account,
            m.offsetAccount ?? '-',
          ]),
        ).map((line) => `  ${line}`),
      );
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    });
  },
};

/** The memo orchestration as jde-poster will call it: the settings over the defaults. */
function orchestrationLine(settings: DailySalesSettings): string {
  const label = 'orchestration       ';
  try {
    const o = resolveMemoMapping(settings.orchestration);
    return `${label}${o.name} ${o.version}, ${o.inputFormat}, job reference in ${o.referenceField}`;
  } catch (error) {
    return `${label}INVALID: ${message(error)} (jde-poster cannot post; fix it with \`set\`)`;
  }
}

/** The file's settings, checked; the connection id may be left out of the file (taken from --connection). */
async function readSettingsFile(file: string, connectionId: string): Promise<DailySalesSettings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(`${file}: ${code === 'ENOENT' ? 'no such file' : message(error)}; nothing stored`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${message(error)}); nothing stored`);
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new Error(`${file}: expected a JSON object of daily sales settings; nothing stored`);
  const record = input as Record<string, unknown>;
  if (record.connectionId !== undefined && record.connectionId !== connectionId) {
    throw new Error(
      `${file}: connectionId is "${String(record.connectionId)}", not "${connectionId}" (--connection); nothing stored`,
    );
  }
  let settings: DailySalesSettings;
  try {
    settings = parseDailySalesSettings({ ...record, connectionId }, file);
  } catch (error) {
    if (!(error instanceof DailySalesSettingsError)) throw error;
    // The store's message is "<file>: <problem>; <problem>…": one problem a line.
    const problems = error.message.slice(file.length + 2).split('; ');
    throw new Error(
      `${file} is not valid (${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing stored):\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
  // Input and output names are checked here as jde-poster checks them when it posts.
  try {
    resolveMemoMapping(settings.orchestration);
  } catch (error) {
    if (!(error instanceof AisError)) throw error;
    throw new Error(
      `${file}: ${error.message.replace(/^memo orchestration /, 'orchestration.')}; nothing stored`,
    );
  }
  return settings;
}

/** Top-level fields whose value differs (marketplaces and orchestration compared whole). */
function changedFields(before: DailySalesSettings | null, after: DailySalesSettings): string[] {
  if (!before) return Object.keys(after).filter((key) => key !== 'connectionId');
  return (Object.keys(after) as Array<keyof DailySalesSettings>).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
}

const setSettings: SettingsAction = {
  name: 'set',
  usage: '--connection <id> <file.json>',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, { connection: { type: 'string' } });
    const connectionId = connectionArg(values, positionals, 1);
    const file = positionals[0];
    if (!file) throw new UsageError('give the settings JSON file');
    const settings = await readSettingsFile(file, connectionId);
    return withMongo(async (db) => {
      // Stored settings that no longer parse are replaced: this is how they are repaired.
      let before: DailySalesSettings | null = null;
      let beforeInvalid = false;
      try {
        before = await readDailySalesSettings(db, connectionId);
      } catch (error) {
        if (!(error instanceof DailySalesSettingsError)) throw error;
        beforeInvalid = true;
      }
      const saved = await saveDailySalesSettings(db, settings, operatorActor());
      const changed = changedFields(before, saved);
      await appendAudit(db, {
        actor: operatorActor(),
        action: `${GROUP}.configured`,
        connectionId,
        detail: {
          file: path.basename(file),
          enabled: saved.enabled,
          previouslyEnabled: before ? before.enabled : null,
          replacedInvalid: beforeInvalid,
          changed,
          ledgerType: saved.ledgerType,
          company: saved.company,
          marketplaces: saved.marketplaces.map((m) => `${m.marketplaceId} ${m.currency}`),
        },
      });
      process.stdout.write(
        `saved daily sales settings of ${connectionId} from ${file}: ${describe(saved)}${before ? `; changed: ${changed.join(', ') || 'nothing'}` : ' (new)'}\n`,
      );
      return 0;
    });
  },
};

function switchAction(enabled: boolean): SettingsAction {
  const name = enabled ? 'enable' : 'disable';
  return {
    name,
    usage: '--connection <id>',
    async run(args) {
      const { values, positionals } = parseCommandArgs(args, { connection: { type: 'string' } });
      const connectionId = connectionArg(values, positionals);
      return withMongo(async (db) => {
        const current = await currentSettings(db, connectionId);
        if (!current) {
          if (enabled) {
            throw new Error(
              `no daily sales settings for ${connectionId}: there is nothing to enable. Set them first with \`${setCommandFor(connectionId)}\` (enabled: true or false)`,
            );
          }
          process.stdout.write(`${noSettings(connectionId)}\n`);
          return 0;
        }
        if (current.settings.enabled === enabled) {
          process.stdout.write(
            `daily sales postings of ${connectionId} are already ${enabled ? 'enabled' : 'disabled'}; nothing changed\n`,
          );
          return 0;
        }
        await saveDailySalesSettings(db, { ...current.settings, enabled }, operatorActor());
        await appendAudit(db, {
          actor: operatorActor(),
          action: `${GROUP}.${enabled ? 'enabled' : 'disabled'}`,
          connectionId,
          detail: { enabled },
        });
        process.stdout.write(
          enabled
            ? `enabled daily sales postings of ${connectionId}: closed days are proposed to the memo ledger from mapping's next sweep\n`
            : `disabled daily sales postings of ${connectionId}: nothing more is proposed from mapping's next sweep (proposals already made are still posted)\n`,
        );
        return 0;
      });
    },
  };
}

const settingsActions: SettingsAction[] = [
  showSettings,
  setSettings,
  switchAction(true),
  switchAction(false),
];

const settings: Command = {
  name: 'settings',
  summary:
    "Show, set (from a JSON file, checked field by field; a bad file stores nothing), enable or disable the connection's daily sales settings; changes are audited",
  // The group help prints `mlc daily-sales settings <usage>`: one line per action.
  usage: settingsActions.map((a) => `${a.name} ${a.usage}`).join(`\n  mlc ${GROUP} settings `),
  async run(args) {
    const [actionName, ...rest] = args;
    const action = settingsActions.find((a) => a.name === actionName);
    if (!action) {
      throw new UsageError(
        actionName
          ? `unknown settings action "${actionName}" (show, set, enable or disable)`
          : 'say show, set, enable or disable',
      );
    }
    return action.run(rest);
  },
};

// ---- status ----

/** The calendar day (YYYY-MM-DD) an instant falls on in a time zone. */
function localDay(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

interface ProposalStatus {
  jobId: string;
  adjustment: number;
  amount: string;
  published: boolean;
  proposedAt: string;
  /** jde-poster's job: absent until it took the proposal. */
  job: {
    state: Job['state'];
    attempts: number;
    document?: string;
    batch?: string;
    lastError?: string;
  } | null;
}

interface DayStatus {
  marketplaceId: string;
  currency: string;
  day: string;
  orders: number;
  cancelled: number;
  total: string;
  summaryUpdatedAt: string | null;
  proposed: string;
  posted: string;
  /** The day's total minus everything proposed: what a later sweep still proposes. */
  unproposed: string;
  state: string;
  proposals: ProposalStatus[];
}

function proposalStatus(proposal: DailySalesProposal, job: Job | undefined): ProposalStatus {
  const result = (job?.result ?? {}) as Record<string, unknown>;
  return {
    jobId: proposal._id,
    adjustment: proposal.adjustment,
    amount: formatMinor(BigInt(proposal.amountMinor), proposal.currency),
    published: proposal.published,
    proposedAt: new Date(proposal.createdAt).toISOString(),
    job: job
      ? {
          state: job.state,
          attempts: job.attempts,
          ...(result.documentNumber !== undefined
            ? {
                document: `${result.company ?? '?'} ${result.documentType ?? '?'} ${result.documentNumber}`,
              }
            : {}),
          ...(result.batchNumber ? { batch: String(result.batchNumber) } : {}),
          ...(job.lastError ? { lastError: job.lastError } : {}),
        }
      : null,
  };
}

/** One word or phrase for the row: what happened to the day, and if nothing, why not. */
function dayState(row: Omit<DayStatus, 'state'>, unproposedMinor: bigint, why: string | undefined): string {
  const states = row.proposals.map((p) => p.job?.state ?? (p.published ? 'proposed' : 'unpublished'));
  if (states.includes('rejected')) return 'REJECTED (see the dead-letter topic)';
  if (row.proposals.length === 0)
    return why ?? (unproposedMinor === 0n ? 'nothing to post' : 'not proposed yet');
  const waiting = states.filter((s) => s !== 'posted');
  if (waiting.length > 0)
    return `${waiting.length} of ${states.length} not posted yet (${[...new Set(waiting)].join(', ')})`;
  if (unproposedMinor !== 0n)
    return `posted; ${why ? why.replace('not posted: ', 'adjustment not proposed: ') : 'adjustment due'}`;
  return 'posted';
}

const status: Command = {
  name: 'status',
  summary:
    'Per marketplace and local day: orders and sales total, what was proposed to the memo ledger and what jde-poster posted (document numbers)',
  usage: '--connection <id> [--days <n>] [--json]',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      connection: { type: 'string' },
      days: { type: 'string' },
      json: { type: 'boolean' },
    });
    const connectionId = connectionArg(values, positionals);
    const days = values.days === undefined ? 14 : Number(values.days);
    if (!Number.isInteger(days) || days < 1)
      throw new UsageError(`--days "${values.days}" is not a positive whole number`);

    return withMongo(async (db) => {
      let settings: DailySalesSettings | null = null;
      let settingsProblem: string | undefined;
      try {
        settings = await readDailySalesSettings(db, connectionId);
      } catch (error) {
        if (!(error instanceof DailySalesSettingsError)) throw error;
        settingsProblem = error.message;
      }
      // The window is counted in each marketplace's own days (UTC for marketplaces without settings).
      const now = new Date();
      const startOf = (timeZone: string) =>
        localDay(new Date(now.getTime() - (days - 1) * 86_400_000), timeZone);
      const zoneOf = (marketplaceId: string, currency: string) =>
        settings?.marketplaces.find((m) => m.marketplaceId === marketplaceId && m.currency === currency)
          ?.timeZone;
      const earliest = [
        startOf('UTC'),
        ...(settings?.marketplaces ?? []).map((m) => startOf(m.timeZone)),
      ].sort()[0]!;
      const inWindow = (r: { marketplaceId: string; currency: string; day: string }) =>
        r.day >= startOf(zoneOf(r.marketplaceId, r.currency) ?? 'UTC');

      const summaries = (
        (await dailySalesModel(db)
          .find({ connectionId, day: { $gte: earliest } })
          .lean()
          .exec()) as DailySales[]
      ).filter(inWindow);
      const proposals = (
        (await dailySalesProposalModel(db)
          .find({ connectionId, day: { $gte: earliest } })
          .lean()
          .exec()) as DailySalesProposal[]
      ).filter(inWindow);
      const jobIds = proposals.map((p) => p._id);
      const jobs = jobIds.length
        ? ((await jobModel(db)
            .find({ jobId: { $in: jobIds } })
            .lean()
            .exec()) as Job[])
        : [];
      const jobOf = new Map(jobs.map((j) => [j.jobId, j]));

      const key = (r: { marketplaceId: string; currency: string; day: string }) =>
        `${r.marketplaceId}\u0000${r.currency}\u0000${r.day}`;
      const keys = new Map<string, { marketplaceId: string; currency: string; day: string }>();
      for (const r of [...summaries, ...proposals])
        keys.set(key(r), { marketplaceId: r.marketplaceId, currency: r.currency, day: r.day });
      const summaryOf = new Map(summaries.map((s) => [key(s), s]));

      const rows: DayStatus[] = [...keys.values()]
        .sort(
          (a, b) =>
            a.marketplaceId.localeCompare(b.marketplaceId) ||
            a.currency.localeCompare(b.currency) ||
            a.day.localeCompare(b.day),
        )
        .map((k) => {
          const summary = summaryOf.get(key(k));
          const own = proposals.filter((p) => key(p) === key(k)).sort((a, b) => a.adjustment - b.adjustment);
          const money = (minor: bigint) => formatMinor(minor, k.currency);
          const totalMinor = summary
            ? parseDecimalToMinor(summary.total, k.currency, { decimalSeparator: '.' })
            : 0n;
          const proposedMinor = own.reduce((sum, p) => sum + BigInt(p.amountMinor), 0n);
          const postedMinor = own
            .filter((p) => jobOf.get(p._id)?.state === 'posted')
            .reduce((sum, p) => sum + BigInt(p.amountMinor), 0n);
          const why = !settings
            ? settingsProblem
              ? 'not posted: the settings are invalid'
              : 'not posted: no settings'
            : !settings.enabled
              ? 'not posted: disabled'
              : !zoneOf(k.marketplaceId, k.currency)
                ? 'not posted: marketplace not in the settings'
                : undefined;
          const row = {
            ...k,
            orders: summary?.orders ?? 0,
            cancelled: summary?.cancelled ?? 0,
            total: money(totalMinor),
            summaryUpdatedAt: summary ? new Date(summary.updatedAt).toISOString() : null,
            proposed: money(proposedMinor),
            posted: money(postedMinor),
            unproposed: money(totalMinor - proposedMinor),
            proposals: own.map((p) => proposalStatus(p, jobOf.get(p._id))),
          };
          return { ...row, state: dayState(row, totalMinor - proposedMinor, why) };
        });

      const settingsLine = settingsProblem
        ? `settings INVALID: ${settingsProblem} — nothing is proposed until \`${setCommandFor(connectionId)}\``
        : settings
          ? describe(settings)
          : noSettings(connectionId);
      if (values.json) {
        const json = {
          connectionId,
          days,
          settings: settings
            ? {
                enabled: settings.enabled,
                graceMinutes: settings.graceMinutes,
                ledgerType: settings.ledgerType,
              }
            : null,
          ...(settingsProblem ? { settingsProblem } : {}),
          rows,
        };
        process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
        return 0;
      }
      const lines = [`daily sales of ${connectionId}, last ${days} day(s): ${settingsLine}`, ''];
      if (rows.length === 0) lines.push('(no daily sales recorded in this window)');
      else {
        lines.push(
          ...renderTable(
            [
              'marketplace',
              'currency',
              'day',
              'orders',
              'cancelled',
              'total',
              'proposed',
              'posted',
              'state',
              'JDE documents',
            ],
            rows.map((r) => [
              r.marketplaceId,
              r.currency,
              r.day,
              String(r.orders),
              String(r.cancelled),
              r.total,
              r.proposals.length ? `${r.proposed} (${r.proposals.length})` : '-',
              r.proposals.length ? r.posted : '-',
              r.state,
              r.proposals
                .map((p) => p.job?.document)
                .filter((d) => d !== undefined)
                .join('; '),
            ]),
            [3, 4, 5, 6, 7],
          ),
        );
        // What JDE said about rejected postings, and attempts that failed and wait for a retry.
        const problems = rows.flatMap((r) =>
          r.proposals
            .filter((p) => p.job?.lastError && p.job.state !== 'posted')
            .map((p) => `  ${p.jobId} (${p.job!.state}): ${p.job!.lastError!.replace(/\s+/g, ' ')}`),
        );
        if (problems.length > 0) lines.push('', 'problems:', ...problems);
        if (settings?.enabled)
          lines.push(
            '',
            `A day is proposed once it has ended in the marketplace's time zone, ${settings.graceMinutes} minutes of grace have passed and its summary has been quiet for a sweep; later changes are proposed as adjustments (the difference only).`,
          );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    });
  },
};

export const dailySalesCommands: CommandGroup = {
  name: GROUP,
  summary: 'daily sales to the JDE memo ledger: settings (show, set, enable, disable), status per day',
  commands: [settings, status],
};
