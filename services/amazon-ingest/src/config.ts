/** amazon-ingest's configuration: environment variables, validated at boot. */
import { commonServiceConfig, env, z } from '@mlc/config';

export const configSchema = z.object({
  ...commonServiceConfig,
  MLC_ADMIN_PORT: env.port(9401),
});
export type AmazonIngestConfig = z.infer<typeof configSchema>;
