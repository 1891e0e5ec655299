export { buildAdminApp, type AdminAppOptions, type ReadinessCheck } from './admin-app.js';
export { Lifecycle } from './lifecycle.js';
export {
  runServiceProcess,
  startService,
  type RunningService,
  type ServiceContext,
  type ServiceDefinition,
} from './run-service.js';
