/**
 * Per-connection settings for posting daily sales to a JDE memo ledger: whether the connection
 * posts at all, the memo ledger type, the company and document type, when a day counts as closed,
 * which orchestration to call with which input names, and the memo account(s) per marketplace and
 * currency. One document per connection (`daily_sales_settings`, `_id` = connection id); a
 * connection without one gets daily summaries on the dashboard but posts nothing.
 *
 * Kept apart from the mapping rule set on purpose: rule sets are versioned per settlement mapping
 * and re-mapping a settlement must reproduce its journals exactly, while these settings are
 * operational switches an operator flips at any time (docs/configuration.md).
 *
 * Stored as JSON text, validated here on every save and every read: a bad document is an error
 * that names the field, never a silent default.
 */
import { type Connection, type Model, Schema } from 'mongoose';

export interface DailySalesMarketplace {
  marketplaceId: string;
  currency: string;
  /** IANA time zone whose calendar day the sales are summed by, e.g. "America/Los_Angeles". */
  timeZone: string;
  /** Memo account (BU.OBJ.SUB) that carries the day's sales as a credit. */
  account: string;
  /** Balancing account (the debit) — required when the memo ledger must balance; absent: single-sided. */
  offsetAccount?: string;
}

/** How the memo orchestration is wired; unset fields take the defaults of docs/jde-orchestration.md. */
export interface MemoOrchestrationSettings {
  name?: string;
  version?: 'v1' | 'v2' | 'v3';
  inputFormat?: 'JDE Standard' | 'Generic';
  referenceField?: 'EXR' | 'EXA' | 'VR01';
  inputs?: Record<string, string>;
  outputs?: Record<string, string>;
}

export interface DailySalesSettings {
  connectionId: string;
  /** Memo postings on or off for this connection (summaries are kept either way). */
  enabled: boolean;
  /** Document company (KCO). */
  company: string;
  /** Document type (DCT); default "JE". */
  documentType: string;
  /** JDE ledger type (UDC 09/LT) of the memo ledger, e.g. a customer ledger "U1"; never AA. */
  ledgerType: string;
  /** Minutes after the marketplace-local day ended before it is posted (late order updates). */
  graceMinutes: number;
  /** How many days back late order changes still produce adjustments. */
  adjustmentWindowDays: number;
  orchestration: MemoOrchestrationSettings;
  marketplaces: DailySalesMarketplace[];
}

interface StoredDailySalesSettings {
  _id: string;
  definition: string;
  updatedAt: Date;
  updatedBy: string;
}

const settingsSchema = new Schema<StoredDailySalesSettings>(
  {
    _id: { type: String, required: true },
    definition: { type: String, required: true },
    updatedAt: { type: Date, required: true },
    updatedBy: { type: String, required: true },
  },
  { collection: 'daily_sales_settings', versionKey: false },
);

export function dailySalesSettingsModel(connection: Connection): Model<StoredDailySalesSettings> {
  return (
    (connection.models.DailySalesSettings as Model<StoredDailySalesSettings>) ??
    connection.model('DailySalesSettings', settingsSchema)
  );
}

/** Ledger types that are not memo ledgers: actual amounts and their foreign-currency twin. */
const ACTUAL_LEDGERS = new Set(['AA', 'CA']);

export class DailySalesSettingsError extends Error {
  override name = 'DailySalesSettingsError';
}

/** Checks a settings object; every problem names its field. Fills the documented defaults. */
export function parseDailySalesSettings(input: unknown, where = 'daily sales settings'): DailySalesSettings {
  const problems: string[] = [];
  const record = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const text = (field: string, value: unknown, max: number, fallback?: string): string => {
    if (value === undefined && fallback !== undefined) return fallback;
    if (typeof value !== 'string' || value.trim() === '') {
      problems.push(`${field} is required (text)`);
      return '';
    }
    if (value.trim().length > max) problems.push(`${field} "${value}" is longer than ${max} characters`);
    return value.trim();
  };
  const whole = (field: string, value: unknown, fallback: number, min: number): number => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
      problems.push(`${field} must be a whole number ≥ ${min}`);
      return fallback;
    }
    return value;
  };
  const connectionId = text('connectionId', record.connectionId, 200);
  if (typeof record.enabled !== 'boolean') problems.push('enabled must be true or false');
  const company = text('company', record.company, 5);
  const documentType = text('documentType', record.documentType, 2, 'JE');
  const ledgerType = text('ledgerType', record.ledgerType, 2).toUpperCase();
  if (ACTUAL_LEDGERS.has(ledgerType))
    problems.push(`ledgerType ${ledgerType} is an actuals ledger; daily sales go to a memo ledger (e.g. U1)`);
  const graceMinutes = whole('graceMinutes', record.graceMinutes, 24 * 60, 0);
  const adjustmentWindowDays = whole('adjustmentWindowDays', record.adjustmentWindowDays, 60, 1);
  const orchestration = parseOrchestration(record.orchestration, problems);

  const marketplaces: DailySalesMarketplace[] = [];
  const seen = new Set<string>();
  const list = Array.isArray(record.marketplaces) ? record.marketplaces : [];
  if (!Array.isArray(record.marketplaces)) problems.push('marketplaces must be a list');
  list.forEach((raw: unknown, i) => {
    const m = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const field = `marketplaces[${i}]`;
    const marketplaceId = text(`${field}.marketplaceId`, m.marketplaceId, 40);
    const currency = text(`${field}.currency`, m.currency, 3);
    if (currency && !/^[A-Z]{3}$/.test(currency))
      problems.push(`${field}.currency "${currency}" is not an ISO 4217 code`);
    const timeZone = text(`${field}.timeZone`, m.timeZone, 64, 'UTC');
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
    } catch {
      problems.push(`${field}.timeZone "${timeZone}" is not an IANA time zone`);
    }
    const account = text(`${field}.account`, m.account, 29);
    const entry: DailySalesMarketplace = { marketplaceId, currency, timeZone, account };
    if (m.offsetAccount !== undefined)
      entry.offsetAccount = text(`${field}.offsetAccount`, m.offsetAccount, 29);
    const key = `${marketplaceId}:${currency}`;
    if (seen.has(key)) problems.push(`${field} repeats marketplace ${marketplaceId} in ${currency}`);
    seen.add(key);
    marketplaces.push(entry);
  });
  if (problems.length > 0) throw new DailySalesSettingsError(`${where}: ${problems.join('; ')}`);
  return {
    connectionId,
    enabled: record.enabled as boolean,
    company,
    documentType,
    ledgerType,
    graceMinutes,
    adjustmentWindowDays,
    orchestration,
    marketplaces,
  };
}

function parseOrchestration(input: unknown, problems: string[]): MemoOrchestrationSettings {
  if (input === undefined) return {};
  if (typeof input !== 'object' || input === null) {
    problems.push('orchestration must be an object');
    return {};
  }
  const o = input as Record<string, unknown>;
  const out: MemoOrchestrationSettings = {};
  const oneOf = <T extends string>(field: string, value: unknown, allowed: readonly T[]): T | undefined => {
    if (value === undefined) return undefined;
    if (!allowed.includes(value as T)) {
      problems.push(`orchestration.${field} must be one of ${allowed.join(', ')}`);
      return undefined;
    }
    return value as T;
  };
  if (o.name !== undefined) {
    if (typeof o.name !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(o.name))
      problems.push(`orchestration.name "${String(o.name)}" is not an orchestration name`);
    else out.name = o.name;
  }
  const version = oneOf('version', o.version, ['v1', 'v2', 'v3'] as const);
  if (version) out.version = version;
  const inputFormat = oneOf('inputFormat', o.inputFormat, ['JDE Standard', 'Generic'] as const);
  if (inputFormat) out.inputFormat = inputFormat;
  const referenceField = oneOf('referenceField', o.referenceField, ['EXR', 'EXA', 'VR01'] as const);
  if (referenceField) out.referenceField = referenceField;
  for (const group of ['inputs', 'outputs'] as const) {
    const names = o[group];
    if (names === undefined) continue;
    if (typeof names !== 'object' || names === null) {
      problems.push(`orchestration.${group} must map our names to the orchestration's`);
      continue;
    }
    const map: Record<string, string> = {};
    for (const [ours, theirs] of Object.entries(names)) {
      if (typeof theirs !== 'string' || theirs.trim() === '')
        problems.push(`orchestration.${group}.${ours} must be a non-empty name`);
      else map[ours] = theirs;
    }
    out[group] = map;
  }
  return out;
}

/** Validates and stores the connection's settings (replacing earlier ones). */
export async function saveDailySalesSettings(
  connection: Connection,
  settings: unknown,
  updatedBy: string,
): Promise<DailySalesSettings> {
  const valid = parseDailySalesSettings(settings);
  await dailySalesSettingsModel(connection)
    .replaceOne(
      { _id: valid.connectionId },
      { _id: valid.connectionId, definition: JSON.stringify(valid), updatedAt: new Date(), updatedBy },
      { upsert: true },
    )
    .exec();
  return valid;
}

/** The connection's settings, or null when it has none (nothing is posted for it). */
export async function readDailySalesSettings(
  connection: Connection,
  connectionId: string,
): Promise<DailySalesSettings | null> {
  const stored = await dailySalesSettingsModel(connection).findById(connectionId).lean().exec();
  if (!stored) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored.definition);
  } catch {
    throw new DailySalesSettingsError(`daily sales settings of ${connectionId}: stored text is not JSON`);
  }
  return parseDailySalesSettings(parsed, `daily sales settings of ${connectionId}`);
}
