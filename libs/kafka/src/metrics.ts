/**
 * Metrics shared by every consumer of a process: each is created once per registry (several consumers
 * register into one service registry, and prom-client refuses a second metric of the same name).
 */
import type { Registry } from 'prom-client';

/** A getter that builds the metric on first use for a registry and returns that one afterwards. */
export function oncePerRegistry<M>(create: (registry: Registry) => M): (registry: Registry) => M {
  const made = new WeakMap<Registry, M>();
  return (registry) => {
    let metric = made.get(registry);
    if (!metric) {
      metric = create(registry);
      made.set(registry, metric);
    }
    return metric;
  };
}
