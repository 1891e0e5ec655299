/**
 * Item settings, versioned per connection: how the connection's seller SKUs are matched to JDE
 * items and whether (and through which customer-built orchestration) missing ASIN / FNSKU cross
 * references are added to F4104. Stored like mapping rule sets — a new version is a new document,
 * the definition is JSON text — and validated by parseItemSettings before it is saved or used, so a
 * bad document is refused with the field named. No document: DEFAULT_ITEM_SETTINGS (match by
 * F4101.LITM, report only, nothing written to JDE). docs/mapping.md ("Items") explains each field.
 */
import { type Connection, type Model, Schema } from 'mongoose';

/** `litm`: F4101 2nd item number; `aitm`: F4101 3rd item number; `xref:<XRT>`: F4104 cross reference of that type. */
export type ItemMatchRule = 'litm' | 'aitm' | `xref:${string}`;

export type ItemInputFormat = 'JDE Standard' | 'Generic';

export interface CrossReferenceOrchestration {
  /** The customer-built orchestration over P4104 (docs/jde-orchestration.md). */
  name: string;
  version: 'v1' | 'v2' | 'v3';
  inputFormat: ItemInputFormat;
  inputs: {
    itemNumber: string;
    crossReferenceType: string;
    addressNumber: string;
    crossReferenceItemNumber: string;
    description: string;
  };
}

export interface ItemSettings {
  match: ItemMatchRule;
  /** UDC 41/DT codes the customer set up for Amazon identifiers; absent = not kept in JDE. */
  crossReferenceTypes: { asin?: string; fnsku?: string };
  /** F4104.AN8 for lookups and new cross references; "0" when the rows are for all customers. */
  addressNumber: string;
  /** Marketplace id → AN8 where marketplaces map to different JDE customers. */
  addressNumberByMarketplace: Record<string, string>;
  /** Add missing ASIN / FNSKU cross references to matched items (off: report only). */
  createCrossReferences: boolean;
  /** Create JDE items for unmatched SKUs. Not supported yet: a document that turns it on is refused. */
  createMissingItems: false;
  orchestration: CrossReferenceOrchestration;
}

export const DEFAULT_CROSS_REFERENCE_ORCHESTRATION: CrossReferenceOrchestration = Object.freeze({
  name: 'ORCH_MLC_AddItemCrossReference',
  version: 'v3',
  inputFormat: 'JDE Standard',
  inputs: Object.freeze({
    itemNumber: 'ItemNumber',
    crossReferenceType: 'CrossReferenceType',
    addressNumber: 'AddressNumber',
    crossReferenceItemNumber: 'CrossReferenceItemNumber',
    description: 'Description',
  }),
}) as CrossReferenceOrchestration;

export const DEFAULT_ITEM_SETTINGS: ItemSettings = Object.freeze({
  match: 'litm',
  crossReferenceTypes: Object.freeze({}),
  addressNumber: '0',
  addressNumberByMarketplace: Object.freeze({}),
  createCrossReferences: false,
  createMissingItems: false,
  orchestration: DEFAULT_CROSS_REFERENCE_ORCHESTRATION,
}) as ItemSettings;

export class ItemSettingsError extends Error {
  override name = 'ItemSettingsError';
}

const XRT = /^[A-Z0-9]{1,2}$/;
const AN8 = /^\d{1,8}$/;

/**
 * Validates a settings document (JSON text or a parsed object) and fills defaults. Every error names
 * the field: `item settings: match: …`.
 */
export function parseItemSettings(input: string | unknown, where = 'item settings'): ItemSettings {
  let raw: unknown = input;
  if (typeof input === 'string') {
    try {
      raw = JSON.parse(input);
    } catch (error) {
      throw new ItemSettingsError(`${where}: not JSON: ${(error as Error).message}`);
    }
  }
  const fail = (field: string, message: string): never => {
    throw new ItemSettingsError(`${where}: ${field}: ${message}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('(document)', 'expected an object');
  const doc = raw as Record<string, unknown>;
  const known = [
    'match',
    'crossReferenceTypes',
    'addressNumber',
    'addressNumberByMarketplace',
    'createCrossReferences',
    'createMissingItems',
    'orchestration',
  ];
  for (const key of Object.keys(doc))
    if (!known.includes(key)) fail(key, `unknown field (known: ${known.join(', ')})`);

  const match = doc.match ?? DEFAULT_ITEM_SETTINGS.match;
  if (typeof match !== 'string') return fail('match', 'expected "litm", "aitm" or "xref:<type>"');
  if (match !== 'litm' && match !== 'aitm') {
    const type = /^xref:(.*)$/.exec(match as string)?.[1];
    if (type === undefined) fail('match', `"${match}" is not "litm", "aitm" or "xref:<type>"`);
    if (!XRT.test(type as string))
      fail('match', `cross-reference type "${type}" is not a 1–2 character UDC 41/DT code`);
  }

  const types = (doc.crossReferenceTypes ?? {}) as Record<string, unknown>;
  if (typeof types !== 'object' || Array.isArray(types))
    fail('crossReferenceTypes', 'expected {"asin": "<XRT>", "fnsku": "<XRT>"}');
  const crossReferenceTypes: ItemSettings['crossReferenceTypes'] = {};
  for (const [kind, value] of Object.entries(types)) {
    if (kind !== 'asin' && kind !== 'fnsku') fail(`crossReferenceTypes.${kind}`, 'only asin and fnsku');
    if (typeof value !== 'string' || !XRT.test(value))
      fail(`crossReferenceTypes.${kind}`, `"${String(value)}" is not a 1–2 character UDC 41/DT code`);
    crossReferenceTypes[kind as 'asin' | 'fnsku'] = value as string;
  }
  if (crossReferenceTypes.asin && crossReferenceTypes.asin === crossReferenceTypes.fnsku)
    fail('crossReferenceTypes', 'asin and fnsku need different types');
  const skuType = match.startsWith('xref:') ? match.slice(5) : undefined;
  for (const kind of ['asin', 'fnsku'] as const) {
    if (skuType && crossReferenceTypes[kind] === skuType)
      fail(`crossReferenceTypes.${kind}`, `"${skuType}" is already the SKU's type in match`);
  }

  const addressNumber = String(doc.addressNumber ?? DEFAULT_ITEM_SETTINGS.addressNumber);
  if (!AN8.test(addressNumber))
    fail('addressNumber', `"${addressNumber}" is not an address number (1–8 digits)`);
  const byMarketplace = (doc.addressNumberByMarketplace ?? {}) as Record<string, unknown>;
  if (typeof byMarketplace !== 'object' || Array.isArray(byMarketplace))
    fail('addressNumberByMarketplace', 'expected {"<marketplaceId>": "<AN8>"}');
  const addressNumberByMarketplace: Record<string, string> = {};
  for (const [marketplace, value] of Object.entries(byMarketplace)) {
    if (!AN8.test(String(value)))
      fail(
        `addressNumberByMarketplace.${marketplace}`,
        `"${String(value)}" is not an address number (1–8 digits)`,
      );
    addressNumberByMarketplace[marketplace] = String(value);
  }

  const flag = (name: 'createCrossReferences' | 'createMissingItems'): boolean => {
    const value = doc[name] ?? false;
    if (typeof value !== 'boolean') fail(name, 'expected true or false');
    return value as boolean;
  };
  const createCrossReferences = flag('createCrossReferences');
  if (flag('createMissingItems')) {
    fail(
      'createMissingItems',
      'creating JDE items is not supported by this version (SKUs without an item are reported; add the item in JDE or set match to a rule that finds it)',
    );
  }
  if (createCrossReferences && !crossReferenceTypes.asin && !crossReferenceTypes.fnsku)
    fail('createCrossReferences', 'is on but crossReferenceTypes names no type for asin or fnsku');

  const orch = (doc.orchestration ?? {}) as Record<string, unknown>;
  if (typeof orch !== 'object' || Array.isArray(orch)) fail('orchestration', 'expected an object');
  const base = DEFAULT_CROSS_REFERENCE_ORCHESTRATION;
  const name = orch.name ?? base.name;
  if (typeof name !== 'string' || name.trim() === '') fail('orchestration.name', 'expected a name');
  const version = orch.version ?? base.version;
  if (version !== 'v1' && version !== 'v2' && version !== 'v3')
    fail('orchestration.version', 'expected v1, v2 or v3');
  const inputFormat = orch.inputFormat ?? base.inputFormat;
  if (inputFormat !== 'JDE Standard' && inputFormat !== 'Generic')
    fail('orchestration.inputFormat', 'expected "JDE Standard" or "Generic"');
  const inputsRaw = (orch.inputs ?? {}) as Record<string, unknown>;
  const inputs = { ...base.inputs };
  for (const [key, value] of Object.entries(inputsRaw)) {
    if (!(key in inputs))
      fail(`orchestration.inputs.${key}`, `unknown input (known: ${Object.keys(inputs).join(', ')})`);
    if (typeof value !== 'string' || value.trim() === '')
      fail(`orchestration.inputs.${key}`, 'expected an input name');
    inputs[key as keyof typeof inputs] = value as string;
  }
  for (const key of Object.keys(orch))
    if (!['name', 'version', 'inputFormat', 'inputs'].includes(key))
      fail(`orchestration.${key}`, 'unknown field');

  return {
    match: match as ItemMatchRule,
    crossReferenceTypes,
    addressNumber,
    addressNumberByMarketplace,
    createCrossReferences,
    createMissingItems: false,
    orchestration: {
      name: name as string,
      version: version as CrossReferenceOrchestration['version'],
      inputFormat: inputFormat as ItemInputFormat,
      inputs,
    },
  };
}

/** The AN8 of a marketplace: its own when configured, else the connection's. */
export function addressNumberFor(settings: ItemSettings, marketplaceId: string): string {
  return settings.addressNumberByMarketplace[marketplaceId] ?? settings.addressNumber;
}

export interface StoredItemSettings {
  connectionId: string;
  version: number;
  /** The settings as JSON (parse with parseItemSettings). */
  definition: string;
  createdAt: Date;
  createdBy: string;
}

const itemSettingsSchema = new Schema<StoredItemSettings>(
  {
    connectionId: { type: String, required: true },
    version: { type: Number, required: true },
    definition: { type: String, required: true },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
  },
  { collection: 'item_settings', versionKey: false },
);
itemSettingsSchema.index({ connectionId: 1, version: 1 }, { unique: true });

export function itemSettingsModel(connection: Connection): Model<StoredItemSettings> {
  return (
    (connection.models.ItemSettings as Model<StoredItemSettings>) ??
    connection.model('ItemSettings', itemSettingsSchema)
  );
}

export async function latestItemSettings(
  connection: Connection,
  connectionId: string,
): Promise<StoredItemSettings | null> {
  const found = await itemSettingsModel(connection)
    .find({ connectionId })
    .sort({ version: -1 })
    .limit(1)
    .lean()
    .exec();
  return (found[0] as StoredItemSettings | undefined) ?? null;
}

/** The connection's settings in force: the newest stored version, else the defaults (version 0). */
export async function currentItemSettings(
  connection: Connection,
  connectionId: string,
): Promise<{ version: number; settings: ItemSettings }> {
  const stored = await latestItemSettings(connection, connectionId);
  if (!stored) return { version: 0, settings: DEFAULT_ITEM_SETTINGS };
  return {
    version: stored.version,
    settings: parseItemSettings(stored.definition, `item settings v${stored.version} of ${connectionId}`),
  };
}

/** Validates and saves the settings as the next version (duplicate key if saved concurrently). */
export async function saveItemSettings(
  connection: Connection,
  input: { connectionId: string; settings: unknown; createdBy: string },
): Promise<StoredItemSettings> {
  const settings = parseItemSettings(input.settings);
  const latest = await latestItemSettings(connection, input.connectionId);
  const stored: StoredItemSettings = {
    connectionId: input.connectionId,
    version: (latest?.version ?? 0) + 1,
    definition: JSON.stringify(settings),
    createdAt: new Date(),
    createdBy: input.createdBy,
  };
  await itemSettingsModel(connection).create(stored);
  return stored;
}
