/**
 * token-broker's configuration: environment variables, validated at boot. The master keys and the
 * client tokens are checked here so a misconfigured pod stops with a message naming the variable
 * and the problem (never the key material or a token).
 */
import { commonServiceConfig, env, z } from '@mlc/config';
import { parseMasterKeys } from '@mlc/credentials';
import { registerSecret } from '@mlc/observability';

const MIN_CLIENT_TOKEN_LENGTH = 16;

export const configSchema = z
  .object({
    ...commonServiceConfig,
    MLC_ADMIN_PORT: env.port(9404),
    MLC_GRPC_HOST: z.string().default('0.0.0.0'),
    MLC_GRPC_PORT: env.port(50051),
    /** `keyId:base64(32 bytes)[,keyId:base64…]`: every key that may still be needed to decrypt. */
    MLC_MASTER_KEYS: z.string().superRefine((value, ctx) => {
      for (const problem of parseMasterKeys(value).problems)
        ctx.addIssue({ code: 'custom', message: problem });
    }),
    /** The key new and rotated values are encrypted under. */
    MLC_ACTIVE_KEY_ID: z.string().min(1),
    /** Bearer secrets callers present in `authorization: Bearer <token>`; comma-separated. */
    MLC_BROKER_CLIENT_TOKENS: z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((token) => token.trim())
          .filter((token) => token !== ''),
      )
      .superRefine((tokens, ctx) => {
        if (tokens.length === 0)
          ctx.addIssue({ code: 'custom', message: 'at least one client token is required' });
        tokens.forEach((token, i) => {
          registerSecret(token);
          if (token.length < MIN_CLIENT_TOKEN_LENGTH) {
            ctx.addIssue({
              code: 'custom',
              message: `token ${i + 1} is shorter than ${MIN_CLIENT_TOKEN_LENGTH} characters`,
            });
          }
        });
      }),
    /** Refresh an access token this many seconds before it expires. */
    MLC_TOKEN_REFRESH_MARGIN_S: z.coerce.number().int().min(0).default(300),
    /** Log in to AIS again after this many seconds (0: reuse a session until reported invalid). */
    MLC_JDE_SESSION_MAX_AGE_S: z.coerce.number().int().min(0).default(0),
    /** Timeout of one call to LWA or to the AIS Server. */
    MLC_UPSTREAM_TIMEOUT_MS: env.positiveInt(10_000),
  })
  .superRefine((config, ctx) => {
    const { keys } = parseMasterKeys(config.MLC_MASTER_KEYS);
    if (keys.size > 0 && !keys.has(config.MLC_ACTIVE_KEY_ID)) {
      ctx.addIssue({
        code: 'custom',
        path: ['MLC_ACTIVE_KEY_ID'],
        message: `"${config.MLC_ACTIVE_KEY_ID}" is not a key id in MLC_MASTER_KEYS (${[...keys.keys()].join(', ')})`,
      });
    }
  });
export type TokenBrokerConfig = z.infer<typeof configSchema>;
