// Original file: mlc/tokenbroker/v1/token_broker.proto


export interface AmazonCredentials {
  'lwa_client_id'?: (string);
  'lwa_client_secret'?: (string);
  'refresh_token'?: (string);
  'regions'?: (string)[];
  'marketplace_ids'?: (string)[];
  'lwa_endpoint'?: (string);
  'sp_api_endpoint'?: (string);
  'seller_id'?: (string);
}

export interface AmazonCredentials__Output {
  'lwa_client_id': (string);
  'lwa_client_secret': (string);
  'refresh_token': (string);
  'regions': (string)[];
  'marketplace_ids': (string)[];
  'lwa_endpoint': (string);
  'sp_api_endpoint': (string);
  'seller_id': (string);
}
