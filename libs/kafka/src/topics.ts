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
  /** How long to wait for every partition to have a leader (default 30 s). */
  timeoutMs?: number;
}

/**
 * Creates the topics and their dead-letter twins that do not exist yet, and waits until every
 * partition of all of them has a leader — services start side by side, and a topic another one has
 * just created is listed before the broker serves it. Returns the names this call created.
 */
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
  let created: string[] = [];
  if (missing.length > 0) {
    // false when another client created some of them first: that is fine. kafkajs's own wait for
    // leaders gives up at once when the metadata does not list a just-created topic yet
    // (UNKNOWN_TOPIC_OR_PARTITION, seen on a busy fresh broker), so the wait below does it.
    await admin.createTopics({
      waitForLeaders: false,
      topics: missing.map((t) => ({ ...t, replicationFactor: options.replicationFactor ?? -1 })),
    });
    created = missing.map((t) => t.topic);
  }
  await waitForLeaders(
    admin,
    wanted.map((t) => t.topic),
    options.timeoutMs ?? 30_000,
  );
  return created;
}

async function waitForLeaders(admin: Admin, topics: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      if (metadata.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline)
      throw new Error(`topics not ready within ${timeoutMs} ms: ${topics.join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
