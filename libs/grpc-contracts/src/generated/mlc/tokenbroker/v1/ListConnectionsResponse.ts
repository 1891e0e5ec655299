// Original file: mlc/tokenbroker/v1/token_broker.proto

import type { Connection as _mlc_tokenbroker_v1_Connection, Connection__Output as _mlc_tokenbroker_v1_Connection__Output } from '../../../mlc/tokenbroker/v1/Connection.js';

export interface ListConnectionsResponse {
  'connections'?: (_mlc_tokenbroker_v1_Connection)[];
}

export interface ListConnectionsResponse__Output {
  'connections': (_mlc_tokenbroker_v1_Connection__Output)[];
}
