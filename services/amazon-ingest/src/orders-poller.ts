/**
 * Near-real-time sales: orders changed since a cursor, per connection and region, announced on
 * amazon.orders.v1 (key `<connection>:<orderId>`) for the mapping service's daily sales summaries.
 * The cursor trails the newest change seen by a few minutes; an order announced twice is harmless
 * because the summaries keep only each order's latest version.
 */
import type { OrdersV1, Topics } from '@mlc/events';
import type { EventPublisher } from '@mlc/kafka';
import { marketplaceById, type OrdersSource } from '@mlc/sp-api';
import { type Connection, type Model, Schema } from 'mongoose';
import type { PollTarget } from './settlement-poller.js';

interface OrdersCursor {
  _id: string;
  lastUpdatedAfter: Date;
  updatedAt: Date;
}

const ordersCursorSchema = new Schema<OrdersCursor>(
  {
    _id: { type: String, required: true },
    lastUpdatedAfter: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'orders_cursors', versionKey: false },
);

export function ordersCursorModel(connection: Connection): Model<OrdersCursor> {
  return (
    (connection.models.OrdersCursor as Model<OrdersCursor>) ??
    connection.model('OrdersCursor', ordersCursorSchema)
  );
}

const OVERLAP_MS = 5 * 60_000;

export interface OrdersPollerDeps {
  db: Connection;
  publisher: EventPublisher;
  topics: Pick<Topics, 'orders'>;
  /** How far back the first poll of a connection looks. */
  initialLookbackMs: number;
  now?: () => Date;
}

export class OrdersPoller {
  constructor(private readonly deps: OrdersPollerDeps) {}

  /** Announces the orders changed since the cursor; returns how many. */
  async pollOnce(target: PollTarget, source: OrdersSource): Promise<number> {
    const { db, publisher, topics } = this.deps;
    const now = this.deps.now?.() ?? new Date();
    const id = `${target.connectionId}:${target.region}`;
    const cursor = await ordersCursorModel(db).findById(id).lean().exec();
    const since = cursor?.lastUpdatedAfter ?? new Date(now.getTime() - this.deps.initialLookbackMs);
    let newest = since.getTime();
    let count = 0;
    for await (const order of source.searchOrders({
      marketplaceIds: target.marketplaceIds,
      lastUpdatedAfter: since.toISOString(),
    })) {
      const event = toEvent(target.connectionId, order, now);
      if (!event) continue;
      await publisher.publish(topics.orders, `${target.connectionId}:${order.amazonOrderId}`, event);
      newest = Math.max(newest, Date.parse(order.lastUpdateDate));
      count++;
    }
    const next = new Date(Math.max(since.getTime(), newest - OVERLAP_MS));
    await ordersCursorModel(db)
      .updateOne({ _id: id }, { $set: { lastUpdatedAfter: next, updatedAt: now } }, { upsert: true })
      .exec();
    return count;
  }
}

/** The event for an order; null when Amazon sent neither a total nor a marketplace to price it in. */
function toEvent(connectionId: string, order: OrderLike, now: Date): OrdersV1 | null {
  const marketplace = order.marketplaceId ? marketplaceById(order.marketplaceId) : undefined;
  const currency = order.orderTotal?.currencyCode ?? marketplace?.currency;
  if (!order.marketplaceId || !currency) return null;
  return {
    connectionId,
    marketplaceId: order.marketplaceId,
    orderId: order.amazonOrderId,
    status: order.status,
    purchaseDate: new Date(order.purchaseDate).toISOString(),
    lastUpdateDate: new Date(order.lastUpdateDate).toISOString(),
    currency,
    // A pending order has no total yet: it counts as zero until Amazon prices it.
    orderTotal: normalizeDecimal(order.orderTotal?.amount ?? '0'),
    emittedAt: now.toISOString(),
  };
}

type OrderLike = {
  amazonOrderId: string;
  marketplaceId: string | null;
  purchaseDate: string;
  lastUpdateDate: string;
  status: string;
  orderTotal: { amount: string; currencyCode: string } | null;
};

/** "12.5" → "12.5", "12" → "12", "-0.50" → "-0.50": the event schema's decimal form, unchanged otherwise. */
function normalizeDecimal(text: string): string {
  const trimmed = text.trim();
  if (!/^-?\d+(\.\d+)?$/.test(trimmed)) throw new Error(`order total "${text}" is not a decimal`);
  return trimmed;
}
