/**
 * The standard gRPC health service, so Kubernetes' gRPC probe and operators' tools can ask the
 * token-broker whether it serves. It answers SERVING only while the service is accepting calls.
 */

import * as grpc from '@grpc/grpc-js';
import type { HealthHandlers } from '@mlc/grpc-contracts';

export function healthHandlers(isServing: () => boolean): HealthHandlers {
  return {
    Check(_call, callback) {
      callback(null, { status: isServing() ? 'SERVING' : 'NOT_SERVING' });
    },
    Watch(call) {
      call.emit('error', { code: grpc.status.UNIMPLEMENTED, details: 'Watch is not supported; poll Check' });
    },
  };
}
