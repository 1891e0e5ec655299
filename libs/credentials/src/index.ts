/**
 * @mlc/credentials: sellers' Amazon and JDE credentials at rest — master keys with ids (keyring.ts),
 * AES-256-GCM per value (crypto.ts), the encrypted `connections` collection (connections-store.ts)
 * and key rotation (rotation.ts). Used by the token-broker (the only service that decrypts) and by
 * the operator CLI (`mlc keys rotate`).
 */
export {
  type ConnectionSecrets,
  ConnectionStore,
  type ConnectionStoreOptions,
  type ConnectionSummary,
  connectionModel,
  decryptConnection,
  keyIdsOf,
  type StoredConnection,
  secretAad,
  summarize,
} from './connections-store.js';
export {
  DecryptionError,
  decryptValue,
  type EncryptedValue,
  encryptValue,
  isEncryptedValue,
} from './crypto.js';
export {
  ConcurrentUpdateError,
  ConnectionExistsError,
  ConnectionNotFoundError,
  CredentialsValidationError,
} from './errors.js';
export { KEY_BYTES, Keyring, KeyringError, parseMasterKeys } from './keyring.js';
export { type RotationReport, rotateKeys } from './rotation.js';
export {
  AMAZON_REGIONS,
  type AmazonCredentials,
  type AmazonRegion,
  type ConnectionInput,
  type ConnectionPatch,
  DEFAULT_JDE_DEVICE_NAME,
  DEFAULT_JDE_ROLE,
  type JdeCredentials,
  normalizeJde,
  validateConnectionId,
  validateConnectionInput,
} from './validation.js';
