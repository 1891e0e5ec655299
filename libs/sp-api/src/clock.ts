/**
 * Time as the client sees it: a clock that reads milliseconds and sleeps.
 *
 * Production uses the real clock. Tests and the simulator's time-scaled runs use scaledClock, where
 * virtual time runs `factor` times faster than wall time, so Amazon's real rates (one request every
 * 45 s for getReports) are honoured exactly while a test waits milliseconds.
 */

export interface Clock {
  /** Milliseconds since the epoch, in this clock's time. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/** A clock whose time runs `factor` times faster than wall time, starting at wall time now. */
export function scaledClock(factor: number): Clock {
  if (!(factor > 0)) throw new RangeError(`time scale must be > 0, got ${factor}`);
  const origin = Date.now();
  const startedAt = performance.now();
  return {
    now: () => origin + (performance.now() - startedAt) * factor,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms / factor))),
  };
}
