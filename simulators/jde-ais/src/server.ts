/**
 * Process entry for the AIS simulator. Env: SIM_JDE_AIS_PORT (default 7070), SIM_JDE_AIS_HOST
 * (127.0.0.1), SIM_JDE_AIS_SESSION_TIMEOUT_MINUTES (30), SIM_JDE_AIS_SESSION_TTL_MINUTES (720),
 * SIM_JDE_AIS_USERS ("JDE:JDE,OTHER:pw"), SIM_JDE_AIS_ACCOUNTS (path to a JSON array of
 * ChartAccount; default the built-in chart), SIM_JDE_AIS_OPEN_PERIODS (JSON {"00001":[{"from","to"}]}),
 * SIM_JDE_AIS_ORCHESTRATION (journal orchestration name), SIM_JDE_AIS_SEED (fault seed).
 */
import { readFileSync } from 'node:fs';
import { buildSimulatorApp } from './app.js';
import type { ChartAccount } from './chart-of-accounts.js';

const env = process.env;
const minutes = (name: string, fallback: number) => Number(env[name] ?? fallback) * 60_000;
const users = env.SIM_JDE_AIS_USERS
  ? Object.fromEntries(env.SIM_JDE_AIS_USERS.split(',').map((pair) => pair.split(':', 2) as [string, string]))
  : undefined;
const accounts = env.SIM_JDE_AIS_ACCOUNTS
  ? (JSON.parse(readFileSync(env.SIM_JDE_AIS_ACCOUNTS, 'utf8')) as ChartAccount[])
  : undefined;

const { app } = buildSimulatorApp({
  users,
  accounts,
  sessionTimeoutMs: minutes('SIM_JDE_AIS_SESSION_TIMEOUT_MINUTES', 30),
  sessionTimeToLiveMs: minutes('SIM_JDE_AIS_SESSION_TTL_MINUTES', 720),
  openPeriods: env.SIM_JDE_AIS_OPEN_PERIODS ? JSON.parse(env.SIM_JDE_AIS_OPEN_PERIODS) : undefined,
  journal: env.SIM_JDE_AIS_ORCHESTRATION ? { name: env.SIM_JDE_AIS_ORCHESTRATION } : undefined,
  seed: env.SIM_JDE_AIS_SEED ? Number(env.SIM_JDE_AIS_SEED) : undefined,
  logger: true,
});

const port = Number(env.SIM_JDE_AIS_PORT ?? 7070);
await app.listen({ port, host: env.SIM_JDE_AIS_HOST ?? '127.0.0.1' });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void app.close().then(() => process.exit(0));
  });
}
