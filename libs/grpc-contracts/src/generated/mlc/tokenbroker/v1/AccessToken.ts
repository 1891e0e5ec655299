// Original file: mlc/tokenbroker/v1/token_broker.proto

import type { Long } from '@grpc/proto-loader';

export interface AccessToken {
  'access_token'?: (string);
  'expires_at_ms'?: (number | string | Long);
}

export interface AccessToken__Output {
  'access_token': (string);
  'expires_at_ms': (string);
}
