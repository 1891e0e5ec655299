/**
 * One circuit breaker and one concurrency limit per AIS server. When a customer's AIS Server is
 * down, calls fail fast instead of piling up; the consumer's retry backs off and the messages wait
 * in Kafka. Business rejections are JDE working correctly, so they do not count as failures.
 */
import { AisError } from '@mlc/ais';
import CircuitBreaker from 'opossum';
import { Gauge, type Registry } from 'prom-client';

export interface BreakerOptions {
  errorThresholdPercentage: number;
  resetTimeout: number;
  concurrency: number;
}

export class AisGuards {
  readonly #breakers = new Map<string, CircuitBreaker<[() => Promise<unknown>], unknown>>();
  readonly #open: Gauge;

  constructor(
    private readonly options: BreakerOptions,
    registry: Registry,
  ) {
    this.#open = new Gauge({
      name: 'mlc_jde_breakers_open',
      help: 'AIS servers whose circuit breaker is open (calls fail fast).',
      registers: [registry],
    });
  }

  /** Runs `call` through the breaker of `server`, at most `concurrency` at a time per server. */
  run<T>(server: string, call: () => Promise<T>): Promise<T> {
    return this.#breaker(server).fire(call) as Promise<T>;
  }

  #breaker(server: string) {
    let breaker = this.#breakers.get(server);
    if (!breaker) {
      breaker = new CircuitBreaker((call: () => Promise<unknown>) => call(), {
        timeout: false,
        errorThresholdPercentage: this.options.errorThresholdPercentage,
        resetTimeout: this.options.resetTimeout,
        volumeThreshold: 5,
        capacity: this.options.concurrency,
        errorFilter: (error: unknown) =>
          error instanceof AisError && (error.kind === 'business' || error.kind === 'validation'),
      });
      breaker.on('open', () => this.#open.inc());
      breaker.on('close', () => this.#open.dec());
      this.#breakers.set(server, breaker);
    }
    return breaker;
  }

  shutdown(): void {
    for (const breaker of this.#breakers.values()) breaker.shutdown();
  }
}
