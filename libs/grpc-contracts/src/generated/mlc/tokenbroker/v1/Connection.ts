// Original file: mlc/tokenbroker/v1/token_broker.proto

import type { Long } from '@grpc/proto-loader';

export interface Connection {
  'connection_id'?: (string);
  'display_name'?: (string);
  'regions'?: (string)[];
  'marketplace_ids'?: (string)[];
  'ais_base_url'?: (string);
  'jde_username'?: (string);
  'jde_environment'?: (string);
  'jde_role'?: (string);
  'key_id'?: (string);
  'updated_at_ms'?: (number | string | Long);
  'has_amazon'?: (boolean);
  'has_jde'?: (boolean);
  'lwa_endpoint'?: (string);
  'sp_api_endpoint'?: (string);
  'jde_device_name'?: (string);
  'jde_allow_insecure_http'?: (boolean);
  'amazon_seller_id'?: (string);
}

export interface Connection__Output {
  'connection_id': (string);
  'display_name': (string);
  'regions': (string)[];
  'marketplace_ids': (string)[];
  'ais_base_url': (string);
  'jde_username': (string);
  'jde_environment': (string);
  'jde_role': (string);
  'key_id': (string);
  'updated_at_ms': (string);
  'has_amazon': (boolean);
  'has_jde': (boolean);
  'lwa_endpoint': (string);
  'sp_api_endpoint': (string);
  'jde_device_name': (string);
  'jde_allow_insecure_http': (boolean);
  'amazon_seller_id': (string);
}
