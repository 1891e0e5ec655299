/**
 * @mlc/sim-amazon-sp-api: the SP-API simulator (build it in-process with buildSimulatorApp) and the
 * realistic settlement generator that seeds it, also used by tests and benchmarks elsewhere.
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
export { type Faults, type SeedInput, SimState, type SimulatorOptions } from './state.js';
