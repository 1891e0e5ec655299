/**
 * The thin process entry shared by the services: load and validate config, build logger and metrics,
 * start the admin server, let the service start its parts, and shut everything down in order on
 * SIGTERM/SIGINT within the configured timeout.
 */
import { type commonServiceConfig, loadConfig, type z } from '@mlc/config';
import { createLogger, createMetricsRegistry, type Logger } from '@mlc/observability';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { buildAdminApp, type ReadinessCheck } from './admin-app.js';
import { Lifecycle } from './lifecycle.js';

type CommonConfig = z.infer<z.ZodObject<typeof commonServiceConfig>>;

export interface ServiceContext<C> {
  config: C;
  logger: Logger;
  registry: Registry;
  lifecycle: Lifecycle;
  admin: FastifyInstance;
  addReadinessCheck(check: ReadinessCheck): void;
  /** A part died for good (e.g. a consumer kafkajs will not restart): shut down and exit 1 to be restarted. */
  fail(reason: string, error?: unknown): void;
}

export interface ServiceDefinition<S extends z.ZodObject> {
  name: string;
  configSchema: S;
  adminPort: (config: z.infer<S>) => number;
  /** Acquires the service's resources, registering each release on ctx.lifecycle. */
  start: (ctx: ServiceContext<z.infer<S>>) => Promise<void>;
}

export interface RunningService {
  adminUrl: string;
  shutdown(reason: string): Promise<void>;
}

/** Starts a service in this process. Used by server entries and by in-process tests. */
export async function startService<S extends z.ZodObject>(
  definition: ServiceDefinition<S>,
  env: Record<string, string | undefined> = process.env,
  /** What happens after a fatal failure has shut the service down (the process entry exits 1). */
  onFatal: () => void = () => {},
  /** Aborted (SIGTERM while starting): what was acquired so far is released and start-up fails. */
  stop?: AbortSignal,
): Promise<RunningService> {
  const config = loadConfig(definition.name, definition.configSchema, env) as z.infer<S> & CommonConfig;
  const logger = createLogger(definition.name, config.MLC_LOG_LEVEL);
  const registry = createMetricsRegistry(definition.name);
  const lifecycle = new Lifecycle(logger);
  const readiness: ReadinessCheck[] = [];
  const admin = buildAdminApp({
    service: definition.name,
    registry,
    logger,
    readiness,
    accepting: () => lifecycle.accepting,
  });

  // Released last: /metrics and /healthz answer until everything else has stopped.
  lifecycle.onShutdown('admin-server', () => admin.close());
  let adminUrl: string;
  const stopDuringStart = () => void lifecycle.shutdown('stopped during start-up');
  stop?.addEventListener('abort', stopDuringStart, { once: true });
  try {
    await definition.start({
      config,
      logger,
      registry,
      lifecycle,
      admin,
      addReadinessCheck: (check) => readiness.push(check),
      fail: (reason, error) => {
        logger.fatal({ err: error, reason }, 'fatal failure; shutting down');
        lifecycle.shutdown(reason).finally(onFatal);
      },
    });
    // Listening only now: services add their admin routes during start, and fastify takes no
    // routes once it listens.
    if (stop?.aborted) throw new StoppedDuringStartUp();
    adminUrl = await admin.listen({ host: config.MLC_ADMIN_HOST, port: definition.adminPort(config) });
  } catch (error) {
    if (stop?.aborted) {
      logger.info('stopped during start-up');
      await lifecycle.shutdown('stopped during start-up');
      throw new StoppedDuringStartUp();
    }
    logger.error({ err: error }, 'start-up failed');
    await lifecycle.shutdown('start-up failed');
    throw error;
  } finally {
    stop?.removeEventListener('abort', stopDuringStart);
  }
  lifecycle.markStarted();
  logger.info({ adminUrl }, 'started');
  return { adminUrl, shutdown: (reason) => lifecycle.shutdown(reason) };
}

/** Start-up was cut short by a stop request: not a failure. */
export class StoppedDuringStartUp extends Error {
  override name = 'StoppedDuringStartUp';
  constructor() {
    super('stopped during start-up');
  }
}

/**
 * Process entry: starts the service and wires signals to an orderly, time-bounded shutdown — also
 * while it is still starting (a restarted consumer can wait half a minute for its group), when the
 * signal releases what start-up has acquired so far.
 */
export async function runServiceProcess<S extends z.ZodObject>(
  definition: ServiceDefinition<S>,
): Promise<void> {
  const timeoutMs = Number(process.env.MLC_SHUTDOWN_TIMEOUT_MS ?? 10_000) - 500;
  const startUp = new AbortController();
  let running: RunningService | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    const timer = setTimeout(() => {
      process.stderr.write(`${definition.name}: shutdown did not finish in ${timeoutMs} ms\n`);
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    if (!running) return startUp.abort(); // start-up's catch releases, then the entry exits 0
    running.shutdown(signal).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    running = await startService(definition, process.env, () => process.exit(1), startUp.signal);
    // A signal while the admin server was being bound: start-up completed, so stop in order now.
    if (startUp.signal.aborted)
      await running.shutdown('stopped during start-up').finally(() => process.exit(0));
  } catch (error) {
    if (error instanceof StoppedDuringStartUp) process.exit(0);
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
