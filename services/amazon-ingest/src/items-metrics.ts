/**
 * Metrics of the listings and stock pollers. Labels are bounded: kind, marketplace id (a few dozen
 * exist), pass and outcome — never a SKU or a connection.
 */
import { Counter, type Registry } from 'prom-client';

export interface ItemsMetrics {
  /** Listings / stock summaries read and announced. */
  read: Counter<'kind' | 'marketplace' | 'pass'>;
  /** Passes by outcome (ok, failed). */
  passes: Counter<'kind' | 'pass' | 'outcome'>;
  /** Listings search windows split in halves because they held over 1,000 items. */
  windowsSplit: Counter<'marketplace'>;
  /** Windows that could not be split any further and were read only up to Amazon's 1,000 cap. */
  windowsTruncated: Counter<'marketplace'>;
  /** Stock passes started again because a nextToken was refused (expired). */
  restarts: Counter<'marketplace'>;
}

function counter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: L[],
): Counter<L> {
  return (
    (registry.getSingleMetric(name) as Counter<L> | undefined) ??
    new Counter({ name, help, labelNames, registers: [registry] })
  );
}

export function createItemsMetrics(registry: Registry): ItemsMetrics {
  return {
    read: counter(
      registry,
      'mlc_ingest_items_read_total',
      'Listings (kind=listing) and FBA stock summaries (kind=stock) read and announced, by marketplace and pass (incremental, full).',
      ['kind', 'marketplace', 'pass'],
    ),
    passes: counter(
      registry,
      'mlc_ingest_items_passes_total',
      'Listings and stock polling passes, by kind, pass and outcome (ok, failed).',
      ['kind', 'pass', 'outcome'],
    ),
    windowsSplit: counter(
      registry,
      'mlc_ingest_listings_windows_split_total',
      'Listings search windows split in halves because they matched more than the 1,000 items Amazon pages through.',
      ['marketplace'],
    ),
    windowsTruncated: counter(
      registry,
      'mlc_ingest_listings_windows_truncated_total',
      'Listings search windows over 1,000 items that could not be split further (one millisecond wide): only 1,000 were read.',
      ['marketplace'],
    ),
    restarts: counter(
      registry,
      'mlc_ingest_stock_pass_restarts_total',
      'FBA stock passes started again because Amazon refused a nextToken (expired after 30 seconds).',
      ['marketplace'],
    ),
  };
}
