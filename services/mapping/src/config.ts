/** mapping's configuration: environment variables, validated at boot. */
import { commonServiceConfig, env, z } from '@mlc/config';

export const configSchema = z
  .object({
    ...commonServiceConfig,
    MLC_ADMIN_PORT: env.port(9402),
    /**
     * `f0901`: check every journal account against JDE's account master through AIS before proposing
     * (needs the token-broker); `off`: skip the check (JDE then rejects a bad account at posting time).
     */
    MLC_ACCOUNT_CHECK: z.enum(['f0901', 'off']).default('f0901'),
    /** How long the cached F0901 of a connection is used before it is read again. */
    MLC_F0901_REFRESH_MS: env.positiveInt(15 * 60_000),
    /** Daily sales summaries from amazon.orders.v1 (stored and exported as metrics); `off` ignores orders. */
    MLC_DAILY_SALES: z.enum(['on', 'off']).default('on'),
    MLC_TOKEN_BROKER_ADDRESS: z
      .string()
      .regex(/^[^:\s]+:\d+$/, 'expected host:port')
      .optional(),
    MLC_TOKEN_BROKER_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  })
  .superRefine((config, ctx) => {
    if (config.MLC_ACCOUNT_CHECK !== 'f0901') return;
    for (const name of ['MLC_TOKEN_BROKER_ADDRESS', 'MLC_TOKEN_BROKER_TOKEN'] as const) {
      if (!config[name])
        ctx.addIssue({ code: 'custom', path: [name], message: 'required while MLC_ACCOUNT_CHECK=f0901' });
    }
  });
export type MappingConfig = z.infer<typeof configSchema>;
