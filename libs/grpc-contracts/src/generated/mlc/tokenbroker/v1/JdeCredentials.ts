// Original file: mlc/tokenbroker/v1/token_broker.proto


export interface JdeCredentials {
  'ais_base_url'?: (string);
  'username'?: (string);
  'password'?: (string);
  'environment'?: (string);
  'role'?: (string);
  'device_name'?: (string);
  'allow_insecure_http'?: (boolean);
}

export interface JdeCredentials__Output {
  'ais_base_url': (string);
  'username': (string);
  'password': (string);
  'environment': (string);
  'role': (string);
  'device_name': (string);
  'allow_insecure_http': (boolean);
}
