/**
 * JSON payloads validated against the topic's schema on both sides of the wire: a producer cannot
 * publish a malformed event, and a consumer never hands a malformed one to its handler.
 */
import type { TopicSpec } from '@mlc/events';

export class EventValidationError extends Error {
  override name = 'EventValidationError';
  constructor(
    readonly topic: string,
    readonly problems: string[],
  ) {
    super(`${topic}: invalid event: ${problems.join('; ')}`);
  }
}

export function encodeEvent<T>(spec: TopicSpec<T>, value: T): Buffer {
  return Buffer.from(JSON.stringify(validate(spec, value)));
}

export function decodeEvent<T>(spec: TopicSpec<T>, payload: Buffer | null): T {
  if (payload === null) throw new EventValidationError(spec.name, ['empty message value']);
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new EventValidationError(spec.name, [`not JSON: ${(error as Error).message}`]);
  }
  return validate(spec, parsed);
}

function validate<T>(spec: TopicSpec<T>, value: unknown): T {
  const result = spec.schema.safeParse(value);
  if (result.success) return result.data;
  throw new EventValidationError(
    spec.name,
    result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
  );
}
