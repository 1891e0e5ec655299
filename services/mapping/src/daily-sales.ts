/**
 * Daily sales visibility: finance sees marketplace sales per day long before the settlement that
 * pays them arrives. Each order's latest version (from amazon.orders.v1) is kept; the summary of its
 * (day, marketplace, currency) is recomputed from those versions, so an order seen twice, an order
 * changed later, or one cancelled (counted as zero) leaves the summary right — consuming the same
 * orders again changes nothing.
 *
 * The day is the purchase date's calendar day in the marketplace's time zone (the connection's
 * daily sales settings; UTC without them). The summaries are stored and exported as metrics for
 * the finance dashboard; closed days are posted to a JDE memo ledger by daily-sales-proposer.ts.
 */
import type { OrdersV1 } from '@mlc/events';
import { formatMinor, parseDecimalToMinor } from '@mlc/money';
import { type DailySales, dailySalesModel } from '@mlc/store';
import { type Connection, type Model, Schema } from 'mongoose';
import { Gauge, type Registry } from 'prom-client';
import { localDay } from './daily-sales-closing.js';

/** The IANA time zone whose calendar day a marketplace's sales are summed by. */
export type TimeZoneOf = (connectionId: string, marketplaceId: string, currency: string) => Promise<string>;

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

// The summaries' model lives in @mlc/store because the CLI reads them too (`mlc daily-sales status`).
export { type DailySales, dailySalesModel } from '@mlc/store';

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

export function orderVersionModel(connection: Connection): Model<OrderVersion> {
  return (
    (connection.models.OrderVersion as Model<OrderVersion>) ??
    connection.model('OrderVersion', orderVersionSchema)
  );
}

const CANCELLED = new Set(['canceled', 'cancelled']);

export class DailySalesBook {
  readonly #lastDay: Gauge<'marketplace' | 'currency'>;

  constructor(
    private readonly db: Connection,
    registry: Registry,
    private readonly timeZoneOf: TimeZoneOf = async () => 'UTC',
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
      day: localDay(
        new Date(order.purchaseDate),
        await this.timeZoneOf(order.connectionId, order.marketplaceId, order.currency),
      ),
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
