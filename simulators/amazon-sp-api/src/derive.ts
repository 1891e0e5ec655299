/**
 * What Amazon's other APIs would show for a settlement: its rows grouped into financial events
 * (Finances v0), transactions (Finances 2024-06-19) and orders (Orders v0 and 2026-01-01).
 *
 * Grouping: rows of one order-level transaction (same transaction-type, order, adjustment or shipment)
 * form one event; every other row is an event of its own. Non-order rows that Amazon shows as service
 * fees (storage, subscription) become ServiceFeeEvents, SAFE-T rows SAFETReimbursementEvents, and every
 * remaining row (reimbursements, reserves, carried balances) an AdjustmentEvent, so the events of a
 * group sum to the settlement total — a simplification, Amazon's own grouping is not documented.
 */
import { createHash } from 'node:crypto';
import { formatMinor } from '@mlc/money';
import type { ReadSettlement, SettlementRow } from './flat-file.js';

export interface SettlementEvent {
  kind: 'Shipment' | 'Refund' | 'Chargeback' | 'ServiceFee' | 'SAFETReimbursement' | 'Adjustment';
  transactionType: string;
  orderId: string | null;
  merchantOrderId: string | null;
  postedAt: string;
  marketplace: string | null;
  rows: SettlementRow[];
  total: bigint;
}

export interface DerivedOrder {
  orderId: string;
  merchantOrderId: string | null;
  marketplaceId: string;
  marketplaceName: string | null;
  purchaseDate: string;
  lastUpdateDate: string;
  fulfilledByAmazon: boolean;
  total: bigint;
  currency: string;
  items: Array<{ orderItemId: string; sku: string | null; quantity: number }>;
}

const ORDER_KINDS: Record<string, SettlementEvent['kind']> = {
  Order: 'Shipment',
  Refund: 'Refund',
  'Chargeback Refund': 'Chargeback',
};
const SERVICE_FEES = new Set(['Storage Fee', 'Subscription Fee', 'StorageRenewalBilling']);

export function settlementEvents(settlement: ReadSettlement): SettlementEvent[] {
  const events: SettlementEvent[] = [];
  const byKey = new Map<string, SettlementEvent>();
  for (const row of settlement.rows) {
    const postedAt = row.postedAt ?? settlement.summary.endDate;
    const orderKind = row.orderId ? ORDER_KINDS[row.transactionType] : undefined;
    if (orderKind) {
      const key = `${row.transactionType}\u0000${row.orderId}\u0000${row.adjustmentId ?? row.shipmentId ?? ''}`;
      let event = byKey.get(key);
      if (!event) {
        event = {
          kind: orderKind,
          transactionType: row.transactionType,
          orderId: row.orderId,
          merchantOrderId: row.merchantOrderId,
          postedAt,
          marketplace: row.marketplace,
          rows: [],
          total: 0n,
        };
        byKey.set(key, event);
        events.push(event);
      }
      event.rows.push(row);
      event.total += row.amount;
      continue;
    }
    const kind: SettlementEvent['kind'] = SERVICE_FEES.has(row.amountDescription)
      ? 'ServiceFee'
      : row.amountDescription === 'SAFE-T Reimbursement'
        ? 'SAFETReimbursement'
        : 'Adjustment';
    events.push({
      kind,
      transactionType: row.transactionType,
      orderId: row.orderId,
      merchantOrderId: row.merchantOrderId,
      postedAt,
      marketplace: row.marketplace,
      rows: [row],
      total: row.amount,
    });
  }
  return events;
}

/** Orders as the Orders APIs would list them: one per order id of the settlement's Order rows. */
export function settlementOrders(
  settlement: ReadSettlement,
  events: SettlementEvent[],
  marketplaceId: string,
): DerivedOrder[] {
  const orders = new Map<string, DerivedOrder>();
  for (const event of events) {
    if (event.kind !== 'Shipment' || !event.orderId) continue;
    let order = orders.get(event.orderId);
    if (!order) {
      const shipped = Date.parse(event.postedAt);
      order = {
        orderId: event.orderId,
        merchantOrderId: event.merchantOrderId,
        marketplaceId,
        marketplaceName: event.marketplace,
        purchaseDate: isoOf(shipped - 26 * 3_600_000),
        lastUpdateDate: isoOf(shipped),
        fulfilledByAmazon: event.rows.some((r) => r.fulfillmentId === 'AFN'),
        total: 0n,
        currency: settlement.summary.currency,
        items: [],
      };
      orders.set(event.orderId, order);
    }
    for (const row of event.rows) {
      if (row.amountType === 'ItemPrice' || row.amountType === 'Promotion') order.total += row.amount;
      const itemId = row.orderItemCode ?? `${event.orderId}-${row.sku ?? ''}`;
      if (!order.items.some((i) => i.orderItemId === itemId)) {
        order.items.push({ orderItemId: itemId, sku: row.sku, quantity: row.quantity ?? 1 });
      }
    }
  }
  return [...orders.values()];
}

/** A JSON number with the exact decimal digits of the amount (Finances send numbers). */
export function amountNumber(minor: bigint, currency: string): number {
  return Number(formatMinor(minor, currency));
}

export function stableId(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('base64url');
}

function isoOf(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
