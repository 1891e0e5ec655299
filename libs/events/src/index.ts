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
  proposedAt: isoInstant,
});
export type JournalProposedV1 = z.infer<typeof journalProposedV1>;

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
  mappingListings: 'mlc.mapping.listings',
  mappingStock: 'mlc.mapping.stock',
  jdePoster: 'mlc.jde-poster',
  jdePosterItems: 'mlc.jde-poster.items',
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
