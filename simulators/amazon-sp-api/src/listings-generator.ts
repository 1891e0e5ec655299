/**
 * Deterministic listings for seeding: the same options always give the same SKUs, ASINs, FNSKUs,
 * names, dates and stock. A SKU has the same ASIN and FNSKU in every marketplace (as in Amazon's
 * example, one ASIN across US and CA), so generating US and CA with the same prefix gives one
 * catalogue sold in both; quantities differ per marketplace.
 */
import { createHash } from 'node:crypto';
import { marketplaceIdOf, type SeedListing } from './listings-store.js';

export interface ListingsGeneratorOptions {
  /** Varies names, dates and quantities (not the identifiers). Default 1. */
  seed?: string | number;
  count: number;
  /** Country code (US, CA, …) or marketplace id. */
  marketplace: string;
  /** SKUs are `<prefix>-00001`…; default `SKU`. */
  skuPrefix?: string;
  /** The first SKU's number (default 1), to extend a catalogue. */
  firstNumber?: number;
  /** Created dates spread over [createdFrom, createdTo] (ISO); default the year before 2026-01-01. */
  createdFrom?: string;
  createdTo?: string;
  /** lastUpdatedDate spread over [updatedFrom, updatedTo] (ISO); default: the created date. */
  updatedFrom?: string;
  updatedTo?: string;
  /** Share of FBA SKUs (with stock), 0..1; default 0.6. */
  fbaShare?: number;
  /** Every 50th SKU gets a space, "/" or "&" in it, as real SKUs do (default false). */
  specialCharacters?: boolean;
}

const ADJECTIVES = ['Compact', 'Deluxe', 'Classic', 'Rugged', 'Slim', 'Heavy-Duty', 'Portable', 'Premium'];
const NOUNS = [
  'Water Bottle',
  'Desk Lamp',
  'Backpack',
  'Phone Case',
  'Yoga Mat',
  'Kettle',
  'Tool Set',
  'Mug',
];
const TYPES = ['HOME', 'KITCHEN', 'LUGGAGE', 'SPORTING_GOODS', 'CELLULAR_PHONE_CASE', 'TOOLS'];
const SPECIAL = [' ', '/', '&'];
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function hash(...parts: Array<string | number>): Buffer {
  return createHash('sha256').update(parts.join('\u0000')).digest();
}

/** A number in [0, 1) from a hash's bytes at an offset. */
function unit(bytes: Buffer, offset: number): number {
  return bytes.readUInt32BE(offset) / 4294967296;
}

function code(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[bytes[i]! % ALNUM.length];
  return out;
}

function instant(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`${name} "${value}" is not an ISO 8601 date-time`);
  return ms;
}

export function generateListings(options: ListingsGeneratorOptions): SeedListing[] {
  const count = options.count;
  if (!Number.isInteger(count) || count < 0 || count > 1_000_000) {
    throw new Error(`count must be a whole number 0..1000000, got ${count}`);
  }
  const seed = String(options.seed ?? 1);
  const marketplaceId = marketplaceIdOf(options.marketplace);
  const prefix = options.skuPrefix ?? 'SKU';
  const first = options.firstNumber ?? 1;
  const createdFrom = instant(options.createdFrom, Date.parse('2025-01-01T00:00:00Z'), 'createdFrom');
  const createdTo = instant(options.createdTo, Date.parse('2025-12-31T23:59:59Z'), 'createdTo');
  const updatedFrom =
    options.updatedFrom === undefined ? undefined : instant(options.updatedFrom, 0, 'updatedFrom');
  const updatedTo =
    options.updatedTo === undefined ? updatedFrom : instant(options.updatedTo, 0, 'updatedTo');
  const fbaShare = options.fbaShare ?? 0.6;
  const listings: SeedListing[] = [];
  for (let i = 0; i < count; i++) {
    const n = first + i;
    let sku = `${prefix}-${String(n).padStart(5, '0')}`;
    if (options.specialCharacters && n % 50 === 0) sku = `${prefix}${SPECIAL[(n / 50) % SPECIAL.length]}${n}`;
    const identity = hash('identity', sku);
    const varied = hash(seed, marketplaceId, sku);
    // Spread evenly with a little jitter, so the dates are distinct and in order of the SKU number.
    const step = count > 1 ? (createdTo - createdFrom) / count : 0;
    const createdDate = Math.floor(createdFrom + step * i + unit(varied, 0) * step * 0.5);
    const updateStep =
      updatedFrom !== undefined && updatedTo !== undefined && count > 1
        ? (updatedTo - updatedFrom) / count
        : 0;
    const lastUpdatedDate =
      updatedFrom === undefined
        ? createdDate
        : Math.max(
            createdDate,
            Math.floor(updatedFrom + updateStep * i + unit(varied, 4) * updateStep * 0.5),
          );
    const fba = unit(identity, 8) < fbaShare;
    const listing: SeedListing = {
      sku,
      asin: `B0${code(identity, 8)}`,
      ...(fba ? { fnSku: `X00${code(identity.subarray(8), 7)}` } : {}),
      itemName: `${ADJECTIVES[varied[8]! % ADJECTIVES.length]} ${NOUNS[varied[9]! % NOUNS.length]} ${n}`,
      productType: TYPES[identity[12]! % TYPES.length]!,
      status: varied[10]! % 10 === 0 ? ['DISCOVERABLE'] : ['BUYABLE', 'DISCOVERABLE'],
      createdDate: new Date(createdDate).toISOString(),
      lastUpdatedDate: new Date(lastUpdatedDate).toISOString(),
    };
    if (fba) {
      listing.stock = {
        fulfillable: varied[11]! % 200,
        inboundWorking: varied[12]! % 3 === 0 ? varied[13]! % 50 : 0,
        inboundShipped: varied[14]! % 4 === 0 ? varied[15]! % 40 : 0,
        inboundReceiving: varied[16]! % 5 === 0 ? varied[17]! % 30 : 0,
        reserved: varied[18]! % 12,
        unfulfillable: varied[19]! % 7 === 0 ? varied[20]! % 5 : 0,
        researching: varied[21]! % 11 === 0 ? 1 : 0,
      };
    }
    listings.push(listing);
  }
  return listings;
}
