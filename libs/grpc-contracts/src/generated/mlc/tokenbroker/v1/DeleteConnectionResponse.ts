// Original file: mlc/tokenbroker/v1/token_broker.proto


export interface DeleteConnectionResponse {
  'deleted'?: (boolean);
}

export interface DeleteConnectionResponse__Output {
  'deleted': (boolean);
}
