/**
 * `mlc replay …`: move a consumer group's offsets so it reprocesses (or skips) messages — the
 * operator's replay. Dry-run unless --execute; refused while the group has active members.
 * Safe because every consumer is idempotent (journals post once per job id).
 */
import { consumerGroups, topics } from '@mlc/events';
import { type ResetPlan, type ResetTarget, resetOffsets } from '@mlc/kafka';
import { type CommandGroup, parseCommandArgs, UsageError } from '../command.js';
import { cliKafka } from './settlement.js';

function targetFrom(values: Record<string, string | boolean | undefined>): ResetTarget {
  const chosen = ['to-earliest', 'to-latest', 'to-datetime', 'shift-by'].filter(
    (k) => values[k] !== undefined,
  );
  if (chosen.length !== 1) {
    throw new UsageError(
      'say exactly one of --to-earliest, --to-latest, --to-datetime <ISO>, --shift-by <N>',
    );
  }
  if (values['to-earliest']) return { kind: 'earliest' };
  if (values['to-latest']) return { kind: 'latest' };
  if (values['to-datetime'] !== undefined) {
    const at = new Date(String(values['to-datetime']));
    if (Number.isNaN(at.getTime()))
      throw new UsageError(`--to-datetime "${values['to-datetime']}" is not an ISO 8601 date`);
    return { kind: 'datetime', at };
  }
  const by = Number(values['shift-by']);
  if (!Number.isInteger(by)) throw new UsageError(`--shift-by "${values['shift-by']}" is not a whole number`);
  return { kind: 'shift', by };
}

function printPlan(plan: ResetPlan): void {
  const lines = [
    `group ${plan.groupId} (state ${plan.groupState}), topic ${plan.topic}: ${plan.executed ? 'EXECUTED' : 'dry run — nothing changed; add --execute to apply'}`,
    'partition  current    target     low        high',
  ];
  let moved = 0n;
  for (const p of plan.partitions) {
    lines.push(
      `${String(p.partition).padEnd(10)} ${String(p.current ?? '-').padEnd(10)} ${p.target.padEnd(10)} ${p.low.padEnd(10)} ${p.high}`,
    );
    moved += BigInt(p.current ?? p.low) - BigInt(p.target);
  }
  lines.push(
    `${moved >= 0n ? `${moved} message(s) will be processed again` : `${-moved} message(s) skipped`}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

export const replayCommands: CommandGroup = {
  name: 'replay',
  summary: 'reset a consumer group to reprocess messages (dry-run by default)',
  commands: [
    {
      name: 'reset',
      usage:
        '--group <id> --topic <name> (--to-earliest | --to-latest | --to-datetime <ISO> | --shift-by <N>) [--execute] [--json]',
      summary: `move the group's committed offsets; refused while the group has active members. Groups: ${Object.values(consumerGroups).join(', ')}; topics: ${Object.values(
        topics,
      )
        .map((t) => t.name)
        .join(', ')}`,
      async run(args) {
        const { values } = parseCommandArgs(args, {
          group: { type: 'string' },
          topic: { type: 'string' },
          'to-earliest': { type: 'boolean' },
          'to-latest': { type: 'boolean' },
          'to-datetime': { type: 'string' },
          'shift-by': { type: 'string' },
          execute: { type: 'boolean' },
          json: { type: 'boolean' },
        });
        if (!values.group) throw new UsageError('--group is required');
        if (!values.topic) throw new UsageError('--topic is required');
        const to = targetFrom(values);
        const kafka = cliKafka();
        const admin = kafka.admin();
        await admin.connect();
        try {
          const plan = await resetOffsets(admin, {
            groupId: values.group,
            topic: values.topic,
            to,
            execute: values.execute === true,
          });
          if (values.json) process.stdout.write(`${JSON.stringify(plan)}\n`);
          else printPlan(plan);
          return 0;
        } finally {
          await admin.disconnect();
        }
      },
    },
  ],
};
