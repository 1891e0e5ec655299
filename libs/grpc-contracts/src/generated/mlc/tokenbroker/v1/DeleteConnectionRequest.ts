// Original file: mlc/tokenbroker/v1/token_broker.proto


export interface DeleteConnectionRequest {
  'connection_id'?: (string);
}

export interface DeleteConnectionRequest__Output {
  'connection_id': (string);
}
