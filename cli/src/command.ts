/** What a CLI command is, and the help printing shared by every group. */
import { type ParseArgsConfig, parseArgs } from 'node:util';

export interface Command {
  name: string;
  /** One line shown in the group's help. */
  summary: string;
  /** Usage line after `mlc <group> <command>`, e.g. "<file> [--json]". */
  usage: string;
  run(args: string[]): Promise<number>;
}

export interface CommandGroup {
  name: string;
  aliases?: string[];
  summary: string;
  commands: Command[];
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** node:util parseArgs, turning its errors into UsageError so the CLI exits 2 with help. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export function printTopHelp(groups: CommandGroup[]): void {
  const lines = ['usage: npm run mlc -- <group> <command> [options]', '', 'groups:'];
  for (const g of groups) lines.push(`  ${g.name.padEnd(14)} ${g.summary}`);
  lines.push('', 'Run `npm run mlc -- <group> --help` for its commands.');
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function printGroupHelp(group: CommandGroup, only?: Command): void {
  const commands = only ? [only] : group.commands;
  const lines = [`${group.name}: ${group.summary}`, ''];
  for (const c of commands) lines.push(`  mlc ${group.name} ${c.name} ${c.usage}`, `      ${c.summary}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
