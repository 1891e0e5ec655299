/**
 * The polling loop: every interval, for each connection the token-broker holds Amazon credentials
 * for, poll each of its regions for new settlement reports — regions side by side (one
 * independent call stream per region), connections one after another. Access tokens come from the
 * token-broker; this service never sees a refresh token.
 */
import type { Logger } from '@mlc/observability';
import {
  type AccessTokenProvider,
  FinancesApi,
  isRegion,
  marketplaceById,
  OrdersV2026Source,
  REGIONS,
  type Region,
  ReportsApi,
  SpApiClient,
  scaledClock,
  systemClock,
} from '@mlc/sp-api';
import type { BrokerConnection, TokenBrokerClient } from '@mlc/token-broker-client';
import type { Registry } from 'prom-client';
import type { FinancesWatch } from './finances-watch.js';
import type { OrdersPoller } from './orders-poller.js';
import type { PollTarget, SettlementPoller } from './settlement-poller.js';

/** Access tokens from the token-broker; a token Amazon refused is reported so the broker refreshes. */
export class BrokerAccessTokens implements AccessTokenProvider {
  readonly #last = new Map<string, string>();

  constructor(
    private readonly broker: TokenBrokerClient,
    private readonly logger: Logger,
  ) {}

  async getAccessToken(connectionId: string, region: Region): Promise<string> {
    const { accessToken } = await this.broker.getAmazonAccessToken(connectionId, region);
    this.#last.set(`${connectionId}:${region}`, accessToken);
    return accessToken;
  }

  invalidate(connectionId: string, region: Region): void {
    const token = this.#last.get(`${connectionId}:${region}`);
    if (!token) return;
    this.broker.reportInvalidAmazonToken(connectionId, region, token).catch((error: unknown) => {
      this.logger.warn({ err: error, connectionId, region }, 'could not report a refused access token');
    });
  }
}

/** The regions of a connection with the marketplaces it sells in there. */
export function pollTargets(connection: BrokerConnection): PollTarget[] {
  return connection.regions.filter(isRegion).map((region) => ({
    connectionId: connection.connectionId,
    region,
    marketplaceIds: connection.marketplaceIds.filter((id) => marketplaceById(id)?.region === region),
  }));
}

/**
 * The SP-API endpoint of a region: Amazon's own, or the connection's override, where `{region}`
 * stands for the lower-case region ("http://127.0.0.1:8091/{region}" for the simulator).
 */
export function endpointFor(connection: BrokerConnection, region: Region): string {
  return connection.spApiEndpoint
    ? connection.spApiEndpoint.replace('{region}', region.toLowerCase())
    : REGIONS[region].endpoint;
}

export interface PollingLoopOptions {
  broker: TokenBrokerClient;
  poller: SettlementPoller;
  financesWatch: FinancesWatch;
  /** Orders are polled on their own, longer interval; null: not at all. */
  orders: { poller: OrdersPoller; intervalMs: number } | null;
  registry: Registry;
  logger: Logger;
  intervalMs: number;
  timeScale: number;
}

export function startPollingLoop(options: PollingLoopOptions): { stop(): Promise<void> } {
  const { broker, poller, logger } = options;
  const tokens = new BrokerAccessTokens(broker, logger);
  const clock = options.timeScale === 1 ? systemClock : scaledClock(options.timeScale);
  // One client per (connection, region): its token buckets are that region's call stream.
  const clients = new Map<
    string,
    { reports: ReportsApi; finances: FinancesApi; orders: OrdersV2026Source }
  >();
  const ordersPolledAt = new Map<string, number>();
  const apisFor = (connection: BrokerConnection, target: PollTarget) => {
    const key = `${target.connectionId}:${target.region}:${connection.spApiEndpoint}`;
    let apis = clients.get(key);
    if (!apis) {
      const client = new SpApiClient({
        connectionId: target.connectionId,
        region: target.region,
        tokens,
        registry: options.registry,
        endpoint: endpointFor(connection, target.region),
        clock,
        logger,
      });
      apis = {
        reports: new ReportsApi(client),
        finances: new FinancesApi(client),
        orders: new OrdersV2026Source(client),
      };
      clients.set(key, apis);
    }
    return apis;
  };

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const cycle = async () => {
    const connections = (await broker.listConnections()).filter((c) => c.hasAmazon);
    for (const connection of connections) {
      if (stopped) return;
      await Promise.all(
        pollTargets(connection).map(async (target) => {
          const apis = apisFor(connection, target);
          try {
            const result = await poller.pollOnce(target, apis.reports);
            logger.info(
              { connectionId: target.connectionId, region: target.region, ...result },
              'polled settlement reports',
            );
            const watched = await options.financesWatch.check(target, apis.finances);
            if (watched.missing.length > 0) {
              logger.warn(
                { connectionId: target.connectionId, region: target.region, missing: watched.missing },
                'payouts without settlement reports',
              );
            }
            const orders = options.orders;
            const key = `${target.connectionId}:${target.region}`;
            if (orders && Date.now() - (ordersPolledAt.get(key) ?? 0) >= orders.intervalMs) {
              const count = await orders.poller.pollOnce(target, apis.orders);
              ordersPolledAt.set(key, Date.now());
              logger.info(
                { connectionId: target.connectionId, region: target.region, orders: count },
                'polled orders',
              );
            }
          } catch (error) {
            logger.error(
              { err: error, connectionId: target.connectionId, region: target.region },
              'poll failed',
            );
          }
        }),
      );
    }
  };
  const schedule = (delayMs: number) => {
    timer = setTimeout(() => {
      running = cycle()
        .catch((error: unknown) => logger.error({ err: error }, 'poll cycle failed'))
        .finally(() => {
          if (!stopped) schedule(options.intervalMs);
        });
    }, delayMs);
  };
  schedule(0);

  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
