/**
 * The git the change review needs: the repository of a folder, the commit a ref names, and a temporary worktree
 * of that commit that is removed again whatever happens, so repeated runs never leave checkouts behind.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export class GitError extends Error {}

function git(cwd: string, args: string[]): string {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.error) throw new GitError(`cannot run git: ${result.error.message}`);
  if (result.status !== 0) throw new GitError(`git ${args.join(' ')}: ${(result.stderr || `exit ${result.status ?? result.signal}`).trim()}`);
  return result.stdout.trim();
}

/** The top folder of the repository `dir` is in (its real path, as git gives it). */
export function repositoryRoot(dir: string): string {
  return git(dir, ['rev-parse', '--show-toplevel']);
}

/** The commit `ref` names; refused clearly when it names none (a typo, or a shallow clone without the base). */
export function resolveCommit(repo: string, ref: string): string {
  try {
    return git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  } catch {
    throw new GitError(`"${ref}" names no commit in ${repo} (in CI, check out with fetch-depth: 0)`);
  }
}

/** Runs `use` on a detached worktree of `commit`, then removes the worktree and its registration. */
export function withWorktree<T>(repo: string, commit: string, use: (dir: string) => T): T {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'ovh-iac-base-'));
  const dir = path.join(parent, 'base');
  try {
    git(repo, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
    return use(dir);
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
    // Removing the folder and then pruning also clears what an interrupted earlier run left registered. A failing
    // prune must not hide the error of the run itself: the folder is gone, git prunes it later on its own.
    try {
      git(repo, ['worktree', 'prune']);
    } catch {
      /* see above */
    }
  }
}
