/**
 * The `connections` collection: one document per seller connection, holding its Amazon (LWA) and JDE
 * (AIS) credentials. Secret fields (LWA client id and secret, refresh token, JDE password) are stored
 * only as AES-256-GCM values (crypto.ts) bound to the connection id and field; everything an operator
 * needs to list connections stays plaintext. The document's `keyId` names the master key all its
 * secrets are under, and `revision` makes every rewrite a compare-and-set on one document (FerretDB
 * v1 has no transactions). Each create, update and delete appends an audit event without secrets.
 */
import { appendAudit } from '@mlc/mongo';
import { type Connection, type Model, Schema } from 'mongoose';
import { decryptValue, type EncryptedValue, encryptValue } from './crypto.js';
import { ConcurrentUpdateError, ConnectionExistsError, ConnectionNotFoundError } from './errors.js';
import type { Keyring } from './keyring.js';
import { RevisionClaims } from './revision-claims.js';
import {
  type AmazonCredentials,
  type AmazonRegion,
  type ConnectionInput,
  type ConnectionPatch,
  type JdeCredentials,
  normalizeJde,
  validateAmazon,
  validateConnectionId,
  validateConnectionInput,
  validateJde,
} from './validation.js';

// ---------------------------------------------------------------------------------------------
// Stored shape

interface StoredAmazon {
  lwaClientId: EncryptedValue;
  lwaClientSecret: EncryptedValue;
  refreshToken: EncryptedValue;
  regions: string[];
  marketplaceIds: string[];
  lwaEndpoint: string;
  spApiEndpoint: string;
  sellerId: string;
}

interface StoredJde {
  aisBaseUrl: string;
  username: string;
  password: EncryptedValue;
  environment: string;
  role: string;
  deviceName: string;
  allowInsecureHttp: boolean;
}

export interface StoredConnection {
  connectionId: string;
  displayName: string;
  keyId: string;
  revision: number;
  amazon?: StoredAmazon | null;
  jde?: StoredJde | null;
  createdAt: Date;
  updatedAt: Date;
  rotatedAt?: Date | null;
}

const encryptedSchema = new Schema<EncryptedValue>(
  {
    keyId: { type: String, required: true },
    iv: { type: String, required: true },
    tag: { type: String, required: true },
    data: { type: String, required: true },
  },
  { _id: false, strict: 'throw' },
);

const amazonSchema = new Schema<StoredAmazon>(
  {
    lwaClientId: { type: encryptedSchema, required: true },
    lwaClientSecret: { type: encryptedSchema, required: true },
    refreshToken: { type: encryptedSchema, required: true },
    regions: { type: [String], required: true },
    marketplaceIds: { type: [String], default: [] },
    lwaEndpoint: { type: String, default: '' },
    spApiEndpoint: { type: String, default: '' },
    sellerId: { type: String, default: '' },
  },
  { _id: false, strict: 'throw' },
);

const jdeSchema = new Schema<StoredJde>(
  {
    aisBaseUrl: { type: String, required: true },
    username: { type: String, required: true },
    password: { type: encryptedSchema, required: true },
    environment: { type: String, required: true },
    role: { type: String, required: true },
    deviceName: { type: String, required: true },
    allowInsecureHttp: { type: Boolean, default: false },
  },
  { _id: false, strict: 'throw' },
);

const connectionSchema = new Schema<StoredConnection>(
  {
    connectionId: { type: String, required: true },
    displayName: { type: String, default: '' },
    keyId: { type: String, required: true },
    revision: { type: Number, required: true },
    amazon: { type: amazonSchema, default: null },
    jde: { type: jdeSchema, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    rotatedAt: { type: Date, default: null },
  },
  { collection: 'connections', versionKey: false, strict: 'throw' },
);
connectionSchema.index({ connectionId: 1 }, { unique: true });
connectionSchema.index({ keyId: 1 });

export function connectionModel(connection: Connection): Model<StoredConnection> {
  return (
    (connection.models.CredentialConnection as Model<StoredConnection>) ??
    connection.model<StoredConnection>('CredentialConnection', connectionSchema)
  );
}

// ---------------------------------------------------------------------------------------------
// What callers see

/** A connection without secrets: safe to log, list and return. */
export interface ConnectionSummary {
  connectionId: string;
  displayName: string;
  keyId: string;
  hasAmazon: boolean;
  hasJde: boolean;
  regions: AmazonRegion[];
  marketplaceIds: string[];
  lwaEndpoint: string;
  spApiEndpoint: string;
  /** The Amazon seller (merchant) id; empty when not known. */
  amazonSellerId: string;
  aisBaseUrl: string;
  jdeUsername: string;
  jdeEnvironment: string;
  jdeRole: string;
  jdeDeviceName: string;
  jdeAllowInsecureHttp: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** A connection with its decrypted credentials; only the token-broker ever holds one. */
export interface ConnectionSecrets {
  summary: ConnectionSummary;
  amazon?: AmazonCredentials;
  jde?: JdeCredentials;
}

export function summarize(doc: StoredConnection): ConnectionSummary {
  return {
    connectionId: doc.connectionId,
    displayName: doc.displayName ?? '',
    keyId: doc.keyId,
    hasAmazon: Boolean(doc.amazon),
    hasJde: Boolean(doc.jde),
    regions: (doc.amazon?.regions ?? []) as AmazonRegion[],
    marketplaceIds: doc.amazon?.marketplaceIds ?? [],
    lwaEndpoint: doc.amazon?.lwaEndpoint ?? '',
    spApiEndpoint: doc.amazon?.spApiEndpoint ?? '',
    amazonSellerId: doc.amazon?.sellerId ?? '',
    aisBaseUrl: doc.jde?.aisBaseUrl ?? '',
    jdeUsername: doc.jde?.username ?? '',
    jdeEnvironment: doc.jde?.environment ?? '',
    jdeRole: doc.jde?.role ?? '',
    jdeDeviceName: doc.jde?.deviceName ?? '',
    jdeAllowInsecureHttp: doc.jde?.allowInsecureHttp ?? false,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

// ---------------------------------------------------------------------------------------------
// Encryption of a whole document's secrets

/** The additional authenticated data of one secret field of one connection. */
export function secretAad(connectionId: string, field: string): string {
  return `mlc.connection/${connectionId}/${field}`;
}

function encryptAmazon(keyring: Keyring, connectionId: string, amazon: AmazonCredentials): StoredAmazon {
  return {
    lwaClientId: encryptValue(keyring, amazon.lwaClientId, secretAad(connectionId, 'amazon.lwaClientId')),
    lwaClientSecret: encryptValue(
      keyring,
      amazon.lwaClientSecret,
      secretAad(connectionId, 'amazon.lwaClientSecret'),
    ),
    refreshToken: encryptValue(keyring, amazon.refreshToken, secretAad(connectionId, 'amazon.refreshToken')),
    regions: [...amazon.regions],
    marketplaceIds: [...amazon.marketplaceIds],
    lwaEndpoint: amazon.lwaEndpoint,
    spApiEndpoint: amazon.spApiEndpoint,
    sellerId: amazon.sellerId ?? '',
  };
}

function decryptAmazon(keyring: Keyring, connectionId: string, stored: StoredAmazon): AmazonCredentials {
  return {
    lwaClientId: decryptValue(keyring, stored.lwaClientId, secretAad(connectionId, 'amazon.lwaClientId')),
    lwaClientSecret: decryptValue(
      keyring,
      stored.lwaClientSecret,
      secretAad(connectionId, 'amazon.lwaClientSecret'),
    ),
    refreshToken: decryptValue(keyring, stored.refreshToken, secretAad(connectionId, 'amazon.refreshToken')),
    regions: stored.regions as AmazonRegion[],
    marketplaceIds: stored.marketplaceIds ?? [],
    lwaEndpoint: stored.lwaEndpoint ?? '',
    spApiEndpoint: stored.spApiEndpoint ?? '',
    ...(stored.sellerId ? { sellerId: stored.sellerId } : {}),
  };
}

function encryptJde(keyring: Keyring, connectionId: string, jde: JdeCredentials): StoredJde {
  return {
    aisBaseUrl: jde.aisBaseUrl,
    username: jde.username,
    password: encryptValue(keyring, jde.password, secretAad(connectionId, 'jde.password')),
    environment: jde.environment,
    role: jde.role,
    deviceName: jde.deviceName,
    allowInsecureHttp: jde.allowInsecureHttp,
  };
}

function decryptJde(keyring: Keyring, connectionId: string, stored: StoredJde): JdeCredentials {
  return {
    aisBaseUrl: stored.aisBaseUrl,
    username: stored.username,
    password: decryptValue(keyring, stored.password, secretAad(connectionId, 'jde.password')),
    environment: stored.environment,
    role: stored.role,
    deviceName: stored.deviceName,
    allowInsecureHttp: stored.allowInsecureHttp ?? false,
  };
}

/** The key ids every encrypted value of a document is under. */
export function keyIdsOf(doc: StoredConnection): string[] {
  const ids = new Set<string>();
  if (doc.amazon) {
    for (const v of [doc.amazon.lwaClientId, doc.amazon.lwaClientSecret, doc.amazon.refreshToken])
      ids.add(v.keyId);
  }
  if (doc.jde) ids.add(doc.jde.password.keyId);
  return [...ids];
}

/** Decrypts a stored document (any configured key) into its credentials. */
export function decryptConnection(keyring: Keyring, doc: StoredConnection): ConnectionSecrets {
  const secrets: ConnectionSecrets = { summary: summarize(doc) };
  if (doc.amazon) secrets.amazon = decryptAmazon(keyring, doc.connectionId, doc.amazon);
  if (doc.jde) secrets.jde = decryptJde(keyring, doc.connectionId, doc.jde);
  return secrets;
}

/** The encrypted parts of a document under the keyring's active key. */
export function encryptParts(
  keyring: Keyring,
  connectionId: string,
  parts: { amazon?: AmazonCredentials | undefined; jde?: JdeCredentials | undefined },
): { keyId: string; amazon: StoredAmazon | null; jde: StoredJde | null } {
  return {
    keyId: keyring.activeKeyId,
    amazon: parts.amazon ? encryptAmazon(keyring, connectionId, parts.amazon) : null,
    jde: parts.jde ? encryptJde(keyring, connectionId, parts.jde) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// The store

export interface ConnectionStoreOptions {
  /** Who writes, for the audit trail: "token-broker", "operator:alice"… */
  actor: string;
  /** How often a conditional update is retried after losing to a concurrent writer. */
  maxAttempts?: number;
  now?: () => Date;
}

export class ConnectionStore {
  readonly model: Model<StoredConnection>;
  readonly actor: string;
  readonly #maxAttempts: number;
  readonly #now: () => Date;
  readonly #claims: RevisionClaims;

  constructor(
    readonly connection: Connection,
    readonly keyring: Keyring,
    options: ConnectionStoreOptions,
  ) {
    this.model = connectionModel(connection);
    this.actor = options.actor;
    this.#maxAttempts = options.maxAttempts ?? 20;
    this.#now = options.now ?? (() => new Date());
    this.#claims = new RevisionClaims(connection);
  }

  async find(connectionId: string): Promise<StoredConnection | null> {
    return (await this.model.findOne({ connectionId }).lean().exec()) as StoredConnection | null;
  }

  async get(connectionId: string): Promise<ConnectionSummary> {
    const doc = await this.find(connectionId);
    if (!doc) throw new ConnectionNotFoundError(connectionId);
    return summarize(doc);
  }

  async list(): Promise<ConnectionSummary[]> {
    const docs = (await this.model.find({}).sort({ connectionId: 1 }).lean().exec()) as StoredConnection[];
    return docs.map(summarize);
  }

  /** The decrypted credentials of a connection (plaintexts are registered with the log scrubber). */
  async loadSecrets(connectionId: string): Promise<ConnectionSecrets> {
    const doc = await this.find(connectionId);
    if (!doc) throw new ConnectionNotFoundError(connectionId);
    return decryptConnection(this.keyring, doc);
  }

  async create(input: ConnectionInput): Promise<ConnectionSummary> {
    const normalized: ConnectionInput = { ...input, jde: input.jde ? normalizeJde(input.jde) : undefined };
    validateConnectionInput(normalized);
    const now = this.#now();
    const doc: StoredConnection = {
      connectionId: normalized.connectionId,
      displayName: normalized.displayName,
      revision: 1,
      createdAt: now,
      updatedAt: now,
      rotatedAt: null,
      ...encryptParts(this.keyring, normalized.connectionId, normalized),
    };
    try {
      await this.model.create(doc);
    } catch (error) {
      if ((error as { code?: number }).code === 11000)
        throw new ConnectionExistsError(normalized.connectionId);
      throw error;
    }
    await this.audit('connection.created', normalized.connectionId, {
      keyId: doc.keyId,
      hasAmazon: Boolean(doc.amazon),
      hasJde: Boolean(doc.jde),
      regions: doc.amazon?.regions ?? [],
    });
    return summarize(doc);
  }

  /**
   * Changes a connection: absent parts are kept; in a given part an empty secret keeps the stored
   * one. The whole document is re-encrypted under the active key, conditionally on its revision.
   */
  async update(connectionId: string, patch: ConnectionPatch): Promise<ConnectionSummary> {
    validateConnectionId(connectionId);
    for (let attempt = 1; ; attempt++) {
      const current = await this.find(connectionId);
      if (!current) throw new ConnectionNotFoundError(connectionId);
      const existing = decryptConnection(this.keyring, current);
      const amazon = patch.amazon ? mergeAmazon(patch.amazon, existing.amazon) : existing.amazon;
      const jde = patch.jde ? mergeJde(normalizeJde(patch.jde), existing.jde) : existing.jde;
      const displayName = patch.displayName || current.displayName;
      const set = {
        displayName,
        updatedAt: this.#now(),
        ...encryptParts(this.keyring, connectionId, { amazon, jde }),
      };
      const written = await this.#write(current, set);
      if (written !== null) {
        const changed = [
          ...(patch.displayName && patch.displayName !== current.displayName ? ['display_name'] : []),
          ...(patch.amazon ? ['amazon'] : []),
          ...(patch.jde ? ['jde'] : []),
        ];
        await this.audit('connection.updated', connectionId, { changed, keyId: set.keyId });
        return summarize({ ...current, ...set, revision: written });
      }
      if (attempt >= this.#maxAttempts) throw new ConcurrentUpdateError(connectionId);
      await backoff(attempt);
    }
  }

  async delete(connectionId: string): Promise<boolean> {
    validateConnectionId(connectionId);
    const result = await this.model.deleteOne({ connectionId }).exec();
    if (result.deletedCount !== 1) return false;
    await this.#claims.clear(connectionId);
    await this.audit('connection.deleted', connectionId, {});
    return true;
  }

  /**
   * Rewrites one document's secrets under `keyring`'s active key if any is under another key.
   * Returns what happened; the update is conditional on the revision read, retried on conflict.
   */
  async reencrypt(
    connectionId: string,
    keyring: Keyring,
    options: { dryRun?: boolean } = {},
  ): Promise<'rotated' | 'current' | 'would-rotate' | 'gone'> {
    for (let attempt = 1; ; attempt++) {
      const doc = await this.find(connectionId);
      if (!doc) return 'gone';
      const from = keyIdsOf(doc);
      if (doc.keyId === keyring.activeKeyId && from.every((id) => id === keyring.activeKeyId))
        return 'current';
      const secrets = decryptConnection(keyring, doc);
      if (options.dryRun) return 'would-rotate';
      const set = { rotatedAt: this.#now(), ...encryptParts(keyring, connectionId, secrets) };
      if ((await this.#write(doc, set)) !== null) {
        await this.audit('connection.key_rotated', connectionId, { fromKeyIds: from, toKeyId: set.keyId });
        return 'rotated';
      }
      if (attempt >= this.#maxAttempts) throw new ConcurrentUpdateError(connectionId);
      await backoff(attempt);
    }
  }

  /**
   * Writes `set` over the document read as `current`, as its next revision, if no other writer got
   * there first: the revision is claimed (revision-claims.ts), then written conditionally. Returns
   * the revision written, or null when the caller must re-read and try again.
   */
  async #write(current: StoredConnection, set: Partial<StoredConnection>): Promise<number | null> {
    const next = await this.#claims.claimNext(current.connectionId, current.revision);
    if (next === null) return null;
    const result = await this.model
      .updateOne(
        { connectionId: current.connectionId, revision: current.revision },
        { $set: { ...set, revision: next } },
      )
      .exec();
    if (result.matchedCount !== 1) return null;
    await this.#claims.prune(current.connectionId, next);
    return next;
  }

  async ids(): Promise<string[]> {
    const docs = await this.model
      .find({}, { connectionId: 1, _id: 0 })
      .sort({ connectionId: 1 })
      .lean()
      .exec();
    return docs.map((d) => d.connectionId);
  }

  /** Appends an audit event as this store's actor; `detail` must hold no secret. */
  async audit(
    action: string,
    connectionId: string | undefined,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await appendAudit(this.connection, {
      actor: this.actor,
      action,
      ...(connectionId ? { connectionId } : {}),
      detail,
    });
  }
}

function mergeAmazon(patch: AmazonCredentials, existing: AmazonCredentials | undefined): AmazonCredentials {
  const merged: AmazonCredentials = {
    ...patch,
    lwaClientId: patch.lwaClientId || existing?.lwaClientId || '',
    lwaClientSecret: patch.lwaClientSecret || existing?.lwaClientSecret || '',
    refreshToken: patch.refreshToken || existing?.refreshToken || '',
  };
  validateAmazon(merged);
  return merged;
}

function mergeJde(patch: JdeCredentials, existing: JdeCredentials | undefined): JdeCredentials {
  const merged: JdeCredentials = { ...patch, password: patch.password || existing?.password || '' };
  validateJde(merged);
  return merged;
}

/** A short random pause before re-reading after losing a race, growing with the attempts. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.min(200, 5 * attempt) + Math.random() * 10;
  return new Promise((resolve) => setTimeout(resolve, ms));
}
