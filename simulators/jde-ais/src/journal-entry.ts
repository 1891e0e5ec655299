/**
 * The customer's journal-entry orchestration (default ORCH_MLC_AddJournalEntry) as the simulator
 * plays it: takes the "JDE Standard" or "Generic" input shape, validates the way JDE journal
 * entry does (accounts exist in F0901 and are postable, the document nets to zero, the G/L date
 * is in an open period, one currency), then writes F0911 rows under a new document and batch
 * number. Rejections come back shaped like AIS orchestration errors: a 500 ServiceErrorResponse,
 * or — when the orchestration is set to Continue on Error — a 200 carrying the form errors.
 *
 * Error CODEs other than 0028 ("Account Number Invalid") are simulator inventions ("S0xx").
 */
import { formatMinor, isKnownCurrency, parseDecimalToMinor } from '@mlc/money';
import { formatUserDate, isoToJulian, parseUserDate, stampOf } from './dates.js';
import { aisTimestamp, type FormError, formError, SimError, serviceError } from './errors.js';
import type { LedgerRow, Session, SimState } from './state.js';

export type InputFormat = 'JDE Standard' | 'Generic' | 'any';
export type ReferenceField = 'EXR' | 'EXA' | 'VR01';

export interface JournalOrchestrationConfig {
  name: string;
  /** The input format the orchestration is built with; "any" accepts both shapes. */
  inputFormat: InputFormat;
  /** What a rejected entry looks like: a terminating exception (500) or Continue on Error (200). */
  errorMode: 'exception' | 'continueOnError';
  /** The F0911 column the job reference is written to. */
  referenceField: ReferenceField;
  inputs: {
    company: string;
    documentType: string;
    glDate: string;
    explanation: string;
    currency: string;
    ledgerType: string;
    jobReference: string;
    lines: string;
    account: string;
    amount: string;
    lineExplanation: string;
    subledger: string;
    subledgerType: string;
  };
  outputs: {
    documentNumber: string;
    batchNumber: string;
    documentCompany: string;
    documentType: string;
    glDate: string;
  };
}

export const DEFAULT_JOURNAL_ORCHESTRATION: JournalOrchestrationConfig = Object.freeze({
  name: 'ORCH_MLC_AddJournalEntry',
  inputFormat: 'any',
  errorMode: 'exception',
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
    glDate: 'GLDate',
  }),
}) as JournalOrchestrationConfig;

const REFERENCE_LENGTH: Record<ReferenceField, number> = { EXR: 30, EXA: 30, VR01: 25 };

type Fields = Record<string, string>;

/** Reads either input shape into header fields and line fields. */
export function readInputs(
  body: unknown,
  config: JournalOrchestrationConfig,
  now: Date,
): { header: Fields; lines: Fields[]; shape: 'JDE Standard' | 'Generic' } {
  const record = (body ?? {}) as Record<string, unknown>;
  const standard = Array.isArray(record.inputs);
  const shape = standard ? 'JDE Standard' : 'Generic';
  if (config.inputFormat !== 'any' && config.inputFormat !== shape) {
    throw new SimError(
      500,
      serviceError(
        `Orchestration ${config.name} uses the ${config.inputFormat} input format; required inputs are missing`,
        now,
      ),
    );
  }
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  if (standard) {
    const pairs = (list: unknown): Fields =>
      Object.fromEntries(
        (Array.isArray(list) ? list : []).map((p: { name?: unknown; value?: unknown }) => [
          text(p.name),
          text(p.value),
        ]),
      );
    const details = Array.isArray(record.detailInputs)
      ? (record.detailInputs as Record<string, unknown>[])
      : [];
    const grid = details.find((d) => d.name === config.inputs.lines) ?? details[0];
    const repeating = Array.isArray(grid?.repeatingInputs)
      ? (grid.repeatingInputs as { inputs?: unknown }[])
      : [];
    return { header: pairs(record.inputs), lines: repeating.map((r) => pairs(r.inputs)), shape };
  }
  const header: Fields = {};
  for (const [key, value] of Object.entries(record)) {
    if (key !== config.inputs.lines && (typeof value !== 'object' || value === null))
      header[key] = text(value);
  }
  const rawLines = record[config.inputs.lines];
  const lines = (Array.isArray(rawLines) ? rawLines : []).map((line: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(line ?? {}).map(([k, v]) => [k, text(v)])),
  );
  return { header, lines, shape };
}

/** Which ledger types an orchestration accepts and which of them must net to zero (F0025). */
export interface LedgerPolicy {
  /** Why the ledger type is refused, or null when it is accepted. */
  refuse(ledgerType: string): string | null;
  /** JDE's "Ledger is Required to Balance" for the ledger type. */
  requiresBalance(ledgerType: string): boolean;
}

/** The journal-entry orchestration: the actuals ledger AA only, always balanced. */
export const ACTUALS_ONLY: LedgerPolicy = Object.freeze({
  refuse: (ledgerType: string) => (ledgerType === 'AA' ? null : `Ledger type ${ledgerType}: only AA.`),
  requiresBalance: () => true,
});

export interface JournalContext {
  state: SimState;
  session: Session;
  now: Date;
  userDatePattern: string;
  config: JournalOrchestrationConfig;
  /** v1/v2 outputs are strings; v3 outputs are typed. */
  typedOutputs: boolean;
  /** Default ACTUALS_ONLY. */
  policy?: LedgerPolicy;
}

/** Runs the orchestration: returns the HTTP status and body AIS would answer with. */
export function addJournalEntry(
  body: unknown,
  ctx: JournalContext,
): { status: number; body: Record<string, unknown> } {
  const started = ctx.now;
  const { config } = ctx;
  const names = config.inputs;
  const { header, lines } = readInputs(body, config, ctx.now);
  const errors: FormError[] = [];
  const err = (code: string, title: string, control: string, desc: string) =>
    errors.push(formError(code, title, control, desc));
  const tooLong = (value: string, max: number, field: string, control: string) => {
    if (value.length > max)
      err('S001', 'Field Too Long', control, `${field} "${value}" is longer than ${max} characters.`);
  };

  const company = (header[names.company] ?? '').trim();
  const docType = (header[names.documentType] ?? '').trim() || 'JE';
  const ledgerType = (header[names.ledgerType] ?? '').trim() || 'AA';
  const currency = (header[names.currency] ?? '').trim();
  const explanation = header[names.explanation] ?? '';
  const reference = header[names.jobReference] ?? '';
  const glDateText = header[names.glDate] ?? '';

  if (!company) err('S002', 'Company Required', '50', 'Document company (KCO) is blank.');
  tooLong(company, 5, 'Company (KCO)', '50');
  tooLong(docType, 2, 'Document type (DCT)', '320');
  const policy = ctx.policy ?? ACTUALS_ONLY;
  const refused = policy.refuse(ledgerType);
  if (refused) err('S003', 'Ledger Type Not Supported', '292', refused);
  tooLong(ledgerType, 2, 'Ledger type (LT)', '292');
  tooLong(explanation, 30, 'Explanation (EXA)', '57');
  tooLong(
    reference,
    REFERENCE_LENGTH[config.referenceField],
    `Job reference (${config.referenceField})`,
    '57',
  );
  if (!isKnownCurrency(currency))
    err('S004', 'Invalid Currency Code', '273', `Currency "${currency}" is not valid.`);
  const glIso = parseUserDate(glDateText, ctx.userDatePattern);
  if (!glIso) {
    err(
      'S005',
      'Invalid Date',
      '54',
      `G/L date "${glDateText}" is not a date in the format ${ctx.userDatePattern}.`,
    );
  } else if (company) {
    const open = ctx.state.isOpen(company, glIso);
    if (open === 'before')
      err(
        'S006',
        'Date Before Current Period (PBCO)',
        '54',
        `G/L date ${glIso} is before the open periods of company ${company}.`,
      );
    if (open === 'after')
      err(
        'S007',
        'Date After Open Periods (PACO)',
        '54',
        `G/L date ${glIso} is after the open periods of company ${company}.`,
      );
  }
  if (lines.length === 0) err('S008', 'No Journal Lines', '1', 'The journal entry has no lines.');

  const prepared: Omit<LedgerRow, 'DOC' | 'ICU' | 'UPMJ' | 'UPMT' | 'DGJ' | 'DICJ'>[] = [];
  let total = 0n;
  let amountsValid = true;
  lines.forEach((line, row) => {
    const control = (column: number) => `1.${row}.${column}`;
    const ani = (line[names.account] ?? '').trim();
    const [bu = '', obj = '', sub = '', ...rest] = ani.split('.');
    const subledger = line[names.subledger] ?? '';
    const subledgerType = line[names.subledgerType] ?? '';
    const lineExplanation = line[names.lineExplanation] ?? '';
    tooLong(lineExplanation, 30, `Line ${row + 1} explanation`, control(15));
    tooLong(subledger, 8, `Line ${row + 1} subledger (SBL)`, control(16));
    tooLong(subledgerType, 1, `Line ${row + 1} subledger type (SBLT)`, control(17));
    if (subledger.trim() !== '' && subledgerType.trim() === '') {
      err(
        'S009',
        'Subledger Type Required',
        control(17),
        `Line ${row + 1}: a subledger needs a subledger type.`,
      );
    }
    const account =
      rest.length === 0 && bu.length <= 12 && obj.length <= 6 && sub.length <= 8 && bu && obj
        ? ctx.state.findAccount(bu, obj, sub)
        : undefined;
    if (!account) {
      err(
        '0028',
        'Account Number Invalid',
        control(12),
        `Line ${row + 1}: account ${ani} does not exist in the Account Master file (F0901).`,
      );
    } else {
      const pec = account.PEC.trim();
      const hasSubledger = subledger.trim() !== '';
      // PEC B: "only allows posting to budget ledger types starting with B or J".
      const budgetOnly = pec === 'B' && !/^[BJ]/.test(ledgerType);
      if (pec === 'N' || pec === 'I' || pec === 'M' || pec === 'U' || budgetOnly) {
        err(
          'S010',
          'Account Is Not Postable',
          control(12),
          `Line ${row + 1}: account ${ani} has posting edit code ${pec}.`,
        );
      } else if ((pec === 'S' || pec === 'L') && !hasSubledger) {
        err(
          'S011',
          'Subledger Required',
          control(16),
          `Line ${row + 1}: account ${ani} requires a subledger.`,
        );
      } else if (pec === 'X' && hasSubledger) {
        err(
          'S012',
          'Subledger Not Allowed',
          control(16),
          `Line ${row + 1}: account ${ani} does not take a subledger.`,
        );
      }
    }
    let amount = 0n;
    try {
      if (isKnownCurrency(currency)) {
        amount = parseDecimalToMinor(line[names.amount] ?? '', currency, { decimalSeparator: '.' });
      }
    } catch (e) {
      amountsValid = false;
      err('S013', 'Invalid Amount', control(13), `Line ${row + 1}: ${(e as Error).message}.`);
    }
    const lineCurrency = (line[names.currency] ?? '').trim();
    if (lineCurrency && lineCurrency !== currency) {
      err(
        'S014',
        'Only One Currency Per Entry',
        control(13),
        `Line ${row + 1} is in ${lineCurrency}, the entry in ${currency}.`,
      );
    }
    total += amount;
    const text = lineExplanation || explanation;
    const ledger = {
      KCO: company,
      DCT: docType,
      JELN: row + 1,
      EXTL: '',
      LT: ledgerType,
      ICUT: 'G',
      CO: account?.CO ?? '',
      ANI: ani,
      AM: '2',
      AID: account?.AID ?? '',
      MCU: account?.MCU ?? '',
      OBJ: account?.OBJ ?? '',
      SUB: account?.SUB ?? '',
      SBL: subledger,
      SBLT: subledgerType,
      CRCD: currency,
      AA: amount,
      EXA: config.referenceField === 'EXA' ? reference : text,
      EXR: config.referenceField === 'EXA' ? text : '',
      VR01: '',
      POST: '',
      USER: ctx.session.username,
      PID: 'EP0911',
      JOBN: 'AIS',
    };
    if (config.referenceField !== 'EXA') ledger[config.referenceField] = reference;
    prepared.push(ledger);
  });
  if (total !== 0n && amountsValid && isKnownCurrency(currency) && policy.requiresBalance(ledgerType)) {
    err(
      'S015',
      'Out Of Balance',
      '1',
      `Debits and credits do not net to zero: difference ${formatMinor(total, currency)} ${currency}.`,
    );
  }

  const finished = ctx.now;
  const timing = {
    jde__startTimestamp: aisTimestamp(started),
    jde__endTimestamp: aisTimestamp(finished),
    jde__serverExecutionSeconds: 0.01,
  };
  if (errors.length > 0) return rejection(errors, ctx, timing);

  const doc = ctx.state.takeDocumentNumber(company, docType);
  const batch = ctx.state.takeBatchNumber();
  const { upmj, upmt } = stampOf(ctx.now);
  const dgj = isoToJulian(glIso as string);
  for (const row of prepared)
    ctx.state.ledger.push({ ...row, DOC: doc, ICU: batch, DGJ: dgj, DICJ: upmj, UPMJ: upmj, UPMT: upmt });

  const out = (n: number) => (ctx.typedOutputs ? n : String(n));
  return {
    status: 200,
    body: {
      [config.outputs.documentNumber]: out(doc),
      [config.outputs.batchNumber]: out(batch),
      [config.outputs.documentCompany]: company,
      [config.outputs.documentType]: docType,
      [config.outputs.glDate]: formatUserDate(glIso as string, ctx.userDatePattern),
      jde__status: 'SUCCESS',
      jde__simpleMessage: '',
      ...timing,
    },
  };
}

function rejection(
  errors: FormError[],
  ctx: JournalContext,
  timing: Record<string, unknown>,
): { status: number; body: Record<string, unknown> } {
  const simpleMessage = errors.map((e) => `${e.CODE} ${e.TITLE} (${e.ERRORCONTROL}): ${e.DESC}`).join('\n');
  const formErrors = [
    { 'Application ID': 'P0911_W0911A', Title: 'Journal Entry', Errors: errors, Warnings: [] },
  ];
  if (ctx.config.errorMode === 'continueOnError') {
    return {
      status: 200,
      body: {
        'Errors/Warnings': formErrors,
        continuedOnError: [
          {
            step: 'P0911_W0911A',
            message: simpleMessage,
            timeStamp: aisTimestamp(ctx.now),
            userDefinedErrorText: '',
            type: 'FormRequest',
          },
        ],
        jde__status: 'WARN',
        jde__simpleMessage: simpleMessage,
        ...timing,
      },
    };
  }
  return {
    status: 500,
    body: {
      ...serviceError({ 'Errors/Warnings': formErrors }, ctx.now, {
        exception: 'com.oracle.e1.common.OrchestrationException',
        type: 'OrchestrationException',
      }),
      jde__status: 'ERROR',
      jde__simpleMessage: simpleMessage,
      ...timing,
    },
  };
}
