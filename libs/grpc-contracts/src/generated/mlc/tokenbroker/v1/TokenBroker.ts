// Original file: mlc/tokenbroker/v1/token_broker.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AccessToken as _mlc_tokenbroker_v1_AccessToken, AccessToken__Output as _mlc_tokenbroker_v1_AccessToken__Output } from '../../../mlc/tokenbroker/v1/AccessToken.js';
import type { Connection as _mlc_tokenbroker_v1_Connection, Connection__Output as _mlc_tokenbroker_v1_Connection__Output } from '../../../mlc/tokenbroker/v1/Connection.js';
import type { CreateConnectionRequest as _mlc_tokenbroker_v1_CreateConnectionRequest, CreateConnectionRequest__Output as _mlc_tokenbroker_v1_CreateConnectionRequest__Output } from '../../../mlc/tokenbroker/v1/CreateConnectionRequest.js';
import type { DeleteConnectionRequest as _mlc_tokenbroker_v1_DeleteConnectionRequest, DeleteConnectionRequest__Output as _mlc_tokenbroker_v1_DeleteConnectionRequest__Output } from '../../../mlc/tokenbroker/v1/DeleteConnectionRequest.js';
import type { DeleteConnectionResponse as _mlc_tokenbroker_v1_DeleteConnectionResponse, DeleteConnectionResponse__Output as _mlc_tokenbroker_v1_DeleteConnectionResponse__Output } from '../../../mlc/tokenbroker/v1/DeleteConnectionResponse.js';
import type { GetAmazonAccessTokenRequest as _mlc_tokenbroker_v1_GetAmazonAccessTokenRequest, GetAmazonAccessTokenRequest__Output as _mlc_tokenbroker_v1_GetAmazonAccessTokenRequest__Output } from '../../../mlc/tokenbroker/v1/GetAmazonAccessTokenRequest.js';
import type { GetConnectionRequest as _mlc_tokenbroker_v1_GetConnectionRequest, GetConnectionRequest__Output as _mlc_tokenbroker_v1_GetConnectionRequest__Output } from '../../../mlc/tokenbroker/v1/GetConnectionRequest.js';
import type { GetJdeSessionRequest as _mlc_tokenbroker_v1_GetJdeSessionRequest, GetJdeSessionRequest__Output as _mlc_tokenbroker_v1_GetJdeSessionRequest__Output } from '../../../mlc/tokenbroker/v1/GetJdeSessionRequest.js';
import type { JdeSession as _mlc_tokenbroker_v1_JdeSession, JdeSession__Output as _mlc_tokenbroker_v1_JdeSession__Output } from '../../../mlc/tokenbroker/v1/JdeSession.js';
import type { ListConnectionsRequest as _mlc_tokenbroker_v1_ListConnectionsRequest, ListConnectionsRequest__Output as _mlc_tokenbroker_v1_ListConnectionsRequest__Output } from '../../../mlc/tokenbroker/v1/ListConnectionsRequest.js';
import type { ListConnectionsResponse as _mlc_tokenbroker_v1_ListConnectionsResponse, ListConnectionsResponse__Output as _mlc_tokenbroker_v1_ListConnectionsResponse__Output } from '../../../mlc/tokenbroker/v1/ListConnectionsResponse.js';
import type { ReportInvalidTokenRequest as _mlc_tokenbroker_v1_ReportInvalidTokenRequest, ReportInvalidTokenRequest__Output as _mlc_tokenbroker_v1_ReportInvalidTokenRequest__Output } from '../../../mlc/tokenbroker/v1/ReportInvalidTokenRequest.js';
import type { ReportInvalidTokenResponse as _mlc_tokenbroker_v1_ReportInvalidTokenResponse, ReportInvalidTokenResponse__Output as _mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output } from '../../../mlc/tokenbroker/v1/ReportInvalidTokenResponse.js';
import type { UpdateConnectionRequest as _mlc_tokenbroker_v1_UpdateConnectionRequest, UpdateConnectionRequest__Output as _mlc_tokenbroker_v1_UpdateConnectionRequest__Output } from '../../../mlc/tokenbroker/v1/UpdateConnectionRequest.js';

export interface TokenBrokerClient extends grpc.Client {
  CreateConnection(argument: _mlc_tokenbroker_v1_CreateConnectionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  CreateConnection(argument: _mlc_tokenbroker_v1_CreateConnectionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  CreateConnection(argument: _mlc_tokenbroker_v1_CreateConnectionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  CreateConnection(argument: _mlc_tokenbroker_v1_CreateConnectionRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  createConnection(argument: _mlc_tokenbroker_v1_CreateConnectionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  createConnection(argument: _mlc_tokenbroker_v1_CreateConnectionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  createConnection(argument: _mlc_tokenbroker_v1_CreateConnectionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  createConnection(argument: _mlc_tokenbroker_v1_CreateConnectionRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  
  DeleteConnection(argument: _mlc_tokenbroker_v1_DeleteConnectionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_DeleteConnectionResponse__Output>): grpc.ClientUnaryCall;
  DeleteConnection(argument: _mlc_tokenbroker_v1_DeleteConnectionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_DeleteConnectionResponse__Output>): grpc.ClientUnaryCall;
  DeleteConnection(argument: _mlc_tokenbroker_v1_DeleteConnectionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_DeleteConnectionResponse__Output>): grpc.ClientUnaryCall;
  DeleteConnection(argument: _mlc_tokenbroker_v1_DeleteConnectionRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_DeleteConnectionResponse__Output>): grpc.ClientUnaryCall;
  deleteConnection(argument: _mlc_tokenbroker_v1_DeleteConnectionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_DeleteConnectionResponse__Output>): grpc.ClientUnaryCall;
  deleteConnection(argument: _mlc_tokenbroker_v1_DeleteConnectionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_DeleteConnectionResponse__Output>): grpc.ClientUnaryCall;
  deleteConnection(argument: _mlc_tokenbroker_v1_DeleteConnectionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_DeleteConnectionResponse__Output>): grpc.ClientUnaryCall;
  deleteConnection(argument: _mlc_tokenbroker_v1_DeleteConnectionRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_DeleteConnectionResponse__Output>): grpc.ClientUnaryCall;
  
  GetAmazonAccessToken(argument: _mlc_tokenbroker_v1_GetAmazonAccessTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_AccessToken__Output>): grpc.ClientUnaryCall;
  GetAmazonAccessToken(argument: _mlc_tokenbroker_v1_GetAmazonAccessTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_AccessToken__Output>): grpc.ClientUnaryCall;
  GetAmazonAccessToken(argument: _mlc_tokenbroker_v1_GetAmazonAccessTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_AccessToken__Output>): grpc.ClientUnaryCall;
  GetAmazonAccessToken(argument: _mlc_tokenbroker_v1_GetAmazonAccessTokenRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_AccessToken__Output>): grpc.ClientUnaryCall;
  getAmazonAccessToken(argument: _mlc_tokenbroker_v1_GetAmazonAccessTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_AccessToken__Output>): grpc.ClientUnaryCall;
  getAmazonAccessToken(argument: _mlc_tokenbroker_v1_GetAmazonAccessTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_AccessToken__Output>): grpc.ClientUnaryCall;
  getAmazonAccessToken(argument: _mlc_tokenbroker_v1_GetAmazonAccessTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_AccessToken__Output>): grpc.ClientUnaryCall;
  getAmazonAccessToken(argument: _mlc_tokenbroker_v1_GetAmazonAccessTokenRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_AccessToken__Output>): grpc.ClientUnaryCall;
  
  GetConnection(argument: _mlc_tokenbroker_v1_GetConnectionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  GetConnection(argument: _mlc_tokenbroker_v1_GetConnectionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  GetConnection(argument: _mlc_tokenbroker_v1_GetConnectionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  GetConnection(argument: _mlc_tokenbroker_v1_GetConnectionRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  getConnection(argument: _mlc_tokenbroker_v1_GetConnectionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  getConnection(argument: _mlc_tokenbroker_v1_GetConnectionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  getConnection(argument: _mlc_tokenbroker_v1_GetConnectionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  getConnection(argument: _mlc_tokenbroker_v1_GetConnectionRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  
  GetJdeSession(argument: _mlc_tokenbroker_v1_GetJdeSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_JdeSession__Output>): grpc.ClientUnaryCall;
  GetJdeSession(argument: _mlc_tokenbroker_v1_GetJdeSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_JdeSession__Output>): grpc.ClientUnaryCall;
  GetJdeSession(argument: _mlc_tokenbroker_v1_GetJdeSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_JdeSession__Output>): grpc.ClientUnaryCall;
  GetJdeSession(argument: _mlc_tokenbroker_v1_GetJdeSessionRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_JdeSession__Output>): grpc.ClientUnaryCall;
  getJdeSession(argument: _mlc_tokenbroker_v1_GetJdeSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_JdeSession__Output>): grpc.ClientUnaryCall;
  getJdeSession(argument: _mlc_tokenbroker_v1_GetJdeSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_JdeSession__Output>): grpc.ClientUnaryCall;
  getJdeSession(argument: _mlc_tokenbroker_v1_GetJdeSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_JdeSession__Output>): grpc.ClientUnaryCall;
  getJdeSession(argument: _mlc_tokenbroker_v1_GetJdeSessionRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_JdeSession__Output>): grpc.ClientUnaryCall;
  
  ListConnections(argument: _mlc_tokenbroker_v1_ListConnectionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ListConnectionsResponse__Output>): grpc.ClientUnaryCall;
  ListConnections(argument: _mlc_tokenbroker_v1_ListConnectionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ListConnectionsResponse__Output>): grpc.ClientUnaryCall;
  ListConnections(argument: _mlc_tokenbroker_v1_ListConnectionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ListConnectionsResponse__Output>): grpc.ClientUnaryCall;
  ListConnections(argument: _mlc_tokenbroker_v1_ListConnectionsRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ListConnectionsResponse__Output>): grpc.ClientUnaryCall;
  listConnections(argument: _mlc_tokenbroker_v1_ListConnectionsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ListConnectionsResponse__Output>): grpc.ClientUnaryCall;
  listConnections(argument: _mlc_tokenbroker_v1_ListConnectionsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ListConnectionsResponse__Output>): grpc.ClientUnaryCall;
  listConnections(argument: _mlc_tokenbroker_v1_ListConnectionsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ListConnectionsResponse__Output>): grpc.ClientUnaryCall;
  listConnections(argument: _mlc_tokenbroker_v1_ListConnectionsRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ListConnectionsResponse__Output>): grpc.ClientUnaryCall;
  
  ReportInvalidAmazonToken(argument: _mlc_tokenbroker_v1_ReportInvalidTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>): grpc.ClientUnaryCall;
  ReportInvalidAmazonToken(argument: _mlc_tokenbroker_v1_ReportInvalidTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>): grpc.ClientUnaryCall;
  ReportInvalidAmazonToken(argument: _mlc_tokenbroker_v1_ReportInvalidTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>): grpc.ClientUnaryCall;
  ReportInvalidAmazonToken(argument: _mlc_tokenbroker_v1_ReportInvalidTokenRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>): grpc.ClientUnaryCall;
  reportInvalidAmazonToken(argument: _mlc_tokenbroker_v1_ReportInvalidTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>): grpc.ClientUnaryCall;
  reportInvalidAmazonToken(argument: _mlc_tokenbroker_v1_ReportInvalidTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>): grpc.ClientUnaryCall;
  reportInvalidAmazonToken(argument: _mlc_tokenbroker_v1_ReportInvalidTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>): grpc.ClientUnaryCall;
  reportInvalidAmazonToken(argument: _mlc_tokenbroker_v1_ReportInvalidTokenRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>): grpc.ClientUnaryCall;
  
  ReportInvalidJdeSession(argument: _mlc_tokenbroker_v1_ReportInvalidTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>): grpc.ClientUnaryCall;
  ReportInvalidJdeSession(argument: _mlc_tokenbroker_v1_ReportInvalidTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>): grpc.ClientUnaryCall;
  ReportInvalidJdeSession(argument: _mlc_tokenbroker_v1_ReportInvalidTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>): grpc.ClientUnaryCall;
  ReportInvalidJdeSession(argument: _mlc_tokenbroker_v1_ReportInvalidTokenRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>): grpc.ClientUnaryCall;
  reportInvalidJdeSession(argument: _mlc_tokenbroker_v1_ReportInvalidTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>): grpc.ClientUnaryCall;
  reportInvalidJdeSession(argument: _mlc_tokenbroker_v1_ReportInvalidTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>): grpc.ClientUnaryCall;
  reportInvalidJdeSession(argument: _mlc_tokenbroker_v1_ReportInvalidTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>): grpc.ClientUnaryCall;
  reportInvalidJdeSession(argument: _mlc_tokenbroker_v1_ReportInvalidTokenRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>): grpc.ClientUnaryCall;
  
  UpdateConnection(argument: _mlc_tokenbroker_v1_UpdateConnectionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  UpdateConnection(argument: _mlc_tokenbroker_v1_UpdateConnectionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  UpdateConnection(argument: _mlc_tokenbroker_v1_UpdateConnectionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  UpdateConnection(argument: _mlc_tokenbroker_v1_UpdateConnectionRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  updateConnection(argument: _mlc_tokenbroker_v1_UpdateConnectionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  updateConnection(argument: _mlc_tokenbroker_v1_UpdateConnectionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  updateConnection(argument: _mlc_tokenbroker_v1_UpdateConnectionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  updateConnection(argument: _mlc_tokenbroker_v1_UpdateConnectionRequest, callback: grpc.requestCallback<_mlc_tokenbroker_v1_Connection__Output>): grpc.ClientUnaryCall;
  
}

export interface TokenBrokerHandlers extends grpc.UntypedServiceImplementation {
  CreateConnection: grpc.handleUnaryCall<_mlc_tokenbroker_v1_CreateConnectionRequest__Output, _mlc_tokenbroker_v1_Connection>;
  
  DeleteConnection: grpc.handleUnaryCall<_mlc_tokenbroker_v1_DeleteConnectionRequest__Output, _mlc_tokenbroker_v1_DeleteConnectionResponse>;
  
  GetAmazonAccessToken: grpc.handleUnaryCall<_mlc_tokenbroker_v1_GetAmazonAccessTokenRequest__Output, _mlc_tokenbroker_v1_AccessToken>;
  
  GetConnection: grpc.handleUnaryCall<_mlc_tokenbroker_v1_GetConnectionRequest__Output, _mlc_tokenbroker_v1_Connection>;
  
  GetJdeSession: grpc.handleUnaryCall<_mlc_tokenbroker_v1_GetJdeSessionRequest__Output, _mlc_tokenbroker_v1_JdeSession>;
  
  ListConnections: grpc.handleUnaryCall<_mlc_tokenbroker_v1_ListConnectionsRequest__Output, _mlc_tokenbroker_v1_ListConnectionsResponse>;
  
  ReportInvalidAmazonToken: grpc.handleUnaryCall<_mlc_tokenbroker_v1_ReportInvalidTokenRequest__Output, _mlc_tokenbroker_v1_ReportInvalidTokenResponse>;
  
  ReportInvalidJdeSession: grpc.handleUnaryCall<_mlc_tokenbroker_v1_ReportInvalidTokenRequest__Output, _mlc_tokenbroker_v1_ReportInvalidTokenResponse>;
  
  UpdateConnection: grpc.handleUnaryCall<_mlc_tokenbroker_v1_UpdateConnectionRequest__Output, _mlc_tokenbroker_v1_Connection>;
  
}

export interface TokenBrokerDefinition extends grpc.ServiceDefinition {
  CreateConnection: MethodDefinition<_mlc_tokenbroker_v1_CreateConnectionRequest, _mlc_tokenbroker_v1_Connection, _mlc_tokenbroker_v1_CreateConnectionRequest__Output, _mlc_tokenbroker_v1_Connection__Output>
  DeleteConnection: MethodDefinition<_mlc_tokenbroker_v1_DeleteConnectionRequest, _mlc_tokenbroker_v1_DeleteConnectionResponse, _mlc_tokenbroker_v1_DeleteConnectionRequest__Output, _mlc_tokenbroker_v1_DeleteConnectionResponse__Output>
  GetAmazonAccessToken: MethodDefinition<_mlc_tokenbroker_v1_GetAmazonAccessTokenRequest, _mlc_tokenbroker_v1_AccessToken, _mlc_tokenbroker_v1_GetAmazonAccessTokenRequest__Output, _mlc_tokenbroker_v1_AccessToken__Output>
  GetConnection: MethodDefinition<_mlc_tokenbroker_v1_GetConnectionRequest, _mlc_tokenbroker_v1_Connection, _mlc_tokenbroker_v1_GetConnectionRequest__Output, _mlc_tokenbroker_v1_Connection__Output>
  GetJdeSession: MethodDefinition<_mlc_tokenbroker_v1_GetJdeSessionRequest, _mlc_tokenbroker_v1_JdeSession, _mlc_tokenbroker_v1_GetJdeSessionRequest__Output, _mlc_tokenbroker_v1_JdeSession__Output>
  ListConnections: MethodDefinition<_mlc_tokenbroker_v1_ListConnectionsRequest, _mlc_tokenbroker_v1_ListConnectionsResponse, _mlc_tokenbroker_v1_ListConnectionsRequest__Output, _mlc_tokenbroker_v1_ListConnectionsResponse__Output>
  ReportInvalidAmazonToken: MethodDefinition<_mlc_tokenbroker_v1_ReportInvalidTokenRequest, _mlc_tokenbroker_v1_ReportInvalidTokenResponse, _mlc_tokenbroker_v1_ReportInvalidTokenRequest__Output, _mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>
  ReportInvalidJdeSession: MethodDefinition<_mlc_tokenbroker_v1_ReportInvalidTokenRequest, _mlc_tokenbroker_v1_ReportInvalidTokenResponse, _mlc_tokenbroker_v1_ReportInvalidTokenRequest__Output, _mlc_tokenbroker_v1_ReportInvalidTokenResponse__Output>
  UpdateConnection: MethodDefinition<_mlc_tokenbroker_v1_UpdateConnectionRequest, _mlc_tokenbroker_v1_Connection, _mlc_tokenbroker_v1_UpdateConnectionRequest__Output, _mlc_tokenbroker_v1_Connection__Output>
}
