// Original file: mlc/tokenbroker/v1/token_broker.proto


export interface ReportInvalidTokenRequest {
  'connection_id'?: (string);
  'token'?: (string);
  'region'?: (string);
}

export interface ReportInvalidTokenRequest__Output {
  'connection_id': (string);
  'token': (string);
  'region': (string);
}
