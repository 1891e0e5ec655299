/**
 * A settlement document's row groups: its rows summed per (transaction type, amount type, amount
 * description, marketplace, UTC day posted), as @mlc/settlement's RowGroups sums them. amazon-ingest
 * stores them in the pass that validates the document; mapping builds the journals from them rather
 * than reading every row again. One document per raw document (`_id` = its id, read by `_id`); the
 * groups are a function of the document's bytes, so writing them twice writes the same thing.
 *
 * Not stored when there are more than MAX_STORED_ROW_GROUPS (a file whose descriptions differ row by
 * row), nor for documents stored before this existed: mapping then reads the rows, as before.
 */
import type { SettlementRowGroup } from '@mlc/settlement';
import { type Connection, type Model, Schema } from 'mongoose';

export const MAX_STORED_ROW_GROUPS = 20_000;

/** A row group as @mlc/settlement sums it. */
export type RowGroup = SettlementRowGroup;

type StoredGroup = [string, string, string, string | null, string | null, number, string, number];

interface StoredRowGroups {
  _id: string;
  /**
   * JSON of [transaction type, amount type, description, marketplace, posted date, rows, amount
   * (minor units, a string), first row] per group — text, because FerretDB v1 stores no nested arrays.
   */
  groups: string;
  createdAt: Date;
}

const rowGroupsSchema = new Schema<StoredRowGroups>(
  {
    _id: { type: String, required: true },
    groups: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'row_groups', versionKey: false },
);

export function rowGroupsModel(connection: Connection): Model<StoredRowGroups> {
  return (
    (connection.models.RowGroups as Model<StoredRowGroups>) ??
    connection.model<StoredRowGroups>('RowGroups', rowGroupsSchema)
  );
}

/** Stores the groups of a raw document; false (nothing stored) past MAX_STORED_ROW_GROUPS. */
export async function saveRowGroups(
  connection: Connection,
  rawDocumentId: string,
  groups: readonly RowGroup[],
): Promise<boolean> {
  if (groups.length > MAX_STORED_ROW_GROUPS) return false;
  const stored: StoredGroup[] = groups.map((g) => [
    g.transactionType,
    g.amountType,
    g.amountDescription,
    g.marketplace,
    g.postedDate,
    g.rowCount,
    g.amount.toString(),
    g.firstRow,
  ]);
  await rowGroupsModel(connection)
    .updateOne(
      { _id: rawDocumentId },
      { $set: { groups: JSON.stringify(stored) }, $setOnInsert: { createdAt: new Date() } },
      { upsert: true },
    )
    .exec();
  return true;
}

/** The groups of a raw document, or null when none were stored. */
export async function readRowGroups(
  connection: Connection,
  rawDocumentId: string,
): Promise<RowGroup[] | null> {
  const found = (await rowGroupsModel(connection)
    .findById(rawDocumentId)
    .lean()
    .exec()) as StoredRowGroups | null;
  if (!found) return null;
  let stored: unknown;
  try {
    stored = JSON.parse(found.groups);
  } catch {
    throw new Error(`row_groups ${rawDocumentId}: field "groups" is not JSON`);
  }
  if (!Array.isArray(stored)) throw new Error(`row_groups ${rawDocumentId}: field "groups" is not a list`);
  return stored.map((group: unknown, i) => {
    if (!isStoredGroup(group))
      throw new Error(`row_groups ${rawDocumentId}: group ${i + 1} is not a stored row group`);
    const [
      transactionType,
      amountType,
      amountDescription,
      marketplace,
      postedDate,
      rowCount,
      amount,
      firstRow,
    ] = group;
    return {
      transactionType,
      amountType,
      amountDescription,
      marketplace,
      postedDate,
      rowCount,
      amount: BigInt(amount),
      firstRow,
    };
  });
}

function isStoredGroup(value: unknown): value is StoredGroup {
  if (!Array.isArray(value) || value.length !== 8) return false;
  const [t, a, d, m, p, n, amount, first] = value as unknown[];
  const text = (x: unknown) => typeof x === 'string';
  const textOrNull = (x: unknown) => x === null || typeof x === 'string';
  return (
    text(t) &&
    text(a) &&
    text(d) &&
    textOrNull(m) &&
    textOrNull(p) &&
    Number.isInteger(n) &&
    typeof amount === 'string' &&
    /^-?\d+$/.test(amount) &&
    Number.isInteger(first)
  );
}
