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

  constructor(
    private readonly options: BreakerOptions,
    registry: Registry,
  ) {
    const breakers = this.#breakers;
    // Counted at scrape time: opossum emits 'open' again when a half-open trial call fails, so
    // counting open/close events would leave the gauge above 0 after the breaker closed.
    new Gauge({
      name: 'mlc_jde_breakers_open',
      help: 'AIS servers whose circuit breaker is open or half-open (calls fail fast).',
      registers: [registry],
      collect() {
        this.set([...breakers.values()].filter((breaker) => !breaker.closed).length);
      },
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
      this.#breakers.set(server, breaker);
    }
    return breaker;
  }

  shutdown(): void {
    for (const breaker of this.#breakers.values()) breaker.shutdown();
  }
}
