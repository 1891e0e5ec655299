/**
 * Test helpers: the AIS simulator listening on an ephemeral port, and a client wired to it with
 * its own metrics registry.
 */
import type { AddressInfo } from 'node:net';
import { buildSimulatorApp, type Simulator, type SimulatorOptions } from '@mlc/sim-jde-ais';
import { Registry } from 'prom-client';
import {
  AisClient,
  type AisConnectionConfig,
  createAisMetrics,
  InProcessSessionProvider,
} from '../src/index.js';

export interface RunningSim extends Simulator {
  baseUrl: string;
  admin: (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<unknown>;
  close: () => Promise<void>;
}

export async function startSim(options: SimulatorOptions = {}): Promise<RunningSim> {
  const sim = buildSimulatorApp(options);
  await sim.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = sim.app.server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    ...sim,
    baseUrl,
    admin: async (method, path, body) => {
      const response = await sim.app.inject({
        method,
        url: path,
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return response.json();
    },
    close: () => sim.app.close(),
  };
}

export function connectionFor(
  baseUrl: string,
  overrides: Partial<AisConnectionConfig> = {},
): AisConnectionConfig {
  return {
    id: 'test-connection',
    baseUrl,
    allowInsecureHttp: true,
    username: 'JDE',
    password: 'JDE-secret-pw',
    deviceName: 'mlc-test',
    environment: 'JDV920',
    role: '*ALL',
    ...overrides,
  };
}

export function clientFor(baseUrl: string, overrides: Partial<AisConnectionConfig> = {}) {
  const registry = new Registry();
  const metrics = createAisMetrics(registry);
  const connection = connectionFor(baseUrl, overrides);
  const sessions = new InProcessSessionProvider([connection], { metrics });
  const client = new AisClient({ connection, sessions, metrics });
  return { client, sessions, registry, metrics, connection };
}

export const SIM_USERS = { JDE: { password: 'JDE-secret-pw', simpleDateFormat: 'MM/dd/yyyy' } };

/** A mutable clock for the simulator. */
export function testClock(start: string) {
  let now = new Date(start);
  return {
    now: () => now,
    set: (iso: string) => {
      now = new Date(iso);
    },
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}
