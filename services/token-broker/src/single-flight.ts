/**
 * Single-flight: however many callers ask for the same key at once, one piece of work runs and all
 * of them get its result (or its error). The next call after it settled starts new work.
 */
export class SingleFlight<V> {
  readonly #inFlight = new Map<string, Promise<V>>();

  run(key: string, work: () => Promise<V>): Promise<V> {
    const running = this.#inFlight.get(key);
    if (running) return running;
    const promise = Promise.resolve()
      .then(work)
      .finally(() => {
        if (this.#inFlight.get(key) === promise) this.#inFlight.delete(key);
      });
    this.#inFlight.set(key, promise);
    return promise;
  }

  /** How many keys have work running. */
  get size(): number {
    return this.#inFlight.size;
  }
}

/** Milliseconds since the epoch; injected so tests can move time. */
export type Clock = () => number;
export const systemClock: Clock = () => Date.now();
