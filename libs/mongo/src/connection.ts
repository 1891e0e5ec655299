/**
 * A mongoose connection set up the way every service needs it against MongoDB or FerretDB v1:
 * commands fail at once instead of buffering while disconnected, and indexes are never built
 * implicitly — each service creates the indexes of its models explicitly at start-up.
 *
 * FerretDB v1 limits we stay inside (docs/local-infra.md): no multi-document transactions, no
 * $lookup/$facet, $group only with $sum/$count, no TTL or partial indexes, no change streams,
 * no findOneAndUpdate with a projection, no dots or $-prefixes in keys.
 */
import mongoose, { type Connection, type Model } from 'mongoose';

export interface MongoOptions {
  url: string;
  /** How long to wait for the server before an operation fails, in ms. */
  serverSelectionTimeoutMS?: number;
}

export async function connectMongo(options: MongoOptions): Promise<Connection> {
  const connection = mongoose.createConnection(options.url, {
    bufferCommands: false,
    autoIndex: false,
    autoCreate: false,
    serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? 5_000,
  });
  await connection.asPromise();
  return connection;
}

/** Creates the declared indexes of each model (idempotent; never drops an index). */
export async function ensureIndexes(models: ReadonlyArray<Model<never>>): Promise<void> {
  for (const model of models) {
    await model.createCollection().catch((error: { codeName?: string }) => {
      if (error.codeName !== 'NamespaceExists') throw error;
    });
    await model.createIndexes();
  }
}

/** True when the server answers a ping. */
export async function pingMongo(connection: Connection): Promise<boolean> {
  if (connection.readyState !== 1 || !connection.db) return false;
  const answer = await connection.db.admin().ping();
  return answer.ok === 1;
}
