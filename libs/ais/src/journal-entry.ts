/**
 * The journal entry we post: company, document type (JE), G/L date, explanation, currency, the
 * job reference, and lines with account BU.OBJ.SUB, amount in minor units, line explanation and
 * optional subledger. Validated against JDE field lengths before anything is sent (errors name
 * the field), then written as orchestration inputs in either shape, "JDE Standard"
 * ({inputs, detailInputs[{repeatingInputs}]}) or "Generic" (flat JSON with the lines as an array).
 */
import { createHash } from 'node:crypto';
import { formatMinor, isKnownCurrency, sumMinor } from '@mlc/money';
import type { JournalOrchestrationMapping, ReferenceField } from './config.js';
import { formatAisDate } from './dates.js';
import { AisError, type FormMessage, parseAisErrorBody } from './errors.js';

/** JDE data-dictionary lengths (reference §3.5, §6). VR01's 25 is UNCONFIRMED in the reference. */
export const FIELD_LENGTHS = Object.freeze({
  KCO: 5,
  DCT: 2,
  LT: 2,
  CRCD: 3,
  EXA: 30,
  EXR: 30,
  VR01: 25,
  ANI: 29,
  MCU: 12,
  OBJ: 6,
  SUB: 8,
  SBL: 8,
  SBLT: 1,
  /** AA: 15 digits. */
  AA: 15,
});

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * A job reference that fits every supported reference field (VR01's 25 is the smallest): the job
 * id itself when it is short and plain, else "MLC-" + 20 base32 characters (100 bits) of its
 * SHA-256. Deterministic, so the F0911 read-back can always recompute it from the job id.
 */
export function jobReference(jobId: string): string {
  if (/^[A-Za-z0-9._:-]{1,25}$/.test(jobId)) return jobId;
  const digest = createHash('sha256').update(jobId, 'utf8').digest();
  let bits = '';
  for (const byte of digest.subarray(0, 13)) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < 100; i += 5) out += BASE32[Number.parseInt(bits.slice(i, i + 5), 2)];
  return `MLC-${out}`;
}

export interface JournalAccount {
  /** Business unit as JDE stores MCU: right-justified to 12 characters. */
  businessUnit: string;
  object: string;
  /** "" when none. */
  subsidiary: string;
}

export interface JournalEntryLine {
  /** "BU.OBJ.SUB" or "BU.OBJ", or the parts. */
  account: string | JournalAccount;
  /** Signed minor units: debit +, credit −. */
  amountMinor: bigint;
  explanation?: string;
  subledger?: string;
  subledgerType?: string;
}

export interface JournalEntry {
  /** Document company (KCO), e.g. "00001". */
  company: string;
  /** Default "JE". */
  documentType?: string;
  /** ISO G/L date. */
  glDate: string;
  /** Document explanation (EXA). */
  explanation: string;
  /** ISO currency; one per entry. */
  currency: string;
  /** Our job reference, written to the configured F0911 field. */
  reference: string;
  /** Default "AA". */
  ledgerType?: string;
  lines: JournalEntryLine[];
}

export interface JournalEntryResult {
  documentNumber: number;
  batchNumber?: number;
  documentCompany: string;
  documentType: string;
  /** Warnings JDE returned with the posted entry (e.g. a G/L date warning). */
  warnings: FormMessage[];
  /** The orchestration's answer, for logs. */
  raw: Record<string, unknown>;
}

function invalid(field: string, message: string): AisError {
  return new AisError('validation', `journal entry ${field}: ${message}`, { field });
}

function checkLength(value: string, max: number, field: string, jdeField: string): void {
  if (value.length > max) {
    throw invalid(field, `"${value}" is ${value.length} characters; JDE ${jdeField} holds ${max}`);
  }
}

/** Parses "BU.OBJ.SUB" into parts, business unit right-justified to 12. */
export function parseAccount(text: string, field = 'account'): JournalAccount {
  const parts = text.trim().split('.');
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) {
    throw invalid(field, `"${text}" is not BU.OBJ or BU.OBJ.SUB`);
  }
  return normaliseAccount({ businessUnit: parts[0], object: parts[1], subsidiary: parts[2] ?? '' }, field);
}

function normaliseAccount(account: JournalAccount, field: string): JournalAccount {
  const bu = account.businessUnit.trim();
  const object = account.object.trim();
  const subsidiary = account.subsidiary.trim();
  if (bu === '') throw invalid(`${field}.businessUnit`, 'is blank');
  if (object === '') throw invalid(`${field}.object`, 'is blank');
  checkLength(bu, FIELD_LENGTHS.MCU, `${field}.businessUnit`, 'business unit MCU');
  checkLength(object, FIELD_LENGTHS.OBJ, `${field}.object`, 'object account OBJ');
  checkLength(subsidiary, FIELD_LENGTHS.SUB, `${field}.subsidiary`, 'subsidiary SUB');
  for (const [name, value] of [
    ['businessUnit', bu],
    ['object', object],
    ['subsidiary', subsidiary],
  ] as const) {
    if (/[.\s]/.test(value)) throw invalid(`${field}.${name}`, `"${value}" may not contain "." or spaces`);
  }
  return { businessUnit: bu.padStart(FIELD_LENGTHS.MCU, ' '), object, subsidiary };
}

/** "BU.OBJ.SUB" as keyed into JDE (business unit without its padding; ".SUB" only when set). */
export function accountNumber(account: JournalAccount): string {
  const bu = account.businessUnit.trim();
  return account.subsidiary ? `${bu}.${account.object}.${account.subsidiary}` : `${bu}.${account.object}`;
}

export interface ValidatedJournalEntry extends Required<Omit<JournalEntry, 'lines'>> {
  lines: (Required<Omit<JournalEntryLine, 'account'>> & { account: JournalAccount })[];
}

/** Checks every field against JDE's lengths and the entry against JE rules we can see locally. */
export function validateJournalEntry(
  entry: JournalEntry,
  referenceField: ReferenceField,
  /** false for a memo ledger JDE does not require to balance (docs/jde-orchestration.md). */
  options: { requireBalance?: boolean } = {},
): ValidatedJournalEntry {
  const company = entry.company.trim();
  if (company === '') throw invalid('company', 'is blank');
  checkLength(company, FIELD_LENGTHS.KCO, 'company', 'document company KCO');
  const documentType = (entry.documentType ?? 'JE').trim();
  checkLength(documentType, FIELD_LENGTHS.DCT, 'documentType', 'document type DCT');
  const ledgerType = (entry.ledgerType ?? 'AA').trim();
  checkLength(ledgerType, FIELD_LENGTHS.LT, 'ledgerType', 'ledger type LT');
  if (!isKnownCurrency(entry.currency))
    throw invalid('currency', `"${entry.currency}" is not a known ISO currency`);
  try {
    formatAisDate(entry.glDate, 'yyyy-MM-dd');
  } catch {
    throw invalid('glDate', `"${entry.glDate}" is not an ISO date (YYYY-MM-DD)`);
  }
  checkLength(entry.explanation, FIELD_LENGTHS.EXA, 'explanation', 'explanation EXA');
  const reference = entry.reference.trim();
  if (reference === '') throw invalid('reference', 'is blank; it identifies the job in F0911');
  if (reference !== entry.reference)
    throw invalid('reference', 'has leading or trailing blanks, which JDE would lose');
  checkLength(
    reference,
    FIELD_LENGTHS[referenceField],
    'reference',
    `${referenceField} (the job reference field)`,
  );
  if (entry.lines.length === 0) throw invalid('lines', 'is empty');

  const maxMinor = 10n ** BigInt(FIELD_LENGTHS.AA) - 1n;
  const lines = entry.lines.map((line, i) => {
    const field = `lines[${i}]`;
    const account =
      typeof line.account === 'string'
        ? parseAccount(line.account, `${field}.account`)
        : normaliseAccount(line.account, `${field}.account`);
    checkLength(accountNumber(account), FIELD_LENGTHS.ANI, `${field}.account`, 'account number ANI');
    if (typeof line.amountMinor !== 'bigint')
      throw invalid(`${field}.amountMinor`, 'must be a bigint of minor units');
    if (line.amountMinor > maxMinor || line.amountMinor < -maxMinor) {
      throw invalid(
        `${field}.amountMinor`,
        `${formatMinor(line.amountMinor, entry.currency)} exceeds the ${FIELD_LENGTHS.AA} digits of AA`,
      );
    }
    const explanation = line.explanation ?? '';
    checkLength(explanation, FIELD_LENGTHS.EXR, `${field}.explanation`, 'line explanation');
    const subledger = (line.subledger ?? '').trim();
    const subledgerType = (line.subledgerType ?? '').trim();
    checkLength(subledger, FIELD_LENGTHS.SBL, `${field}.subledger`, 'subledger SBL');
    checkLength(subledgerType, FIELD_LENGTHS.SBLT, `${field}.subledgerType`, 'subledger type SBLT');
    if (subledger !== '' && subledgerType === '')
      throw invalid(`${field}.subledgerType`, 'is required with a subledger');
    if (subledger === '' && subledgerType !== '')
      throw invalid(`${field}.subledger`, 'is required with a subledger type');
    return { account, amountMinor: line.amountMinor, explanation, subledger, subledgerType };
  });
  const total = sumMinor(lines.map((l) => l.amountMinor));
  if (total !== 0n && options.requireBalance !== false) {
    throw invalid(
      'lines',
      `do not balance: they net to ${formatMinor(total, entry.currency)} ${entry.currency}, not zero`,
    );
  }
  return {
    company,
    documentType,
    glDate: entry.glDate,
    explanation: entry.explanation,
    currency: entry.currency,
    reference,
    ledgerType,
    lines,
  };
}

/** The orchestration request body in the mapping's input format. */
export function buildJournalEntryBody(
  entry: ValidatedJournalEntry,
  mapping: JournalOrchestrationMapping,
  dateFormat: string,
): Record<string, unknown> {
  const names = mapping.inputs;
  const header: [string, string][] = [
    [names.company, entry.company],
    [names.documentType, entry.documentType],
    [names.glDate, formatAisDate(entry.glDate, dateFormat)],
    [names.explanation, entry.explanation],
    [names.currency, entry.currency],
    [names.ledgerType, entry.ledgerType],
    [names.jobReference, entry.reference],
  ];
  const lines = entry.lines.map((line) => {
    const fields: [string, string][] = [
      [names.account, accountNumber(line.account)],
      [names.amount, formatMinor(line.amountMinor, entry.currency)],
      [names.lineExplanation, line.explanation],
    ];
    if (line.subledger)
      fields.push([names.subledger, line.subledger], [names.subledgerType, line.subledgerType]);
    return fields;
  });
  if (mapping.inputFormat === 'Generic') {
    // The Generic wire shape for an array of rows is UNCONFIRMED (reference §2.3): we send an array of objects.
    return {
      ...Object.fromEntries(header),
      [names.lines]: lines.map((fields) => Object.fromEntries(fields)),
    };
  }
  const pairs = (fields: [string, string][]) => fields.map(([name, value]) => ({ name, value }));
  return {
    inputs: pairs(header),
    detailInputs: [
      { name: names.lines, repeatingInputs: lines.map((fields) => ({ inputs: pairs(fields) })) },
    ],
  };
}

/** Reads document number and batch from a successful answer (v3 typed or v1/v2 string outputs). */
export function readJournalEntryResult(
  body: unknown,
  mapping: JournalOrchestrationMapping,
): JournalEntryResult {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const number = (name: string): number | undefined => {
    const value = record[name];
    if (value === undefined || value === null || value === '') return undefined;
    const n = typeof value === 'number' ? value : Number(String(value).trim());
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
  };
  const documentNumber = number(mapping.outputs.documentNumber);
  if (documentNumber === undefined) {
    throw new AisError(
      'protocol',
      `orchestration ${mapping.name} answered without a valid output "${mapping.outputs.documentNumber}"; the entry may or may not exist — read F0911 back by reference`,
      { operation: 'orchestration', outcomeUnknown: true },
    );
  }
  const result: JournalEntryResult = {
    documentNumber,
    documentCompany: String(record[mapping.outputs.documentCompany] ?? ''),
    documentType: String(record[mapping.outputs.documentType] ?? ''),
    warnings: parseAisErrorBody(record).warnings,
    raw: record,
  };
  const batch = number(mapping.outputs.batchNumber);
  if (batch !== undefined) result.batchNumber = batch;
  return result;
}
