/**
 * Jobs: one document per unit of work that must happen at most once — posting one part of one
 * settlement to JDE. The job id is deterministic (derived from connection, settlement and part),
 * unique in the collection, and moves through a small state machine:
 *
 *   pending → posting → posted
 *                     ↘ rejected
 *   posting → pending   (a retry after an outcome proved the write did not happen)
 *
 * Transitions are conditional updates on the current state, so two workers can never both move
 * the same job from `pending` to `posting`.
 */
import { type Connection, type Model, Schema } from 'mongoose';

export const JOB_STATES = ['pending', 'posting', 'posted', 'rejected'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface Job {
  jobId: string;
  kind: string;
  connectionId: string;
  settlementId?: string;
  state: JobState;
  attempts: number;
  /** What JDE answered when the job was posted. */
  result?: Record<string, unknown>;
  lastError?: string;
  createdAt: Date;
  updatedAt: Date;
}

const jobSchema = new Schema<Job>(
  {
    jobId: { type: String, required: true },
    kind: { type: String, required: true },
    connectionId: { type: String, required: true },
    settlementId: String,
    state: { type: String, enum: JOB_STATES, required: true },
    attempts: { type: Number, required: true },
    result: Schema.Types.Mixed,
    lastError: String,
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'jobs', versionKey: false },
);
jobSchema.index({ jobId: 1 }, { unique: true });
jobSchema.index({ settlementId: 1 });
jobSchema.index({ state: 1, updatedAt: 1 });

export function jobModel(connection: Connection): Model<Job> {
  return (connection.models.Job as Model<Job>) ?? connection.model<Job>('Job', jobSchema);
}

/** Records the job as pending unless it exists already; returns the job as stored. */
export async function ensureJob(
  connection: Connection,
  job: Pick<Job, 'jobId' | 'kind' | 'connectionId' | 'settlementId'>,
): Promise<Job> {
  const now = new Date();
  const stored = await jobModel(connection)
    .findOneAndUpdate(
      { jobId: job.jobId },
      { $setOnInsert: { ...job, state: 'pending', attempts: 0, createdAt: now, updatedAt: now } },
      { upsert: true, new: true, lean: true },
    )
    .exec();
  if (!stored) throw new Error(`job ${job.jobId} could not be recorded`);
  return stored as Job;
}

/**
 * Moves a job from one of `from` to `to`, with extra fields; returns the updated job, or null when
 * the job was not in one of those states (someone else moved it first).
 */
export async function transitionJob(
  connection: Connection,
  jobId: string,
  from: readonly JobState[],
  to: JobState,
  set: Partial<Pick<Job, 'result' | 'lastError'>> = {},
  options: { countAttempt?: boolean } = {},
): Promise<Job | null> {
  const update: Record<string, unknown> = { $set: { ...set, state: to, updatedAt: new Date() } };
  if (options.countAttempt) update.$inc = { attempts: 1 };
  const job = await jobModel(connection)
    .findOneAndUpdate({ jobId, state: { $in: from } }, update, { new: true, lean: true })
    .exec();
  return (job as Job | null) ?? null;
}
