/** Every command group of the CLI, in the order `mlc --help` lists them. */
import type { CommandGroup } from '../command.js';
import { connectionsCommands } from './connections.js';
import { dailySalesCommands } from './daily-sales.js';
import { itemsCommands } from './items.js';
import { keysCommands } from './keys.js';
import { mappingsCommands } from './mappings.js';
import { replayCommands } from './replay.js';
import { settlementCommands } from './settlement.js';
import { setupCommands } from './setup.js';

export const commandGroups: CommandGroup[] = [
  replayCommands,
  settlementCommands,
  mappingsCommands,
  itemsCommands,
  dailySalesCommands,
  keysCommands,
  connectionsCommands,
  setupCommands,
];
