/**
 * @mlc/sim-amazon-sp-api: the SP-API simulator (build it in-process with buildSimulatorApp), the
 * realistic settlement generator that seeds it, also used by tests and benchmarks elsewhere, and the
 * deterministic listings generator.
 */
export { buildSimulatorApp, SIM_USAGE_PLANS, type Simulator } from './app.js';
export { type ReadSettlement, readSettlementFlatFile } from './flat-file.js';
export {
  type GeneratedSettlementSummary,
  type GeneratorMarketplace,
  generateSettlementFile,
  generateSettlementSeries,
  SETTLEMENT_V2_HEADERS,
  type SettlementGeneratorOptions,
  settlementLines,
  writeSettlementFile,
} from './generator.js';
export { INVENTORY_NEXT_TOKEN_TTL_MS } from './inventory.js';
export { LISTINGS_SEARCH_CAP } from './listings.js';
export { generateListings, type ListingsGeneratorOptions } from './listings-generator.js';
export {
  type ListingStatus,
  ListingsStore,
  type ListingUpdate,
  type SearchRecord,
  type SeedListing,
  type SeedListingsInput,
  type SeedStock,
  type StoredListing,
  type StoredStock,
} from './listings-store.js';
export { type Faults, type SeedInput, SimState, type SimulatorOptions } from './state.js';
