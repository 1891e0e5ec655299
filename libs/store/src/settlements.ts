/**
 * One record per (connection, settlement): where it is in the pipeline and why. amazon-ingest
 * creates it (announced or held), mapping and jde-poster move it on, operators read and release
 * it through the CLI. The history of every move is in the audit trail; this is the current state.
 */
import { type Connection, type Model, Schema } from 'mongoose';

export const SETTLEMENT_STATUSES = [
  /** Parsed and valid; being announced (a restart finds it here and announces it again). */
  'received',
  /** Announced on amazon.settlement.available.v1. */
  'announced',
  /** Stopped with a reason an operator can read (invalid report, unmapped rows, unknown account…). */
  'held',
  /** Journals proposed to jde-poster. */
  'proposed',
  /** Every part posted to JDE. */
  'posted',
  /** JDE rejected a part; see the audit trail and the dead-letter topic. */
  'rejected',
] as const;
export type SettlementStatus = (typeof SETTLEMENT_STATUSES)[number];

export interface SettlementRecord {
  connectionId: string;
  settlementId: string;
  status: SettlementStatus;
  /** Readable reason while held or rejected. */
  reason?: string;
  region?: string;
  reportId?: string | null;
  rawDocumentId: string;
  checksum: string;
  format?: string;
  currency?: string;
  /** Decimal string in the currency's major unit, as Amazon reported it on the summary row. */
  totalAmount?: string;
  startDate?: Date;
  endDate?: Date;
  depositDate?: Date;
  rowCount?: number;
  /** Job ids of the proposed journal parts, once mapping has run. */
  jobIds?: string[];
  createdAt: Date;
  updatedAt: Date;
}

const settlementSchema = new Schema<SettlementRecord>(
  {
    connectionId: { type: String, required: true },
    settlementId: { type: String, required: true },
    status: { type: String, enum: SETTLEMENT_STATUSES, required: true },
    reason: String,
    region: String,
    reportId: String,
    rawDocumentId: { type: String, required: true },
    checksum: { type: String, required: true },
    format: String,
    currency: String,
    totalAmount: String,
    startDate: Date,
    endDate: Date,
    depositDate: Date,
    rowCount: Number,
    jobIds: [String],
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'settlements', versionKey: false },
);
settlementSchema.index({ connectionId: 1, settlementId: 1 }, { unique: true });
settlementSchema.index({ status: 1, updatedAt: 1 });

export function settlementModel(connection: Connection): Model<SettlementRecord> {
  return (
    (connection.models.Settlement as Model<SettlementRecord>) ??
    connection.model<SettlementRecord>('Settlement', settlementSchema)
  );
}

/**
 * Records a settlement unless it is recorded already (a report delivered twice, or overlapping
 * reports); returns the stored record and whether this call created it.
 */
export async function recordSettlement(
  connection: Connection,
  record: Omit<SettlementRecord, 'createdAt' | 'updatedAt'>,
): Promise<{ record: SettlementRecord; created: boolean }> {
  const now = new Date();
  const model = settlementModel(connection);
  try {
    await model.create({ ...record, createdAt: now, updatedAt: now });
    return { record: { ...record, createdAt: now, updatedAt: now }, created: true };
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
    const existing = await model
      .findOne({ connectionId: record.connectionId, settlementId: record.settlementId })
      .lean()
      .exec();
    return { record: existing as SettlementRecord, created: false };
  }
}

/** Sets a settlement's status (and reason); returns false when no such settlement is recorded. */
export async function setSettlementStatus(
  connection: Connection,
  key: { connectionId: string; settlementId: string },
  status: SettlementStatus,
  extra: Partial<Pick<SettlementRecord, 'reason' | 'jobIds'>> = {},
): Promise<boolean> {
  const update: Record<string, unknown> = { $set: { status, updatedAt: new Date(), ...extra } };
  if (status !== 'held' && status !== 'rejected' && extra.reason === undefined)
    update.$unset = { reason: '' };
  const result = await settlementModel(connection).updateOne(key, update).exec();
  return result.matchedCount === 1;
}
