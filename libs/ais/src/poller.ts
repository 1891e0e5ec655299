/**
 * Polls F0911 for rows changed since a point, by UPMJ (date updated). UPMJ has day granularity
 * and conditions on UPMT are UNCONFIRMED, so each poll re-reads the whole boundary day
 * (UPMJ >= that day) and drops rows already delivered. A row is identified by its stable key
 * (KCO|DCT|DOC|DGJ|JELN|EXTL|LT) plus its UPMJ/UPMT stamp, so a later update of the same row is
 * delivered again. The cursor is plain JSON for the caller to persist.
 */
import type { AisClient } from './client.js';
import type { Condition, LedgerRow } from './data-service.js';

export interface LedgerPollCursor {
  /** ISO date of the last UPMJ seen (the boundary day re-read on the next poll). */
  date: string;
  /** Identities already delivered on that day. */
  seen: string[];
}

export interface LedgerPollerOptions {
  client: AisClient;
  /** Where to start: a saved cursor, or just a date. */
  start: LedgerPollCursor | { date: string };
  /** Extra filters, e.g. [{column:'KCO', operator:'EQUAL', values:['00001']}]. */
  conditions?: Condition[];
  pageSize?: number;
}

export function pollIdentity(row: LedgerRow): string {
  return `${row.key}@${row.updatedDate ?? ''}T${String(row.updatedTime).padStart(6, '0')}`;
}

export class LedgerPoller {
  private state: LedgerPollCursor;

  constructor(private readonly options: LedgerPollerOptions) {
    this.state = { date: options.start.date, seen: 'seen' in options.start ? [...options.start.seen] : [] };
  }

  get cursor(): LedgerPollCursor {
    return { date: this.state.date, seen: [...this.state.seen] };
  }

  /** Rows changed since the last poll, oldest first. */
  async poll(): Promise<LedgerRow[]> {
    const { client } = this.options;
    const conditions: Condition[] = [
      { column: 'UPMJ', operator: 'GREATER_EQUAL', values: [await client.dateValue(this.state.date)] },
      ...(this.options.conditions ?? []),
    ];
    const rows = await client.readLedger(conditions, this.options.pageSize ?? 500, [
      { column: 'UPMJ' },
      { column: 'UPMT' },
    ]);
    const seen = new Set(this.state.seen);
    const fresh: LedgerRow[] = [];
    let lastDate = this.state.date;
    for (const row of rows) {
      if (!row.updatedDate) continue;
      if (row.updatedDate > lastDate) lastDate = row.updatedDate;
      const identity = pollIdentity(row);
      if (row.updatedDate === this.state.date && seen.has(identity)) continue;
      fresh.push(row);
    }
    const onLastDay = rows.filter((row) => row.updatedDate === lastDate).map(pollIdentity);
    this.state = {
      date: lastDate,
      seen: lastDate === this.state.date ? [...new Set([...this.state.seen, ...onLastDay])] : onLastDay,
    };
    fresh.sort((a, b) =>
      (a.updatedDate ?? '') === (b.updatedDate ?? '')
        ? a.updatedTime - b.updatedTime
        : (a.updatedDate ?? '') < (b.updatedDate ?? '')
          ? -1
          : 1,
    );
    return fresh;
  }
}
