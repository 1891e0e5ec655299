/**
 * Daily sales visibility: finance sees marketplace sales per day long before the settlement that
 * pays them arrives. Each order's latest version (from amazon.orders.v1) is kept; the summary of its
 * (day, marketplace, currency) is recomputed from those versions, so an order seen twice, an order
 * changed later, or one cancelled (counted as zero) leaves the summary right — consuming the same
 * orders again changes nothing.
 *
 * The summaries are stored and exported as metrics for the finance dashboard. Posting them to a
 * JDE memo ledger through a separate orchestration is not built yet (docs/architecture.md).
 */
import type { OrdersV1 } from '@mlc/events';
import { formatMinor, parseDecimalToMinor } from '@mlc/money';
import { type Connection, type Model, Schema } from 'mongoose';
import { Gauge, type Registry } from 'prom-client';

interface OrderVersion {
  /** `<connection>:<orderId>` */
  _id: string;
  connectionId: string;
  day: string;
  marketplaceId: string;
  currency: string;
  status: string;
  /** Minor units as decimal text (FerretDB has no 64-bit-safe decimal we want to rely on). */
  totalMinor: string;
  lastUpdateDate: Date;
}

export interface DailySales {
  /** `<connection>:<day>:<marketplace>:<currency>` */
  _id: string;
  connectionId: string;
  day: string;
  marketplaceId: string;
  currency: string;
  orders: number;
  cancelled: number;
  /** Decimal string in the currency's major unit. */
  total: string;
  updatedAt: Date;
}

const orderVersionSchema = new Schema<OrderVersion>(
  {
    _id: { type: String, required: true },
    connectionId: { type: String, required: true },
    day: { type: String, required: true },
    marketplaceId: { type: String, required: true },
    currency: { type: String, required: true },
    status: { type: String, required: true },
    totalMinor: { type: String, required: true },
    lastUpdateDate: { type: Date, required: true },
  },
  { collection: 'order_versions', versionKey: false },
);
orderVersionSchema.index({ connectionId: 1, day: 1, marketplaceId: 1, currency: 1 });

const dailySalesSchema = new Schema<DailySales>(
  {
    _id: { type: String, required: true },
    connectionId: { type: String, required: true },
    day: { type: String, required: true },
    marketplaceId: { type: String, required: true },
    currency: { type: String, required: true },
    orders: { type: Number, required: true },
    cancelled: { type: Number, required: true },
    total: { type: String, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'daily_sales', versionKey: false },
);
dailySalesSchema.index({ connectionId: 1, day: 1 });

export function orderVersionModel(connection: Connection): Model<OrderVersion> {
  return (
    (connection.models.OrderVersion as Model<OrderVersion>) ??
    connection.model('OrderVersion', orderVersionSchema)
  );
}

export function dailySalesModel(connection: Connection): Model<DailySales> {
  return (
    (connection.models.DailySales as Model<DailySales>) ?? connection.model('DailySales', dailySalesSchema)
  );
}

const CANCELLED = new Set(['canceled', 'cancelled']);

export class DailySalesBook {
  readonly #lastDay: Gauge<'marketplace' | 'currency'>;

  constructor(
    private readonly db: Connection,
    registry: Registry,
  ) {
    this.#lastDay = new Gauge({
      name: 'mlc_sales_latest_day_amount',
      help: 'Order totals of the day most recently updated, per marketplace and currency (major units; cancelled orders count zero).',
      labelNames: ['marketplace', 'currency'],
      registers: [registry],
    });
  }

  /** Takes one order event; returns the summary of its day as it now stands. */
  async record(order: OrdersV1): Promise<DailySales> {
    const versions = orderVersionModel(this.db);
    const id = `${order.connectionId}:${order.orderId}`;
    const previous = await versions.findById(id).lean().exec();
    const updated = new Date(order.lastUpdateDate);
    const next: OrderVersion = {
      _id: id,
      connectionId: order.connectionId,
      day: order.purchaseDate.slice(0, 10),
      marketplaceId: order.marketplaceId,
      currency: order.currency,
      status: order.status,
      totalMinor: parseDecimalToMinor(order.orderTotal, order.currency, { decimalSeparator: '.' }).toString(),
      lastUpdateDate: updated,
    };
    // Keep the latest version only: an older or repeated event changes nothing.
    if (!previous || new Date(previous.lastUpdateDate).getTime() < updated.getTime()) {
      await versions.replaceOne({ _id: id }, next, { upsert: true }).exec();
    }
    const summary = await this.#summarize(next.connectionId, next.day, next.marketplaceId, next.currency);
    if (previous && previous.day !== next.day)
      await this.#summarize(previous.connectionId, previous.day, previous.marketplaceId, previous.currency);
    return summary;
  }

  async #summarize(
    connectionId: string,
    day: string,
    marketplaceId: string,
    currency: string,
  ): Promise<DailySales> {
    const orders = await orderVersionModel(this.db)
      .find({ connectionId, day, marketplaceId, currency })
      .lean()
      .exec();
    let total = 0n;
    let cancelled = 0;
    for (const order of orders) {
      if (CANCELLED.has(order.status.toLowerCase())) cancelled++;
      else total += BigInt(order.totalMinor);
    }
    const summary: DailySales = {
      _id: `${connectionId}:${day}:${marketplaceId}:${currency}`,
      connectionId,
      day,
      marketplaceId,
      currency,
      orders: orders.length,
      cancelled,
      total: formatMinor(total, currency),
      updatedAt: new Date(),
    };
    await dailySalesModel(this.db).replaceOne({ _id: summary._id }, summary, { upsert: true }).exec();
    this.#lastDay.set({ marketplace: marketplaceId, currency }, Number(summary.total));
    return summary;
  }
}
