/**
 * The whole system on this machine: both simulators and the four services, each its own process,
 * on the real Kafka broker and FerretDB from `make infra-up`, inside one Kafka namespace and one
 * database so runs never see each other. Used by `make demo` and the end-to-end tests.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { jobReference } from '@mlc/ais';
import { createKafka, type ResetPlan, resetOffsets } from '@mlc/kafka';
import { DEFAULT_CHART } from '@mlc/mapping';
import { formatMinor, parseDecimalToMinor } from '@mlc/money';
import { createLogger } from '@mlc/observability';
import { type SettlementRecord, settlementModel } from '@mlc/store';
import { freePort, kafkaBrokers, mongoBaseUrl, repoRoot, waitFor } from '@mlc/testkit';
import { createTokenBrokerClient, type TokenBrokerClient } from '@mlc/token-broker-client';
import mongoose, { type Connection } from 'mongoose';
import { ManagedProcess } from './processes.js';

export const SERVICES = ['token-broker', 'amazon-ingest', 'mapping', 'jde-poster'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface LocalStackOptions {
  /** Kafka namespace and database name of this run. */
  name: string;
  logDir?: string;
  /** Fixed ports (the demo); unset ones are picked free. */
  ports?: Partial<Record<ServiceName | 'sp-api' | 'ais' | 'grpc', number>>;
  /** Virtual seconds per wall second in the SP-API simulator and the ingest's rate limits. */
  spApiTimeScale?: number;
  pollIntervalMs?: number;
  /** amazon-ingest's listings and FBA stock poll interval (unset: the service's default, 15 / 30 min). */
  itemsPollIntervalMs?: number;
  aisTimeoutMs?: number;
  leaseMarginMs?: number;
  /** mapping's daily sales sweep (and quiet time); default 2 s so tests see closed days posted quickly. */
  dailySalesSweepMs?: number;
  logLevel?: string;
  /** Leave the processes running when this one exits (the demo). */
  detached?: boolean;
  /** Another broker than the shared one (the chaos test restarts its own). */
  kafkaBrokers?: string[];
}

export interface ReconciliationRow {
  settlementId: string;
  currency: string;
  status: string;
  amazonTotal: string;
  documents: string[];
  /** The balancing lines on the clearing account: the deposit as JDE holds it. */
  postedTotal: string;
  reconciles: boolean;
  reason?: string;
}

interface F0911Row {
  DOC: number;
  DCT: string;
  KCO: string;
  AA: string;
  CRCD: string;
  EXR?: string;
  EXA?: string;
  MCU: string;
  OBJ: string;
  SUB: string;
}

const SIM_LWA = {
  clientId: 'amzn1.application-oa2-client.simulator',
  clientSecret: 'simulator-client-secret',
};

export class LocalStack {
  readonly processes = new Map<string, ManagedProcess>();
  readonly urls: { spApi: string; ais: string; grpc: string; admin: Record<ServiceName, string> };
  readonly broker: TokenBrokerClient;
  readonly db: Connection;

  private constructor(
    readonly options: LocalStackOptions,
    ports: Record<ServiceName | 'sp-api' | 'ais' | 'grpc', number>,
    db: Connection,
    /** The bearer secret this run's token-broker accepts (local and throwaway). */
    readonly brokerToken: string,
  ) {
    this.urls = {
      spApi: `http://127.0.0.1:${ports['sp-api']}`,
      ais: `http://127.0.0.1:${ports.ais}`,
      grpc: `127.0.0.1:${ports.grpc}`,
      admin: Object.fromEntries(SERVICES.map((s) => [s, `http://127.0.0.1:${ports[s]}`])) as Record<
        ServiceName,
        string
      >,
    };
    this.db = db;
    this.broker = createTokenBrokerClient({ address: this.urls.grpc, token: brokerToken });
  }

  static async start(options: LocalStackOptions): Promise<LocalStack> {
    const ports = { ...options.ports } as Record<ServiceName | 'sp-api' | 'ais' | 'grpc', number>;
    for (const key of [...SERVICES, 'sp-api', 'ais', 'grpc'] as const) ports[key] ??= await freePort();
    const logDir = options.logDir ?? path.join(repoRoot, '.run', options.name);
    const mongoUrl = `${mongoBaseUrl}/${options.name.replace(/-/g, '_')}`;
    const db = await mongoose
      .createConnection(mongoUrl, { bufferCommands: false, autoIndex: false })
      .asPromise();
    const brokerToken = randomBytes(24).toString('hex');
    const stack = new LocalStack(options, ports, db, brokerToken);
    const timeScale = options.spApiTimeScale ?? 60;
    const common = {
      MLC_KAFKA_BROKERS: (options.kafkaBrokers ?? kafkaBrokers).join(','),
      MLC_MONGO_URL: mongoUrl,
      MLC_KAFKA_NAMESPACE: options.name,
      MLC_LOG_LEVEL: options.logLevel ?? 'info',
      MLC_ADMIN_HOST: '127.0.0.1',
    };
    const broker = { MLC_TOKEN_BROKER_ADDRESS: stack.urls.grpc, MLC_TOKEN_BROKER_TOKEN: brokerToken };
    const add = (name: string, entry: string, env: Record<string, string>) =>
      stack.processes.set(name, new ManagedProcess(name, entry, env, logDir, options.detached));

    add('sp-api-simulator', 'simulators/amazon-sp-api/src/server.ts', {
      SIM_SPAPI_PORT: String(ports['sp-api']),
      SIM_SPAPI_TIME_SCALE: String(timeScale),
    });
    add('ais-simulator', 'simulators/jde-ais/src/server.ts', {
      SIM_JDE_AIS_PORT: String(ports.ais),
      SIM_JDE_AIS_OPEN_PERIODS: JSON.stringify({ '*': [{ from: '2024-01-01', to: '2027-12-31' }] }),
    });
    add('token-broker', 'services/token-broker/src/server.ts', {
      ...common,
      MLC_ADMIN_PORT: String(ports['token-broker']),
      MLC_GRPC_HOST: '127.0.0.1',
      MLC_GRPC_PORT: String(ports.grpc),
      MLC_MASTER_KEYS: `local:${randomBytes(32).toString('base64')}`,
      MLC_ACTIVE_KEY_ID: 'local',
      MLC_BROKER_CLIENT_TOKENS: brokerToken,
    });
    add('amazon-ingest', 'services/amazon-ingest/src/server.ts', {
      ...common,
      ...broker,
      MLC_ADMIN_PORT: String(ports['amazon-ingest']),
      MLC_SPAPI_POLL_INTERVAL_MS: String(options.pollIntervalMs ?? 2_000),
      ...(options.itemsPollIntervalMs
        ? {
            MLC_LISTINGS_POLL_INTERVAL_MS: String(options.itemsPollIntervalMs),
            MLC_STOCK_POLL_INTERVAL_MS: String(options.itemsPollIntervalMs),
          }
        : {}),
      MLC_SPAPI_TIME_SCALE: String(timeScale),
    });
    add('mapping', 'services/mapping/src/server.ts', {
      ...common,
      ...broker,
      MLC_ADMIN_PORT: String(ports.mapping),
      MLC_DAILY_SALES_SWEEP_MS: String(options.dailySalesSweepMs ?? 2_000),
    });
    add('jde-poster', 'services/jde-poster/src/server.ts', {
      ...common,
      ...broker,
      MLC_ADMIN_PORT: String(ports['jde-poster']),
      MLC_AIS_TIMEOUT_MS: String(options.aisTimeoutMs ?? 10_000),
      MLC_AIS_LEASE_MARGIN_MS: String(options.leaseMarginMs ?? 5_000),
    });

    for (const process of stack.processes.values()) process.start();
    try {
      await stack.waitReady();
      await stack.seedChartOfAccounts();
    } catch (error) {
      // Leave nothing running behind a failed start: the caller never gets the stack to stop.
      await stack.stop();
      throw error;
    }
    return stack;
  }

  process(name: string): ManagedProcess {
    const found = this.processes.get(name);
    if (!found) throw new Error(`no process ${name}`);
    return found;
  }

  /** Waits until both simulators answer and every service reports ready. */
  async waitReady(timeoutMs = 90_000): Promise<void> {
    const probes: Array<[string, string]> = [
      ['sp-api-simulator', `${this.urls.spApi}/_sim/state`],
      ['ais-simulator', `${this.urls.ais}/_sim/sessions`],
      ...SERVICES.map((s): [string, string] => [s, `${this.urls.admin[s]}/readyz`]),
    ];
    for (const [name, url] of probes) {
      await waitFor(
        `${name} ready`,
        async () => {
          if (!this.process(name).running) throw new Error(`${name} is not running (see its log)`);
          return (await fetch(url).catch(() => null))?.ok ?? false;
        },
        timeoutMs,
        250,
      );
    }
  }

  /** The customer's chart of accounts in the AIS simulator: the accounts the default mapping posts to. */
  private async seedChartOfAccounts(): Promise<void> {
    const accounts = DEFAULT_CHART.map((entry, i) => {
      const [businessUnit = '', object = '', subsidiary = ''] = entry.account.split('.');
      return {
        company: '00001',
        aid: String(90000 + i).padStart(8, '0'),
        businessUnit,
        object,
        subsidiary,
        description: entry.description,
        postingEditCode: '',
        levelOfDetail: 7,
      };
    });
    await this.post(`${this.urls.ais}/_sim/accounts`, { accounts });
  }

  /** A seller's connection, created at the token-broker as an operator would: US and CA on NA. */
  async createConnection(
    connectionId: string,
    marketplaceIds = ['ATVPDKIKX0DER', 'A2EUQ1WTGCTBG2'],
  ): Promise<void> {
    await this.broker.createConnection({
      connectionId,
      displayName: `${connectionId} (simulated)`,
      amazon: {
        lwaClientId: SIM_LWA.clientId,
        lwaClientSecret: SIM_LWA.clientSecret,
        refreshToken: `Atzr|${connectionId}`,
        regions: ['NA'],
        marketplaceIds,
        lwaEndpoint: `${this.urls.spApi}/auth/o2/token`,
        spApiEndpoint: `${this.urls.spApi}/{region}`,
      },
      jde: {
        aisBaseUrl: this.urls.ais,
        username: 'JDE',
        password: 'JDE',
        environment: 'JDV920',
        role: '*ALL',
        deviceName: 'ml-connector',
        allowInsecureHttp: true,
      },
    });
  }

  /** Makes Amazon hold a settlement report for the connection (the SP-API simulator's seeding). */
  async seedSettlement(
    connectionId: string,
    marketplace: 'US' | 'CA' | 'DE',
    text: string,
    compress = false,
  ): Promise<void> {
    const response = await fetch(
      `${this.urls.spApi}/_sim/settlements?connectionId=${encodeURIComponent(connectionId)}&marketplace=${marketplace}&compress=${compress}`,
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: text },
    );
    if (!response.ok)
      throw new Error(`seeding a settlement failed: ${response.status} ${await response.text()}`);
  }

  async settlements(connectionId: string): Promise<SettlementRecord[]> {
    return (await settlementModel(this.db)
      .find({ connectionId })
      .sort({ settlementId: 1 })
      .lean()
      .exec()) as SettlementRecord[];
  }

  /** Waits until `count` settlements of the connection are posted, held or rejected. */
  async waitForSettled(
    connectionId: string,
    count: number,
    timeoutMs = 180_000,
  ): Promise<SettlementRecord[]> {
    return waitFor(
      `${count} settlements of ${connectionId} settled`,
      async () => {
        const all = await this.settlements(connectionId);
        const settled = all.filter((s) => ['posted', 'held', 'rejected'].includes(s.status));
        return settled.length >= count ? settled : null;
      },
      timeoutMs,
      500,
    );
  }

  async f0911(): Promise<F0911Row[]> {
    return (await (await fetch(`${this.urls.ais}/_sim/f0911`)).json()) as F0911Row[];
  }

  /** Amazon's total against what JDE holds on the clearing account, per settlement. */
  async reconcile(
    connectionId: string,
    clearingAccount = { bu: '1', obj: '1200' },
  ): Promise<ReconciliationRow[]> {
    const ledger = await this.f0911();
    const rows: ReconciliationRow[] = [];
    for (const settlement of await this.settlements(connectionId)) {
      const references = new Set((settlement.jobIds ?? []).map((jobId) => jobReference(jobId)));
      const lines = ledger.filter((l) => references.has(l.EXR ?? '') || references.has(l.EXA ?? ''));
      const currency = settlement.currency ?? '';
      let posted = 0n;
      // The deposit is the balancing line on the clearing account (its explanation names the settlement,
      // "Amazon deposit <id>"); rows mapped to clearing too (a previous debt charged back) are the
      // settlement's content, not its deposit.
      for (const line of lines) {
        const balancing = (line.EXA ?? '').includes(settlement.settlementId);
        if (balancing && line.MCU.trim() === clearingAccount.bu && line.OBJ.trim() === clearingAccount.obj) {
          posted += parseDecimalToMinor(line.AA, currency, { decimalSeparator: '.' });
        }
      }
      const amazon = settlement.totalAmount
        ? parseDecimalToMinor(settlement.totalAmount, currency, { decimalSeparator: '.' })
        : 0n;
      const row: ReconciliationRow = {
        settlementId: settlement.settlementId,
        currency,
        status: settlement.status,
        amazonTotal: settlement.totalAmount ?? '',
        documents: [...new Set(lines.map((l) => `${l.DCT} ${l.DOC}`))],
        postedTotal: formatMinor(posted, currency),
        reconciles: settlement.status === 'posted' && posted === amazon,
      };
      if (settlement.reason) row.reason = settlement.reason;
      rows.push(row);
    }
    return rows;
  }

  /**
   * An operator's replay: mapping and jde-poster stopped, the given consumer groups reset to the
   * earliest offset of their topics, both started again. Returns each reset's plan.
   */
  async replayFromEarliest(resets: Array<{ groupId: string; topic: string }>): Promise<ResetPlan[]> {
    await this.process('mapping').stop();
    await this.process('jde-poster').stop();
    const kafka = createKafka({
      brokers: this.options.kafkaBrokers ?? kafkaBrokers,
      clientId: 'replay',
      logger: createLogger('replay', 'error'),
    });
    const admin = kafka.admin();
    await admin.connect();
    const plans: ResetPlan[] = [];
    try {
      for (const { groupId, topic } of resets)
        plans.push(await resetOffsets(admin, { groupId, topic, to: { kind: 'earliest' }, execute: true }));
    } finally {
      await admin.disconnect();
    }
    this.process('mapping').start();
    this.process('jde-poster').start();
    await this.waitReady();
    return plans;
  }

  /**
   * Stops every process; with `dropDatabase`, then drops the stack's database. Never drop it while the
   * services still run: FerretDB (SQLite) deletes the files under connections that have them mapped
   * and dies with SIGBUS, taking every other test's database down with it.
   */
  async stop(options: { dropDatabase?: boolean } = {}): Promise<Record<string, number | null>> {
    const codes: Record<string, number | null> = {};
    for (const name of [...this.processes.keys()].reverse()) codes[name] = await this.process(name).stop();
    this.broker.close();
    if (options.dropDatabase) await this.db.dropDatabase();
    await this.db.close();
    return codes;
  }

  private async post(url: string, body: unknown): Promise<void> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${url}: ${response.status} ${await response.text()}`);
  }
}
