/**
 * Repost requests: an operator's decision to reverse what a settlement posted in JDE and post it
 * again by the current rules (`mlc settlement repost`, docs/operations.md "Reposting").
 *
 * One document per (connection, settlement, generation). Generation 1 is the settlement's first
 * posting and has no document; the first repost is generation 2. The id `<connection>:<settlement>:g<n>`
 * is inserted, never upserted, so two operators racing for "generation n" cannot both get it (a
 * unique insert is atomic on FerretDB, a conditional update is not).
 *
 * The CLI writes the request with the plan the operator saw: the documents to reverse (with what
 * they were computed from) and the rule set version to map with. mapping turns it into journals and
 * records their job ids (state `proposed`), or refuses it with a reason (`refused`). Whether the
 * generation is posted is read from its jobs, not stored here.
 */
import { type Connection, type Model, Schema } from 'mongoose';

export const REPOST_STATES = ['requested', 'proposed', 'refused'] as const;
export type RepostState = (typeof REPOST_STATES)[number];

/** A posted journal that this generation reverses, and what reproduces its lines. */
export interface RepostTarget {
  jobId: string;
  /** The reversing job: `<jobId>:rev<generation>`. */
  reversalJobId: string;
  documentNumber: string;
  company: string;
  documentType: string;
  /** What the posted journal was computed from. */
  rawDocumentId: string;
  /** "<rule set id>@<version>". */
  ruleSet: string;
  /** Generation the reversed journal belongs to. */
  generation: number;
}

export interface RepostRecord {
  _id: string;
  connectionId: string;
  settlementId: string;
  generation: number;
  state: RepostState;
  reason: string;
  requestedBy: string;
  requestedAt: Date;
  /** G/L date for the reversals, when the originals' periods are closed (`--gl-date`). */
  glDate?: string;
  /** The rule set the new journals are mapped with: "<id>@<version>". */
  ruleSet: string;
  reverses: RepostTarget[];
  /** New journal parts, once mapping proposed them. */
  jobIds: string[];
  /** Why mapping refused the request. */
  refusal?: string;
  updatedAt: Date;
}

const targetSchema = new Schema<RepostTarget>(
  {
    jobId: { type: String, required: true },
    reversalJobId: { type: String, required: true },
    documentNumber: { type: String, required: true },
    company: { type: String, required: true },
    documentType: { type: String, required: true },
    rawDocumentId: { type: String, required: true },
    ruleSet: { type: String, required: true },
    generation: { type: Number, required: true },
  },
  { _id: false },
);

const repostSchema = new Schema<RepostRecord>(
  {
    _id: { type: String, required: true },
    connectionId: { type: String, required: true },
    settlementId: { type: String, required: true },
    generation: { type: Number, required: true },
    state: { type: String, enum: REPOST_STATES, required: true },
    reason: { type: String, required: true },
    requestedBy: { type: String, required: true },
    requestedAt: { type: Date, required: true },
    glDate: String,
    ruleSet: { type: String, required: true },
    reverses: [targetSchema],
    jobIds: [String],
    refusal: String,
    updatedAt: { type: Date, required: true },
  },
  { collection: 'settlement_reposts', versionKey: false },
);
repostSchema.index({ connectionId: 1, settlementId: 1, generation: 1 });

export function repostModel(connection: Connection): Model<RepostRecord> {
  return (
    (connection.models.SettlementRepost as Model<RepostRecord>) ??
    connection.model<RepostRecord>('SettlementRepost', repostSchema)
  );
}

export function repostId(connectionId: string, settlementId: string, generation: number): string {
  return `${connectionId}:${settlementId}:g${generation}`;
}

/** The settlement's reposts, oldest generation first. */
export async function listReposts(
  connection: Connection,
  key: { connectionId: string; settlementId: string },
): Promise<RepostRecord[]> {
  return (await repostModel(connection).find(key).sort({ generation: 1 }).lean().exec()) as RepostRecord[];
}

export async function getRepost(
  connection: Connection,
  key: { connectionId: string; settlementId: string },
  generation: number,
): Promise<RepostRecord | null> {
  return (
    ((await repostModel(connection)
      .findById(repostId(key.connectionId, key.settlementId, generation))
      .lean()
      .exec()) as RepostRecord | null) ?? null
  );
}

/**
 * Records generation `record.generation`; false when that generation exists already (someone else
 * requested it first).
 */
export async function recordRepost(
  connection: Connection,
  record: Omit<RepostRecord, '_id' | 'state' | 'jobIds' | 'updatedAt'>,
): Promise<boolean> {
  try {
    await repostModel(connection).create({
      ...record,
      _id: repostId(record.connectionId, record.settlementId, record.generation),
      state: 'requested',
      jobIds: [],
      updatedAt: new Date(),
    });
    return true;
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return false;
    throw error;
  }
}

/** Moves a request on; only mapping (one consumer per settlement key) calls it. */
export async function setRepostState(
  connection: Connection,
  key: { connectionId: string; settlementId: string },
  generation: number,
  set: { state: RepostState; jobIds?: string[]; refusal?: string },
): Promise<void> {
  await repostModel(connection)
    .updateOne(
      { _id: repostId(key.connectionId, key.settlementId, generation) },
      { $set: { ...set, updatedAt: new Date() } },
    )
    .exec();
}
