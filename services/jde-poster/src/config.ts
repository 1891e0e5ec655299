/** jde-poster's configuration: environment variables, validated at boot. */
import { commonServiceConfig, env, z } from '@mlc/config';

export const configSchema = z.object({
  ...commonServiceConfig,
  MLC_ADMIN_PORT: env.port(9403),
  /** host:port of the token-broker's gRPC server. */
  MLC_TOKEN_BROKER_ADDRESS: z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port'),
  /** Bearer secret this service presents to the token-broker. */
  MLC_TOKEN_BROKER_TOKEN: z.string().min(16, 'at least 16 characters'),
  /** Journals posted at the same time per AIS server (also the Kafka partitions processed at once). */
  MLC_AIS_CONCURRENCY: env.positiveInt(4),
  /** Per AIS call; a call that times out after sending is an unknown outcome, settled by F0911. */
  MLC_AIS_TIMEOUT_MS: env.positiveInt(60_000),
  /**
   * Added to the timeout to make an attempt's lease: how long after another process claimed an
   * attempt this one waits before reading F0911 for it (JDE may finish a write after the caller gave up).
   */
  MLC_AIS_LEASE_MARGIN_MS: env.positiveInt(30_000),
  /** The breaker opens when this share of recent calls failed, and tries again after the reset time. */
  MLC_AIS_BREAKER_ERROR_PERCENT: env.positiveInt(50),
  MLC_AIS_BREAKER_RESET_MS: env.positiveInt(30_000),
  /** The journal-entry orchestration (docs/jde-orchestration.md). */
  MLC_JDE_ORCHESTRATION: z.string().min(1).default('ORCH_MLC_AddJournalEntry'),
  MLC_JDE_INPUT_FORMAT: z.enum(['JDE Standard', 'Generic']).default('JDE Standard'),
  MLC_JDE_REFERENCE_FIELD: z.enum(['EXR', 'EXA', 'VR01']).default('EXR'),
  /** How often the settlements not posted are counted for mlc_settlements_not_posted_* (unposted-watch.ts). */
  MLC_UNPOSTED_CHECK_MS: env.positiveInt(60_000),
});
export type JdePosterConfig = z.infer<typeof configSchema>;
