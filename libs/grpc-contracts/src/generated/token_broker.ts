import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AccessToken as _mlc_tokenbroker_v1_AccessToken, AccessToken__Output as _mlc_tokenbroker_v1_AccessToken__Output } from './mlc/tokenbroker/v1/AccessToken.js';
import type { AmazonCredentials as _mlc_tokenbroker_v1_AmazonCredentials, AmazonCredentials__Output as _mlc_tokenbroker_v1_AmazonCredentials__Output } from './mlc/tokenbroker/v1/AmazonCredentials.js';
import type { Connection as _mlc_tokenbroker_v1_Connection, Connection__Output as _mlc_tokenbroker_v1_Connection__Output } from './mlc/tokenbroker/v1/Connection.js';
import type { CreateConnectionRequest as _mlc_tokenbroker_v1_CreateConnectionRequest, CreateConnectionRequest__Output as _mlc_tokenbroker_v1_CreateConnectionRequest__Output } from './mlc/tokenbroker/v1/CreateConnectionRequest.js';
import type { DeleteConnectionRequest as _mlc_tokenbroker_v1_DeleteConnectionRequest, DeleteConnectionRequest__Output as _mlc_tokenbroker_v1_DeleteConnectionRequest__Output } from './mlc/tokenbroker/v1/DeleteConnectionRequest.js';
import type { DeleteConnectionResponse as _mlc_tokenbroker_v1_DeleteConnectionResponse, DeleteConnectionResponse__Output as _mlc_tokenbroker_v1_DeleteConnectionResponse__Output } from './mlc/tokenbroker/v1/DeleteConnectionResponse.js';
import type { GetAmazonAccessTokenRequest as _mlc_tokenbroker_v1_GetAmazonAccessTokenRequest, GetAmazonAccessTokenRequest__Output as _mlc_tokenbroker_v1_GetAmazonAccessTokenRequest__Output } from './mlc/tokenbroker/v1/GetAmazonAccessTokenRequest.js';
import type { GetConnectionRequest as _mlc_tokenbroker_v1_GetConnectionRequest, GetConnectionRequest__Output as _mlc_tokenbroker_v1_GetConnectionRequest__Output } from './mlc/tokenbroker/v1/GetConnectionRequest.js';
import type { GetJdeSessionRequest as _mlc_tokenbroker_v1_GetJdeSessionRequest, GetJdeSessionRequest__Output as _mlc_tokenbroker_v1_GetJdeSessionRequest__Output } from './mlc/tokenbroker/v1/GetJdeSessionRequest.js';
import type { JdeCredentials as _mlc_tokenbroker_v1_JdeCredentials, JdeCredentials__Output as _mlc_tokenbroker_v1_JdeCredentials__Output } from './mlc/tokenbroker/v1/JdeCredentials.js';
import type { JdeSession as _mlc_tokenbroker_v1_JdeSession, JdeSession__Output as _mlc_tokenbroker_v1_JdeSession__Output } from './mlc/tokenbroker/v1/JdeSession.js';
import type { ListConnectionsRequest as _mlc_tokenbroker_v1_ListConnectionsRequest, ListConnectionsRequest__Output as _mlc_tokenbroker_v1_ListConnectionsRequest__Output } from './mlc/tokenbroker/v1/ListConnectionsRequest.js';
import type { ListConnectionsResponse as _mlc_tokenbroker_v1_ListConnectionsResponse, ListConnectionsResponse__Output as _mlc_tokenbroker_v1_ListConnectionsResponse__Output } from './mlc/tokenbroker/v1/ListConnectionsResponse.js';
import type { ReportInvalidTokenRequest as _mlc_tokenbroker_v1_ReportInvalidTokenRequest, ReportInvalidTokenRequest__Output as _mlc_tokenbroker_v1_ReportInvalidTokenRequest__Output } from './mlc/tokenbroker/v1/ReportInvalidTokenRequest.js';
import type { ReportInvalidTokenResponse as _mlc_tokenbroker_v1_ReportInvalidTokenResponse, ReportInvalidTokenResponse__Output as _mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output } from './mlc/tokenbroker/v1/ReportInvalidTokenResponse.js';
import type { TokenBrokerClient as _mlc_tokenbroker_v1_TokenBrokerClient, TokenBrokerDefinition as _mlc_tokenbroker_v1_TokenBrokerDefinition } from './mlc/tokenbroker/v1/TokenBroker.js';
import type { UpdateConnectionRequest as _mlc_tokenbroker_v1_UpdateConnectionRequest, UpdateConnectionRequest__Output as _mlc_tokenbroker_v1_UpdateConnectionRequest__Output } from './mlc/tokenbroker/v1/UpdateConnectionRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  mlc: {
    tokenbroker: {
      v1: {
        AccessToken: MessageTypeDefinition<_mlc_tokenbroker_v1_AccessToken, _mlc_tokenbroker_v1_AccessToken__Output>
        AmazonCredentials: MessageTypeDefinition<_mlc_tokenbroker_v1_AmazonCredentials, _mlc_tokenbroker_v1_AmazonCredentials__Output>
        Connection: MessageTypeDefinition<_mlc_tokenbroker_v1_Connection, _mlc_tokenbroker_v1_Connection__Output>
        CreateConnectionRequest: MessageTypeDefinition<_mlc_tokenbroker_v1_CreateConnectionRequest, _mlc_tokenbroker_v1_CreateConnectionRequest__Output>
        DeleteConnectionRequest: MessageTypeDefinition<_mlc_tokenbroker_v1_DeleteConnectionRequest, _mlc_tokenbroker_v1_DeleteConnectionRequest__Output>
        DeleteConnectionResponse: MessageTypeDefinition<_mlc_tokenbroker_v1_DeleteConnectionResponse, _mlc_tokenbroker_v1_DeleteConnectionResponse__Output>
        GetAmazonAccessTokenRequest: MessageTypeDefinition<_mlc_tokenbroker_v1_GetAmazonAccessTokenRequest, _mlc_tokenbroker_v1_GetAmazonAccessTokenRequest__Output>
        GetConnectionRequest: MessageTypeDefinition<_mlc_tokenbroker_v1_GetConnectionRequest, _mlc_tokenbroker_v1_GetConnectionRequest__Output>
        GetJdeSessionRequest: MessageTypeDefinition<_mlc_tokenbroker_v1_GetJdeSessionRequest, _mlc_tokenbroker_v1_GetJdeSessionRequest__Output>
        JdeCredentials: MessageTypeDefinition<_mlc_tokenbroker_v1_JdeCredentials, _mlc_tokenbroker_v1_JdeCredentials__Output>
        JdeSession: MessageTypeDefinition<_mlc_tokenbroker_v1_JdeSession, _mlc_tokenbroker_v1_JdeSession__Output>
        ListConnectionsRequest: MessageTypeDefinition<_mlc_tokenbroker_v1_ListConnectionsRequest, _mlc_tokenbroker_v1_ListConnectionsRequest__Output>
        ListConnectionsResponse: MessageTypeDefinition<_mlc_tokenbroker_v1_ListConnectionsResponse, _mlc_tokenbroker_v1_ListConnectionsResponse__Output>
        ReportInvalidTokenRequest: MessageTypeDefinition<_mlc_tokenbroker_v1_ReportInvalidTokenRequest, _mlc_tokenbroker_v1_ReportInvalidTokenRequest__Output>
        ReportInvalidTokenResponse: MessageTypeDefinition<_mlc_tokenbroker_v1_ReportInvalidTokenResponse, _mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>
        TokenBroker: SubtypeConstructor<typeof grpc.Client, _mlc_tokenbroker_v1_TokenBrokerClient> & { service: _mlc_tokenbroker_v1_TokenBrokerDefinition }
        UpdateConnectionRequest: MessageTypeDefinition<_mlc_tokenbroker_v1_UpdateConnectionRequest, _mlc_tokenbroker_v1_UpdateConnectionRequest__Output>
      }
    }
  }
}

