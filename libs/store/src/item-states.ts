/**
 * Item state: one document per (connection, marketplace, seller SKU) — what the mapping service
 * last decided about the SKU (matched to which JDE item, or why not), its ASIN / FNSKU and the
 * state of their JDE cross references, and the latest FBA stock figures. Written by mapping from
 * the listing and stock events, read by `mlc items status` and by the item metrics.
 */
import { type Connection, type Model, Schema } from 'mongoose';

export const ITEM_MATCH_STATUSES = ['matched', 'unmatched', 'ambiguous', 'too_long', 'conflict'] as const;
export type ItemMatchStatus = (typeof ITEM_MATCH_STATUSES)[number];

/** Where one Amazon identifier stands in F4104 for the matched item. */
export const CROSS_REFERENCE_STATES = [
  /** F4104 already holds it for the item. */
  'present',
  /** Missing; proposed to jde-poster for writing. */
  'proposed',
  /** Missing; createCrossReferences is off, so only reported. */
  'missing',
  /** F4104 holds the value for another item (never overwritten). */
  'conflict',
  /** No XRT configured for this kind of identifier. */
  'not-configured',
] as const;
export type CrossReferenceState = (typeof CROSS_REFERENCE_STATES)[number];

export interface CrossReferenceStatus {
  state: CrossReferenceState;
  value: string;
  type?: string;
  /** The other item(s) holding the value, for a conflict. */
  otherItems?: string;
}

export interface ItemStock {
  fulfillable: number;
  inbound: number;
  inboundWorking: number;
  inboundShipped: number;
  inboundReceiving: number;
  reserved: number;
  unfulfillable: number;
  researching: number;
  total: number;
  lastUpdatedTime?: Date;
  receivedAt: Date;
}

export interface ItemState {
  connectionId: string;
  marketplaceId: string;
  sku: string;
  /** Absent until a listing event was matched (a stock event may come first). */
  status?: ItemMatchStatus;
  reason?: string;
  /** F4101.ITM (short item number) when matched. */
  itemNumber?: string;
  /** F4101.LITM of the matched item. */
  secondItemNumber?: string;
  /** The ITMs found, comma separated, for ambiguous and conflict. */
  candidates?: string;
  matchRule?: string;
  settingsVersion?: number;
  asin?: string;
  fnSku?: string;
  itemName?: string;
  crossReferences?: { asin?: CrossReferenceStatus; fnsku?: CrossReferenceStatus };
  listingUpdatedAt?: Date;
  /** When the current decision was first made (a replay that decides the same keeps it). */
  matchedAt?: Date;
  stock?: ItemStock;
  updatedAt: Date;
}

const xrefSchema = new Schema<CrossReferenceStatus>(
  {
    state: { type: String, enum: CROSS_REFERENCE_STATES, required: true },
    value: { type: String, required: true },
    type: String,
    otherItems: String,
  },
  { _id: false },
);

const itemStateSchema = new Schema<ItemState & { _id: string }>(
  {
    _id: {
      type: String,
      // Documents created whole (tests, tools); updates give the _id in their filter.
      default(this: ItemState | null) {
        return this?.connectionId === undefined ? undefined : itemStateId(this);
      },
    },
    connectionId: { type: String, required: true },
    marketplaceId: { type: String, required: true },
    sku: { type: String, required: true },
    status: { type: String, enum: ITEM_MATCH_STATUSES },
    reason: String,
    itemNumber: String,
    secondItemNumber: String,
    candidates: String,
    matchRule: String,
    settingsVersion: Number,
    asin: String,
    fnSku: String,
    itemName: String,
    crossReferences: { asin: xrefSchema, fnsku: xrefSchema },
    listingUpdatedAt: Date,
    matchedAt: Date,
    stock: {
      type: new Schema<ItemStock>(
        {
          fulfillable: Number,
          inbound: Number,
          inboundWorking: Number,
          inboundShipped: Number,
          inboundReceiving: Number,
          reserved: Number,
          unfulfillable: Number,
          researching: Number,
          total: Number,
          lastUpdatedTime: Date,
          receivedAt: Date,
        },
        { _id: false },
      ),
    },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'item_states', versionKey: false },
);
itemStateSchema.index({ connectionId: 1, marketplaceId: 1, sku: 1 }, { unique: true });
itemStateSchema.index({ connectionId: 1, status: 1 });
itemStateSchema.index({ connectionId: 1, itemNumber: 1 });

export function itemStateModel(connection: Connection): Model<ItemState> {
  return (
    (connection.models.ItemState as Model<ItemState>) ??
    (connection.model('ItemState', itemStateSchema) as unknown as Model<ItemState>)
  );
}

export type ItemStateKey = Pick<ItemState, 'connectionId' | 'marketplaceId' | 'sku'>;

/** The primary key of a SKU's state; the SKU comes last, so a colon in it stays unambiguous. */
export function itemStateId(key: ItemStateKey): string {
  return `${key.connectionId}:${key.marketplaceId}:${key.sku}`;
}

/** One SKU's state, or null. */
export async function getItemState(connection: Connection, key: ItemStateKey): Promise<ItemState | null> {
  return (
    ((await itemStateModel(connection).findById(itemStateId(key)).lean().exec()) as ItemState | null) ?? null
  );
}

/**
 * Sets fields of one SKU's state, creating the document on first sight; returns what it did.
 *
 * FerretDB v1 scans the collection for every update, even by `_id` (11 ms a write at 6,000 SKUs
 * against 1.7 ms for a read by `_id` and 0.6 ms for an insert), so the state is read first: a new
 * SKU is inserted, and a SKU whose fields already hold these values — a replay, an unchanged listing
 * of a full pass — is not written at all. Fields named in `ignoreForChange` (a timestamp of the
 * decision) are written with a change but do not make one.
 */
export async function updateItemState(
  connection: Connection,
  key: ItemStateKey,
  set: Partial<Omit<ItemState, 'connectionId' | 'marketplaceId' | 'sku' | 'updatedAt'>>,
  unset: string[] = [],
  options: { ignoreForChange?: readonly string[] } = {},
): Promise<'inserted' | 'updated' | 'unchanged'> {
  const model = itemStateModel(connection);
  const _id = itemStateId(key);
  const existing = (await model.findById(_id).lean().exec()) as Record<string, unknown> | null;
  const now = new Date();
  if (existing === null) {
    try {
      await model.create({ _id, ...key, ...set, updatedAt: now });
      return 'inserted';
    } catch (error) {
      // Two consumers (listings and stock) may create the same SKU at once: the loser updates.
      if ((error as { code?: number }).code !== 11000) throw error;
    }
  } else if (!changes(existing, set, unset, options.ignoreForChange ?? [])) {
    return 'unchanged';
  }
  const update: Record<string, unknown> = { $set: { ...set, updatedAt: now } };
  if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((field) => [field, '']));
  await model.updateOne({ _id }, update).exec();
  return 'updated';
}

function changes(
  existing: Record<string, unknown>,
  set: Record<string, unknown>,
  unset: readonly string[],
  ignore: readonly string[],
): boolean {
  for (const [field, value] of Object.entries(set)) {
    if (ignore.includes(field)) continue;
    if (canonical(existing[field]) !== canonical(value)) return true;
  }
  return unset.some((field) => existing[field] !== undefined);
}

/** A value as text with object keys sorted and dates as ISO, so a stored document compares equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
