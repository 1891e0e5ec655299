/**
 * The operator's replay primitive: move a consumer group's committed offsets on one topic — to the
 * earliest retained message, to the first message at or after a moment, or by N messages — so the
 * group reprocesses (or skips) messages. Replays are safe because every consumer is idempotent.
 *
 * Dry-run by default: the plan (current → target per partition) is returned and nothing changes
 * unless `execute` is true. Refused while the group has active members, as Kafka's own
 * kafka-consumer-groups tool does, because a live consumer would overwrite the new offsets.
 */
import type { Admin } from 'kafkajs';

export type ResetTarget =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'datetime'; at: Date }
  | { kind: 'shift'; by: number };

export interface ResetRequest {
  groupId: string;
  topic: string;
  to: ResetTarget;
  execute?: boolean;
}

export interface PartitionPlan {
  partition: number;
  /** Committed offset, or null when the group has none for this partition. */
  current: string | null;
  target: string;
  low: string;
  high: string;
}

export interface ResetPlan {
  groupId: string;
  topic: string;
  groupState: string;
  executed: boolean;
  partitions: PartitionPlan[];
}

export class GroupActiveError extends Error {
  override name = 'GroupActiveError';
}

export async function resetOffsets(admin: Admin, request: ResetRequest): Promise<ResetPlan> {
  const { groupId, topic, to } = request;
  const { groups } = await admin.describeGroups([groupId]);
  const group = groups[0];
  const groupState = group?.state ?? 'Dead';
  if (group && group.members.length > 0) {
    throw new GroupActiveError(
      `consumer group "${groupId}" has ${group.members.length} active member(s) (state ${groupState}); stop its consumers before resetting offsets`,
    );
  }

  const watermarks = await admin.fetchTopicOffsets(topic);
  const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
  const currentByPartition = new Map(
    (committed[0]?.partitions ?? []).map((p) => [p.partition, p.offset === '-1' ? null : p.offset]),
  );
  const byTimestamp =
    to.kind === 'datetime'
      ? new Map(
          (await admin.fetchTopicOffsetsByTimestamp(topic, to.at.getTime())).map((p) => [
            p.partition,
            p.offset,
          ]),
        )
      : undefined;

  const partitions: PartitionPlan[] = watermarks
    .map(({ partition, low, high }) => {
      const current = currentByPartition.get(partition) ?? null;
      const target = targetOffset(to, BigInt(low), BigInt(high), current, byTimestamp?.get(partition));
      return { partition, current, target: target.toString(), low, high };
    })
    .sort((a, b) => a.partition - b.partition);

  if (request.execute) {
    await admin.setOffsets({
      groupId,
      topic,
      partitions: partitions.map((p) => ({ partition: p.partition, offset: p.target })),
    });
  }
  return { groupId, topic, groupState, executed: request.execute === true, partitions };
}

function targetOffset(
  to: ResetTarget,
  low: bigint,
  high: bigint,
  current: string | null,
  atTimestamp: string | undefined,
): bigint {
  const clamp = (value: bigint) => (value < low ? low : value > high ? high : value);
  switch (to.kind) {
    case 'earliest':
      return low;
    case 'latest':
      return high;
    case 'datetime':
      // Kafka answers -1 when no message is that recent: the target is then the end of the log.
      return atTimestamp === undefined || atTimestamp === '-1' ? high : clamp(BigInt(atTimestamp));
    case 'shift':
      return clamp((current === null ? low : BigInt(current)) + BigInt(to.by));
  }
}
