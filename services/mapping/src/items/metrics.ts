/**
 * Item metrics, computed from the item states in MongoDB when Prometheus scrapes (at most once per
 * `refreshMs`): FBA quantities summed over each marketplace's SKUs from their latest stock event,
 * and SKUs per marketplace by match status. Labels are bounded — marketplace and status, never a
 * SKU or a connection. Every mapping replica reports the same totals (they all read MongoDB), so
 * dashboards take `max by (marketplace)`, not `sum`.
 */
import { ITEM_MATCH_STATUSES, type ItemState, itemStateModel } from '@mlc/store';
import type { Connection } from 'mongoose';
import { Gauge, type Registry } from 'prom-client';

interface Snapshot {
  stock: Map<string, { fulfillable: number; inbound: number; reserved: number; unfulfillable: number }>;
  statuses: Map<string, Map<string, number>>;
}

export function registerItemMetrics(db: Connection, registry: Registry, refreshMs: number): void {
  let last: { at: number; snapshot: Promise<Snapshot> } | null = null;
  const snapshot = (): Promise<Snapshot> => {
    if (!last || Date.now() - last.at > refreshMs) {
      const taken = take(db);
      last = { at: Date.now(), snapshot: taken };
      taken.catch(() => {
        last = null;
      });
    }
    return last.snapshot;
  };

  const quantities = [
    ['fulfillable', 'mlc_fba_fulfillable_units', 'FBA units Amazon can ship now'],
    ['inbound', 'mlc_fba_inbound_units', 'FBA units inbound (working + shipped + receiving)'],
    ['reserved', 'mlc_fba_reserved_units', 'FBA units reserved (orders, transfers, processing)'],
    ['unfulfillable', 'mlc_fba_unfulfillable_units', 'FBA units that cannot be sold (damaged, defective…)'],
  ] as const;
  for (const [field, name, help] of quantities) {
    new Gauge({
      name,
      help: `${help}, summed over the marketplace's SKUs from their latest stock event.`,
      labelNames: ['marketplace'],
      registers: [registry],
      async collect() {
        const { stock } = await snapshot();
        this.reset();
        for (const [marketplace, sums] of stock) this.set({ marketplace }, sums[field]);
      },
    });
  }
  new Gauge({
    name: 'mlc_item_skus',
    help: 'Seller SKUs per marketplace by JDE match status (matched, unmatched, ambiguous, too_long, conflict).',
    labelNames: ['marketplace', 'status'],
    registers: [registry],
    async collect() {
      const { statuses } = await snapshot();
      this.reset();
      for (const [marketplace, counts] of statuses) {
        for (const status of ITEM_MATCH_STATUSES) this.set({ marketplace, status }, counts.get(status) ?? 0);
      }
    },
  });
}

async function take(db: Connection): Promise<Snapshot> {
  const result: Snapshot = { stock: new Map(), statuses: new Map() };
  const cursor = itemStateModel(db)
    .find({}, { marketplaceId: 1, status: 1, stock: 1 })
    .lean()
    .cursor() as AsyncIterable<Pick<ItemState, 'marketplaceId' | 'status' | 'stock'>>;
  for await (const doc of cursor) {
    if (doc.status) {
      const counts = result.statuses.get(doc.marketplaceId) ?? new Map<string, number>();
      counts.set(doc.status, (counts.get(doc.status) ?? 0) + 1);
      result.statuses.set(doc.marketplaceId, counts);
    }
    if (doc.stock) {
      const sums = result.stock.get(doc.marketplaceId) ?? {
        fulfillable: 0,
        inbound: 0,
        reserved: 0,
        unfulfillable: 0,
      };
      sums.fulfillable += doc.stock.fulfillable ?? 0;
      sums.inbound += doc.stock.inbound ?? 0;
      sums.reserved += doc.stock.reserved ?? 0;
      sums.unfulfillable += doc.stock.unfulfillable ?? 0;
      result.stock.set(doc.marketplaceId, sums);
    }
  }
  return result;
}
