/** Process entry of token-broker. */
import { runServiceProcess } from '@mlc/service';
import { tokenBroker } from './service.js';

await runServiceProcess(tokenBroker);
