/**
 * Proposes each closed day's sales (and later adjustments) for the JDE memo ledger, on
 * ledger.sales.daily.proposed.v1, for connections whose daily sales settings are enabled.
 *
 * Exactly one proposal per job id, however many mapping instances run and however often a day is
 * looked at: a proposal is recorded by inserting its job id into `daily_sales_proposals` (a
 * unique insert, atomic on FerretDB too) before it is published, and only the inserter publishes
 * it. One killed between the insert and the publish leaves the record `published: false`, and a
 * look at that day after `republishAfterMs` publishes it again (jde-poster posts a job id once, so
 * a second copy of a message is harmless). What was proposed, not what JDE answered, is what the next adjustment is
 * computed from; a rejected posting stays in the dead-letter topic for an operator.
 *
 * Days are looked at by a periodic sweep over every enabled connection's days inside its
 * adjustment window. A closed day is proposed once its summary has been quiet (unchanged) for
 * `quietMs` — so a burst of orders for past days (a first backfill, a catch-up after an outage)
 * is posted once it is complete, not as a partial day followed by adjustments.
 */
import type { DailySalesProposedV1, Topics } from '@mlc/events';
import type { EventPublisher } from '@mlc/kafka';
import { formatMinor, parseDecimalToMinor } from '@mlc/money';
import type { Logger } from '@mlc/observability';
import {
  type DailySalesProposal,
  type DailySalesSettings,
  dailySalesProposalModel,
  dailySalesSettingsModel,
  readDailySalesSettings,
} from '@mlc/store';
import type { Connection } from 'mongoose';
import { Counter, type Registry } from 'prom-client';
import { dailySalesModel } from './daily-sales.js';
import {
  type DayKey,
  dailySalesJobId,
  isDayClosed,
  marketOf,
  memoExplanation,
  memoLines,
  nextPosting,
  oldestAdjustableDay,
} from './daily-sales-closing.js';

// The proposals' model lives in @mlc/store because the CLI reads them too (`mlc daily-sales status`).
export { dailySalesProposalModel } from '@mlc/store';

export type ConsiderOutcome =
  | 'disabled'
  | 'unconfigured'
  | 'open'
  | 'settling'
  | 'outside-window'
  | 'settled'
  | 'proposed'
  | 'taken';

export interface DailySalesProposerOptions {
  db: Connection;
  publisher: EventPublisher;
  topics: Pick<Topics, 'dailySalesProposed'>;
  logger: Logger;
  registry?: Registry;
  now?: () => Date;
  /** How long a closed day's summary must be unchanged before it is proposed (0: no wait). */
  quietMs: number;
  /** How long a connection's settings are reused before they are read again. */
  settingsTtlMs?: number;
  /**
   * How old an unpublished proposal must be before another look publishes it (its own instance is
   * most likely publishing it right now); default 60 s.
   */
  republishAfterMs?: number;
}

export class DailySalesProposer {
  readonly #settings = new Map<string, { at: number; value: Promise<DailySalesSettings | null> }>();
  readonly #now: () => Date;
  readonly #proposed: Counter<'kind'> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<void> | undefined;

  constructor(private readonly options: DailySalesProposerOptions) {
    this.#now = options.now ?? (() => new Date());
    this.#proposed =
      options.registry &&
      new Counter({
        name: 'mlc_daily_sales_proposals_total',
        help: 'Daily sales memo postings proposed to jde-poster, by kind (day or adjustment).',
        labelNames: ['kind'],
        registers: [options.registry],
      });
  }

  /** The connection's settings (cached briefly; orders arrive far more often than settings change). */
  settingsFor(connectionId: string): Promise<DailySalesSettings | null> {
    const cached = this.#settings.get(connectionId);
    const ttl = this.options.settingsTtlMs ?? 30_000;
    if (cached && Date.now() - cached.at < ttl) return cached.value;
    const value = readDailySalesSettings(this.options.db, connectionId);
    value.catch(() => this.#settings.delete(connectionId));
    this.#settings.set(connectionId, { at: Date.now(), value });
    return value;
  }

  /** For DailySalesBook: the marketplace's time zone, UTC when the connection has no settings for it. */
  readonly timeZoneOf = async (connectionId: string, marketplaceId: string, currency: string) => {
    const settings = await this.settingsFor(connectionId);
    return (settings && marketOf(settings, marketplaceId, currency)?.timeZone) ?? 'UTC';
  };

  /** Looks at one day: proposes what it still needs if it is closed and its connection posts. */
  async consider(key: DayKey): Promise<ConsiderOutcome> {
    const settings = await this.settingsFor(key.connectionId);
    if (!settings?.enabled) return 'disabled';
    const market = marketOf(settings, key.marketplaceId, key.currency);
    if (!market) return 'unconfigured';
    const now = this.#now();
    if (!isDayClosed(key.day, market.timeZone, settings.graceMinutes, now)) return 'open';
    if (key.day < oldestAdjustableDay(now, market.timeZone, settings.adjustmentWindowDays))
      return 'outside-window';

    const { db } = this.options;
    const summary = await dailySalesModel(db)
      .findById(`${key.connectionId}:${key.day}:${key.marketplaceId}:${key.currency}`)
      .lean()
      .exec();
    const { quietMs } = this.options;
    if (summary && quietMs > 0 && now.getTime() - new Date(summary.updatedAt).getTime() < quietMs)
      return 'settling';
    const dayTotal = summary
      ? parseDecimalToMinor(summary.total, key.currency, { decimalSeparator: '.' })
      : 0n;
    const proposals = await dailySalesProposalModel(db)
      .find({
        connectionId: key.connectionId,
        marketplaceId: key.marketplaceId,
        currency: key.currency,
        day: key.day,
      })
      .lean()
      .exec();
    const republishAfter = this.options.republishAfterMs ?? 60_000;
    for (const proposal of proposals) {
      const age = now.getTime() - new Date(proposal.createdAt).getTime();
      if (!proposal.published && age >= republishAfter) await this.#publish(proposal);
    }

    const next = nextPosting(
      dayTotal,
      proposals.map((p) => ({ adjustment: p.adjustment, amountMinor: BigInt(p.amountMinor) })),
    );
    if (!next) return 'settled';
    const jobId = dailySalesJobId(key, next.adjustment);
    const event: DailySalesProposedV1 = {
      jobId,
      ...key,
      adjustment: next.adjustment,
      company: settings.company,
      documentType: settings.documentType,
      ledgerType: settings.ledgerType,
      explanation: memoExplanation(key.day, next.adjustment),
      lines: memoLines(market, next.amountMinor).map((line) => ({
        account: line.account,
        amount: formatMinor(line.amountMinor, key.currency),
        explanation: line.explanation,
      })),
      dayTotal: formatMinor(dayTotal, key.currency),
      orders: summary?.orders ?? 0,
      proposedAt: now.toISOString(),
    };
    const proposal: DailySalesProposal = {
      _id: jobId,
      ...key,
      adjustment: next.adjustment,
      amountMinor: next.amountMinor.toString(),
      event: JSON.stringify(event),
      published: false,
      createdAt: now,
    };
    try {
      await dailySalesProposalModel(db).create(proposal);
    } catch (error) {
      // Another instance proposed this adjustment first; it publishes it.
      if ((error as { code?: number }).code === 11000) return 'taken';
      throw error;
    }
    await this.#publish(proposal);
    this.#proposed?.inc({ kind: next.adjustment === 0 ? 'day' : 'adjustment' });
    this.options.logger.info(
      { jobId, day: key.day, marketplaceId: key.marketplaceId, adjustment: next.adjustment },
      'daily sales proposed for the memo ledger',
    );
    return 'proposed';
  }

  async #publish(proposal: DailySalesProposal): Promise<void> {
    const event = JSON.parse(proposal.event) as DailySalesProposedV1;
    const key = `${proposal.connectionId}:${proposal.marketplaceId}:${proposal.currency}:${proposal.day}`;
    await this.options.publisher.publish(this.options.topics.dailySalesProposed, key, event);
    await dailySalesProposalModel(this.options.db)
      .updateOne({ _id: proposal._id }, { $set: { published: true } })
      .exec();
  }

  /** Looks at every day inside the adjustment window of every enabled connection. */
  async sweep(): Promise<void> {
    const { db } = this.options;
    this.#settings.clear();
    const stored = await dailySalesSettingsModel(db).find({}, { _id: 1 }).lean().exec();
    for (const { _id: connectionId } of stored) {
      let settings: DailySalesSettings | null;
      try {
        settings = await this.settingsFor(connectionId);
      } catch (error) {
        this.options.logger.error({ err: error, connectionId }, 'daily sales settings are invalid; skipped');
        continue;
      }
      if (!settings?.enabled) continue;
      for (const market of settings.marketplaces) {
        const since = oldestAdjustableDay(this.#now(), market.timeZone, settings.adjustmentWindowDays);
        const days = await dailySalesModel(db)
          .find(
            {
              connectionId,
              marketplaceId: market.marketplaceId,
              currency: market.currency,
              day: { $gte: since },
            },
            { day: 1 },
          )
          .lean()
          .exec();
        for (const { day } of days) {
          await this.consider({
            connectionId,
            marketplaceId: market.marketplaceId,
            currency: market.currency,
            day,
          });
        }
      }
    }
  }

  /** Sweeps now and every `intervalMs`; a failed sweep is logged and tried again next time. */
  start(intervalMs: number): void {
    const run = () => {
      this.#sweeping ??= this.sweep()
        .catch((error) => this.options.logger.error({ err: error }, 'daily sales sweep failed'))
        .finally(() => {
          this.#sweeping = undefined;
        });
    };
    run();
    this.#timer = setInterval(run, intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#sweeping;
  }
}
