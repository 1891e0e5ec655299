/**
 * `mlc connections …`: manage sellers' connections through the token-broker's gRPC API (the broker
 * validates, encrypts and audits; the CLI never sees the master keys for this). Secrets are read
 * from a JSON file or stdin, never from the command line where shell history and `ps` would keep
 * them. Needs MLC_TOKEN_BROKER_ADDRESS (default 127.0.0.1:50051) and MLC_TOKEN_BROKER_TOKEN.
 */
import { readFile } from 'node:fs/promises';
import {
  type BrokerConnection,
  type ConnectionInput,
  createTokenBrokerClient,
  type TokenBrokerClient,
} from '@mlc/token-broker-client';
import { type CommandGroup, parseCommandArgs, UsageError } from '../command.js';
import { testConnection } from './connection-test.js';

function brokerClient(): TokenBrokerClient {
  const token = process.env.MLC_TOKEN_BROKER_TOKEN;
  if (!token)
    throw new UsageError('MLC_TOKEN_BROKER_TOKEN is not set (one of the broker’s MLC_BROKER_CLIENT_TOKENS)');
  return createTokenBrokerClient({
    address: process.env.MLC_TOKEN_BROKER_ADDRESS ?? '127.0.0.1:50051',
    token,
  });
}

async function withClient<T>(work: (client: TokenBrokerClient) => Promise<T>): Promise<T> {
  const client = brokerClient();
  try {
    return await work(client);
  } finally {
    client.close();
  }
}

async function readInput(file: string): Promise<ConnectionInput> {
  const text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file === '-' ? 'stdin' : file}: not JSON (${(error as Error).message})`);
  }
  if (
    parsed === null ||
    typeof parsed !== 'object' ||
    typeof (parsed as ConnectionInput).connectionId !== 'string'
  ) {
    throw new UsageError(`${file === '-' ? 'stdin' : file}: expected an object with "connectionId"`);
  }
  return parsed as ConnectionInput;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function describe(c: BrokerConnection): string {
  const parts = [
    c.connectionId.padEnd(24),
    `key ${c.keyId}`.padEnd(12),
    c.hasAmazon
      ? `amazon ${c.regions.join('+')} ${c.marketplaceIds.join(',')}${c.amazonSellerId ? ` seller ${c.amazonSellerId}` : ''}`
      : 'amazon -',
    c.hasJde ? `jde ${c.jdeUsername}@${c.aisBaseUrl} ${c.jdeEnvironment}` : 'jde -',
  ];
  return `${parts.join('  ')}${c.displayName ? `  (${c.displayName})` : ''}`;
}

const fileOption = { file: { type: 'string' as const } };

export const connectionsCommands: CommandGroup = {
  name: 'connections',
  summary: 'sellers’ Amazon/JDE connections held by the token-broker (secrets never shown)',
  commands: [
    {
      name: 'test',
      usage: '<connectionId> [--json]',
      summary:
        'ping Amazon (LWA + SP-API) and the AIS Server (login + F0901) with the stored credentials; says exactly what failed',
      async run(args) {
        const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } });
        const connectionId = positionals[0];
        if (!connectionId) throw new UsageError('give the connection id');
        const results = await withClient((client) => testConnection(client, connectionId));
        if (values.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
        else
          for (const r of results)
            process.stdout.write(`${r.ok ? '✓' : '✗'} ${r.step.padEnd(12)} ${r.detail}\n`);
        return results.every((r) => r.ok) ? 0 : 1;
      },
    },
    {
      name: 'list',
      usage: '[--json]',
      summary: 'list connections without their secrets',
      async run(args) {
        const { values } = parseCommandArgs(args, { json: { type: 'boolean' } });
        const connections = await withClient((client) => client.listConnections());
        if (values.json) process.stdout.write(`${JSON.stringify(connections, null, 2)}\n`);
        else process.stdout.write(`${connections.map(describe).join('\n') || '(no connections)'}\n`);
        return 0;
      },
    },
    {
      name: 'add',
      usage: '--file <connection.json | ->',
      summary:
        'create a connection from JSON {connectionId, displayName, amazon:{lwaClientId, lwaClientSecret, refreshToken, regions, marketplaceIds, sellerId}, jde:{aisBaseUrl, username, password, environment, role, deviceName}}',
      async run(args) {
        const { values } = parseCommandArgs(args, fileOption);
        if (!values.file) throw new UsageError('--file is required (use - for stdin)');
        const input = await readInput(values.file);
        const created = await withClient((client) => client.createConnection(input));
        process.stdout.write(`created ${describe(created)}\n`);
        return 0;
      },
    },
    {
      name: 'update',
      usage: '--file <connection.json | ->',
      summary:
        'change a connection: parts left out are kept; an empty secret in a given part keeps the stored one',
      async run(args) {
        const { values } = parseCommandArgs(args, fileOption);
        if (!values.file) throw new UsageError('--file is required (use - for stdin)');
        const { connectionId, ...patch } = await readInput(values.file);
        const updated = await withClient((client) => client.updateConnection(connectionId, patch));
        process.stdout.write(`updated ${describe(updated)}\n`);
        return 0;
      },
    },
    {
      name: 'delete',
      usage: '<connection-id>',
      summary: 'delete a connection and its stored credentials',
      async run(args) {
        const { positionals } = parseCommandArgs(args, {});
        const id = positionals[0];
        if (!id || positionals.length > 1) throw new UsageError('give exactly one connection id');
        const deleted = await withClient((client) => client.deleteConnection(id));
        process.stdout.write(deleted ? `deleted ${id}\n` : `no connection ${id}\n`);
        return deleted ? 0 : 1;
      },
    },
  ],
};
