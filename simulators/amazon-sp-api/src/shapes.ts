/**
 * The JSON Amazon's APIs answer with, built from a settlement's derived events and orders. Shapes and
 * property names follow the official models (test/conformance.test.ts checks them): Finances v0 in
 * PascalCase with numeric `CurrencyAmount`, Finances 2024-06-19 in camelCase, Orders v0 with string
 * `Amount`, Orders 2026-01-01 with string `amount`.
 */
import { formatMinor } from '@mlc/money';
import { amountNumber, type DerivedOrder, type SettlementEvent, stableId } from './derive.js';
import type { SettlementRow } from './flat-file.js';

export interface SettlementContext {
  settlementId: string;
  financialEventGroupId: string;
  marketplaceId: string;
  currency: string;
}

type Json = Record<string, unknown>;

const money = (minor: bigint, currency: string): Json => ({
  CurrencyCode: currency,
  CurrencyAmount: amountNumber(minor, currency),
});

/** Finances v0 `FinancialEvents` for a slice of a settlement's events. */
export function financialEvents(events: SettlementEvent[], currency: string): Json {
  const lists: Record<string, Json[]> = {
    ShipmentEventList: [],
    RefundEventList: [],
    GuaranteeClaimEventList: [],
    ChargebackEventList: [],
    ServiceFeeEventList: [],
    AdjustmentEventList: [],
    SAFETReimbursementEventList: [],
  };
  for (const event of events) {
    if (event.kind === 'Shipment' || event.kind === 'Refund' || event.kind === 'Chargeback') {
      const adjustment = event.kind !== 'Shipment';
      const list = event.kind === 'Shipment' ? 'ShipmentEventList' : `${event.kind}EventList`;
      lists[list]!.push({
        AmazonOrderId: event.orderId,
        SellerOrderId: event.merchantOrderId ?? undefined,
        MarketplaceName: event.marketplace ?? undefined,
        PostedDate: event.postedAt,
        [adjustment ? 'ShipmentItemAdjustmentList' : 'ShipmentItemList']: shipmentItems(
          event.rows,
          currency,
          adjustment,
        ),
      });
      continue;
    }
    const row = event.rows[0]!;
    if (event.kind === 'ServiceFee') {
      lists.ServiceFeeEventList!.push({
        FeeDescription: row.amountDescription,
        FeeList: [{ FeeType: feeTypeOf(row.amountDescription), FeeAmount: money(row.amount, currency) }],
      });
    } else if (event.kind === 'SAFETReimbursement') {
      lists.SAFETReimbursementEventList!.push({
        PostedDate: event.postedAt,
        SAFETClaimId: stableId(String(row.rowNumber), row.orderId ?? '').slice(0, 10),
        ReimbursedAmount: money(row.amount, currency),
        ReasonCode: 'Damaged',
      });
    } else {
      lists.AdjustmentEventList!.push({
        AdjustmentType: row.amountDescription,
        PostedDate: event.postedAt,
        AdjustmentAmount: money(row.amount, currency),
        ...(row.sku
          ? {
              AdjustmentItemList: [
                {
                  Quantity: String(row.quantity ?? 1),
                  SellerSKU: row.sku,
                  TotalAmount: money(row.amount, currency),
                },
              ],
            }
          : {}),
      });
    }
  }
  return lists;
}

function feeTypeOf(description: string): string {
  if (description === 'Subscription Fee') return 'Subscription';
  return 'FBAStorageFee';
}

function shipmentItems(rows: SettlementRow[], currency: string, adjustment: boolean): Json[] {
  const items = new Map<string, Json & { lists: Record<string, Json[]> }>();
  for (const row of rows) {
    const key = row.orderItemCode ?? row.sku ?? '';
    let item = items.get(key);
    if (!item) {
      item = {
        SellerSKU: row.sku ?? undefined,
        OrderItemId: row.orderItemCode ?? undefined,
        ...(adjustment ? { OrderAdjustmentItemId: row.merchantAdjustmentItemId ?? undefined } : {}),
        QuantityShipped: row.quantity ?? undefined,
        lists: {},
      };
      items.set(key, item);
    }
    const suffix = adjustment ? 'AdjustmentList' : 'List';
    const add = (list: string, entry: Json) => {
      item.lists[list] ??= [];
      item.lists[list].push(entry);
    };
    const amount = money(row.amount, currency);
    if (row.amountType === 'ItemPrice')
      add(`ItemCharge${suffix}`, { ChargeType: row.amountDescription, ChargeAmount: amount });
    else if (row.amountType === 'Promotion') {
      add(`Promotion${suffix}`, {
        PromotionType: row.amountDescription,
        PromotionId: '',
        PromotionAmount: amount,
      });
    } else if (row.amountType === 'ItemWithheldTax') {
      add('ItemTaxWithheldList', {
        TaxCollectionModel: 'MarketplaceFacilitator',
        TaxesWithheld: [{ ChargeType: row.amountDescription, ChargeAmount: amount }],
      });
    } else add(`ItemFee${suffix}`, { FeeType: row.amountDescription, FeeAmount: amount });
  }
  return [...items.values()].map(({ lists, ...item }) => ({ ...item, ...lists }));
}

/** Finances 2024-06-19 `Transaction` for one event. */
export function transaction(event: SettlementEvent, context: SettlementContext, index: number): Json {
  const { currency } = context;
  const amount = (minor: bigint) => ({
    currencyCode: currency,
    currencyAmount: amountNumber(minor, currency),
  });
  const byType = new Map<string, SettlementRow[]>();
  for (const row of event.rows) {
    const list = byType.get(row.amountType) ?? [];
    list.push(row);
    byType.set(row.amountType, list);
  }
  return {
    sellingPartnerMetadata: { accountType: 'Standard Orders', marketplaceId: context.marketplaceId },
    relatedIdentifiers: [
      ...(event.orderId
        ? [{ relatedIdentifierName: 'ORDER_ID', relatedIdentifierValue: event.orderId }]
        : []),
      {
        relatedIdentifierName: 'FINANCIAL_EVENT_GROUP_ID',
        relatedIdentifierValue: context.financialEventGroupId,
      },
      { relatedIdentifierName: 'SETTLEMENT_ID', relatedIdentifierValue: context.settlementId },
    ],
    transactionType: event.kind,
    transactionId: stableId(context.settlementId, String(index)),
    transactionStatus: 'RELEASED',
    description: event.rows.length === 1 ? event.rows[0]!.amountDescription : event.transactionType,
    postedDate: event.postedAt,
    totalAmount: amount(event.total),
    marketplaceDetails: {
      marketplaceId: context.marketplaceId,
      marketplaceName: event.marketplace ?? undefined,
    },
    breakdowns: [...byType].map(([type, rows]) => ({
      breakdownType: type,
      breakdownAmount: amount(rows.reduce((sum, r) => sum + r.amount, 0n)),
      breakdowns: rows.map((r) => ({
        breakdownType: r.amountDescription,
        breakdownAmount: amount(r.amount),
      })),
    })),
  };
}

/** Orders v0 `Order`. */
export function orderV0(order: DerivedOrder): Json {
  return {
    AmazonOrderId: order.orderId,
    SellerOrderId: order.merchantOrderId ?? undefined,
    PurchaseDate: order.purchaseDate,
    LastUpdateDate: order.lastUpdateDate,
    OrderStatus: 'Shipped',
    FulfillmentChannel: order.fulfilledByAmazon ? 'AFN' : 'MFN',
    SalesChannel: order.marketplaceName ?? undefined,
    OrderTotal: { CurrencyCode: order.currency, Amount: formatMinor(order.total, order.currency) },
    MarketplaceId: order.marketplaceId,
    NumberOfItemsShipped: order.items.reduce((sum, i) => sum + i.quantity, 0),
    NumberOfItemsUnshipped: 0,
  };
}

/** Orders 2026-01-01 `Order` (PROCEEDS and FULFILLMENT included when asked). */
export function orderV2026(order: DerivedOrder, included: ReadonlySet<string>): Json {
  return {
    orderId: order.orderId,
    createdTime: order.purchaseDate,
    lastUpdatedTime: order.lastUpdateDate,
    salesChannel: {
      channelName: 'AMAZON',
      marketplaceId: order.marketplaceId,
      marketplaceName: order.marketplaceName ?? undefined,
    },
    ...(included.has('FULFILLMENT')
      ? {
          fulfillment: {
            fulfillmentStatus: 'SHIPPED',
            fulfilledBy: order.fulfilledByAmazon ? 'AMAZON' : 'MERCHANT',
          },
        }
      : {}),
    ...(included.has('PROCEEDS')
      ? {
          proceeds: {
            grandTotal: { amount: formatMinor(order.total, order.currency), currencyCode: order.currency },
          },
        }
      : {}),
    orderItems: order.items.map((item) => ({
      orderItemId: item.orderItemId,
      quantityOrdered: item.quantity,
      product: { sellerSku: item.sku ?? undefined },
    })),
  };
}
