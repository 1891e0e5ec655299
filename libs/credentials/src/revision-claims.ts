/**
 * Compare-and-set for connection documents on FerretDB v1. There, a conditional update is not
 * atomic: measured on the local stack, several racers running updateOne or findOneAndUpdate with
 * the same `{revision: r}` filter all succeed. Inserting a document with a unique _id is atomic, so
 * a writer first claims the revision it will write (`<connectionId>#<r+1>` in
 * `connection_revisions`); only the claimant writes it. A claim left by a writer that died before
 * writing goes stale after `staleMs`, and the next writer skips past it to the following revision.
 */
import type { Connection } from 'mongoose';

interface Claim {
  _id: string;
  connectionId: string;
  revision: number;
  at: Date;
}

export class RevisionClaims {
  constructor(
    private readonly connection: Connection,
    private readonly staleMs = 30_000,
    private readonly now: () => Date = () => new Date(),
  ) {}

  #collection() {
    const db = this.connection.db;
    if (!db) throw new Error('MongoDB connection is not open');
    return db.collection<Claim>('connection_revisions');
  }

  /**
   * Claims the next revision after `current`: its number, or null when another writer holds a
   * fresh claim on it (re-read the document and try again).
   */
  async claimNext(connectionId: string, current: number): Promise<number | null> {
    const claims = this.#collection();
    for (let revision = current + 1; revision <= current + 10; revision++) {
      try {
        await claims.insertOne({
          _id: `${connectionId}#${revision}`,
          connectionId,
          revision,
          at: this.now(),
        });
        return revision;
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
      }
      const held = await claims.findOne({ _id: `${connectionId}#${revision}` });
      if (held && this.now().getTime() - held.at.getTime() < this.staleMs) return null;
    }
    return null;
  }

  /** Drops the claims below `revision` (best effort: they can no longer be contended). */
  async prune(connectionId: string, revision: number): Promise<void> {
    await this.#collection()
      .deleteMany({ connectionId, revision: { $lt: revision } })
      .catch(() => {});
  }

  /** Drops every claim of a connection (it was deleted). */
  async clear(connectionId: string): Promise<void> {
    await this.#collection()
      .deleteMany({ connectionId })
      .catch(() => {});
  }
}
