/** token-broker's configuration: environment variables, validated at boot. */
import { commonServiceConfig, env, z } from '@mlc/config';

export const configSchema = z.object({
  ...commonServiceConfig,
  MLC_ADMIN_PORT: env.port(9404),
  MLC_GRPC_HOST: z.string().default('0.0.0.0'),
  MLC_GRPC_PORT: env.port(50051),
});
export type TokenBrokerConfig = z.infer<typeof configSchema>;
