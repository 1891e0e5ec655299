/** Process entry of jde-poster. */
import { runServiceProcess } from '@mlc/service';
import { jdePoster } from './service.js';

await runServiceProcess(jdePoster);
