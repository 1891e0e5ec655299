/**
 * What a connection's credentials look like, and the checks applied before anything is stored.
 * Field names in errors are those of the gRPC contract (snake_case), so a caller can find them.
 */
import { CredentialsValidationError } from './errors.js';

export const AMAZON_REGIONS = ['NA', 'EU', 'FE'] as const;
export type AmazonRegion = (typeof AMAZON_REGIONS)[number];

export interface AmazonCredentials {
  lwaClientId: string;
  lwaClientSecret: string;
  refreshToken: string;
  regions: AmazonRegion[];
  marketplaceIds: string[];
  /** Empty: Amazon's own endpoint. */
  lwaEndpoint: string;
  spApiEndpoint: string;
  /** The selling partner's merchant id (Listings Items API paths); not a secret. Empty or absent: unknown. */
  sellerId?: string;
}

export interface JdeCredentials {
  aisBaseUrl: string;
  username: string;
  password: string;
  environment: string;
  role: string;
  deviceName: string;
  allowInsecureHttp: boolean;
}

export interface ConnectionInput {
  connectionId: string;
  displayName: string;
  amazon?: AmazonCredentials | undefined;
  jde?: JdeCredentials | undefined;
}

/** An update: absent parts are kept; inside a given part, an empty secret keeps the stored one. */
export interface ConnectionPatch {
  displayName?: string | undefined;
  amazon?: AmazonCredentials | undefined;
  jde?: JdeCredentials | undefined;
}

const CONNECTION_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const MARKETPLACE_ID = /^[A-Z0-9]{5,20}$/;
export const DEFAULT_JDE_ROLE = '*ALL';
export const DEFAULT_JDE_DEVICE_NAME = 'mlc-connector';

export function validateConnectionId(connectionId: string, field = 'connection_id'): void {
  if (!connectionId) throw new CredentialsValidationError(field, 'required');
  if (!CONNECTION_ID.test(connectionId)) {
    throw new CredentialsValidationError(
      field,
      'must be 1-64 characters of letters, digits, "_" or "-", starting with a letter or digit',
    );
  }
}

function required(value: string, field: string): void {
  if (!value || value.trim() === '') throw new CredentialsValidationError(field, 'required');
}

function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '[::1]' || hostname === '::1' || hostname.startsWith('127.')
  );
}

function validateUrl(value: string, field: string, allowHttp: boolean | 'loopback'): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CredentialsValidationError(field, 'not a URL');
  }
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:') {
    if (allowHttp === true || (allowHttp === 'loopback' && isLoopback(url.hostname))) return;
    throw new CredentialsValidationError(
      field,
      allowHttp === 'loopback'
        ? 'must be https:// (http:// only to a loopback address)'
        : 'must be https:// unless jde.allow_insecure_http is set',
    );
  }
  throw new CredentialsValidationError(field, `unsupported scheme ${url.protocol}`);
}

export function validateAmazon(amazon: AmazonCredentials): void {
  required(amazon.lwaClientId, 'amazon.lwa_client_id');
  required(amazon.lwaClientSecret, 'amazon.lwa_client_secret');
  required(amazon.refreshToken, 'amazon.refresh_token');
  if (amazon.regions.length === 0)
    throw new CredentialsValidationError('amazon.regions', 'at least one of NA, EU, FE');
  amazon.regions.forEach((region, i) => {
    if (!(AMAZON_REGIONS as readonly string[]).includes(region)) {
      throw new CredentialsValidationError(`amazon.regions[${i}]`, `"${region}" is not one of NA, EU, FE`);
    }
  });
  amazon.marketplaceIds.forEach((id, i) => {
    if (!MARKETPLACE_ID.test(id)) {
      throw new CredentialsValidationError(`amazon.marketplace_ids[${i}]`, `"${id}" is not a marketplace id`);
    }
  });
  if (amazon.lwaEndpoint) validateUrl(amazon.lwaEndpoint, 'amazon.lwa_endpoint', 'loopback');
  if (amazon.spApiEndpoint) validateUrl(amazon.spApiEndpoint, 'amazon.sp_api_endpoint', 'loopback');
  if (amazon.sellerId && !/^[A-Za-z0-9]{1,40}$/.test(amazon.sellerId)) {
    throw new CredentialsValidationError('amazon.seller_id', 'letters and digits only (the merchant token)');
  }
}

export function validateJde(jde: JdeCredentials): void {
  required(jde.aisBaseUrl, 'jde.ais_base_url');
  validateUrl(jde.aisBaseUrl, 'jde.ais_base_url', jde.allowInsecureHttp);
  required(jde.username, 'jde.username');
  required(jde.password, 'jde.password');
  required(jde.environment, 'jde.environment');
}

export function validateConnectionInput(input: ConnectionInput): void {
  validateConnectionId(input.connectionId);
  if (!input.amazon && !input.jde) {
    throw new CredentialsValidationError('amazon', 'a connection needs Amazon or JDE credentials (or both)');
  }
  if (input.amazon) validateAmazon(input.amazon);
  if (input.jde) validateJde(input.jde);
}

/** Fills the JDE defaults (role *ALL, device name) and trims the base URL's trailing slash. */
export function normalizeJde(jde: JdeCredentials): JdeCredentials {
  return {
    ...jde,
    aisBaseUrl: jde.aisBaseUrl.replace(/\/+$/, ''),
    role: jde.role || DEFAULT_JDE_ROLE,
    deviceName: jde.deviceName || DEFAULT_JDE_DEVICE_NAME,
  };
}
