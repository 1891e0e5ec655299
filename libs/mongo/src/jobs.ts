/**
 * Jobs: one document per unit of work that must happen at most once — posting one part of one
 * settlement to JDE. The job id is deterministic (derived from connection, settlement and part) and
 * unique in `jobs`; the job's state is pending → posting → posted | rejected.
 *
 * Who may act on a job is decided by claims, not by conditional updates: on FerretDB v1 a
 * conditional update (`updateOne`/`findOneAndUpdate` with a state filter) is NOT atomic — measured
 * here, five racing writers on one `{state: 'pending'}` filter all "won" most rounds — whereas an
 * insert under a unique key is. So each attempt k of a job is claimed by inserting
 * `<jobId>#<k>` into `job_claims`; exactly one worker gets attempt k, and only the claimant
 * updates the job document. The claim's time tells others how long the attempt may still be
 * running (its lease).
 *
 * A job's `_id` is its job id, and every lookup goes by `_id`: FerretDB v1 answers those from the
 * primary key but scans the whole collection for any other filter, whatever the indexes — with
 * thousands of jobs (one per cross reference) a lookup by `jobId` made each job cost a full scan.
 */
import { type Connection, type Model, Schema } from 'mongoose';

export const JOB_STATES = ['pending', 'posting', 'posted', 'rejected'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface Job {
  /** The job id again (the primary key). */
  _id: string;
  jobId: string;
  kind: string;
  connectionId: string;
  settlementId?: string;
  state: JobState;
  /** The number of the newest claimed attempt (0: never attempted). */
  attempts: number;
  /** What JDE answered when the job was posted. */
  result?: Record<string, unknown>;
  lastError?: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface JobClaim {
  _id: string;
  jobId: string;
  attempt: number;
  /** Which process holds it (a per-process id). */
  holder: string;
  claimedAt: Date;
}

const jobSchema = new Schema<Job>(
  {
    _id: {
      type: String,
      // Documents created whole (tests, tools); updates give the _id in their filter.
      default(this: Job | null) {
        return this?.jobId;
      },
    },
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

const claimSchema = new Schema<JobClaim>(
  {
    _id: { type: String, required: true },
    jobId: { type: String, required: true },
    attempt: { type: Number, required: true },
    holder: { type: String, required: true },
    claimedAt: { type: Date, required: true },
  },
  { collection: 'job_claims', versionKey: false },
);
claimSchema.index({ jobId: 1, attempt: 1 });

export function jobModel(connection: Connection): Model<Job> {
  return (connection.models.Job as Model<Job>) ?? connection.model<Job>('Job', jobSchema);
}

export function jobClaimModel(connection: Connection): Model<JobClaim> {
  return (
    (connection.models.JobClaim as Model<JobClaim>) ?? connection.model<JobClaim>('JobClaim', claimSchema)
  );
}

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

/** Records the job as pending unless it exists already; returns the job as stored. */
export async function ensureJob(
  connection: Connection,
  job: Pick<Job, 'jobId' | 'kind' | 'connectionId' | 'settlementId'>,
): Promise<Job> {
  const existing = await getJob(connection, job.jobId);
  if (existing) return existing;
  const now = new Date();
  try {
    await jobModel(connection).create({
      _id: job.jobId,
      ...job,
      state: 'pending',
      attempts: 0,
      createdAt: now,
      updatedAt: now,
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  const stored = await getJob(connection, job.jobId);
  if (!stored) throw new Error(`job ${job.jobId} could not be recorded`);
  return stored;
}

export async function getJob(connection: Connection, jobId: string): Promise<Job | null> {
  return ((await jobModel(connection).findById(jobId).lean().exec()) as Job | null) ?? null;
}

/** Claims attempt `attempt` of the job for `holder`; false when another worker claimed it first. */
export async function claimAttempt(
  connection: Connection,
  jobId: string,
  attempt: number,
  holder: string,
): Promise<boolean> {
  try {
    await jobClaimModel(connection).create({
      _id: `${jobId}#${attempt}`,
      jobId,
      attempt,
      holder,
      claimedAt: new Date(),
    });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

export async function getClaim(
  connection: Connection,
  jobId: string,
  attempt: number,
): Promise<JobClaim | null> {
  return (
    ((await jobClaimModel(connection).findById(`${jobId}#${attempt}`).lean().exec()) as JobClaim | null) ??
    null
  );
}

/** Writes the job's new state. Only the holder of its newest claim may call this. */
export async function updateJob(
  connection: Connection,
  jobId: string,
  set: Partial<Pick<Job, 'state' | 'attempts' | 'result' | 'lastError'>>,
): Promise<void> {
  await jobModel(connection)
    .updateOne({ _id: jobId }, { $set: { ...set, updatedAt: new Date() } })
    .exec();
}
