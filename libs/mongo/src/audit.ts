/**
 * The audit trail: an append-only collection of what happened to each settlement, journal and
 * connection, by whom and why. Events are only ever inserted; the model refuses updates and
 * deletes so no code path can rewrite history.
 */
import { type Connection, type Model, Schema } from 'mongoose';

export interface AuditEvent {
  at: Date;
  /** Service or operator that did it, e.g. "jde-poster" or "operator:alice". */
  actor: string;
  /** What happened, dotted lower-case, e.g. "settlement.held", "journal.posted". */
  action: string;
  connectionId?: string;
  settlementId?: string;
  jobId?: string;
  /** Free-form detail; no secrets, no dotted keys (FerretDB v1). */
  detail?: Record<string, unknown>;
}

const auditSchema = new Schema<AuditEvent>(
  {
    at: { type: Date, required: true },
    actor: { type: String, required: true },
    action: { type: String, required: true },
    connectionId: String,
    settlementId: String,
    jobId: String,
    detail: Schema.Types.Mixed,
  },
  { collection: 'audit_events', versionKey: false, strict: 'throw' },
);
auditSchema.index({ settlementId: 1, at: 1 });
auditSchema.index({ jobId: 1, at: 1 });
auditSchema.index({ action: 1, at: 1 });

const refuse = () => {
  throw new Error('audit_events is append-only: updates and deletes are refused');
};
for (const op of [
  'updateOne',
  'updateMany',
  'findOneAndUpdate',
  'replaceOne',
  'findOneAndReplace',
  'deleteOne',
  'deleteMany',
  'findOneAndDelete',
] as const) {
  auditSchema.pre(op, refuse);
}

export function auditModel(connection: Connection): Model<AuditEvent> {
  return (
    (connection.models.AuditEvent as Model<AuditEvent>) ??
    connection.model<AuditEvent>('AuditEvent', auditSchema)
  );
}

export async function appendAudit(
  connection: Connection,
  event: Omit<AuditEvent, 'at'> & { at?: Date },
): Promise<void> {
  await auditModel(connection).create({ ...event, at: event.at ?? new Date() });
}
