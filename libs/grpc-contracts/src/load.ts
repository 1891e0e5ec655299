/**
 * Loads the gRPC service definitions from proto/ at run time, with the same options the type
 * generator uses (proto/generate.sh), so the generated types describe exactly what is loaded.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { ProtoGrpcType as HealthProto } from './generated/health.js';
import type { ProtoGrpcType as TokenBrokerProto } from './generated/token_broker.js';

export const protoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../proto');

const loaderOptions: protoLoader.Options = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [protoRoot],
};

function load<T>(file: string): T {
  const definition = protoLoader.loadSync(file, loaderOptions);
  return grpc.loadPackageDefinition(definition) as unknown as T;
}

export function loadTokenBrokerProto(): TokenBrokerProto {
  return load<TokenBrokerProto>('mlc/tokenbroker/v1/token_broker.proto');
}

export function loadHealthProto(): HealthProto {
  return load<HealthProto>('grpc/health/v1/health.proto');
}
