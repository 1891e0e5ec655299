/**
 * AIS-shaped answers: the ServiceErrorResponse body AIS returns on 4xx/5xx, JDE form error
 * objects ({CODE, TITLE, ERRORCONTROL, DESC, MOBILE}), the AIS timestamp format, and JSON
 * serialization that writes amounts as exact JSON numbers without ever holding a float.
 */
import type { FastifyReply } from 'fastify';

/** Thrown by handlers; the app turns it into an AIS error answer. */
export class SimError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
  ) {
    super(typeof body.message === 'string' ? body.message : `AIS error ${status}`);
  }
}

export interface FormError {
  CODE: string;
  TITLE: string;
  ERRORCONTROL: string;
  DESC: string;
  MOBILE: string;
}

/** AIS timestamps look like "2018-06-25:10.34.02". */
export function aisTimestamp(instant: Date): string {
  const iso = instant.toISOString();
  return `${iso.slice(0, 10)}:${iso.slice(11, 13)}.${iso.slice(14, 16)}.${iso.slice(17, 19)}`;
}

export function serviceError(
  message: unknown,
  instant: Date,
  extra: { exception?: string; type?: string; userDefinedErrorText?: string } = {},
): Record<string, unknown> {
  return {
    message,
    exception: extra.exception ?? 'com.oracle.e1.jdeaisserver.ServiceException',
    exceptionId: '',
    errorText: typeof message === 'string' ? message : '',
    status: 'ERROR',
    timeStamp: aisTimestamp(instant),
    type: extra.type ?? 'ServiceException',
    userDefinedErrorText: extra.userDefinedErrorText ?? '',
  };
}

export function invalidToken(instant: Date): SimError {
  return new SimError(444, serviceError('Invalid Token', instant, { type: 'InvalidTokenException' }));
}

export function formError(code: string, title: string, control: string, desc: string): FormError {
  return {
    CODE: code,
    TITLE: `Error: ${title}`,
    ERRORCONTROL: control,
    DESC: desc,
    MOBILE: `${title}. ${desc}`,
  };
}

/** A decimal written into the JSON as a number literal, exactly as given. */
export class RawNumber {
  constructor(readonly text: string) {}
  toJSON(): string {
    return `__rawnum__${this.text}`;
  }
}

export function toJson(body: unknown): string {
  return JSON.stringify(body).replace(/"__rawnum__(-?\d+(?:\.\d+)?)"/g, '$1');
}

export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).type('application/json').send(toJson(body));
}
