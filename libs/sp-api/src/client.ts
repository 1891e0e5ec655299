/**
 * The SP-API call stream of one selling-partner connection in one region.
 *
 * Every request goes through here: it waits for a token of the operation's bucket (Amazon's usage
 * plan), sends the LWA access token in `x-amz-access-token`, retries a 429 with exponential backoff and
 * full jitter (never faster than the operation's rate), retries 5xx and network errors a bounded number
 * of times, swaps a refused access token once, and counts each attempt in
 * `mlc_spapi_requests_total{operation,status}` with its latency. Labels carry no ids or secrets.
 */
import type { Logger } from '@mlc/observability';
import { Counter, Histogram, type Registry } from 'prom-client';
import { type Clock, systemClock } from './clock.js';
import type { AccessTokenProvider } from './lwa.js';
import { type OperationName, TokenBucket, USAGE_PLANS, type UsagePlan } from './rate-limits.js';
import { REGIONS, type Region } from './regions.js';

export type QueryValue = string | number | boolean | readonly string[] | undefined;

export interface RequestSpec {
  operation: OperationName;
  method: 'GET' | 'POST' | 'DELETE';
  /** Path with its parameters already encoded. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
}

export interface RetryPolicy {
  /** Retries of a 429 before giving up (default 10). */
  maxThrottleRetries: number;
  /** Retries of a 5xx or a network error before giving up (default 3). */
  maxServerRetries: number;
  /** First backoff ceiling (default 1 s); the next ceilings double, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface SpApiClientOptions {
  connectionId: string;
  region: Region;
  tokens: AccessTokenProvider;
  /** Where the request metrics are registered. */
  registry: Registry;
  /** Overrides the regional endpoint (the simulator, the sandbox). */
  endpoint?: string;
  clock?: Clock;
  /** Uniform [0, 1) for jitter; injectable so tests are deterministic. */
  random?: () => number;
  fetch?: typeof fetch;
  /** Replaces Amazon's default plan for some operations (a granted higher plan). */
  usagePlans?: Partial<Record<OperationName, UsagePlan>>;
  retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout in wall milliseconds (default 60 s). */
  timeoutMs?: number;
  userAgent?: string;
  logger?: Logger;
}

export interface SpApiErrorDetail {
  code: string;
  message: string;
  details?: string;
}

/** A call Amazon refused, or that kept failing after its retries. */
export class SpApiError extends Error {
  override name = 'SpApiError';
  constructor(
    readonly operation: OperationName,
    /** HTTP status, or 0 when the request never got an answer. */
    readonly status: number,
    readonly errors: SpApiErrorDetail[],
    readonly requestId: string | undefined,
    options?: { cause?: unknown },
  ) {
    const first = errors[0];
    super(
      `${operation} failed with ${status || 'no response'}${first ? `: ${first.code} ${first.message}` : ''}`,
      options,
    );
  }

  get code(): string | undefined {
    return this.errors[0]?.code;
  }
}

const DEFAULT_RETRY: RetryPolicy = {
  maxThrottleRetries: 10,
  maxServerRetries: 3,
  baseDelayMs: 1000,
  maxDelayMs: 120_000,
};

export class SpApiClient {
  readonly connectionId: string;
  readonly region: Region;
  private readonly clock: Clock;
  private readonly endpoint: string;
  private readonly buckets = new Map<OperationName, TokenBucket>();
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly fetchFn: typeof fetch;
  private readonly requests: Counter<'operation' | 'status'>;
  private readonly latency: Histogram<'operation' | 'status'>;

  constructor(private readonly options: SpApiClientOptions) {
    this.connectionId = options.connectionId;
    this.region = options.region;
    this.endpoint = (options.endpoint ?? REGIONS[options.region].endpoint).replace(/\/+$/, '');
    this.clock = options.clock ?? systemClock;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.random = options.random ?? Math.random;
    this.fetchFn = options.fetch ?? fetch;
    this.requests = requestCounter(options.registry);
    this.latency = latencyHistogram(options.registry);
  }

  /** Sends one operation call, with rate limiting and retries, and returns its parsed JSON body. */
  async request<T>(spec: RequestSpec): Promise<T> {
    const bucket = this.bucket(spec.operation);
    let throttled = 0;
    let failed = 0;
    let tokenRenewed = false;
    for (;;) {
      await bucket.take();
      const outcome = await this.attempt(spec);
      if (outcome.kind === 'ok') return outcome.body as T;
      if (outcome.kind === 'throttled') {
        if (throttled >= this.retry.maxThrottleRetries) throw outcome.error;
        bucket.drain();
        await this.clock.sleep(this.backoff(throttled++, bucket.rate));
        continue;
      }
      if (outcome.kind === 'transient') {
        if (failed >= this.retry.maxServerRetries) throw outcome.error;
        await this.clock.sleep(this.backoff(failed++, bucket.rate));
        continue;
      }
      if (outcome.kind === 'unauthorized' && !tokenRenewed) {
        tokenRenewed = true;
        this.options.tokens.invalidate(this.connectionId, this.region);
        continue;
      }
      throw outcome.error;
    }
  }

  /**
   * Fetches a presigned report-document URL (S3: no access token, no usage plan, no retry — an expired
   * URL needs a fresh getReportDocument). Counted as operation `reportDocumentDownload`.
   */
  async fetchDocument(url: string): Promise<Response> {
    const started = performance.now();
    try {
      const response = await this.fetchFn(url);
      this.observe('reportDocumentDownload', String(response.status), started);
      return response;
    } catch (error) {
      this.observe('reportDocumentDownload', 'network_error', started);
      throw error;
    }
  }

  /** Full-jitter exponential backoff whose ceiling never drops below one token interval of the plan. */
  backoff(attempt: number, rate: number): number {
    const base = Math.max(this.retry.baseDelayMs, 1000 / rate);
    const ceiling = Math.min(this.retry.maxDelayMs, base * 2 ** attempt);
    return this.random() * ceiling;
  }

  private bucket(operation: OperationName): TokenBucket {
    let bucket = this.buckets.get(operation);
    if (!bucket) {
      bucket = new TokenBucket(this.options.usagePlans?.[operation] ?? USAGE_PLANS[operation], this.clock);
      this.buckets.set(operation, bucket);
    }
    return bucket;
  }

  private async attempt(spec: RequestSpec): Promise<Outcome> {
    const accessToken = await this.options.tokens.getAccessToken(this.connectionId, this.region);
    const url = this.endpoint + spec.path + encodeQuery(spec.query);
    const headers: Record<string, string> = {
      'x-amz-access-token': accessToken,
      'user-agent': this.options.userAgent ?? 'ml-connector/0.1 (Language=TypeScript)',
      accept: 'application/json',
    };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(url, {
        method: spec.method,
        headers,
        body: spec.body === undefined ? undefined : JSON.stringify(spec.body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
      });
      text = await response.text();
    } catch (cause) {
      this.observe(spec.operation, 'network_error', started);
      this.options.logger?.warn(
        { operation: spec.operation, err: cause },
        'SP-API request failed without a response',
      );
      return { kind: 'transient', error: new SpApiError(spec.operation, 0, [], undefined, { cause }) };
    }
    const status = response.status;
    this.observe(spec.operation, String(status), started);
    const requestId = response.headers.get('x-amzn-requestid') ?? undefined;
    const limit = Number(response.headers.get('x-amzn-ratelimit-limit'));
    if (limit > 0) this.bucket(spec.operation).setRate(limit);
    const body = parseBody(text);
    if (status >= 200 && status < 300) return { kind: 'ok', body };
    const error = new SpApiError(spec.operation, status, errorList(body, text), requestId);
    if (status === 429) return { kind: 'throttled', error };
    if (status >= 500) return { kind: 'transient', error };
    if (status === 403 || status === 401) return { kind: 'unauthorized', error };
    return { kind: 'failed', error };
  }

  private observe(
    operation: OperationName | 'reportDocumentDownload',
    status: string,
    started: number,
  ): void {
    this.requests.inc({ operation, status });
    this.latency.observe({ operation, status }, (performance.now() - started) / 1000);
  }
}

type Outcome =
  | { kind: 'ok'; body: unknown }
  | { kind: 'throttled' | 'transient' | 'unauthorized' | 'failed'; error: SpApiError };

/** Follows a paged operation until it stops returning a next token, yielding each page's items. */
export async function* paginate<T>(
  fetchPage: (nextToken: string | undefined) => Promise<{ items: readonly T[]; nextToken?: string | null }>,
): AsyncGenerator<T, void, undefined> {
  let nextToken: string | undefined;
  do {
    const page = await fetchPage(nextToken);
    yield* page.items;
    nextToken = page.nextToken || undefined;
  } while (nextToken);
}

/** SP-API sends array parameters as comma-separated lists (`collectionFormat: csv`). */
function encodeQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.set(name, Array.isArray(value) ? value.join(',') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function errorList(body: unknown, text: string): SpApiErrorDetail[] {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  if (Array.isArray(errors)) {
    return errors.map((e: Record<string, unknown>) => ({
      code: String(e.code ?? ''),
      message: String(e.message ?? ''),
      ...(typeof e.details === 'string' ? { details: e.details } : {}),
    }));
  }
  return text ? [{ code: 'Unknown', message: text.slice(0, 200) }] : [];
}

function requestCounter(registry: Registry): Counter<'operation' | 'status'> {
  const name = 'mlc_spapi_requests_total';
  return (
    (registry.getSingleMetric(name) as Counter<'operation' | 'status'> | undefined) ??
    new Counter({
      name,
      help: 'SP-API requests sent, by operation and HTTP status (network_error when none came back).',
      labelNames: ['operation', 'status'],
      registers: [registry],
    })
  );
}

function latencyHistogram(registry: Registry): Histogram<'operation' | 'status'> {
  const name = 'mlc_spapi_request_duration_seconds';
  return (
    (registry.getSingleMetric(name) as Histogram<'operation' | 'status'> | undefined) ??
    new Histogram({
      name,
      help: 'SP-API request latency in seconds, by operation and HTTP status.',
      labelNames: ['operation', 'status'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    })
  );
}
