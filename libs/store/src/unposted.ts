/**
 * Settlements not (yet) fully posted, summed per connection and status: how many, and the oldest
 * deposit date among them. jde-poster exports this for the MlcSettlementNotPosted alert.
 *
 * The query selects by `status` (the `{status, updatedAt}` index) and reads three small fields, so it
 * costs the number of settlements not posted — the ones in flight plus held and rejected ones waiting
 * for an operator — never the posted history. It streams, keeping one entry per (connection, status).
 * (FerretDB v1 has no `$min`/`$first` group accumulators, hence no aggregation pipeline.)
 */
import type { Connection } from 'mongoose';
import { SETTLEMENT_STATUSES, type SettlementStatus, settlementModel } from './settlements.js';

/** Every status but `posted`: in flight (received, announced, proposed) or waiting (held, rejected). */
export const NOT_POSTED_STATUSES = SETTLEMENT_STATUSES.filter(
  (status): status is Exclude<SettlementStatus, 'posted'> => status !== 'posted',
);

export interface NotPostedGroup {
  connectionId: string;
  status: Exclude<SettlementStatus, 'posted'>;
  count: number;
  /** The oldest deposit date in the group; null when none of them has one (held unreadable reports). */
  oldestDepositDate: Date | null;
}

export async function notPostedSettlements(connection: Connection): Promise<NotPostedGroup[]> {
  const groups = new Map<string, NotPostedGroup>();
  const cursor = settlementModel(connection)
    .find({ status: { $in: NOT_POSTED_STATUSES } }, { _id: 0, connectionId: 1, status: 1, depositDate: 1 })
    .lean()
    .cursor();
  for await (const doc of cursor) {
    const status = doc.status as NotPostedGroup['status'];
    const key = `${doc.connectionId}\u0000${status}`;
    let group = groups.get(key);
    if (!group) {
      group = { connectionId: doc.connectionId, status, count: 0, oldestDepositDate: null };
      groups.set(key, group);
    }
    group.count++;
    const deposit = doc.depositDate ? new Date(doc.depositDate) : null;
    if (deposit && (!group.oldestDepositDate || deposit < group.oldestDepositDate))
      group.oldestDepositDate = deposit;
  }
  return [...groups.values()];
}
