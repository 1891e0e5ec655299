/**
 * mlc — the operator CLI. One entry (`npm run mlc -- <group> <command> …`); each command group is a
 * module under commands/ that registers its commands here. Exit codes: 0 success, 1 the operation
 * failed (the message says why), 2 usage error.
 */

import { type CommandGroup, printGroupHelp, printTopHelp, UsageError } from './command.js';
import { commandGroups } from './commands/index.js';

async function main(argv: string[]): Promise<number> {
  const [groupName, commandName, ...rest] = argv;
  if (!groupName || groupName === '--help' || groupName === '-h' || groupName === 'help') {
    printTopHelp(commandGroups);
    return groupName ? 0 : 2;
  }
  const group: CommandGroup | undefined = commandGroups.find(
    (g) => g.name === groupName || g.aliases?.includes(groupName),
  );
  if (!group) {
    process.stderr.write(`mlc: unknown command group "${groupName}"\n`);
    printTopHelp(commandGroups);
    return 2;
  }
  const command = group.commands.find((c) => c.name === commandName);
  if (!command || rest.includes('--help') || rest.includes('-h')) {
    if (commandName && commandName !== '--help' && !command)
      process.stderr.write(`mlc: unknown command "${groupName} ${commandName}"\n`);
    printGroupHelp(group, command);
    return command || commandName === '--help' ? 0 : 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`mlc ${group.name} ${command.name}: ${error.message}\n`);
      printGroupHelp(group, command);
      return 2;
    }
    process.stderr.write(
      `mlc ${group.name} ${command.name}: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 1;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
