/**
 * Errors from the AIS Server, read into one shape. AIS answers 4xx/5xx with a ServiceErrorResponse
 * ({message, exception, exceptionId, errorText, status, timeStamp, type, userDefinedErrorText});
 * orchestrations add jde__simpleMessage / jde__status, form errors ({CODE, TITLE, ERRORCONTROL,
 * DESC}) under "Errors/Warnings" or fs_<APP>_<FORM>.errors, and continuedOnError[] — and may do
 * so with HTTP 200. So the body decides, not just the status.
 */

export type AisErrorKind =
  /** Bad connection settings (e.g. plain http). */
  | 'config'
  /** Input refused before anything was sent (field lengths, unbalanced entry). */
  | 'validation'
  /** 403: credentials or authorization refused. */
  | 'forbidden'
  /** 444 after the one re-login and retry. */
  | 'invalid-token'
  /** JDE refused the request on business grounds (form errors), whatever the HTTP status. */
  | 'business'
  /** Another HTTP status. */
  | 'http'
  /** No answer: connection refused or dropped, or the timeout passed. */
  | 'transport'
  /** An answer we cannot read. */
  | 'protocol';

export interface FormMessage {
  code: string;
  title: string;
  /** Control id, or grid.row.column like "1.0.12". */
  control: string;
  description: string;
}

export interface AisErrorDetails {
  message?: string;
  exception?: string;
  exceptionId?: string;
  userDefinedErrorText?: string;
  /** jde__simpleMessage of an orchestration. */
  simpleMessage?: string;
  /** jde__status of an orchestration (SUCCESS, WARN, ERROR). */
  jdeStatus?: string;
  errors: FormMessage[];
  warnings: FormMessage[];
  continuedOnError: { step?: string; message?: string; userDefinedErrorText?: string }[];
}

export class AisError extends Error {
  override name = 'AisError';
  constructor(
    readonly kind: AisErrorKind,
    message: string,
    readonly options: {
      operation?: string;
      status?: number;
      details?: AisErrorDetails;
      /** True when a write may or may not have happened (no answer, 5xx without a business error). */
      outcomeUnknown?: boolean;
      /** The input field at fault, for validation errors ("lines[2].account.object"). */
      field?: string;
      cause?: unknown;
    } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
  get status(): number | undefined {
    return this.options.status;
  }
  get details(): AisErrorDetails | undefined {
    return this.options.details;
  }
  get outcomeUnknown(): boolean {
    return this.options.outcomeUnknown ?? false;
  }
  get field(): string | undefined {
    return this.options.field;
  }
}

const asString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

function formMessages(list: unknown): FormMessage[] {
  if (!Array.isArray(list)) return [];
  return list
    .filter((e): e is Record<string, unknown> => typeof e === 'object' && e !== null)
    .map((e) => ({
      code: String(e.CODE ?? e.code ?? ''),
      title: String(e.TITLE ?? e.title ?? ''),
      control: String(e.ERRORCONTROL ?? e.errorControl ?? ''),
      description: String(e.DESC ?? e.desc ?? e.MOBILE ?? ''),
    }));
}

/** Walks a body for form errors/warnings wherever AIS nests them (depth-limited). */
function collectFormMessages(
  node: unknown,
  into: { errors: FormMessage[]; warnings: FormMessage[] },
  depth = 0,
): void {
  if (depth > 8 || typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const item of node) collectFormMessages(item, into, depth + 1);
    return;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'errors' || key === 'Errors') into.errors.push(...formMessages(value));
    else if (key === 'warnings' || key === 'Warnings') into.warnings.push(...formMessages(value));
    else if (typeof value === 'object' && value !== null && !(key === 'gridData' || key === 'rowset')) {
      collectFormMessages(value, into, depth + 1);
    }
  }
}

/** Reads any AIS error or orchestration answer into AisErrorDetails. */
export function parseAisErrorBody(body: unknown): AisErrorDetails {
  const details: AisErrorDetails = { errors: [], warnings: [], continuedOnError: [] };
  if (typeof body === 'string') {
    if (body.trim() !== '') details.message = body.trim().slice(0, 500);
    return details;
  }
  if (typeof body !== 'object' || body === null) return details;
  const record = body as Record<string, unknown>;
  const set = <K extends keyof AisErrorDetails>(key: K, value: AisErrorDetails[K] | undefined) => {
    if (value !== undefined) details[key] = value;
  };
  set('message', asString(record.message) ?? asString(record.errorText));
  set('exception', asString(record.exception));
  set('exceptionId', asString(record.exceptionId));
  set('userDefinedErrorText', asString(record.userDefinedErrorText) ?? asString(record.userDefinedError));
  set('simpleMessage', asString(record.jde__simpleMessage));
  set('jdeStatus', asString(record.jde__status));
  collectFormMessages(record, details);
  if (Array.isArray(record.continuedOnError)) {
    details.continuedOnError = record.continuedOnError
      .filter((c): c is Record<string, unknown> => typeof c === 'object' && c !== null)
      .map((c) => {
        const entry: AisErrorDetails['continuedOnError'][number] = {};
        const step = asString(c.step);
        const msg = asString(c.message);
        const text = asString(c.userDefinedErrorText);
        if (step) entry.step = step;
        if (msg) entry.message = msg;
        if (text) entry.userDefinedErrorText = text;
        return entry;
      });
  }
  return details;
}

/**
 * Business errors hidden in a success answer: form errors, a Continue-on-Error step that failed,
 * jde__status ERROR, or a ServiceErrorResponse-looking body (status "ERROR"). Undefined when clean.
 */
export function detectBusinessError(body: unknown): AisErrorDetails | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const details = parseAisErrorBody(body);
  const record = body as Record<string, unknown>;
  const failed =
    details.errors.length > 0 ||
    details.continuedOnError.length > 0 ||
    details.jdeStatus?.toUpperCase() === 'ERROR' ||
    (record.status === 'ERROR' && (record.exception !== undefined || record.message !== undefined));
  return failed ? details : undefined;
}

/** One line for logs and error messages; secrets never appear in AIS error bodies we keep. */
export function describeDetails(details: AisErrorDetails | undefined): string {
  if (!details) return '';
  const parts: string[] = [];
  if (details.simpleMessage) parts.push(details.simpleMessage.replace(/\n+/g, '; '));
  else if (details.errors.length > 0) {
    parts.push(
      details.errors.map((e) => `${e.code} ${e.title} [${e.control}] ${e.description}`.trim()).join('; '),
    );
  } else if (details.message) parts.push(details.message);
  if (details.userDefinedErrorText) parts.push(details.userDefinedErrorText);
  for (const c of details.continuedOnError)
    if (c.message && !parts.includes(c.message)) parts.push(`${c.step ?? 'step'}: ${c.message}`);
  if (parts.length === 0 && details.exception) parts.push(details.exception);
  return parts.join(' | ');
}
