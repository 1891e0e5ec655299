/**
 * Test support: the SP-API simulator listening on a free port in-process, and clients wired to it
 * with a time-scaled clock so Amazon's real rates cost milliseconds.
 */
import { buildSimulatorApp, type Simulator, type SimulatorOptions } from '@mlc/sim-amazon-sp-api';
import { Registry } from 'prom-client';
import { SpApiClient, type SpApiClientOptions } from '../src/client.js';
import { type Clock, scaledClock } from '../src/clock.js';
import { InProcessTokenProvider } from '../src/lwa.js';

export const CLIENT_ID = 'amzn1.application-oa2-client.test';
export const CLIENT_SECRET = 'test-client-secret-0001';

export interface Harness extends Simulator {
  baseUrl: string;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<Harness> {
  const simulator = buildSimulatorApp({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, ...options });
  const baseUrl = await simulator.app.listen({ port: 0, host: '127.0.0.1' });
  return { ...simulator, baseUrl, close: () => simulator.app.close() };
}

/** Virtual time that moves only when someone sleeps: waits are instant and exactly measurable. */
export function manualClock(start = 0): Clock & { time: number } {
  const clock = {
    time: start,
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.time += Math.max(0, ms);
    },
  };
  return clock;
}

export function tokenProvider(harness: Harness, clock: Clock): InProcessTokenProvider {
  return new InProcessTokenProvider({
    credentials: (connectionId) => ({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      refreshToken: `Atzr|${connectionId}`,
    }),
    endpoint: `${harness.baseUrl}/auth/o2/token`,
    clock,
  });
}

export function makeClient(
  harness: Harness,
  overrides: Partial<SpApiClientOptions> & { timeScale?: number } = {},
): { client: SpApiClient; registry: Registry; clock: Clock } {
  const clock = overrides.clock ?? scaledClock(overrides.timeScale ?? 1000);
  const registry = overrides.registry ?? new Registry();
  const client = new SpApiClient({
    connectionId: 'seller-1',
    region: 'NA',
    endpoint: harness.baseUrl,
    tokens: overrides.tokens ?? tokenProvider(harness, clock),
    registry,
    clock,
    ...overrides,
  });
  return { client, registry, clock };
}

/** The value of mlc_spapi_requests_total for an operation and status. */
export async function requestCount(registry: Registry, operation: string, status: string): Promise<number> {
  const metric = await registry.getSingleMetric('mlc_spapi_requests_total')?.get();
  return (
    metric?.values.find((v) => v.labels.operation === operation && v.labels.status === status)?.value ?? 0
  );
}

/** Drains an async iterable (Array.fromAsync is not in Node 20). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
