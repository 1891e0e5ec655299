/**
 * A job JDE rejected is dead-lettered every time its message is handled, not only the first time:
 * the rejection is recorded on the job (exactly-once.ts) before the dead letter is written, so a
 * process killed in between leaves a rejected job whose message is delivered again — and this
 * redelivery must write the dead letter the first delivery never did. A dead letter written twice
 * (killed after writing it but before committing the offset) is the at-least-once price; its
 * headers carry the source offset, so the copies are recognisable.
 */
import { DeadLetter } from '@mlc/kafka';

export function rejectedDeadLetter(jobId: string, reason: string): DeadLetter {
  return new DeadLetter(`JDE rejected ${jobId}: ${reason}`);
}
