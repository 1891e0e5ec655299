/** Process entry of amazon-ingest. */
import { runServiceProcess } from '@mlc/service';
import { amazonIngest } from './service.js';

await runServiceProcess(amazonIngest);
