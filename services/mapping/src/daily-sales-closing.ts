/**
 * When a day of sales is final, and what to post for it.
 *
 * - A day is the marketplace-local calendar day of the order's purchase date, in the time zone the
 *   connection's settings give the marketplace (Amazon's timestamps are UTC; the day boundary is
 *   ours to choose — docs/architecture.md).
 * - The day is closed once it has ended in that time zone and the grace for late order updates
 *   has passed. Only closed days are posted.
 * - The first posting of a day (adjustment 0) carries the day's total; if orders of a posted day
 *   change later, adjustment n carries only the difference between the day's total now and all
 *   that was posted before — never a second full posting. A day whose total is still zero posts
 *   nothing until it is not.
 */
import type { DailySalesMarketplace, DailySalesSettings } from '@mlc/store';

/** The calendar day (YYYY-MM-DD) an instant falls on in a time zone. */
export function localDay(instant: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/** Milliseconds the zone's wall clock is ahead of UTC at an instant. */
function zoneOffsetMs(instant: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const wall = Date.UTC(
    Number(parts.year),
    Number(parts.month) - 1,
    Number(parts.day),
    Number(parts.hour),
    Number(parts.minute),
    Number(parts.second),
  );
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The instant a local day ends (the next day's local midnight), across daylight-saving changes. */
export function dayEnd(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const midnightAsUtc = Date.UTC(y, m - 1, d + 1);
  let guess = midnightAsUtc - zoneOffsetMs(new Date(midnightAsUtc), timeZone);
  // A second pass settles a guess that landed on the other side of an offset change.
  guess = midnightAsUtc - zoneOffsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

/** Closed: the local day has ended and the grace for late order updates has passed. */
export function isDayClosed(day: string, timeZone: string, graceMinutes: number, now: Date): boolean {
  return now.getTime() >= dayEnd(day, timeZone).getTime() + graceMinutes * 60_000;
}

/** The oldest day still adjusted: `windowDays` days before today in the zone. */
export function oldestAdjustableDay(now: Date, timeZone: string, windowDays: number): string {
  return localDay(new Date(now.getTime() - windowDays * 86_400_000), timeZone);
}

export interface PostedPart {
  adjustment: number;
  amountMinor: bigint;
}

/** What the day still needs: the next adjustment and its amount, or null when posted in full. */
export function nextPosting(dayTotalMinor: bigint, posted: readonly PostedPart[]): PostedPart | null {
  const sum = posted.reduce((total, part) => total + part.amountMinor, 0n);
  const difference = dayTotalMinor - sum;
  if (difference === 0n) return null;
  const adjustment = posted.reduce((max, part) => Math.max(max, part.adjustment + 1), 0);
  return { adjustment, amountMinor: difference };
}

export interface DayKey {
  connectionId: string;
  marketplaceId: string;
  currency: string;
  day: string;
}

/** Deterministic per (connection, marketplace, currency, day, adjustment). */
export function dailySalesJobId(key: DayKey, adjustment: number): string {
  const base = `ds:${key.connectionId}:${key.marketplaceId}:${key.currency}:${key.day}`;
  return adjustment === 0 ? base : `${base}:adj${adjustment}`;
}

/** 30 characters at most (EXA). */
export function memoExplanation(day: string, adjustment: number): string {
  return adjustment === 0 ? `Amazon sales ${day}` : `Amazon sales ${day} adj ${adjustment}`.slice(0, 30);
}

/**
 * The memo lines: the sales as a credit on the memo account (how the AA ledger will hold the same
 * sales once the settlement posts, so the two ledgers compare line for line), and — when the
 * settings give an offset account because the memo ledger is required to balance — the debit on it.
 */
export function memoLines(
  market: DailySalesMarketplace,
  amountMinor: bigint,
): Array<{ account: string; amountMinor: bigint; explanation: string }> {
  const explanation = `${market.marketplaceId} ${market.currency}`.slice(0, 30);
  const lines = [{ account: market.account, amountMinor: -amountMinor, explanation }];
  if (market.offsetAccount) lines.push({ account: market.offsetAccount, amountMinor, explanation });
  return lines;
}

export function marketOf(
  settings: DailySalesSettings,
  marketplaceId: string,
  currency: string,
): DailySalesMarketplace | undefined {
  return settings.marketplaces.find((m) => m.marketplaceId === marketplaceId && m.currency === currency);
}
