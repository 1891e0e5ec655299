// Original file: mlc/tokenbroker/v1/token_broker.proto

import type { AmazonCredentials as _mlc_tokenbroker_v1_AmazonCredentials, AmazonCredentials__Output as _mlc_tokenbroker_v1_AmazonCredentials__Output } from '../../../mlc/tokenbroker/v1/AmazonCredentials.js';
import type { JdeCredentials as _mlc_tokenbroker_v1_JdeCredentials, JdeCredentials__Output as _mlc_tokenbroker_v1_JdeCredentials__Output } from '../../../mlc/tokenbroker/v1/JdeCredentials.js';

export interface UpdateConnectionRequest {
  'connection_id'?: (string);
  'display_name'?: (string);
  'amazon'?: (_mlc_tokenbroker_v1_AmazonCredentials | null);
  'jde'?: (_mlc_tokenbroker_v1_JdeCredentials | null);
}

export interface UpdateConnectionRequest__Output {
  'connection_id': (string);
  'display_name': (string);
  'amazon': (_mlc_tokenbroker_v1_AmazonCredentials__Output | null);
  'jde': (_mlc_tokenbroker_v1_JdeCredentials__Output | null);
}
