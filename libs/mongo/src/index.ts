export { type AuditEvent, appendAudit, auditModel } from './audit.js';
export { connectMongo, ensureIndexes, type MongoOptions, pingMongo } from './connection.js';
export {
  claimAttempt,
  ensureJob,
  getClaim,
  getJob,
  JOB_STATES,
  type Job,
  type JobClaim,
  type JobState,
  jobClaimModel,
  jobModel,
  updateJob,
} from './jobs.js';
