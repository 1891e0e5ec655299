/**
 * Every closed Amazon payout should have its settlement report. Amazon keeps the two apart:
 * financial event groups (Finances v0) are the payouts, settlement reports are the documents we
 * post, and the settlement id is not the group id. A closed group names its settlement only through
 * its transactions (Finances 2024-06-19 listTransactions by FINANCIAL_EVENT_GROUP_ID → the
 * SETTLEMENT_ID related identifier; reference §3, amzn/selling-partner-api-models#5143).
 *
 * So, per connection and region: list the groups of the last weeks; for each closed group whose
 * period ended longer ago than the grace period, find its settlement id and check that the
 * settlement is recorded. A missing one is counted in a metric (for an alert) and written once to
 * the audit trail, so finance learns of a payout that is not in JDE.
 */
import { appendAudit } from '@mlc/mongo';
import type { Logger } from '@mlc/observability';
import type { FinancesApi } from '@mlc/sp-api';
import { settlementModel } from '@mlc/store';
import { type Connection, type Model, Schema } from 'mongoose';
import { Gauge, type Registry } from 'prom-client';
import type { PollTarget } from './settlement-poller.js';

interface GroupCheck {
  /** `<connection>:<groupId>` */
  _id: string;
  settlementId: string | null;
  reported: boolean;
  checkedAt: Date;
}

const groupCheckSchema = new Schema<GroupCheck>(
  {
    _id: { type: String, required: true },
    settlementId: { type: String, default: null },
    reported: { type: Boolean, required: true },
    checkedAt: { type: Date, required: true },
  },
  { collection: 'finance_group_checks', versionKey: false },
);

export function groupCheckModel(connection: Connection): Model<GroupCheck> {
  return (
    (connection.models.GroupCheck as Model<GroupCheck>) ?? connection.model('GroupCheck', groupCheckSchema)
  );
}

export interface FinancesWatchOptions {
  db: Connection;
  logger: Logger;
  registry: Registry;
  /** How long after a group's end its settlement report may take to appear. */
  graceMs: number;
  /** How far back groups are checked. */
  lookbackMs?: number;
  now?: () => Date;
}

export interface WatchResult {
  closedGroups: number;
  missing: Array<{ groupId: string; settlementId: string | null }>;
}

export class FinancesWatch {
  readonly #missing: Gauge<'region'>;
  /** Missing reports per `<connection>:<region>`, summed per region into the gauge. */
  readonly #counts = new Map<string, { region: string; missing: number }>();

  constructor(private readonly options: FinancesWatchOptions) {
    this.#missing = new Gauge({
      name: 'mlc_ingest_settlement_reports_missing',
      help: 'Closed payouts (financial event groups) past the grace period whose settlement report has not arrived.',
      labelNames: ['region'],
      registers: [options.registry],
    });
  }

  async check(target: PollTarget, finances: FinancesApi): Promise<WatchResult> {
    const { db, graceMs } = this.options;
    const now = this.options.now?.() ?? new Date();
    const startedAfter = new Date(
      now.getTime() - (this.options.lookbackMs ?? 60 * 24 * 3600_000),
    ).toISOString();
    const result: WatchResult = { closedGroups: 0, missing: [] };

    for await (const group of finances.listFinancialEventGroups({ startedAfter })) {
      const groupId = group.FinancialEventGroupId;
      const end = Date.parse(group.FinancialEventGroupEnd ?? group.FundTransferDate ?? '');
      if (
        !groupId ||
        group.ProcessingStatus !== 'Closed' ||
        Number.isNaN(end) ||
        now.getTime() - end < graceMs
      )
        continue;
      result.closedGroups++;
      const id = `${target.connectionId}:${groupId}`;
      const known = await groupCheckModel(db).findById(id).lean().exec();
      const settlementId = known?.settlementId ?? (await settlementOfGroup(finances, groupId));
      const recorded =
        settlementId !== null &&
        (await settlementModel(db).exists({ connectionId: target.connectionId, settlementId }).exec()) !==
          null;
      if (recorded) {
        await groupCheckModel(db)
          .updateOne(
            { _id: id },
            { $set: { settlementId, reported: false, checkedAt: now } },
            { upsert: true },
          )
          .exec();
        continue;
      }
      result.missing.push({ groupId, settlementId });
      if (!known?.reported) {
        await appendAudit(db, {
          actor: 'amazon-ingest',
          action: 'settlement.report-missing',
          connectionId: target.connectionId,
          ...(settlementId ? { settlementId } : {}),
          detail: {
            financialEventGroupId: groupId,
            groupEnd: new Date(end).toISOString(),
            region: target.region,
          },
        });
        this.options.logger.warn(
          { connectionId: target.connectionId, groupId, settlementId },
          'closed payout without its settlement report',
        );
      }
      await groupCheckModel(db)
        .updateOne({ _id: id }, { $set: { settlementId, reported: true, checkedAt: now } }, { upsert: true })
        .exec();
    }
    this.#counts.set(`${target.connectionId}:${target.region}`, {
      region: target.region,
      missing: result.missing.length,
    });
    let regionTotal = 0;
    for (const count of this.#counts.values())
      if (count.region === target.region) regionTotal += count.missing;
    this.#missing.set({ region: target.region }, regionTotal);
    return result;
  }
}

async function settlementOfGroup(finances: FinancesApi, groupId: string): Promise<string | null> {
  for await (const transaction of finances.listTransactions({
    relatedIdentifierName: 'FINANCIAL_EVENT_GROUP_ID',
    relatedIdentifierValue: groupId,
  })) {
    const settlement = transaction.relatedIdentifiers?.find(
      (r) => r.relatedIdentifierName === 'SETTLEMENT_ID',
    );
    if (settlement?.relatedIdentifierValue) return settlement.relatedIdentifierValue;
  }
  return null;
}
