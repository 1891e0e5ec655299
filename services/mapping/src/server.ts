/** Process entry of mapping. */
import { runServiceProcess } from '@mlc/service';
import { mapping } from './service.js';

await runServiceProcess(mapping);
