// Original file: mlc/tokenbroker/v1/token_broker.proto


export interface GetConnectionRequest {
  'connection_id'?: (string);
}

export interface GetConnectionRequest__Output {
  'connection_id': (string);
}
