/**
 * `make infra-up` is idempotent: with the stack running, a second `up` starts nothing, changes no
 * process and exits 0.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '@mlc/testkit';

const infra = path.join(repoRoot, 'infra', 'local', 'infra.sh');
const infraDir = process.env.MLC_INFRA_DIR ?? path.join(repoRoot, '.infra');

function run(command: string) {
  const result = spawnSync('bash', [infra, command], { cwd: repoRoot, encoding: 'utf8', env: process.env });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('local infrastructure', () => {
  it('a second infra-up is a no-op', () => {
    const status = run('status');
    assert.equal(status.code, 0, `the stack is up before the test:\n${status.out}`);
    const pids = ['kafka', 'ferretdb'].map((name) =>
      readFileSync(path.join(infraDir, name, 'pid'), 'utf8').trim(),
    );

    const again = run('up');
    assert.equal(again.code, 0, again.out);
    assert.match(again.out, /kafka already running/);
    assert.match(again.out, /ferretdb already running/);
    assert.doesNotMatch(again.out, /starting|resolving|building/);
    const pidsAfter = ['kafka', 'ferretdb'].map((name) =>
      readFileSync(path.join(infraDir, name, 'pid'), 'utf8').trim(),
    );
    assert.deepEqual(pidsAfter, pids, 'no process was restarted');
  });
});
