/** Test doubles shared by the unit tests: a credentials source, a counting LWA exchanger and AIS. */
import type { ConnectionSecrets } from '@mlc/credentials';
import type { AisAuthenticator } from '../src/ais.js';
import type { LwaExchangeRequest, LwaExchanger } from '../src/lwa.js';

export function secretsFor(
  connectionId: string,
  regions: Array<'NA' | 'EU' | 'FE'> = ['NA', 'EU'],
): ConnectionSecrets {
  const now = new Date(0);
  return {
    summary: {
      connectionId,
      displayName: '',
      keyId: 'k',
      hasAmazon: true,
      hasJde: true,
      regions,
      marketplaceIds: [],
      lwaEndpoint: '',
      spApiEndpoint: '',
      amazonSellerId: '',
      aisBaseUrl: 'https://ais.example.com',
      jdeUsername: 'JDE',
      jdeEnvironment: 'JDV920',
      jdeRole: '*ALL',
      jdeDeviceName: 'dev',
      jdeAllowInsecureHttp: false,
      createdAt: now,
      updatedAt: now,
    },
    amazon: {
      lwaClientId: 'client-id',
      lwaClientSecret: 'client-secret',
      refreshToken: `Atzr|${connectionId}`,
      regions,
      marketplaceIds: [],
      lwaEndpoint: '',
      spApiEndpoint: '',
    },
    jde: {
      aisBaseUrl: 'https://ais.example.com',
      username: 'JDE',
      password: 'jde-password',
      environment: 'JDV920',
      role: '*ALL',
      deviceName: 'dev',
      allowInsecureHttp: false,
    },
  };
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts exchanges; each answers after `latencyMs` with a new token `at-<n>` living `expiresInS`. */
export class CountingExchanger implements LwaExchanger {
  calls = 0;
  requests: LwaExchangeRequest[] = [];
  failNext: Error | undefined;
  constructor(
    private readonly expiresInS = 3600,
    private readonly latencyMs = 20,
  ) {}
  async exchange(request: LwaExchangeRequest) {
    this.calls++;
    this.requests.push(request);
    const n = this.calls;
    await delay(this.latencyMs);
    if (this.failNext) {
      const error = this.failNext;
      this.failNext = undefined;
      throw error;
    }
    return { accessToken: `at-${n}`, expiresInS: this.expiresInS };
  }
}

export class CountingAis implements AisAuthenticator {
  logins = 0;
  logouts: string[] = [];
  constructor(private readonly latencyMs = 20) {}
  async login() {
    this.logins++;
    const n = this.logins;
    await delay(this.latencyMs);
    return { token: `ais-token-${n}` };
  }
  async logout(_id: string, _jde: unknown, token: string) {
    this.logouts.push(token);
  }
}

/** A clock tests move by hand. */
export function manualClock(start = 1_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}
