/**
 * The events the services exchange over Kafka: topic names, partition counts and payload schemas.
 *
 * Topics are named by the data they carry and versioned (`.v1`); each consumed topic has a
 * dead-letter twin (`<topic>.dlt`) created next to it. Keys are the entity the event is about, so
 * every event of one settlement lands on one partition in order. Large payloads (raw reports) stay
 * in MongoDB; events carry references, counts, totals and checksums. Amounts travel as decimal
 * strings in the currency's major unit ("-1234.50"), never as JSON numbers.
 */
import { z } from 'zod';

const decimalString = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string like "-1234.50"');
const isoInstant = z.string().datetime({ offset: true });
const currency = z.string().regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code');

export const settlementAvailableV1 = z.object({
  connectionId: z.string().min(1),
  region: z.enum(['NA', 'EU', 'FE']),
  settlementId: z.string().min(1),
  reportId: z.string().min(1).nullable(),
  /** Where the raw document is stored (the `raw_reports` collection id). */
  rawDocumentId: z.string().min(1),
  /** SHA-256 of the raw (uncompressed) document, hex. */
  checksum: z.string().regex(/^[0-9a-f]{64}$/),
  format: z.enum(['flat-file-v2', 'flat-file-legacy']),
  currency,
  startDate: isoInstant,
  endDate: isoInstant,
  depositDate: isoInstant,
  totalAmount: decimalString,
  rowCount: z.number().int().nonnegative(),
  emittedAt: isoInstant,
});
export type SettlementAvailableV1 = z.infer<typeof settlementAvailableV1>;

export const ordersV1 = z.object({
  connectionId: z.string().min(1),
  marketplaceId: z.string().min(1),
  orderId: z.string().min(1),
  status: z.string().min(1),
  purchaseDate: isoInstant,
  lastUpdateDate: isoInstant,
  currency,
  orderTotal: decimalString,
  emittedAt: isoInstant,
});
export type OrdersV1 = z.infer<typeof ordersV1>;

export const journalLineV1 = z.object({
  /** JDE account as BU.OBJ.SUB (business unit not padded). */
  account: z.string().min(1),
  subledger: z.string().optional(),
  subledgerType: z.string().optional(),
  amount: decimalString,
  explanation: z.string().max(30),
  /**
   * How many settlement rows made this line. Which rows is not carried: for a large settlement the
   * row ranges alone outgrow a Kafka message (measured: >1 MB past ~95,000 rows). The journal's
   * `source` (stored report + rule set version) reproduces them exactly; older producers may still
   * send `rowRanges` (1-based line ranges [from, to]).
   */
  lineage: z.object({
    rowCount: z.number().int().nonnegative(),
    rowRanges: z.array(z.tuple([z.number().int().positive(), z.number().int().positive()])).optional(),
  }),
});

export const journalProposedV1 = z.object({
  jobId: z.string().min(1),
  connectionId: z.string().min(1),
  settlementId: z.string().min(1),
  part: z.object({
    index: z.number().int().positive(),
    count: z.number().int().positive(),
    period: z.string(),
  }),
  company: z.string().min(1),
  documentType: z.string().min(1),
  glDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  currency,
  explanation: z.string().max(30),
  lines: z.array(journalLineV1).min(2),
  /** What the journal was computed from: re-mapping these gives the same lines and their row lineage. */
  source: z.object({ rawDocumentId: z.string().min(1), ruleSet: z.string().min(1) }).optional(),
  /** Repost generation (docs/operations.md "Reposting"); absent = 1, the first posting. */
  generation: z.number().int().min(2).optional(),
  /**
   * Set on a reversing entry: the posted job and JDE document it negates. Its lines are that job's,
   * negated, and `source` is that job's (re-mapping it gives the lines before negation).
   */
  reverses: z.object({ jobId: z.string().min(1), documentNumber: z.string().min(1) }).optional(),
  proposedAt: isoInstant,
});
export type JournalProposedV1 = z.infer<typeof journalProposedV1>;

/** An operator asked to repost a posted settlement (`mlc settlement repost`); the plan is in Mongo. */
export const settlementRepostRequestedV1 = z.object({
  connectionId: z.string().min(1),
  settlementId: z.string().min(1),
  /** 2 for the first repost; the request is `settlement_reposts` `<connection>:<settlement>:g<n>`. */
  generation: z.number().int().min(2),
  requestedAt: isoInstant,
});
export type SettlementRepostRequestedV1 = z.infer<typeof settlementRepostRequestedV1>;

export const journalPostedV1 = z.object({
  jobId: z.string().min(1),
  connectionId: z.string().min(1),
  settlementId: z.string().min(1),
  company: z.string().min(1),
  documentType: z.string().min(1),
  documentNumber: z.string().min(1),
  batchNumber: z.string().min(1),
  currency,
  /** Sum of the debit lines (the journal's size), as posted. */
  debitTotal: decimalString,
  postedAt: isoInstant,
});
export type JournalPostedV1 = z.infer<typeof journalPostedV1>;

export const listingV1 = z.object({
  connectionId: z.string().min(1),
  marketplaceId: z.string().min(1),
  /** The seller SKU exactly as Amazon returns it (never trimmed or case-folded). */
  sku: z.string().min(1),
  asin: z.string().min(1).optional(),
  fnSku: z.string().min(1).optional(),
  itemName: z.string().optional(),
  productType: z.string().optional(),
  /** `BUYABLE` / `DISCOVERABLE`; empty when the listing is neither. */
  status: z.array(z.string()),
  createdDate: isoInstant.optional(),
  lastUpdatedDate: isoInstant,
  /** Which kind of pass saw it: the lastUpdatedDate watermark or the periodic full pass. */
  pass: z.enum(['incremental', 'full']),
  emittedAt: isoInstant,
});
export type ListingV1 = z.infer<typeof listingV1>;

const quantity = z.number().int().nonnegative();

export const stockV1 = z.object({
  connectionId: z.string().min(1),
  marketplaceId: z.string().min(1),
  sku: z.string().min(1),
  asin: z.string().min(1).optional(),
  fnSku: z.string().min(1).optional(),
  fulfillable: quantity,
  inboundWorking: quantity,
  inboundShipped: quantity,
  inboundReceiving: quantity,
  reserved: quantity,
  unfulfillable: quantity,
  researching: quantity,
  total: quantity,
  lastUpdatedTime: isoInstant.optional(),
  pass: z.enum(['incremental', 'full']),
  emittedAt: isoInstant,
});
export type StockV1 = z.infer<typeof stockV1>;

/** A cross reference the mapping service wants added to a matched JDE item (F4104). */
export const itemCrossReferenceProposedV1 = z.object({
  /** Deterministic per (connection, item, type, value): the same reference is never written twice. */
  jobId: z.string().min(1),
  connectionId: z.string().min(1),
  marketplaceId: z.string().min(1),
  sku: z.string().min(1),
  /** JDE short item number (F4101.ITM). */
  itemNumber: z.string().min(1),
  /** What the value is on Amazon's side. */
  kind: z.enum(['asin', 'fnsku']),
  /** JDE cross-reference type (UDC 41/DT) configured for that kind. */
  crossReferenceType: z.string().min(1).max(2),
  /** F4104.CITM. */
  crossReferenceValue: z.string().min(1).max(25),
  /** F4104.AN8 configured for the connection / marketplace. */
  addressNumber: z.string().min(1),
  proposedAt: isoInstant,
});
export type ItemCrossReferenceProposedV1 = z.infer<typeof itemCrossReferenceProposedV1>;

/**
 * One day's sales of one marketplace and currency (or a later adjustment of it) to post to the
 * connection's JDE memo ledger through the memo orchestration (docs/jde-orchestration.md).
 * Adjustment 0 is the day's first posting; adjustment n > 0 carries only the difference.
 */
export const dailySalesProposedV1 = z.object({
  /** `ds:<connection>:<marketplace>:<currency>:<day>` plus `:adj<n>` for adjustment n. */
  jobId: z.string().min(1),
  connectionId: z.string().min(1),
  marketplaceId: z.string().min(1),
  currency,
  /** The marketplace-local calendar day (also the G/L date). */
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  adjustment: z.number().int().nonnegative(),
  company: z.string().min(1),
  documentType: z.string().min(1),
  /** The memo (statistical) ledger type, never AA. */
  ledgerType: z.string().min(1).max(2),
  explanation: z.string().max(30),
  /** One statistical line, or a balanced pair when the ledger is required to balance. */
  lines: z
    .array(z.object({ account: z.string().min(1), amount: decimalString, explanation: z.string().max(30) }))
    .min(1)
    .max(2),
  /** The day's sales as they stand after this posting (major units). */
  dayTotal: decimalString,
  orders: z.number().int().nonnegative(),
  proposedAt: isoInstant,
});
export type DailySalesProposedV1 = z.infer<typeof dailySalesProposedV1>;

export interface TopicSpec<T> {
  name: string;
  partitions: number;
  schema: z.ZodType<T>;
}

export const topics = {
  settlementAvailable: {
    name: 'amazon.settlement.available.v1',
    partitions: 6,
    schema: settlementAvailableV1,
  },
  orders: { name: 'amazon.orders.v1', partitions: 6, schema: ordersV1 },
  /** Keyed `<connection>:<marketplace>:<sku>`. */
  listings: { name: 'amazon.listing.v1', partitions: 6, schema: listingV1 },
  /** Keyed `<connection>:<marketplace>:<sku>`. */
  stock: { name: 'amazon.stock.v1', partitions: 6, schema: stockV1 },
  journalProposed: { name: 'ledger.journal.proposed.v1', partitions: 6, schema: journalProposedV1 },
  journalPosted: { name: 'ledger.journal.posted.v1', partitions: 6, schema: journalPostedV1 },
  /** Keyed `<connection>:<settlement>`, like the settlement's journals. */
  settlementRepostRequested: {
    name: 'ledger.settlement.repost.requested.v1',
    partitions: 6,
    schema: settlementRepostRequestedV1,
  },
  /** Keyed `<connection>:<marketplace>:<currency>:<day>`. */
  dailySalesProposed: { name: 'ledger.sales.daily.proposed.v1', partitions: 6, schema: dailySalesProposedV1 },
  /** Keyed `<connection>:<itemNumber>`. */
  itemCrossReferenceProposed: {
    name: 'jde.item.xref.proposed.v1',
    partitions: 6,
    schema: itemCrossReferenceProposedV1,
  },
} as const satisfies Record<string, TopicSpec<unknown>>;

/** Consumer groups, one per service and purpose. */
export const consumerGroups = {
  mapping: 'mlc.mapping',
  mappingOrders: 'mlc.mapping.orders',
  mappingReposts: 'mlc.mapping.reposts',
  mappingListings: 'mlc.mapping.listings',
  mappingStock: 'mlc.mapping.stock',
  jdePoster: 'mlc.jde-poster',
  jdePosterItems: 'mlc.jde-poster.items',
  jdePosterDailySales: 'mlc.jde-poster.daily-sales',
} as const;

export type Topics = typeof topics;
export type ConsumerGroups = { [K in keyof typeof consumerGroups]: string };

/**
 * Topic and group names inside a namespace (`MLC_KAFKA_NAMESPACE`), so that several installations
 * — or test runs — can share one Kafka cluster without seeing each other: "acme" gives
 * "acme.amazon.settlement.available.v1" and the group "acme.mlc.mapping". No namespace: the plain names.
 */
export function kafkaNames(namespace = ''): { topics: Topics; groups: ConsumerGroups } {
  const prefix = namespace ? `${namespace}.` : '';
  const named = Object.fromEntries(
    Object.entries(topics).map(([key, spec]) => [key, { ...spec, name: `${prefix}${spec.name}` }]),
  ) as Topics;
  const groups = Object.fromEntries(
    Object.entries(consumerGroups).map(([key, group]) => [key, `${prefix}${group}`]),
  ) as ConsumerGroups;
  return { topics: named, groups };
}
