/**
 * `mlc keys …`: the master keys that encrypt stored credentials. `rotate` re-encrypts every
 * connection under the active key (MLC_ACTIVE_KEY_ID), one document at a time; documents not yet
 * rotated stay readable with their old key, so it can be interrupted and run again. Procedure:
 * add the new key to MLC_MASTER_KEYS and make it active for the token-broker, run `keys rotate`
 * with the same variables, then drop the old key.
 */
import { ConnectionStore, Keyring, type RotationReport, rotateKeys } from '@mlc/credentials';
import { connectMongo } from '@mlc/mongo';
import { type CommandGroup, parseCommandArgs, UsageError } from '../command.js';

function mongoUrl(): string {
  const url = process.env.MLC_MONGO_URL;
  if (!url) throw new UsageError('MLC_MONGO_URL is not set (mongodb://…/<database> of the token-broker)');
  if (!/^mongodb(\+srv)?:\/\//.test(url)) throw new UsageError('MLC_MONGO_URL: expected a mongodb:// URL');
  return url;
}

function operator(): string {
  return `operator:${process.env.USER ?? process.env.LOGNAME ?? 'unknown'}`;
}

function printReport(report: RotationReport): void {
  const lines = [
    `keys rotate: active key "${report.activeKeyId}"${report.dryRun ? ' — dry run, nothing changed' : ''}`,
    `  connections scanned:  ${report.scanned}`,
    `  under another key:    ${report.needingRotation}`,
    `  rotated:              ${report.rotated}`,
    `  already current:      ${report.alreadyCurrent}`,
    ...(report.vanished ? [`  deleted meanwhile:    ${report.vanished}`] : []),
    `  failed:               ${report.failed.length}`,
    ...report.failed.map((f) => `    ${f.connectionId}: ${f.reason}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export const keysCommands: CommandGroup = {
  name: 'keys',
  summary: 'master keys of the encrypted credentials (rotation)',
  commands: [
    {
      name: 'rotate',
      usage: '[--dry-run] [--json]',
      summary:
        're-encrypt every connection under MLC_ACTIVE_KEY_ID (needs MLC_MONGO_URL, MLC_MASTER_KEYS with the old and new keys); exits 1 if any connection failed',
      async run(args) {
        const { values, positionals } = parseCommandArgs(args, {
          'dry-run': { type: 'boolean' },
          json: { type: 'boolean' },
        });
        if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
        const url = mongoUrl();
        const keyring = Keyring.fromEnv(process.env);
        const connection = await connectMongo({ url });
        try {
          const store = new ConnectionStore(connection, keyring, { actor: operator() });
          const report = await rotateKeys(store, keyring, { dryRun: values['dry-run'] ?? false });
          if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
          else printReport(report);
          return report.failed.length > 0 ? 1 : 0;
        } finally {
          await connection.close();
        }
      },
    },
  ],
};
