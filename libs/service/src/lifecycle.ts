/**
 * Start-up and graceful shutdown in order.
 *
 * A service acquires its resources one by one and registers how to release each; shutdown releases
 * them in reverse order (last acquired, first released) after readiness is turned off. So a typical
 * service stops its Kafka consumer (committing processed offsets) before closing MongoDB.
 */
import type { Logger } from '@mlc/observability';

type Release = () => Promise<void> | void;

export class Lifecycle {
  #accepting = false;
  #releases: Array<{ name: string; release: Release }> = [];
  #stopping: Promise<void> | undefined;

  constructor(private readonly logger: Logger) {}

  /** True once start-up finished and until shutdown begins. */
  get accepting(): boolean {
    return this.#accepting;
  }

  markStarted(): void {
    this.#accepting = true;
  }

  /**
   * Registers how to release a resource. Once shutdown has begun (a stop during start-up), a resource
   * acquired late is released at once instead of being left open.
   */
  onShutdown(name: string, release: Release): void {
    if (this.#stopping) {
      void this.#release(name, release);
      return;
    }
    this.#releases.push({ name, release });
  }

  /** Runs every release in reverse order; a failing release is logged and the rest still run. */
  shutdown(reason: string): Promise<void> {
    this.#stopping ??= this.#run(reason);
    return this.#stopping;
  }

  async #run(reason: string): Promise<void> {
    this.#accepting = false;
    this.logger.info({ reason }, 'shutting down');
    for (const { name, release } of this.#releases.reverse()) await this.#release(name, release);
    this.#releases = [];
  }

  async #release(name: string, release: Release): Promise<void> {
    try {
      await release();
      this.logger.info({ step: name }, 'released');
    } catch (error) {
      this.logger.error({ step: name, err: error }, 'release failed');
    }
  }
}
