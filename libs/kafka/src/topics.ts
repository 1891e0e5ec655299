/**
 * Topic creation. Every topic a service produces or consumes is created explicitly with its
 * declared partition count (auto-creation is off on our brokers), together with its dead-letter twin.
 */
import type { TopicSpec } from '@mlc/events';
import type { Admin } from 'kafkajs';

export const DEAD_LETTER_SUFFIX = '.dlt';

export function deadLetterTopic(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

export interface EnsureTopicsOptions {
  replicationFactor?: number;
}

/** Creates the topics and their dead-letter twins that do not exist yet; returns the names it created. */
export async function ensureTopics(
  admin: Admin,
  specs: ReadonlyArray<Pick<TopicSpec<unknown>, 'name' | 'partitions'>>,
  options: EnsureTopicsOptions = {},
): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const wanted = specs.flatMap((spec) => [
    { topic: spec.name, numPartitions: spec.partitions },
    { topic: deadLetterTopic(spec.name), numPartitions: 1 },
  ]);
  const missing = wanted.filter((t) => !existing.has(t.topic));
  if (missing.length === 0) return [];
  await admin.createTopics({
    waitForLeaders: true,
    topics: missing.map((t) => ({ ...t, replicationFactor: options.replicationFactor ?? -1 })),
  });
  return missing.map((t) => t.topic);
}
