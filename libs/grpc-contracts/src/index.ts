export type { HealthClient, HealthHandlers } from './generated/grpc/health/v1/Health.js';
export type { TokenBrokerClient, TokenBrokerHandlers } from './generated/mlc/tokenbroker/v1/TokenBroker.js';
export { loadHealthProto, loadTokenBrokerProto, protoRoot } from './load.js';
