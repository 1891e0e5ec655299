/**
 * Test helpers shared by the suites: where the real local stack is (the broker and FerretDB that
 * `make infra-up` starts), unique names so suites never see each other's data, and polling.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The read-only reference folder beside the repository (absent in a user's clone). */
export const sharedDir = path.resolve(repoRoot, '..', 'shared');
export const sharedAbsentReason = `skipped: ${sharedDir} is absent (it exists only beside the team's own checkouts)`;
export function sharedAvailable(): boolean {
  return existsSync(sharedDir);
}

export const kafkaBrokers = (process.env.MLC_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const mongoBaseUrl = process.env.MLC_MONGO_URL_BASE ?? 'mongodb://127.0.0.1:27017';

/** A name no other test run uses: `<prefix>-<random>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** A database URL on the local FerretDB for a fresh database. */
export function uniqueMongoUrl(prefix = 'mlctest'): string {
  return `${mongoBaseUrl}/${uniqueName(prefix).replace(/-/g, '_')}`;
}

/** Polls until `probe` returns a truthy value, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T> | T,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
