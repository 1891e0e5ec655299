/**
 * SP-API regions, their endpoints and the marketplaces each one serves.
 *
 * A selling partner's data lives per region: a client talks to exactly one regional endpoint, and every
 * call names the marketplace(s) it is about, which must belong to that region.
 * Sources: https://developer-docs.amazon.com/sp-api/docs/sp-api-endpoints (hosts, AWS regions) and
 * https://developer-docs.amazon.com/sp-api/docs/marketplace-ids (ids), both as of 2026-08.
 */

export type Region = 'NA' | 'EU' | 'FE';

export interface RegionInfo {
  endpoint: string;
  sandboxEndpoint: string;
  awsRegion: string;
}

export const REGIONS: Readonly<Record<Region, RegionInfo>> = Object.freeze({
  NA: {
    endpoint: 'https://sellingpartnerapi-na.amazon.com',
    sandboxEndpoint: 'https://sandbox.sellingpartnerapi-na.amazon.com',
    awsRegion: 'us-east-1',
  },
  EU: {
    endpoint: 'https://sellingpartnerapi-eu.amazon.com',
    sandboxEndpoint: 'https://sandbox.sellingpartnerapi-eu.amazon.com',
    awsRegion: 'eu-west-1',
  },
  FE: {
    endpoint: 'https://sellingpartnerapi-fe.amazon.com',
    sandboxEndpoint: 'https://sandbox.sellingpartnerapi-fe.amazon.com',
    awsRegion: 'us-west-2',
  },
});

export interface Marketplace {
  country: string;
  marketplaceId: string;
  region: Region;
  /** The storefront domain, used as `marketplace-name` in settlement rows (seen for US, CA and DE). */
  name: string;
  currency: string;
}

/** Marketplace ids by country code (Amazon writes the United Kingdom as `UK`). */
export const MARKETPLACES: Readonly<Record<string, Marketplace>> = Object.freeze({
  US: { country: 'US', marketplaceId: 'ATVPDKIKX0DER', region: 'NA', name: 'Amazon.com', currency: 'USD' },
  CA: { country: 'CA', marketplaceId: 'A2EUQ1WTGCTBG2', region: 'NA', name: 'Amazon.ca', currency: 'CAD' },
  MX: {
    country: 'MX',
    marketplaceId: 'A1AM78C64UM0Y8',
    region: 'NA',
    name: 'Amazon.com.mx',
    currency: 'MXN',
  },
  BR: {
    country: 'BR',
    marketplaceId: 'A2Q3Y263D00KWC',
    region: 'NA',
    name: 'Amazon.com.br',
    currency: 'BRL',
  },
  IE: { country: 'IE', marketplaceId: 'A28R8C7NBKEWEA', region: 'EU', name: 'Amazon.ie', currency: 'EUR' },
  ES: { country: 'ES', marketplaceId: 'A1RKKUPIHCS9HS', region: 'EU', name: 'Amazon.es', currency: 'EUR' },
  UK: { country: 'UK', marketplaceId: 'A1F83G8C2ARO7P', region: 'EU', name: 'Amazon.co.uk', currency: 'GBP' },
  FR: { country: 'FR', marketplaceId: 'A13V1IB3VIYZZH', region: 'EU', name: 'Amazon.fr', currency: 'EUR' },
  BE: { country: 'BE', marketplaceId: 'AMEN7PMS3EDWL', region: 'EU', name: 'Amazon.com.be', currency: 'EUR' },
  NL: { country: 'NL', marketplaceId: 'A1805IZSGTT6HS', region: 'EU', name: 'Amazon.nl', currency: 'EUR' },
  DE: { country: 'DE', marketplaceId: 'A1PA6795UKMFR9', region: 'EU', name: 'Amazon.de', currency: 'EUR' },
  IT: { country: 'IT', marketplaceId: 'APJ6JRA9NG5V4', region: 'EU', name: 'Amazon.it', currency: 'EUR' },
  SE: { country: 'SE', marketplaceId: 'A2NODRKZP88ZB9', region: 'EU', name: 'Amazon.se', currency: 'SEK' },
  ZA: { country: 'ZA', marketplaceId: 'AE08WJ6YKNBMC', region: 'EU', name: 'Amazon.co.za', currency: 'ZAR' },
  PL: { country: 'PL', marketplaceId: 'A1C3SOZRARQ6R3', region: 'EU', name: 'Amazon.pl', currency: 'PLN' },
  EG: { country: 'EG', marketplaceId: 'ARBP9OOSHTCHU', region: 'EU', name: 'Amazon.eg', currency: 'EGP' },
  TR: {
    country: 'TR',
    marketplaceId: 'A33AVAJ2PDY3EV',
    region: 'EU',
    name: 'Amazon.com.tr',
    currency: 'TRY',
  },
  SA: { country: 'SA', marketplaceId: 'A17E79C6D8DWNP', region: 'EU', name: 'Amazon.sa', currency: 'SAR' },
  AE: { country: 'AE', marketplaceId: 'A2VIGQ35RCS4UG', region: 'EU', name: 'Amazon.ae', currency: 'AED' },
  IN: { country: 'IN', marketplaceId: 'A21TJRUUN4KGV', region: 'EU', name: 'Amazon.in', currency: 'INR' },
  SG: { country: 'SG', marketplaceId: 'A19VAU5U5O7RUS', region: 'FE', name: 'Amazon.sg', currency: 'SGD' },
  AU: {
    country: 'AU',
    marketplaceId: 'A39IBJ37TRP1C6',
    region: 'FE',
    name: 'Amazon.com.au',
    currency: 'AUD',
  },
  JP: { country: 'JP', marketplaceId: 'A1VC38T7YXB528', region: 'FE', name: 'Amazon.co.jp', currency: 'JPY' },
});

const BY_ID = new Map(Object.values(MARKETPLACES).map((m) => [m.marketplaceId, m]));

export function marketplaceById(marketplaceId: string): Marketplace | undefined {
  return BY_ID.get(marketplaceId);
}

export function isRegion(value: string): value is Region {
  return Object.hasOwn(REGIONS, value);
}

/** Throws unless every marketplace id is known and served by the region. */
export function assertMarketplacesInRegion(region: Region, marketplaceIds: readonly string[]): void {
  if (marketplaceIds.length === 0) throw new RangeError('at least one marketplaceId is required');
  for (const id of marketplaceIds) {
    const marketplace = BY_ID.get(id);
    if (!marketplace) throw new RangeError(`unknown marketplaceId "${id}"`);
    if (marketplace.region !== region) {
      throw new RangeError(
        `marketplaceId "${id}" (${marketplace.country}) belongs to region ${marketplace.region}, not ${region}`,
      );
    }
  }
}
