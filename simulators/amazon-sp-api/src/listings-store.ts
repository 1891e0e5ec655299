/**
 * The simulator's listings and FBA stock: what searchListingsItems, getListingsItem and
 * getInventorySummaries answer from. One record per (connection, marketplace, SKU), as Amazon keeps
 * one summary per marketplace for a SKU; a record with `stock` is an FBA SKU and shows up in the
 * inventory summaries of its marketplace.
 *
 * Time follows Amazon's rules: changing a listing moves its lastUpdatedDate; changing a stock
 * quantity moves the stock's lastUpdatedTime — except the inbound quantities (working, shipped,
 * receiving), which Amazon does not detect for startDateTime, so changing only those leaves
 * lastUpdatedTime where it was (reference items-and-stock §3).
 *
 * A connection's seller id (the `{sellerId}` of the Listings paths) is its connection id unless
 * seeding named another one.
 */

export type ListingStatus = 'BUYABLE' | 'DISCOVERABLE';

export interface SeedStock {
  fulfillable?: number;
  inboundWorking?: number;
  inboundShipped?: number;
  inboundReceiving?: number;
  reserved?: number;
  unfulfillable?: number;
  researching?: number;
  /** ISO; default: the listing's lastUpdatedDate. */
  lastUpdatedTime?: string;
}

export interface SeedListing {
  sku: string;
  asin?: string;
  fnSku?: string;
  itemName?: string;
  /** Amazon product type; default `PRODUCT`. */
  productType?: string;
  /** Default `new_new`. */
  conditionType?: string;
  /** Default both BUYABLE and DISCOVERABLE; `[]` for neither. */
  status?: ListingStatus[];
  /** ISO; default now. */
  createdDate?: string;
  /** ISO; default createdDate. */
  lastUpdatedDate?: string;
  /** Present: an FBA SKU with these quantities (absent ones are 0). */
  stock?: SeedStock;
}

export interface SeedListingsInput {
  /** Default `default`, like the settlements. */
  connectionId?: string;
  /** The connection's seller id from now on; default: the one it has (initially its connection id). */
  sellerId?: string;
  /** A marketplace id or country code (US, CA, MX, DE, UK, FR, IT, ES, JP). */
  marketplaceId: string;
  listings: SeedListing[];
}

export interface ListingUpdate {
  connectionId?: string;
  /** A marketplace id or country code. */
  marketplaceId: string;
  sku: string;
  /** ISO; when the change happened (default now). */
  at?: string;
  asin?: string;
  fnSku?: string;
  itemName?: string;
  productType?: string;
  status?: ListingStatus[];
  /** Stock quantities to set; the listing becomes an FBA SKU if it was not. */
  stock?: Omit<SeedStock, 'lastUpdatedTime'>;
}

export interface StoredStock {
  fulfillable: number;
  inboundWorking: number;
  inboundShipped: number;
  inboundReceiving: number;
  reserved: number;
  unfulfillable: number;
  researching: number;
  /** Virtual epoch ms. */
  lastUpdatedTime: number;
}

export interface StoredListing {
  connectionId: string;
  marketplaceId: string;
  sku: string;
  asin?: string;
  fnSku?: string;
  itemName?: string;
  productType: string;
  conditionType: string;
  status: ListingStatus[];
  /** Virtual epoch ms. */
  createdDate: number;
  lastUpdatedDate: number;
  stock?: StoredStock;
}

const COUNTRY_MARKETPLACE: Record<string, string> = {
  US: 'ATVPDKIKX0DER',
  CA: 'A2EUQ1WTGCTBG2',
  MX: 'A1AM78C64UM0Y8',
  DE: 'A1PA6795UKMFR9',
  UK: 'A1F83G8C2ARO7P',
  FR: 'A13V1IB3VIYZZH',
  IT: 'APJ6JRA9NG5V4',
  ES: 'A1RKKUPIHCS9HS',
  JP: 'A1VC38T7YXB528',
};

export function marketplaceIdOf(value: string): string {
  return COUNTRY_MARKETPLACE[value] ?? value;
}

const STATUSES = new Set<string>(['BUYABLE', 'DISCOVERABLE']);
const QUANTITIES = [
  'fulfillable',
  'inboundWorking',
  'inboundShipped',
  'inboundReceiving',
  'reserved',
  'unfulfillable',
  'researching',
] as const;
const INBOUND = new Set<string>(['inboundWorking', 'inboundShipped', 'inboundReceiving']);

/** One searchListingsItems call as the simulator saw it (for tests: were windows split?). */
export interface SearchRecord {
  connectionId: string;
  marketplaceIds: string[];
  createdAfter?: string;
  createdBefore?: string;
  lastUpdatedAfter?: string;
  lastUpdatedBefore?: string;
  /** A later page of a search (pageToken given). */
  paged: boolean;
  numberOfResults: number;
  returned: number;
}

const SEARCH_LOG_SIZE = 2000;

export class ListingsStore {
  /** `<connection>\0<marketplace>\0<sku>` → listing. */
  readonly listings = new Map<string, StoredListing>();
  readonly sellerIds = new Map<string, string>();
  /** The most recent searches, oldest first. */
  readonly searches: SearchRecord[] = [];

  constructor(private readonly now: () => number) {}

  sellerIdOf(connectionId: string): string {
    return this.sellerIds.get(connectionId) ?? connectionId;
  }

  /** Adds or replaces listings; a bad one is refused with its index and field, before any is stored. */
  seed(input: SeedListingsInput): { sellerId: string; marketplaceId: string; seeded: number } {
    const connectionId = input.connectionId ?? 'default';
    const marketplaceId = marketplaceIdOf(input.marketplaceId ?? '');
    if (!/^[A-Z0-9]{5,20}$/.test(marketplaceId)) {
      throw new Error(`marketplaceId "${input.marketplaceId}" is not a marketplace id or country code`);
    }
    if (!Array.isArray(input.listings)) throw new Error('listings must be an array');
    const now = this.now();
    const stored = input.listings.map((listing, index) => {
      const where = `listings[${index}]`;
      if (typeof listing?.sku !== 'string' || listing.sku === '') throw new Error(`${where}.sku is required`);
      const createdDate = instant(listing.createdDate, `${where}.createdDate`) ?? now;
      const lastUpdatedDate = instant(listing.lastUpdatedDate, `${where}.lastUpdatedDate`) ?? createdDate;
      const status = listing.status ?? ['BUYABLE', 'DISCOVERABLE'];
      checkStatus(status, `${where}.status`);
      const record: StoredListing = {
        connectionId,
        marketplaceId,
        sku: listing.sku,
        asin: listing.asin,
        fnSku: listing.fnSku,
        itemName: listing.itemName,
        productType: listing.productType ?? 'PRODUCT',
        conditionType: listing.conditionType ?? 'new_new',
        status: [...status],
        createdDate,
        lastUpdatedDate,
      };
      if (listing.stock) {
        record.stock = {
          ...quantities(listing.stock, `${where}.stock`, undefined),
          lastUpdatedTime:
            instant(listing.stock.lastUpdatedTime, `${where}.stock.lastUpdatedTime`) ?? lastUpdatedDate,
        };
      }
      return record;
    });
    if (input.sellerId) this.sellerIds.set(connectionId, input.sellerId);
    for (const record of stored) this.listings.set(key(connectionId, marketplaceId, record.sku), record);
    return { sellerId: this.sellerIdOf(connectionId), marketplaceId, seeded: stored.length };
  }

  /** Changes one listing and/or its stock, moving the dates Amazon would move. */
  update(change: ListingUpdate): StoredListing {
    const connectionId = change.connectionId ?? 'default';
    const marketplaceId = marketplaceIdOf(change.marketplaceId ?? '');
    const listing = this.listings.get(key(connectionId, marketplaceId, change.sku));
    if (!listing) {
      throw new Error(
        `no listing ${change.sku} in marketplace ${marketplaceId} of connection ${connectionId}`,
      );
    }
    const at = instant(change.at, 'at') ?? this.now();
    let listingChanged = false;
    for (const field of ['asin', 'fnSku', 'itemName', 'productType'] as const) {
      const value = change[field];
      if (value !== undefined && value !== listing[field]) {
        listing[field] = value;
        listingChanged = true;
      }
    }
    if (change.status) {
      checkStatus(change.status, 'status');
      listing.status = [...change.status];
      listingChanged = true;
    }
    if (listingChanged) listing.lastUpdatedDate = Math.max(listing.lastUpdatedDate, at);
    if (change.stock) {
      const given = quantities(change.stock, 'stock', listing.stock);
      const before = listing.stock;
      const moved = QUANTITIES.some((name) => !INBOUND.has(name) && given[name] !== (before?.[name] ?? -1));
      listing.stock = {
        ...given,
        lastUpdatedTime:
          moved || !before ? Math.max(before?.lastUpdatedTime ?? 0, at) : before.lastUpdatedTime,
      };
    }
    return listing;
  }

  /** The listings of a connection in some marketplaces. */
  of(connectionId: string, marketplaceIds: readonly string[]): StoredListing[] {
    const wanted = new Set(marketplaceIds);
    return [...this.listings.values()].filter(
      (l) => l.connectionId === connectionId && wanted.has(l.marketplaceId),
    );
  }

  recordSearch(search: SearchRecord): void {
    this.searches.push(search);
    if (this.searches.length > SEARCH_LOG_SIZE)
      this.searches.splice(0, this.searches.length - SEARCH_LOG_SIZE);
  }

  clear(): void {
    this.listings.clear();
    this.sellerIds.clear();
    this.searches.length = 0;
  }
}

function key(connectionId: string, marketplaceId: string, sku: string): string {
  return `${connectionId}\u0000${marketplaceId}\u0000${sku}`;
}

function instant(value: string | undefined, where: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`${where} "${value}" is not an ISO 8601 date-time`);
  return ms;
}

function checkStatus(status: unknown, where: string): void {
  if (!Array.isArray(status) || status.some((s) => !STATUSES.has(s))) {
    throw new Error(`${where} must be a list of BUYABLE, DISCOVERABLE`);
  }
}

function quantities(
  given: Omit<SeedStock, 'lastUpdatedTime'>,
  where: string,
  base: StoredStock | undefined,
): Omit<StoredStock, 'lastUpdatedTime'> {
  const out = {} as Omit<StoredStock, 'lastUpdatedTime'>;
  for (const name of QUANTITIES) {
    const value = given[name] ?? base?.[name] ?? 0;
    if (!Number.isInteger(value) || value < 0) {
      throw new Error(`${where}.${name} must be a whole number ≥ 0, got ${value}`);
    }
    out[name] = value;
  }
  return out;
}
