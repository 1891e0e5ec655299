/**
 * Splits a line into its tab-separated fields for the reader, which does this a million times for a large
 * report. Cheaper than `text.split('\t')`: the array is allocated once and reused, and only the columns the
 * layout reads are sliced out (order-item-code, promotion-id and unknown extra columns stay ''), so a line
 * costs one indexOf per tab and one substring per column read.
 */
import type { Layout } from './layout.js';

export class FieldSplitter {
  /** The last line's fields; overwritten by the next split(), so a caller that keeps them must copy. */
  private readonly fields: string[];
  /** 1 for a column the reader reads. */
  private readonly read: Uint8Array;

  constructor(
    readonly width: number,
    readColumns: Iterable<number>,
  ) {
    this.fields = new Array<string>(width).fill('');
    this.read = new Uint8Array(width);
    for (const index of readColumns) if (index >= 0 && index < width) this.read[index] = 1;
  }

  /**
   * The line's fields, the unread columns left '' (the same array each time), or, when the line does not
   * have `width` fields, how many it has.
   */
  split(text: string): string[] | number {
    const fields = this.fields;
    const read = this.read;
    const last = this.width - 1;
    let start = 0;
    for (let i = 0; i < last; i++) {
      const tab = text.indexOf('\t', start);
      if (tab === -1) return i + 1;
      if (read[i] === 1) fields[i] = text.slice(start, tab);
      start = tab + 1;
    }
    if (text.indexOf('\t', start) !== -1) return text.split('\t').length;
    if (read[last] === 1) fields[last] = start === 0 ? text : text.slice(start);
    return fields;
  }
}

/**
 * Every column index the reader looks at for this layout: those it checks, and with `rows` those it only
 * copies into the rows it builds.
 */
export function readColumns(layout: Layout, { rows }: { rows: boolean }): number[] {
  const checked = [
    layout.settlementId,
    layout.startDate,
    layout.endDate,
    layout.depositDate,
    layout.totalAmount,
    layout.currency,
    layout.postedDate,
    layout.postedDateTime,
    layout.quantity,
    layout.amount,
    ...layout.legacyAmounts.map((column) => column.index),
  ];
  const copied = rows
    ? [
        layout.transactionType,
        layout.orderId,
        layout.merchantOrderId,
        layout.adjustmentId,
        layout.shipmentId,
        layout.marketplace,
        layout.fulfillmentId,
        layout.sku,
        layout.amountType,
        layout.amountDescription,
        ...layout.legacyAmounts.map((column) => column.descriptionIndex),
      ]
    : [];
  return [...checked, ...copied].filter((index) => index !== -1);
}
