// Original file: mlc/tokenbroker/v1/token_broker.proto


export interface GetJdeSessionRequest {
  'connection_id'?: (string);
}

export interface GetJdeSessionRequest__Output {
  'connection_id': (string);
}
