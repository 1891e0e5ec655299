/**
 * Each connection's item settings (libs/store item-settings), read from MongoDB and reused for a
 * short while, so an operator's `mlc items configure` takes effect within `refreshMs` without a
 * restart. When a connection's settings version changes, its cached JDE answers are dropped.
 */
import { currentItemSettings, type ItemSettings } from '@mlc/store';
import type { Connection } from 'mongoose';

export class ItemSettingsCache {
  readonly #entries = new Map<
    string,
    { at: number; value: Promise<{ version: number; settings: ItemSettings }> }
  >();

  constructor(
    private readonly db: Connection,
    private readonly refreshMs: number,
    private readonly onChange: (connectionId: string) => void = () => {},
    private readonly now: () => number = Date.now,
  ) {}

  async get(connectionId: string): Promise<{ version: number; settings: ItemSettings }> {
    const entry = this.#entries.get(connectionId);
    if (entry && this.now() - entry.at <= this.refreshMs) return entry.value;
    const previous = entry ? await entry.value.catch(() => null) : null;
    const value = currentItemSettings(this.db, connectionId);
    this.#entries.set(connectionId, { at: this.now(), value });
    value.catch(() => this.#entries.delete(connectionId));
    const current = await value;
    if (previous && previous.version !== current.version) this.onChange(connectionId);
    return current;
  }
}
