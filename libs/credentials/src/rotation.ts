/**
 * Master-key rotation: re-encrypts every stored connection under the keyring's active key, one
 * document at a time with a conditional update (FerretDB v1 has no transactions). Until a document
 * is rewritten its old key still decrypts it, so rotation can stop half-way and be run again; a
 * second run changes nothing. One failing document (its key no longer configured, a tampered value)
 * is reported and does not stop the others.
 */
import type { ConnectionStore } from './connections-store.js';
import type { Keyring } from './keyring.js';

export interface RotationReport {
  activeKeyId: string;
  dryRun: boolean;
  scanned: number;
  /** Re-encrypted by this run (0 in a dry run). */
  rotated: number;
  /** Found under another key: rotated, or in a dry run what would be. */
  needingRotation: number;
  alreadyCurrent: number;
  /** Deleted while the run was going. */
  vanished: number;
  failed: Array<{ connectionId: string; reason: string }>;
}

export async function rotateKeys(
  store: ConnectionStore,
  keyring: Keyring,
  options: { dryRun?: boolean } = {},
): Promise<RotationReport> {
  const dryRun = options.dryRun ?? false;
  const report: RotationReport = {
    activeKeyId: keyring.activeKeyId,
    dryRun,
    scanned: 0,
    rotated: 0,
    needingRotation: 0,
    alreadyCurrent: 0,
    vanished: 0,
    failed: [],
  };
  for (const connectionId of await store.ids()) {
    report.scanned++;
    try {
      const outcome = await store.reencrypt(connectionId, keyring, { dryRun });
      if (outcome === 'rotated') {
        report.rotated++;
        report.needingRotation++;
      } else if (outcome === 'would-rotate') report.needingRotation++;
      else if (outcome === 'current') report.alreadyCurrent++;
      else report.vanished++;
    } catch (error) {
      report.failed.push({ connectionId, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  if (!dryRun) {
    const { failed, ...counts } = report;
    await store.audit('keys.rotated', undefined, {
      ...counts,
      failed: failed.length,
      failedConnectionIds: failed.map((f) => f.connectionId),
    });
  }
  return report;
}
