/**
 * The daily sales records mapping writes and the CLI reads (`mlc daily-sales status`):
 *
 * - `daily_sales`: the summary of one (connection, marketplace-local day, marketplace, currency),
 *   recomputed from the orders' latest versions by services/mapping/src/daily-sales.ts;
 * - `daily_sales_proposals`: one document per memo posting proposed for such a day (the day's
 *   total as adjustment 0, later differences as adjustment n), inserted under its job id before it
 *   is published — the unique insert that makes a proposal happen once
 *   (services/mapping/src/daily-sales-proposer.ts).
 *
 * Whether a proposal was posted is the state of its job in `jobs` (libs/mongo), written by
 * jde-poster under the same job id.
 */
import { type Connection, type Model, Schema } from 'mongoose';

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

export interface DailySalesProposal {
  /** The job id. */
  _id: string;
  connectionId: string;
  marketplaceId: string;
  currency: string;
  day: string;
  adjustment: number;
  /** Minor units as decimal text. */
  amountMinor: string;
  /** The event as published (JSON). */
  event: string;
  published: boolean;
  createdAt: Date;
}

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

const proposalSchema = new Schema<DailySalesProposal>(
  {
    _id: { type: String, required: true },
    connectionId: { type: String, required: true },
    marketplaceId: { type: String, required: true },
    currency: { type: String, required: true },
    day: { type: String, required: true },
    adjustment: { type: Number, required: true },
    amountMinor: { type: String, required: true },
    event: { type: String, required: true },
    published: { type: Boolean, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'daily_sales_proposals', versionKey: false },
);
proposalSchema.index({ connectionId: 1, marketplaceId: 1, currency: 1, day: 1 });

export function dailySalesModel(connection: Connection): Model<DailySales> {
  return (
    (connection.models.DailySales as Model<DailySales>) ?? connection.model('DailySales', dailySalesSchema)
  );
}

export function dailySalesProposalModel(connection: Connection): Model<DailySalesProposal> {
  return (
    (connection.models.DailySalesProposal as Model<DailySalesProposal>) ??
    connection.model('DailySalesProposal', proposalSchema)
  );
}
