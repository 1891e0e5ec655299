// Original file: mlc/tokenbroker/v1/token_broker.proto


export interface ListConnectionsRequest {
}

export interface ListConnectionsRequest__Output {
}
