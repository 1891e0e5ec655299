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
    /**
     * Kill switch for daily sales: `on` keeps summaries from amazon.orders.v1 (stored and exported as
     * metrics) and posts closed days to the memo ledger for connections whose daily sales settings
     * are enabled; `off` ignores orders and posts nothing for any connection.
     */
    MLC_DAILY_SALES: z.enum(['on', 'off']).default('on'),
    /**
     * How often enabled connections' days are checked for closing; a closed day is proposed for the
     * memo ledger once its summary has not changed for this long (a burst of late orders lands whole).
     */
    MLC_DAILY_SALES_SWEEP_MS: env.positiveInt(5 * 60_000),
    /**
     * `on`: match listings' seller SKUs to JDE items (F4101/F4104 through AIS; needs the token-broker),
     * keep FBA stock per SKU and propose missing cross references (docs/mapping.md "Items"); `off`: ignore
     * amazon.listing.v1 and amazon.stock.v1.
     */
    MLC_ITEM_MATCHING: z.enum(['on', 'off']).default('on'),
    /** How long an F4101/F4104 answer (including "not found") is reused before AIS is asked again. */
    MLC_ITEM_CACHE_MS: env.positiveInt(10 * 60_000),
    /** How often the item metrics (stock per marketplace, SKUs by match status) are recomputed from MongoDB. */
    MLC_ITEM_METRICS_REFRESH_MS: env.positiveInt(30_000),
    MLC_TOKEN_BROKER_ADDRESS: z
      .string()
      .regex(/^[^:\s]+:\d+$/, 'expected host:port')
      .optional(),
    MLC_TOKEN_BROKER_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  })
  .superRefine((config, ctx) => {
    const needs = [
      config.MLC_ACCOUNT_CHECK === 'f0901' ? 'MLC_ACCOUNT_CHECK=f0901' : '',
      config.MLC_ITEM_MATCHING === 'on' ? 'MLC_ITEM_MATCHING=on' : '',
    ].filter(Boolean);
    if (needs.length === 0) return;
    for (const name of ['MLC_TOKEN_BROKER_ADDRESS', 'MLC_TOKEN_BROKER_TOKEN'] as const) {
      if (!config[name])
        ctx.addIssue({ code: 'custom', path: [name], message: `required while ${needs.join(' or ')}` });
    }
  });
export type MappingConfig = z.infer<typeof configSchema>;
