/**
 * Where the listings and stock pollers keep their place, one document per (connection, marketplace,
 * kind): the watermark (the newest lastUpdatedDate / lastUpdatedTime already published) and when the
 * last full pass finished. Written only after a pass's events are published, so a crash repeats work
 * instead of losing it.
 */
import { type Connection, type Model, Schema } from 'mongoose';

export type ItemsKind = 'listings' | 'stock';
export type ItemsPass = 'incremental' | 'full';

export interface ItemsCursor {
  /** `<connection>:<marketplace>:<kind>`. */
  _id: string;
  watermark: Date | null;
  lastFullPassAt: Date | null;
  updatedAt: Date;
}

const itemsCursorSchema = new Schema<ItemsCursor>(
  {
    _id: { type: String, required: true },
    watermark: { type: Date, default: null },
    lastFullPassAt: { type: Date, default: null },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'items_cursors', versionKey: false },
);

export function itemsCursorModel(connection: Connection): Model<ItemsCursor> {
  return (
    (connection.models.ItemsCursor as Model<ItemsCursor>) ??
    connection.model('ItemsCursor', itemsCursorSchema)
  );
}

export function cursorId(connectionId: string, marketplaceId: string, kind: ItemsKind): string {
  return `${connectionId}:${marketplaceId}:${kind}`;
}

export async function readCursor(
  db: Connection,
  connectionId: string,
  marketplaceId: string,
  kind: ItemsKind,
): Promise<ItemsCursor | null> {
  return itemsCursorModel(db)
    .findById(cursorId(connectionId, marketplaceId, kind))
    .lean()
    .exec();
}

export async function writeCursor(
  db: Connection,
  id: string,
  values: { watermark: Date | null; lastFullPassAt: Date | null },
  now: Date,
): Promise<void> {
  await itemsCursorModel(db)
    .updateOne({ _id: id }, { $set: { ...values, updatedAt: now } }, { upsert: true })
    .exec();
}

/** Full when none ever ran or the last one is older than the interval; otherwise incremental. */
export function passDue(cursor: ItemsCursor | null, fullPassIntervalMs: number, now: Date): ItemsPass {
  if (!cursor?.watermark || !cursor.lastFullPassAt) return 'full';
  return now.getTime() - new Date(cursor.lastFullPassAt).getTime() >= fullPassIntervalMs
    ? 'full'
    : 'incremental';
}
