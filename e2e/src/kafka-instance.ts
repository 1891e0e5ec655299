/**
 * A Kafka broker of one test's own, beside the shared one on 9092: `infra/local/infra.sh kafka-up`
 * with its own ports and instance directory (MLC_KAFKA_DIR), so the test can stop and start it
 * without touching other runs. The jars are the shared ones `make infra-up` resolved.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, repoRoot } from '@mlc/testkit';

const run = promisify(execFile);
const INFRA_SH = path.join(repoRoot, 'infra/local/infra.sh');

export class KafkaInstance {
  private constructor(
    /** Holds the broker's config, data, log (broker.log) and pid. */
    readonly dir: string,
    private readonly port: number,
    private readonly controllerPort: number,
  ) {}

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  get logFile(): string {
    return path.join(this.dir, 'broker.log');
  }

  /** Formats a fresh instance in `dir` (anything there is removed) and starts it. */
  static async start(dir: string): Promise<KafkaInstance> {
    rmSync(dir, { recursive: true, force: true });
    const instance = new KafkaInstance(dir, await freePort(), await freePort());
    await instance.up();
    return instance;
  }

  /** Starts the broker (idempotent); its data survives a stop. */
  async up(): Promise<void> {
    await this.infra('kafka-up');
  }

  /** Stops the broker: SIGTERM, SIGKILL after 30 s. */
  async down(): Promise<void> {
    await this.infra('kafka-down');
  }

  /** Stops the broker and removes its data (the log stays for reading). */
  async destroy(): Promise<void> {
    await this.down();
    rmSync(path.join(this.dir, 'data'), { recursive: true, force: true });
  }

  private async infra(command: string): Promise<void> {
    try {
      await run('bash', [INFRA_SH, command], {
        env: {
          ...process.env,
          MLC_KAFKA_DIR: this.dir,
          MLC_KAFKA_PORT: String(this.port),
          MLC_KAFKA_CONTROLLER_PORT: String(this.controllerPort),
        },
        timeout: 120_000,
      });
    } catch (error) {
      const { stderr } = error as { stderr?: string };
      throw new Error(`infra.sh ${command} for the broker in ${this.dir} failed: ${stderr ?? error}`);
    }
  }
}
