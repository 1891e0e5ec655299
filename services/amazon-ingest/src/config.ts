/** amazon-ingest's configuration: environment variables, validated at boot. */
import { commonServiceConfig, env, z } from '@mlc/config';

export const configSchema = z
  .object({
    ...commonServiceConfig,
    MLC_ADMIN_PORT: env.port(9401),
    /** How often each connection's settlement reports are polled; 0 turns polling off (imports only). */
    MLC_SPAPI_POLL_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(0)
      .default(15 * 60_000),
    /** host:port of the token-broker's gRPC server (connections and access tokens); needed to poll. */
    MLC_TOKEN_BROKER_ADDRESS: z
      .string()
      .regex(/^[^:\s]+:\d+$/, 'expected host:port')
      .optional(),
    MLC_TOKEN_BROKER_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
    /** How far back the first poll of a new connection looks for settlement reports (days). */
    MLC_SPAPI_INITIAL_LOOKBACK_DAYS: z.coerce.number().int().min(1).max(90).default(89),
    /** How often orders changed since the last poll are announced on amazon.orders.v1; 0: never. */
    MLC_ORDERS_POLL_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(0)
      .default(24 * 3600_000),
    /** How long after a payout closes its settlement report may take before it is reported missing. */
    MLC_SETTLEMENT_REPORT_GRACE_HOURS: z.coerce.number().positive().default(72),
    /** Virtual seconds per wall second of the SP-API rate limits: 1 in production; the simulator's scale in tests. */
    MLC_SPAPI_TIME_SCALE: z.coerce.number().positive().default(1),
    /** Listings (amazon.listing.v1) and FBA stock (amazon.stock.v1) polling; needs the token-broker. */
    MLC_ITEMS_POLLING: z.enum(['on', 'off']).default('on'),
    MLC_LISTINGS_POLL_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(1000)
      .default(15 * 60_000),
    MLC_STOCK_POLL_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(1000)
      .default(30 * 60_000),
    /** How far before the watermark an incremental pass starts again (late-visible changes). */
    MLC_ITEMS_OVERLAP_MS: z.coerce
      .number()
      .int()
      .min(0)
      .default(10 * 60_000),
    MLC_LISTINGS_FULL_PASS_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(60_000)
      .default(24 * 3600_000),
    MLC_STOCK_FULL_PASS_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(60_000)
      .default(24 * 3600_000),
    /** `<connectionId>=<sellerId>[,…]`: the merchant id the Listings API needs, for connections stored without one. */
    MLC_AMAZON_SELLER_IDS: z
      .string()
      .default('')
      .refine(
        (text) =>
          text.trim() === '' ||
          text
            .split(',')
            .every((pair) => /^\s*[A-Za-z0-9][A-Za-z0-9_-]{0,63}\s*=\s*[A-Za-z0-9]{1,40}\s*$/.test(pair)),
        'expected <connectionId>=<sellerId>[,<connectionId>=<sellerId>…] (seller ids are letters and digits)',
      )
      .transform(
        (text) =>
          new Map(
            text
              .split(',')
              .filter((pair) => pair.trim() !== '')
              .map((pair) => pair.split('=').map((part) => part.trim()) as [string, string]),
          ),
      ),
  })
  .superRefine((config, ctx) => {
    if (config.MLC_SPAPI_POLL_INTERVAL_MS > 0) {
      for (const name of ['MLC_TOKEN_BROKER_ADDRESS', 'MLC_TOKEN_BROKER_TOKEN'] as const) {
        if (!config[name])
          ctx.addIssue({
            code: 'custom',
            path: [name],
            message: 'required while polling is on (MLC_SPAPI_POLL_INTERVAL_MS > 0)',
          });
      }
    }
  });
export type AmazonIngestConfig = z.infer<typeof configSchema>;
