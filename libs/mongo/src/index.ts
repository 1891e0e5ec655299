export { type AuditEvent, appendAudit, auditModel } from './audit.js';
export { connectMongo, ensureIndexes, type MongoOptions, pingMongo } from './connection.js';
export { ensureJob, JOB_STATES, type Job, type JobState, jobModel, transitionJob } from './jobs.js';
