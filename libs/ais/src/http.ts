/**
 * One HTTP exchange with the AIS Server: JSON in, JSON out, a timeout, and metrics. Amount
 * columns (`<TABLE>_AA`, `_CA`, `_CRR`) arrive as JSON numbers; they are turned into strings in
 * the raw text before JSON.parse so money never passes through a binary float.
 */
import { performance } from 'node:perf_hooks';
import type { ResolvedConnection } from './config.js';
import { AisError } from './errors.js';
import type { AisMetrics, AisOperation } from './metrics.js';

export interface AisResponse {
  status: number;
  /** Parsed JSON, or the raw text when the answer is not JSON. */
  body: unknown;
}

export type FetchLike = typeof fetch;

const AMOUNT_NUMBER = /("[A-Z][A-Z0-9]*_(?:AA|CA|CRR)"\s*:\s*)(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g;

/** Parses an AIS answer with amount columns kept as decimal strings. */
export function parseAisJson(text: string): unknown {
  return JSON.parse(text.replace(AMOUNT_NUMBER, '$1"$2"'));
}

export class AisTransport {
  private readonly fetchImpl: FetchLike;

  constructor(
    readonly connection: ResolvedConnection,
    private readonly options: { fetch?: FetchLike; metrics?: AisMetrics } = {},
  ) {
    this.fetchImpl = options.fetch ?? fetch;
  }

  /** POSTs (or GETs) `path` (starting with /jderest/) under the connection's base URL. */
  async send(
    operation: AisOperation,
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
    method: 'POST' | 'GET' = 'POST',
  ): Promise<AisResponse> {
    const url = `${this.connection.baseUrl}${path}`;
    const started = performance.now();
    let status = 'network';
    try {
      const response = await this.fetchImpl(url, {
        method,
        headers: {
          accept: 'application/json',
          ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
        signal: AbortSignal.timeout(this.connection.requestTimeoutMs),
        redirect: 'error',
      });
      status = String(response.status);
      const text = await response.text();
      let parsed: unknown = text;
      if (text.trim().startsWith('{') || text.trim().startsWith('[')) {
        try {
          parsed = parseAisJson(text);
        } catch {
          parsed = text;
        }
      }
      return { status: response.status, body: parsed };
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      if (timedOut) status = 'timeout';
      const reason = timedOut
        ? `no answer within ${this.connection.requestTimeoutMs} ms`
        : `no answer (${describeCause(error)})`;
      throw new AisError('transport', `AIS ${operation} to ${new URL(url).origin}: ${reason}`, {
        operation,
        outcomeUnknown: true,
        cause: error,
      });
    } finally {
      this.options.metrics?.requests.inc({ operation, status });
      this.options.metrics?.latency.observe({ operation }, (performance.now() - started) / 1000);
    }
  }
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}
