/**
 * Caller authentication: every TokenBroker call must carry `authorization: Bearer <token>` with one
 * of the configured client tokens. Tokens are compared as SHA-256 digests with timingSafeEqual
 * against every configured token (no early exit), so neither length nor content leaks through
 * timing. The gRPC health service is registered separately and stays open.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';

export type CallerCheck = (metadata: grpc.Metadata) => boolean;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export function bearerCheck(tokens: readonly string[]): CallerCheck {
  const digests = tokens.map(digest);
  return (metadata) => {
    const header = metadata.get('authorization')[0];
    if (typeof header !== 'string') return false;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match?.[1]) return false;
    const presented = digest(match[1]);
    let ok = false;
    for (const expected of digests) ok = timingSafeEqual(presented, expected) || ok;
    return ok;
  };
}

type UnaryHandler = grpc.handleUnaryCall<unknown, unknown>;

/** Wraps every (unary) handler so an unauthenticated call is refused with UNAUTHENTICATED. */
export function requireBearer<H extends grpc.UntypedServiceImplementation>(
  handlers: H,
  check: CallerCheck,
): H {
  const wrapped: Record<string, UnaryHandler> = {};
  for (const [name, handler] of Object.entries(handlers) as Array<[string, UnaryHandler]>) {
    wrapped[name] = (call, callback) => {
      if (!check(call.metadata)) {
        callback({
          code: grpc.status.UNAUTHENTICATED,
          details: 'missing or invalid bearer token (metadata "authorization: Bearer <token>")',
        });
        return;
      }
      handler(call, callback);
    };
  }
  return wrapped as unknown as H;
}
