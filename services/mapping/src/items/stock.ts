/**
 * One FBA stock event → the SKU's latest stock figures in its item state. Events of one SKU arrive
 * in order on one partition; an older figure (a replay, or a full pass overtaken by an incremental
 * one) never overwrites a newer one, judged by Amazon's lastUpdatedTime, else the event time.
 */
import type { StockV1 } from '@mlc/events';
import { getItemState, type ItemStock, updateItemState } from '@mlc/store';
import type { Connection } from 'mongoose';

export async function handleStock(stock: StockV1, db: Connection): Promise<'stored' | 'older'> {
  const key = { connectionId: stock.connectionId, marketplaceId: stock.marketplaceId, sku: stock.sku };
  const asOf = new Date(stock.lastUpdatedTime ?? stock.emittedAt);
  const existing = await getItemState(db, key);
  const storedAsOf = existing?.stock
    ? (existing.stock.lastUpdatedTime ?? existing.stock.receivedAt)
    : undefined;
  if (storedAsOf && new Date(storedAsOf).getTime() > asOf.getTime()) return 'older';
  const figures: ItemStock = {
    fulfillable: stock.fulfillable,
    inbound: stock.inboundWorking + stock.inboundShipped + stock.inboundReceiving,
    inboundWorking: stock.inboundWorking,
    inboundShipped: stock.inboundShipped,
    inboundReceiving: stock.inboundReceiving,
    reserved: stock.reserved,
    unfulfillable: stock.unfulfillable,
    researching: stock.researching,
    total: stock.total,
    receivedAt: new Date(stock.emittedAt),
  };
  if (stock.lastUpdatedTime) figures.lastUpdatedTime = new Date(stock.lastUpdatedTime);
  const set: Parameters<typeof updateItemState>[2] = { stock: figures };
  if (stock.asin) set.asin = stock.asin;
  if (stock.fnSku) set.fnSku = stock.fnSku;
  await updateItemState(db, key, set);
  return 'stored';
}
