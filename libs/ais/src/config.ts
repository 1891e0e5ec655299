/**
 * A customer's AIS connection and how their journal-entry orchestration is wired. The base URL
 * must be https unless the connection explicitly allows plain http (a local simulator); names of
 * the orchestration, its inputs and outputs, its input shape and the F0911 field that carries
 * our job reference are all per connection, with defaults matching docs/jde-orchestration.md.
 */
import { registerSecret } from '@mlc/observability';
import { AisError } from './errors.js';

export type InputFormat = 'JDE Standard' | 'Generic';
/** The F0911 column holding the job reference. EXR/EXA are in the reference (30); VR01 (25) is UNCONFIRMED there. */
export type ReferenceField = 'EXR' | 'EXA' | 'VR01';
export type OrchestratorVersion = 'v1' | 'v2' | 'v3';

export interface JournalOrchestrationMapping {
  /** Orchestration name as published on the AIS Server. */
  name: string;
  /** Path version: v3 (typed outputs, Tools 9.2.3.3+), v2 or v1 (string outputs). */
  version: OrchestratorVersion;
  /** The orchestration's configured input format. */
  inputFormat: InputFormat;
  /** F0911 column the orchestration writes JobReference into; used by the read-back. */
  referenceField: ReferenceField;
  inputs: {
    company: string;
    documentType: string;
    glDate: string;
    explanation: string;
    currency: string;
    ledgerType: string;
    jobReference: string;
    /** Grid (detailInputs name in JDE Standard; array key in Generic). */
    lines: string;
    account: string;
    amount: string;
    lineExplanation: string;
    subledger: string;
    subledgerType: string;
  };
  outputs: { documentNumber: string; batchNumber: string; documentCompany: string; documentType: string };
}

export const DEFAULT_JOURNAL_MAPPING: JournalOrchestrationMapping = Object.freeze({
  name: 'ORCH_MLC_AddJournalEntry',
  version: 'v3',
  inputFormat: 'JDE Standard',
  referenceField: 'EXR',
  inputs: Object.freeze({
    company: 'Company',
    documentType: 'DocumentType',
    glDate: 'GLDate',
    explanation: 'Explanation',
    currency: 'Currency',
    ledgerType: 'LedgerType',
    jobReference: 'JobReference',
    lines: 'JournalLines',
    account: 'AccountNumber',
    amount: 'Amount',
    lineExplanation: 'LineExplanation',
    subledger: 'Subledger',
    subledgerType: 'SubledgerType',
  }),
  outputs: Object.freeze({
    documentNumber: 'DocumentNumber',
    batchNumber: 'BatchNumber',
    documentCompany: 'DocumentCompany',
    documentType: 'DocumentType',
  }),
}) as JournalOrchestrationMapping;

export interface AisConnectionConfig {
  /** Our id for this connection (sessions are cached per id; never put in metric labels). */
  id: string;
  /** The customer's AIS Server, e.g. "https://ais.example.com:9300" (a trailing /jderest is fine). */
  baseUrl: string;
  /** Allows http:// — for a local simulator only. */
  allowInsecureHttp?: boolean;
  username: string;
  /** Needed only where this process logs in itself; absent when sessions come from the token-broker. */
  password?: string;
  /** Sent as deviceName and then as jde-AIS-Auth-Device; tokens are bound to it. */
  deviceName: string;
  environment: string;
  role: string;
  /**
   * The AIS user's date pattern for dates we send (e.g. "MM/dd/yyyy"). Unset: the
   * userInfo.simpleDateFormat from login, else "MM/dd/yyyy".
   */
  dateFormat?: string;
  /** Per-request timeout; default 60 s. */
  requestTimeoutMs?: number;
  journal?: Partial<Omit<JournalOrchestrationMapping, 'inputs' | 'outputs'>> & {
    inputs?: Partial<JournalOrchestrationMapping['inputs']>;
    outputs?: Partial<JournalOrchestrationMapping['outputs']>;
  };
}

export interface ResolvedConnection extends Omit<AisConnectionConfig, 'journal' | 'baseUrl'> {
  /** Origin plus any path prefix, without a trailing slash and without /jderest. */
  baseUrl: string;
  requestTimeoutMs: number;
  journal: JournalOrchestrationMapping;
}

const REFERENCE_FIELDS: readonly ReferenceField[] = ['EXR', 'EXA', 'VR01'];

/** Validates a connection and fills defaults; registers the password as a secret. */
export function resolveConnection(config: AisConnectionConfig | ResolvedConnection): ResolvedConnection {
  const fail = (field: string, message: string) =>
    new AisError('config', `AIS connection "${config.id}": ${field} ${message}`, { field });
  let url: URL;
  try {
    url = new URL(config.baseUrl);
  } catch {
    throw fail('baseUrl', `"${config.baseUrl}" is not a URL`);
  }
  if (url.protocol === 'http:' && !config.allowInsecureHttp) {
    throw fail(
      'baseUrl',
      `must use https (got ${url.origin}); plain http is allowed only with allowInsecureHttp for a local simulator`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw fail('baseUrl', `must be https (got ${url.protocol})`);
  if (url.username || url.password) throw fail('baseUrl', 'must not carry credentials');
  if (url.search || url.hash) throw fail('baseUrl', 'must not have a query or fragment');
  for (const field of ['username', 'deviceName', 'environment', 'role'] as const) {
    if (typeof config[field] !== 'string' || config[field].trim() === '') throw fail(field, 'is required');
  }
  if (config.password !== undefined && config.password.trim() === '') throw fail('password', 'is empty');
  registerSecret(config.password);
  const path = url.pathname.replace(/\/+$/, '').replace(/\/jderest$/i, '');
  const journal: JournalOrchestrationMapping = {
    ...DEFAULT_JOURNAL_MAPPING,
    ...config.journal,
    inputs: { ...DEFAULT_JOURNAL_MAPPING.inputs, ...config.journal?.inputs },
    outputs: { ...DEFAULT_JOURNAL_MAPPING.outputs, ...config.journal?.outputs },
  };
  if (!REFERENCE_FIELDS.includes(journal.referenceField)) {
    throw fail('journal.referenceField', `must be one of ${REFERENCE_FIELDS.join(', ')}`);
  }
  if (!['v1', 'v2', 'v3'].includes(journal.version)) throw fail('journal.version', 'must be v1, v2 or v3');
  if (!['JDE Standard', 'Generic'].includes(journal.inputFormat)) {
    throw fail('journal.inputFormat', 'must be "JDE Standard" or "Generic"');
  }
  if (!/^[A-Za-z0-9_.-]+$/.test(journal.name))
    throw fail('journal.name', `"${journal.name}" is not an orchestration name`);
  return {
    ...config,
    baseUrl: `${url.origin}${path}`,
    requestTimeoutMs: config.requestTimeoutMs ?? 60_000,
    journal,
  };
}
