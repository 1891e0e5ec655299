// Original file: mlc/tokenbroker/v1/token_broker.proto


export interface ReportInvalidTokenResponse {
  'refreshed'?: (boolean);
}

export interface ReportInvalidTokenResponse__Output {
  'refreshed': (boolean);
}
