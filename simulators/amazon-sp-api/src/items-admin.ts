/**
 * /_sim admin routes for listings and FBA stock (beside /_sim/settlements and /_sim/generate):
 *
 *   POST /_sim/listings           {connectionId?, sellerId?, marketplaceId, listings:[SeedListing]} → 201
 *   POST /_sim/listings/generate  {connectionId?, sellerId?, marketplaces?: ["US","CA"], count, seed?,
 *                                  skuPrefix?, createdFrom?, createdTo?, updatedFrom?, updatedTo?,
 *                                  fbaShare?, specialCharacters?} → 201
 *   POST /_sim/listings/update    {connectionId?, marketplaceId, sku, at?, itemName?, status?, …,
 *                                  stock?: {fulfillable?, inboundWorking?, …}} → 200
 *   GET  /_sim/listings           ?connectionId= → counts per marketplace and the recent searches
 * Bad input answers 400 with Amazon's error body naming the field.
 */
import type { FastifyInstance } from 'fastify';
import { errorList } from './listings.js';
import { generateListings, type ListingsGeneratorOptions } from './listings-generator.js';
import type { ListingUpdate, SeedListingsInput, StoredListing } from './listings-store.js';
import type { SimState } from './state.js';

type GenerateListingsBody = Omit<ListingsGeneratorOptions, 'marketplace'> & {
  connectionId?: string;
  sellerId?: string;
  marketplaces?: string[];
};

export function registerItemsAdmin(app: FastifyInstance, state: SimState): void {
  const refuse = (error: unknown) => errorList('InvalidInput', (error as Error).message);

  app.post('/_sim/listings', async (request, reply) => {
    try {
      return reply.code(201).send(state.seedListings((request.body ?? {}) as SeedListingsInput));
    } catch (error) {
      return reply.code(400).send(refuse(error));
    }
  });

  app.post('/_sim/listings/generate', async (request, reply) => {
    const body = (request.body ?? {}) as GenerateListingsBody;
    try {
      const { connectionId, sellerId, marketplaces = ['US', 'CA'], ...options } = body;
      const seeded = marketplaces.map((marketplace) =>
        state.seedListings({
          connectionId,
          sellerId,
          marketplaceId: marketplace,
          listings: generateListings({ ...options, marketplace }),
        }),
      );
      return reply.code(201).send({ sellerId: seeded[0]?.sellerId, seeded });
    } catch (error) {
      return reply.code(400).send(refuse(error));
    }
  });

  app.post('/_sim/listings/update', async (request, reply) => {
    try {
      return reply.code(200).send(listingJson(state.updateListing((request.body ?? {}) as ListingUpdate)));
    } catch (error) {
      return reply.code(400).send(refuse(error));
    }
  });

  app.get('/_sim/listings', async (request) => {
    const { connectionId } = request.query as { connectionId?: string };
    const counts: Record<string, { listings: number; fba: number }> = {};
    for (const listing of state.listingsStore.listings.values()) {
      if (connectionId && listing.connectionId !== connectionId) continue;
      const count = counts[listing.marketplaceId] ?? { listings: 0, fba: 0 };
      counts[listing.marketplaceId] = count;
      count.listings++;
      if (listing.stock) count.fba++;
    }
    return {
      sellerId: connectionId ? state.listingsStore.sellerIdOf(connectionId) : undefined,
      marketplaces: counts,
      searches: state.listingsStore.searches.filter((s) => !connectionId || s.connectionId === connectionId),
    };
  });
}

export function listingJson(listing: StoredListing): Record<string, unknown> {
  return {
    ...listing,
    createdDate: new Date(listing.createdDate).toISOString(),
    lastUpdatedDate: new Date(listing.lastUpdatedDate).toISOString(),
    ...(listing.stock
      ? {
          stock: { ...listing.stock, lastUpdatedTime: new Date(listing.stock.lastUpdatedTime).toISOString() },
        }
      : {}),
  };
}
