/**
 * What a poller announced lately, per event key, so an incremental pass does not announce the same
 * listing or stock figure again. The overlap (MLC_ITEMS_OVERLAP_MS) re-reads everything that changed
 * in its window on every pass — with a short poll interval, every SKU of a busy catalogue every few
 * seconds — and the consumers then spend their time on copies. A copy is an event whose content
 * (everything but `emittedAt` and `pass`) equals the last one announced for its key.
 *
 * In memory only: after a restart the first pass announces its window once more, which consumers
 * absorb (they keep the latest per SKU). Full passes announce everything anyway: they are the
 * reconciliation. Entries older than the window are dropped at each pass, so memory holds at most
 * what changed within one overlap.
 */
export class RecentlyAnnounced {
  readonly #seen = new Map<string, { content: string; at: number }>();

  /** True when `value` differs from what was last announced under `key`. */
  isNew(key: string, value: { emittedAt: string; pass: string }): boolean {
    return this.#seen.get(key)?.content !== contentOf(value);
  }

  /** Records an announcement; `at` is the change's own time (lastUpdatedDate / lastUpdatedTime) in ms. */
  remember(key: string, value: { emittedAt: string; pass: string }, at: number): void {
    this.#seen.set(key, { content: contentOf(value), at });
  }

  /** Forgets announcements of changes older than `cutoff` (ms): the next pass no longer reads them. */
  forgetBefore(cutoff: number): void {
    for (const [key, entry] of this.#seen) if (!(entry.at >= cutoff)) this.#seen.delete(key);
  }

  get size(): number {
    return this.#seen.size;
  }
}

function contentOf(value: { emittedAt: string; pass: string }): string {
  const { emittedAt: _emittedAt, pass: _pass, ...content } = value;
  return JSON.stringify(content);
}
