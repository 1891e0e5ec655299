export { type AdminAppOptions, buildAdminApp, type ReadinessCheck } from './admin-app.js';
export { Lifecycle } from './lifecycle.js';
export { type KafkaResources, useKafka, useMongo, useTokenBroker } from './resources.js';
export {
  type RunningService,
  runServiceProcess,
  type ServiceContext,
  type ServiceDefinition,
  StoppedDuringStartUp,
  startService,
} from './run-service.js';
