// Original file: mlc/tokenbroker/v1/token_broker.proto


export interface GetAmazonAccessTokenRequest {
  'connection_id'?: (string);
  'region'?: (string);
}

export interface GetAmazonAccessTokenRequest__Output {
  'connection_id': (string);
  'region': (string);
}
