/**
 * The JDE AIS Server simulator as a fastify app: token request / logout / validate with idle
 * timeout and time-to-live, the data service over F0901/F0911, the journal-entry orchestration
 * on the v1/v2/v3 orchestrator paths, and /_sim admin routes for faults, seeding, read-back and
 * "restart". Faithful to the AIS wire shapes in the reference; all state in memory.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { formatMinor } from '@mlc/money';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { type ChartAccount, DEFAULT_CHART_OF_ACCOUNTS } from './chart-of-accounts.js';
import { type BrowseContext, browse, type DataRequest, nextPage } from './data-service.js';
import { julianToIso } from './dates.js';
import { invalidToken, SimError, sendJson, serviceError } from './errors.js';
import { addItemCrossReference, itemsOf } from './items.js';
import { registerItemAdminRoutes } from './items-admin.js';
import {
  addJournalEntry,
  DEFAULT_JOURNAL_ORCHESTRATION,
  type JournalOrchestrationConfig,
} from './journal-entry.js';
import { addMemoEntry, DEFAULT_MEMO_ORCHESTRATION, type MemoOrchestrationConfig } from './memo-entry.js';
import { accountRowOf, type Faults, type OpenPeriod, type Session, SimState, type SimUser } from './state.js';

export interface SimulatorOptions {
  /** username → password (date format MM/dd/yyyy) or full user; default JDE/JDE. */
  users?: Record<string, string | SimUser>;
  /** Idle timeout of a session (SessionInactivityTimeoutMinutes); default 30 min. */
  sessionTimeoutMs?: number;
  /** Absolute session lifetime (SessionTimeToLiveMinutes); default 12 h. */
  sessionTimeToLiveMs?: number;
  /** F0901 seed; default DEFAULT_CHART_OF_ACCOUNTS. */
  accounts?: readonly ChartAccount[];
  /** Open G/L periods per company ("*" = any other company); default 2000-01-01..2099-12-31. */
  openPeriods?: Record<string, OpenPeriod[]>;
  journal?: Partial<Omit<JournalOrchestrationConfig, 'inputs' | 'outputs'>> & {
    inputs?: Partial<JournalOrchestrationConfig['inputs']>;
    outputs?: Partial<JournalOrchestrationConfig['outputs']>;
  };
  /** The memo (daily sales) orchestration; default DEFAULT_MEMO_ORCHESTRATION. */
  memo?: Partial<Omit<MemoOrchestrationConfig, 'inputs' | 'outputs'>> & {
    inputs?: Partial<MemoOrchestrationConfig['inputs']>;
    outputs?: Partial<MemoOrchestrationConfig['outputs']>;
  };
  /** Page size when a data request gives no maxPageSize (the real default is UNCONFIRMED). */
  defaultPageSize?: number;
  /** Lifetime of a next-page cursor (jdbj.ini resultSetTimeout). */
  cursorTimeoutMs?: number;
  firstDocumentNumber?: number;
  firstBatchNumber?: number;
  /** Seed for fault injection; without it faults use Math.random. */
  seed?: number;
  faults?: Partial<Faults>;
  /** Time source (tests move it forward to expire sessions). */
  clock?: () => Date;
  logger?: boolean;
}

export interface Simulator {
  app: FastifyInstance;
  state: SimState;
  journal: JournalOrchestrationConfig;
  memo: MemoOrchestrationConfig;
}

const DEFAULT_USER: SimUser = { password: 'JDE', simpleDateFormat: 'MM/dd/yyyy' };

export function buildSimulatorApp(options: SimulatorOptions = {}): Simulator {
  const clock = options.clock ?? (() => new Date());
  const users: Record<string, SimUser> = {};
  for (const [name, user] of Object.entries(options.users ?? { JDE: DEFAULT_USER })) {
    users[name.toUpperCase()] =
      typeof user === 'string' ? { password: user, simpleDateFormat: 'MM/dd/yyyy' } : user;
  }
  const state = new SimState({
    users,
    openPeriods: options.openPeriods ?? { '*': [{ from: '2000-01-01', to: '2099-12-31' }] },
    firstDocumentNumber: options.firstDocumentNumber ?? 1000,
    firstBatchNumber: options.firstBatchNumber ?? 5000,
    seed: options.seed,
  });
  for (const account of options.accounts ?? DEFAULT_CHART_OF_ACCOUNTS)
    state.upsertAccount(accountRowOf(account));
  if (options.faults) state.setFaults(options.faults);
  const journal: JournalOrchestrationConfig = {
    ...DEFAULT_JOURNAL_ORCHESTRATION,
    ...options.journal,
    inputs: { ...DEFAULT_JOURNAL_ORCHESTRATION.inputs, ...options.journal?.inputs },
    outputs: { ...DEFAULT_JOURNAL_ORCHESTRATION.outputs, ...options.journal?.outputs },
  };
  const memo: MemoOrchestrationConfig = {
    ...DEFAULT_MEMO_ORCHESTRATION,
    ...options.memo,
    inputs: { ...DEFAULT_MEMO_ORCHESTRATION.inputs, ...options.memo?.inputs },
    outputs: { ...DEFAULT_MEMO_ORCHESTRATION.outputs, ...options.memo?.outputs },
  };
  const idleMs = options.sessionTimeoutMs ?? 30 * 60_000;
  const ttlMs = options.sessionTimeToLiveMs ?? 12 * 60 * 60_000;
  const pageSize = options.defaultPageSize ?? 100;
  const cursorTimeoutMs = options.cursorTimeoutMs ?? 5 * 60_000;

  const app = Fastify({ logger: options.logger ?? false });

  // AIS takes application/json only; an empty JSON body (Celin's next-page POST) is {}.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body).trim();
    if (text === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new SimError(400, serviceError('Invalid JSON input', clock())), undefined);
    }
  });
  app.removeContentTypeParser('text/plain');

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof SimError) return sendJson(reply, error.status, error.body);
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const message =
      status === 415 ? 'Invalid Content-Type Header - Must use application/json' : (error as Error).message;
    return sendJson(reply, status, serviceError(message, clock()));
  });

  // Faults: latency on every AIS call, 500s before processing.
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/jderest/')) return;
    if (state.faults.latencyMs > 0) await sleep(state.faults.latencyMs);
    if (state.faults.rate500 > 0 && state.random() < state.faults.rate500) {
      throw new SimError(500, serviceError('Simulated AIS Server failure', clock()));
    }
  });

  const userOf = (session: Session): SimUser => users[session.username] ?? DEFAULT_USER;

  function authenticate(request: FastifyRequest, fromQuery = false): Session {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const query = (request.query ?? {}) as Record<string, string>;
    const token = header(request, 'jde-ais-auth') ?? str(body.token) ?? (fromQuery ? query.token : undefined);
    const device = header(request, 'jde-ais-auth-device') ?? str(body.deviceName) ?? request.ip;
    const now = clock();
    const session = token ? state.sessions.get(token) : undefined;
    if (!session) throw invalidToken(now);
    const t = now.getTime();
    if (t - session.lastUsedAt > idleMs || t - session.createdAt > ttlMs || session.device !== device) {
      if (session.device === device) state.sessions.delete(session.token);
      throw invalidToken(now);
    }
    if (state.faults.rate444 > 0 && state.random() < state.faults.rate444) {
      state.sessions.delete(session.token);
      throw invalidToken(now);
    }
    session.lastUsedAt = t;
    return session;
  }

  // ---- tokens -------------------------------------------------------------------------------
  const tokenRequest = async (request: FastifyRequest, reply: FastifyReply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    let username = str(body.username);
    let password = str(body.password);
    const basic = /^Basic\s+(.+)$/i.exec(header(request, 'authorization') ?? '');
    if (!username && basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      username = decoded.slice(0, decoded.indexOf(':'));
      password = decoded.slice(decoded.indexOf(':') + 1);
    }
    const now = clock();
    const user = username ? users[username.toUpperCase()] : undefined;
    if (!user || user.password !== password) {
      return sendJson(
        reply,
        403,
        serviceError('Authorization Failure', now, { type: 'AuthorizationException' }),
      );
    }
    const deviceName = str(body.deviceName) ?? header(request, 'jde-ais-auth-device');
    const environment = str(body.environment) ?? header(request, 'jde-ais-auth-environment') ?? 'JDV920';
    const role = str(body.role) ?? header(request, 'jde-ais-auth-role') ?? '*ALL';
    const session: Session = {
      token: state.newToken(),
      username: (username as string).toUpperCase(),
      device: deviceName ?? request.ip,
      environment,
      role,
      createdAt: now.getTime(),
      lastUsedAt: now.getTime(),
    };
    state.sessions.set(session.token, session);
    const pattern = user.simpleDateFormat;
    return sendJson(reply, 200, {
      username: session.username,
      environment,
      role,
      jasserver: 'http://jas.simulated:8080',
      userInfo: {
        token: session.token,
        langPref: '  ',
        locale: 'en',
        dateFormat: dateFormatCode(pattern),
        dateSeperator: pattern.replace(/[yMd]/g, '').charAt(0) || '/',
        simpleDateFormat: pattern,
        timeFormat: '24',
        decimalFormat: '.',
        addressNumber: 1,
        alphaName: 'Simulated AIS User',
        appsRelease: 'E920',
        country: ' ',
        username: session.username,
        longUserId: session.username.toLowerCase(),
        timeZoneOffset: 'UTC+00:00',
      },
      userAuthorized: false,
      version: null,
      poStringJSON: null,
      altPoStringJSON: null,
      aisSessionCookie: `sim-${session.token.slice(3, 15)}`,
    });
  };
  app.post('/jderest/tokenrequest', tokenRequest);
  app.post('/jderest/v2/tokenrequest', tokenRequest);

  const logout = async (request: FastifyRequest, reply: FastifyReply) => {
    const session = authenticate(request);
    state.sessions.delete(session.token);
    return sendJson(reply, 200, {});
  };
  app.post('/jderest/tokenrequest/logout', logout);
  app.post('/jderest/v2/tokenrequest/logout', logout);

  const validate = async (request: FastifyRequest, reply: FastifyReply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const before = state.sessions.get(str(body.token) ?? header(request, 'jde-ais-auth') ?? '')?.lastUsedAt;
    let valid = true;
    try {
      const session = authenticate(request);
      if (body.touch !== true && before !== undefined) session.lastUsedAt = before;
    } catch {
      valid = false;
    }
    return sendJson(reply, 200, { isValidSession: valid });
  };
  app.post('/jderest/tokenrequest/validate', validate);
  app.post('/jderest/v2/tokenrequest/validate', validate);
  app.get('/jderest/v3/orchestrator/jde-validate-session', async (request, reply) => {
    authenticate(request);
    return sendJson(reply, 200, { isValidSession: true });
  });

  const defaultConfig = async (_request: FastifyRequest, reply: FastifyReply) =>
    sendJson(reply, 200, {
      sessionTimeout: String(Math.round(idleMs / 60_000)),
      timeToLive: String(Math.round(ttlMs / 60_000)),
      aisVersion: 'simulated',
      capabilityList: [{ name: 'grid' }, { name: 'dataServiceNextPage' }, { name: 'orchestrator' }],
    });
  app.get('/jderest/defaultconfig', defaultConfig);
  app.get('/jderest/v2/defaultconfig', defaultConfig);

  // ---- data service -------------------------------------------------------------------------
  const browseContext = (request: FastifyRequest, session: Session): BrowseContext => ({
    state,
    session,
    now: clock(),
    origin: `${request.protocol}://${request.host}`,
    userDatePattern: userOf(session).simpleDateFormat,
    defaultPageSize: pageSize,
    cursorTimeoutMs,
  });
  const dataService = async (request: FastifyRequest, reply: FastifyReply) => {
    const session = authenticate(request);
    return sendJson(reply, 200, browse(request.body as DataRequest, browseContext(request, session)));
  };
  app.post('/jderest/dataservice', dataService);
  app.post('/jderest/v2/dataservice', dataService);
  app.post('/jderest/v2/dataservice/next', async (request, reply) => {
    const session = authenticate(request, true);
    const rid = ((request.query ?? {}) as Record<string, string>).rid ?? '';
    return sendJson(reply, 200, nextPage(rid, browseContext(request, session)));
  });

  // ---- orchestrations -----------------------------------------------------------------------
  for (const version of ['', 'v2/', 'v3/']) {
    app.post<{ Params: { name: string } }>(
      `/jderest/${version}orchestrator/:name`,
      async (request, reply) => {
        const session = authenticate(request);
        const now = clock();
        const context = {
          state,
          session,
          now,
          userDatePattern: userOf(session).simpleDateFormat,
          typedOutputs: version === 'v3/',
        };
        const memoResult =
          request.params.name === memo.name ? addMemoEntry(request.body, { ...context, config: memo }) : null;
        const itemResult =
          request.params.name === itemsOf(state).orchestration.name
            ? addItemCrossReference(request.body, context)
            : null;
        if (!memoResult && !itemResult && request.params.name !== journal.name) {
          return sendJson(
            reply,
            404,
            serviceError(`Orchestration ${request.params.name} was not found`, now),
          );
        }
        const result =
          memoResult ?? itemResult ?? addJournalEntry(request.body, { ...context, config: journal });
        if (state.faults.rateLostAnswer > 0 && state.random() < state.faults.rateLostAnswer) {
          // The entry is written (or rejected) but the caller never hears about it.
          reply.hijack();
          request.raw.socket.destroy();
          return;
        }
        if (state.faults.rateGarbage > 0 && state.random() < state.faults.rateGarbage) {
          // The entry is written (or rejected) but the answer is not JSON: a proxy's HTML page.
          return reply
            .code(200)
            .type('text/html; charset=utf-8')
            .send('<html><body><h1>502 Bad Gateway</h1><p>upstream sent garbage</p></body></html>');
        }
        return sendJson(reply, result.status, result.body);
      },
    );
  }

  // ---- admin --------------------------------------------------------------------------------
  app.get('/_sim/faults', async () => state.faults);
  app.post<{ Body: Partial<Faults> & { seed?: number } }>('/_sim/faults', async (request) => {
    const { seed, ...faults } = request.body ?? {};
    for (const [key, value] of Object.entries(faults)) {
      if (
        !['latencyMs', 'rate500', 'rateLostAnswer', 'rate444', 'rateGarbage'].includes(key) ||
        typeof value !== 'number'
      ) {
        throw new SimError(400, {
          message: `fault "${key}" must be one of latencyMs, rate500, rateLostAnswer, rate444, rateGarbage with a number`,
        });
      }
    }
    return state.setFaults(faults, seed);
  });
  app.post<{ Body: { accounts?: ChartAccount[] } | ChartAccount[] }>('/_sim/accounts', async (request) => {
    const body = request.body;
    const accounts = Array.isArray(body) ? body : (body?.accounts ?? []);
    for (const account of accounts) state.upsertAccount(accountRowOf(account));
    return { accounts: state.accounts.size };
  });
  app.get('/_sim/accounts', async () => [...state.accounts.values()]);
  app.get('/_sim/f0911', async () =>
    state.ledger.map((row) => ({
      ...row,
      AA: formatMinor(row.AA, row.CRCD),
      DGJ: row.DGJ,
      glDate: julianToIso(row.DGJ),
      updated: julianToIso(row.UPMJ),
    })),
  );
  app.post('/_sim/restart', async () => {
    state.restart();
    return { restarted: true, restarts: state.restarts };
  });
  app.post<{
    Body: Partial<Pick<JournalOrchestrationConfig, 'errorMode' | 'inputFormat' | 'referenceField'>> & {
      openPeriods?: Record<string, OpenPeriod[]>;
    };
  }>('/_sim/config', async (request) => {
    const { openPeriods, ...rest } = request.body ?? {};
    if (rest.errorMode) journal.errorMode = rest.errorMode;
    if (rest.inputFormat) journal.inputFormat = rest.inputFormat;
    if (rest.referenceField) journal.referenceField = rest.referenceField;
    if (openPeriods) Object.assign(state.options.openPeriods, openPeriods);
    return { journal, openPeriods: state.options.openPeriods };
  });
  app.get('/_sim/sessions', async () => ({ sessions: state.sessions.size, restarts: state.restarts }));
  registerItemAdminRoutes(app, state);

  return { app, state, journal, memo };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** "MM/dd/yyyy" → "MDE", "dd/MM/yyyy" → "DME" (E = year), as AIS reports dateFormat. */
function dateFormatCode(pattern: string): string {
  const order = pattern.match(/yyyy|MM|dd/g) ?? [];
  return order.map((t) => (t === 'yyyy' ? 'E' : t === 'MM' ? 'M' : 'D')).join('');
}
