/**
 * Apply's first check, on a real git history: a re-run of an old Apply (GitHub keeps the run's commit) is refused
 * once the default branch has moved past it, and the tag of the last applied commit only moves forward.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { applyCheckCommand } from '../ci/apply-check';
import { runForTest } from './command';

function git(repo: string, ...args: string[]): string {
  const result = spawnSync('git', args, {
    cwd: repo,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.invalid',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.invalid',
    },
  });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.stdout.trim();
}

/** A repository with main at C (A, B, C) and the applied tag at A. */
function history(): { repo: string; a: string; b: string; c: string } {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'apply-check-'));
  git(repo, 'init', '-q', '-b', 'main');
  const commit = (message: string) => {
    git(repo, 'commit', '-q', '--allow-empty', '-m', message);
    return git(repo, 'rev-parse', 'HEAD');
  };
  const a = commit('A');
  const b = commit('B');
  const c = commit('C');
  git(repo, 'tag', 'ovh-iac-applied', a);
  return { repo, a, b, c };
}

const check = (repo: string, ...args: string[]) => runForTest(applyCheckCommand, ['--repo', repo, '--branch', 'main', ...args]);

test("the default branch's head, after the last applied commit, may be applied", async () => {
  const { repo, a, c } = history();
  expect(await check(repo, '--commit', c, '--applied', 'ovh-iac-applied')).toEqual({
    code: 0,
    out: [`${c.slice(0, 12)} is the head of main and follows the last applied commit ${a.slice(0, 12)}.`],
    err: [],
  });
  // Before the first apply there is no tag yet.
  expect((await check(repo, '--commit', c, '--applied', 'no-such-tag')).code).toBe(0);
});

test('a re-run of an old Apply is refused once the default branch has moved past its commit', async () => {
  const { repo, b, c } = history();
  const { code, err } = await check(repo, '--commit', b, '--applied', 'ovh-iac-applied');
  expect(code).toBe(2);
  expect(err).toEqual([
    `apply-check: refused: main is at ${c.slice(0, 12)}, not at this run's commit ${b.slice(0, 12)}: an Apply of an older commit (a re-run) would apply an old configuration. The run of ${c.slice(0, 12)} applies everything since the last applied commit.`,
  ]);
});

test('the tag never moves backwards: a commit that does not follow the last applied one is refused', async () => {
  const { repo, b, c } = history();
  git(repo, 'tag', '-f', 'ovh-iac-applied', c);
  git(repo, 'reset', '-q', '--hard', b); // the branch forced back to B: C, applied, is no ancestor of B
  const { code, err } = await check(repo, '--commit', b, '--applied', 'ovh-iac-applied');
  expect(code).toBe(2);
  expect(err).toEqual([
    expect.stringContaining(
      `the last applied commit (ovh-iac-applied, ${c.slice(0, 12)}) is not an ancestor of ${b.slice(0, 12)}: the tag only moves forward`,
    ),
  ]);
  expect((await check(repo, '--commit', '0'.repeat(40))).code).toBe(1);
});
