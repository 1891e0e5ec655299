/**
 * `mlc items …`: seller SKUs and their JDE items (docs/mapping.md "Items").
 *
 * - `status` lists the SKUs the mapping service has seen — matched (with the JDE short item
 *   number), unmatched, ambiguous, too long and conflicting — each with its reason, where its ASIN /
 *   FNSKU cross references stand, and the latest FBA fulfillable quantity; first a count per
 *   connection, marketplace and status. Filter with --connection, --marketplace, --status.
 * - `settings` shows a connection's item settings in force (stored version, or the defaults).
 * - `configure` checks a settings JSON file and saves it as the connection's next version (unless
 *   --dry-run), with an `items.configured` audit event; mapping uses it within 30 s.
 *
 * Needs MLC_MONGO_URL (default mongodb://127.0.0.1:27017/ml-connector). Exit codes: 0 done, 1 failed
 * (the message says why), 2 usage.
 */
import { readFile } from 'node:fs/promises';
import { appendAudit } from '@mlc/mongo';
import {
  currentItemSettings,
  ITEM_MATCH_STATUSES,
  type ItemMatchStatus,
  type ItemState,
  itemStateModel,
  parseItemSettings,
  saveItemSettings,
} from '@mlc/store';
import { type Command, type CommandGroup, parseCommandArgs, UsageError } from '../command.js';
import { message, operatorActor, renderTable, withMongo } from './settlement.js';

const status: Command = {
  name: 'status',
  summary:
    'SKUs by JDE match status (matched, unmatched, ambiguous, too_long, conflict) with reasons, cross references and FBA stock',
  usage: '[--connection <id>] [--marketplace <id>] [--status <status>] [--limit <n>] [--json]',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      connection: { type: 'string' },
      marketplace: { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    const wanted = values.status;
    if (wanted !== undefined && !(ITEM_MATCH_STATUSES as readonly string[]).includes(wanted))
      throw new UsageError(`--status must be one of ${ITEM_MATCH_STATUSES.join(', ')}, not "${wanted}"`);
    const limit = values.limit === undefined ? 200 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new UsageError(`--limit "${values.limit}" is not a positive whole number`);
    const filter: Record<string, unknown> = { status: { $exists: true } };
    if (values.connection) filter.connectionId = values.connection;
    if (values.marketplace) filter.marketplaceId = values.marketplace;
    if (wanted) filter.status = wanted as ItemMatchStatus;

    return withMongo(async (db) => {
      const model = itemStateModel(db);
      const summary = new Map<
        string,
        { connectionId: string; marketplaceId: string; counts: Record<string, number> }
      >();
      const cursor = model
        .find(filter, { connectionId: 1, marketplaceId: 1, status: 1 })
        .lean()
        .cursor() as AsyncIterable<Pick<ItemState, 'connectionId' | 'marketplaceId' | 'status'>>;
      let total = 0;
      for await (const doc of cursor) {
        total++;
        const key = `${doc.connectionId}\u0000${doc.marketplaceId}`;
        const row = summary.get(key) ?? {
          connectionId: doc.connectionId,
          marketplaceId: doc.marketplaceId,
          counts: {},
        };
        row.counts[doc.status as string] = (row.counts[doc.status as string] ?? 0) + 1;
        summary.set(key, row);
      }
      const summaryRows = [...summary.values()].sort(
        (a, b) =>
          a.connectionId.localeCompare(b.connectionId) || a.marketplaceId.localeCompare(b.marketplaceId),
      );
      // Problems first (the order of ITEM_MATCH_STATUSES, matched last), then by SKU.
      const items: ItemState[] = [];
      for (const s of [...ITEM_MATCH_STATUSES.filter((x) => x !== 'matched'), 'matched' as const]) {
        if (items.length >= limit) break;
        if (wanted && wanted !== s) continue;
        const found = (await model
          .find({ ...filter, status: s })
          .sort({ connectionId: 1, marketplaceId: 1, sku: 1 })
          .limit(limit - items.length)
          .lean()
          .exec()) as ItemState[];
        items.push(...found);
      }

      if (values.json) {
        process.stdout.write(
          `${JSON.stringify({ total, summary: summaryRows, items: items.map(itemJson) }, null, 2)}\n`,
        );
        return 0;
      }
      if (total === 0) {
        process.stdout.write('(no SKUs seen yet)\n');
        return 0;
      }
      const lines = renderTable(
        ['connection', 'marketplace', ...ITEM_MATCH_STATUSES],
        summaryRows.map((r) => [
          r.connectionId,
          r.marketplaceId,
          ...ITEM_MATCH_STATUSES.map((s) => String(r.counts[s] ?? 0)),
        ]),
        [2, 3, 4, 5, 6],
      );
      lines.push(
        '',
        ...renderTable(
          ['connection', 'marketplace', 'sku', 'status', 'item', 'asin', 'fnsku', 'fulfillable', 'reason'],
          items.map((i) => [
            i.connectionId,
            i.marketplaceId,
            i.sku,
            i.status ?? '-',
            i.itemNumber ?? (i.candidates ? `(${i.candidates})` : '-'),
            xrefText(i.crossReferences?.asin),
            xrefText(i.crossReferences?.fnsku),
            i.stock ? String(i.stock.fulfillable) : '-',
            i.reason ?? '',
          ]),
          [7],
        ),
      );
      if (total > items.length)
        lines.push(`(${items.length} of ${total} SKUs shown, problems first; see --limit)`);
      process.stdout.write(`${lines.join('\n')}\n`);
      return 0;
    });
  },
};

function xrefText(xref: { state: string; value: string } | undefined): string {
  return xref ? `${xref.value} ${xref.state}` : '-';
}

function itemJson(i: ItemState): Record<string, unknown> {
  return {
    connectionId: i.connectionId,
    marketplaceId: i.marketplaceId,
    sku: i.sku,
    status: i.status,
    reason: i.reason,
    itemNumber: i.itemNumber ?? null,
    secondItemNumber: i.secondItemNumber ?? null,
    candidates: i.candidates ? i.candidates.split(',') : [],
    asin: i.asin ?? null,
    fnSku: i.fnSku ?? null,
    crossReferences: i.crossReferences ?? {},
    stock: i.stock ?? null,
    matchRule: i.matchRule ?? null,
    settingsVersion: i.settingsVersion ?? null,
    updatedAt: i.updatedAt,
  };
}

const settings: Command = {
  name: 'settings',
  summary: "Show a connection's item settings in force (the stored version, or the defaults)",
  usage: '--connection <id> [--json]',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      connection: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
    if (!values.connection) throw new UsageError('--connection is required');
    const connectionId = values.connection;
    return withMongo(async (db) => {
      const current = await currentItemSettings(db, connectionId);
      if (values.json) {
        process.stdout.write(`${JSON.stringify({ connectionId, ...current }, null, 2)}\n`);
      } else {
        const what = current.version === 0 ? 'defaults (no version stored)' : `version ${current.version}`;
        process.stdout.write(
          `item settings of ${connectionId}: ${what}\n${JSON.stringify(current.settings, null, 2)}\n`,
        );
      }
      return 0;
    });
  },
};

const configure: Command = {
  name: 'configure',
  summary: "Check a settings JSON file and save it as the connection's next item settings version",
  usage: '--connection <id> <settings.json> [--dry-run]',
  async run(args) {
    const { values, positionals } = parseCommandArgs(args, {
      connection: { type: 'string' },
      'dry-run': { type: 'boolean' },
    });
    if (!values.connection) throw new UsageError('--connection is required');
    if (positionals.length !== 1) throw new UsageError('give exactly one settings file');
    const file = positionals[0] as string;
    const connectionId = values.connection;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new Error(`cannot read ${file}: ${message(error)}`);
    }
    const parsed = parseItemSettings(text, file);
    if (values['dry-run']) {
      process.stdout.write(
        `${file}: valid item settings (dry run, nothing saved)\n${JSON.stringify(parsed, null, 2)}\n`,
      );
      return 0;
    }
    return withMongo(async (db) => {
      const stored = await saveItemSettings(db, {
        connectionId,
        settings: parsed,
        createdBy: operatorActor(),
      });
      await appendAudit(db, {
        actor: operatorActor(),
        action: 'items.configured',
        connectionId,
        detail: { version: stored.version, file },
      });
      process.stdout.write(`saved item settings version ${stored.version} of ${connectionId}\n`);
      return 0;
    });
  },
};

export const itemsCommands: CommandGroup = {
  name: 'items',
  summary: 'Seller SKUs matched to JDE items: status with reasons, item settings',
  commands: [status, settings, configure],
};
