// Original file: mlc/tokenbroker/v1/token_broker.proto

import type { Long } from '@grpc/proto-loader';

export interface JdeSession {
  'token'?: (string);
  'ais_base_url'?: (string);
  'device_name'?: (string);
  'expires_at_ms'?: (number | string | Long);
}

export interface JdeSession__Output {
  'token': (string);
  'ais_base_url': (string);
  'device_name': (string);
  'expires_at_ms': (string);
}
