/**
 * One listing event → the SKU's item state: matched to a JDE item by the connection's rule, or
 * reported unmatched / ambiguous / too long / conflicting with the reason; for a matched item,
 * where its ASIN and FNSKU stand in F4104, and a proposal to jde-poster for each missing one when
 * the connection's createCrossReferences is on. Replaying listings is safe: the state is
 * overwritten with the same decision and a proposal carries the same job id as before.
 */
import type { CrossReferenceRow } from '@mlc/ais';
import type { ItemCrossReferenceProposedV1, ListingV1, Topics } from '@mlc/events';
import type { EventPublisher } from '@mlc/kafka';
import {
  addressNumberFor,
  type CrossReferenceStatus,
  type ItemSettings,
  type ItemState,
  updateItemState,
} from '@mlc/store';
import type { Connection } from 'mongoose';
import type { ItemDirectory } from './directory.js';
import {
  checkCrossReference,
  crossReferenceJobId,
  decideMatch,
  type MatchDecision,
  numberColumnOf,
  skuCrossReferenceType,
  tooLongReason,
} from './match.js';
import type { ItemSettingsCache } from './settings.js';

export interface ListingDeps {
  db: Connection;
  directory: ItemDirectory;
  settings: ItemSettingsCache;
  publisher: Pick<EventPublisher, 'publish'>;
  topics: Pick<Topics, 'itemCrossReferenceProposed'>;
  now?: () => Date;
}

export interface ListingOutcome {
  decision: MatchDecision;
  proposed: ItemCrossReferenceProposedV1[];
}

const KINDS = [
  { kind: 'asin', field: 'asin' },
  { kind: 'fnsku', field: 'fnSku' },
] as const;

export async function handleListing(listing: ListingV1, deps: ListingDeps): Promise<ListingOutcome> {
  const now = deps.now ?? (() => new Date());
  const { version, settings } = await deps.settings.get(listing.connectionId);
  const addressNumber = addressNumberFor(settings, listing.marketplaceId);
  // The identifiers' F4104 rows are asked for together with the SKU's, so they share one query.
  const identifierRows = new Map(
    KINDS.map(({ kind, field }) => {
      const value = listing[field];
      const type = settings.crossReferenceTypes[kind];
      const rows =
        value && type && value.length <= 25
          ? deps.directory.crossReferences(listing.connectionId, addressNumber, value, [type])
          : Promise.resolve([]);
      rows.catch(() => undefined);
      return [kind, rows] as const;
    }),
  );
  const decision = await match(listing, settings, addressNumber, deps.directory);

  const proposed: ItemCrossReferenceProposedV1[] = [];
  const crossReferences: NonNullable<ItemState['crossReferences']> = {};
  if (decision.status === 'matched') {
    for (const { kind, field } of KINDS) {
      const value = listing[field];
      if (!value) continue;
      const type = settings.crossReferenceTypes[kind];
      if (!type) {
        crossReferences[kind] = { state: 'not-configured', value };
        continue;
      }
      const rows = await (identifierRows.get(kind) as Promise<CrossReferenceRow[]>);
      const check = checkCrossReference(rows, {
        itemNumber: decision.itemNumber,
        type,
        addressNumber,
        value,
      });
      const status: CrossReferenceStatus = { state: check.state, value, type };
      if (check.state === 'conflict') status.otherItems = check.otherItems.join(',');
      if (check.state === 'missing' && settings.createCrossReferences && value.length <= 25) {
        status.state = 'proposed';
        const xref = { itemNumber: decision.itemNumber, type, addressNumber, value };
        proposed.push({
          jobId: crossReferenceJobId(listing.connectionId, xref),
          connectionId: listing.connectionId,
          marketplaceId: listing.marketplaceId,
          sku: listing.sku,
          itemNumber: decision.itemNumber,
          kind,
          crossReferenceType: type,
          crossReferenceValue: value,
          addressNumber,
          proposedAt: now().toISOString(),
        });
      }
      crossReferences[kind] = status;
    }
  }

  const set: Partial<ItemState> = {
    status: decision.status,
    reason: decision.reason,
    matchRule: settings.match,
    settingsVersion: version,
    listingUpdatedAt: new Date(listing.lastUpdatedDate),
    matchedAt: now(),
    crossReferences,
  };
  const unset: string[] = [];
  if (listing.asin) set.asin = listing.asin;
  if (listing.fnSku) set.fnSku = listing.fnSku;
  if (listing.itemName) set.itemName = listing.itemName;
  if (decision.status === 'matched') {
    set.itemNumber = decision.itemNumber;
    if (decision.secondItemNumber) set.secondItemNumber = decision.secondItemNumber;
    else unset.push('secondItemNumber');
    unset.push('candidates');
  } else {
    unset.push('itemNumber', 'secondItemNumber');
    if (decision.candidates) set.candidates = decision.candidates.join(',');
    else unset.push('candidates');
  }
  const key = { connectionId: listing.connectionId, marketplaceId: listing.marketplaceId, sku: listing.sku };
  await updateItemState(deps.db, key, set, unset, { ignoreForChange: ['matchedAt'] });
  // Proposed after the state is stored: a crash in between re-runs this listing and proposes again.
  for (const event of proposed) {
    await deps.publisher.publish(
      deps.topics.itemCrossReferenceProposed,
      `${event.connectionId}:${event.itemNumber}`,
      event,
    );
  }
  return { decision, proposed };
}

async function match(
  listing: ListingV1,
  settings: ItemSettings,
  addressNumber: string,
  directory: ItemDirectory,
): Promise<MatchDecision> {
  const { sku } = listing;
  const rule = settings.match;
  const tooLong = tooLongReason(sku, rule);
  if (tooLong) return { status: 'too_long', reason: tooLong };
  const type = skuCrossReferenceType(rule);
  const [items, crossReferences] = await Promise.all([
    directory.items(listing.connectionId, numberColumnOf(rule), sku),
    type ? directory.crossReferences(listing.connectionId, addressNumber, sku, [type]) : Promise.resolve([]),
  ]);
  return decideMatch({ sku, rule, addressNumber, items, crossReferences });
}
