/** Every command group of the CLI, in the order `mlc --help` lists them. */
import type { CommandGroup } from '../command.js';

export const commandGroups: CommandGroup[] = [];
