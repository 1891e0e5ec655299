/**
 * `mlc connections test <id>`: does this connection work, and if not, what exactly fails?
 * Each step uses the credentials stored at the token-broker, as the services do:
 *   broker → the connection exists;
 *   Amazon, per region → LWA exchange (at the broker), then one page of settlement reports;
 *   JDE → AIS login (at the broker), then one row of the account master (F0901).
 * A failure is named: DNS, TLS, connection refused, timeout, 401/403, 444, LWA's or AIS's own words.
 */
import { type AisClient, AisError } from '@mlc/ais';
import { JdeAccess } from '@mlc/jde-access';
import {
  isRegion,
  marketplaceById,
  REGIONS,
  ReportsApi,
  SETTLEMENT_REPORT_TYPE,
  SpApiClient,
  SpApiError,
} from '@mlc/sp-api';
import { type BrokerConnection, type TokenBrokerClient, TokenBrokerError } from '@mlc/token-broker-client';
import { Registry } from 'prom-client';

export interface CheckResult {
  step: string;
  ok: boolean;
  detail: string;
}

/** Runs every check it can; a failed step stops the steps that depend on it. */
export async function testConnection(
  broker: TokenBrokerClient,
  connectionId: string,
): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  let connection: BrokerConnection;
  try {
    connection = await broker.getConnection(connectionId);
    results.push({
      step: 'token-broker',
      ok: true,
      detail: `connection "${connectionId}" found (key ${connection.keyId})`,
    });
  } catch (error) {
    results.push({ step: 'token-broker', ok: false, detail: explain(error) });
    return results;
  }

  if (connection.hasAmazon) {
    for (const region of connection.regions.filter(isRegion)) {
      results.push(await checkAmazon(broker, connection, region));
    }
  } else
    results.push({ step: 'amazon', ok: false, detail: 'no Amazon credentials stored for this connection' });

  if (connection.hasJde) results.push(await checkJde(broker, connectionId));
  else results.push({ step: 'jde', ok: false, detail: 'no JDE credentials stored for this connection' });
  return results;
}

async function checkAmazon(
  broker: TokenBrokerClient,
  connection: BrokerConnection,
  region: 'NA' | 'EU' | 'FE',
): Promise<CheckResult> {
  const step = `amazon ${region}`;
  let token: string;
  try {
    // A cached token would prove nothing about the stored refresh token: have the broker exchange it now.
    const cached = (await broker.getAmazonAccessToken(connection.connectionId, region)).accessToken;
    await broker.reportInvalidAmazonToken(connection.connectionId, region, cached);
    token = (await broker.getAmazonAccessToken(connection.connectionId, region)).accessToken;
  } catch (error) {
    return { step, ok: false, detail: `Login with Amazon: ${explain(error)}` };
  }
  const endpoint = connection.spApiEndpoint
    ? connection.spApiEndpoint.replace('{region}', region.toLowerCase())
    : REGIONS[region].endpoint;
  const client = new SpApiClient({
    connectionId: connection.connectionId,
    region,
    registry: new Registry(),
    endpoint,
    tokens: { getAccessToken: async () => token, invalidate: () => {} },
    retry: { maxThrottleRetries: 2, maxServerRetries: 1, baseDelayMs: 200, maxDelayMs: 1_000 },
    timeoutMs: 15_000,
  });
  const marketplaceIds = connection.marketplaceIds.filter((id) => marketplaceById(id)?.region === region);
  try {
    const reports = new ReportsApi(client).listReports({
      reportTypes: [SETTLEMENT_REPORT_TYPE],
      marketplaceIds,
      pageSize: 1,
    });
    const first = await reports.next();
    await reports.return(undefined);
    return {
      step,
      ok: true,
      detail: `LWA exchanged the refresh token now; SP-API ${endpoint} answered getReports (${first.done ? 'no settlement reports yet' : 'settlement reports listed'})`,
    };
  } catch (error) {
    return { step, ok: false, detail: `SP-API ${endpoint}: ${explain(error)}` };
  }
}

async function checkJde(broker: TokenBrokerClient, connectionId: string): Promise<CheckResult> {
  let client: AisClient;
  try {
    await broker.getJdeSession(connectionId);
    client = await new JdeAccess({ broker }).client(connectionId);
  } catch (error) {
    return { step: 'jde', ok: false, detail: `AIS login: ${explain(error)}` };
  }
  try {
    const page = await client.browse({
      table: 'F0901',
      columns: ['MCU', 'OBJ', 'SUB'],
      conditions: [],
      maxPageSize: 1,
    });
    return {
      step: 'jde',
      ok: true,
      detail: `AIS ${client.connection.baseUrl}: logged in, F0901 readable (${page.rows.length ? 'accounts found' : 'no accounts'}); the journal orchestration "${client.connection.journal.name}" is first called at posting`,
    };
  } catch (error) {
    return {
      step: 'jde',
      ok: false,
      detail: `AIS ${client.connection.baseUrl} data service: ${explain(error)}`,
    };
  }
}

/** What went wrong, in an operator's words. */
export function explain(error: unknown): string {
  if (error instanceof TokenBrokerError) {
    const { details } = error;
    switch (error.code) {
      case 14:
        return `unreachable or refused upstream: ${networkWords(details)}`;
      case 16:
        return 'the token-broker refused this CLI (MLC_TOKEN_BROKER_TOKEN is not one of its client tokens)';
      case 7:
        return `credentials refused: ${details}`;
      case 5:
        return `not found: ${details}`;
      default:
        return details;
    }
  }
  if (error instanceof SpApiError) {
    if (error.status === 0) return networkWords(`${error.message} ${causeCode(error)}`);
    if (error.status === 401 || error.status === 403) {
      return `${error.status}: access refused (${error.code ?? error.message}); is the app authorized for this seller and the Reports role?`;
    }
    return `${error.status}: ${error.message}`;
  }
  if (error instanceof AisError) {
    if (error.kind === 'transport') return networkWords(`${error.message} ${causeCode(error)}`);
    if (error.kind === 'forbidden') return `403: ${error.message} (the role may lack access to F0901)`;
    if (error.kind === 'invalid-token') return `444 Invalid Token even after a fresh login: ${error.message}`;
    return error.message;
  }
  return error instanceof Error ? `${error.message} ${causeCode(error)}`.trim() : String(error);
}

function causeCode(error: unknown): string {
  let cause: unknown = (error as { cause?: unknown }).cause;
  for (let depth = 0; cause && depth < 4; depth++) {
    const code = (cause as { code?: string }).code;
    if (code) return code;
    cause = (cause as { cause?: unknown }).cause;
  }
  return '';
}

/** Turns a network error code or message into what failed: DNS, TLS, refused, timeout. */
function networkWords(text: string): string {
  if (/ENOTFOUND|EAI_AGAIN|getaddrinfo/.test(text))
    return `DNS: the host name does not resolve (${text.trim()})`;
  if (/CERT|SSL|TLS|self.signed|UNABLE_TO_VERIFY/i.test(text))
    return `TLS: the certificate is not trusted (${text.trim()})`;
  if (/ECONNREFUSED|refused/i.test(text)) return `connection refused (${text.trim()})`;
  if (/ETIMEDOUT|timed? ?out|Abort/i.test(text)) return `timed out (${text.trim()})`;
  return text.trim();
}
