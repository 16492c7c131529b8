/**
 * The git the change review needs: the repository of a folder, the commit a ref names, what differs between that
 * commit and the working tree, single files of the commit, and a temporary worktree of it that is removed again
 * whatever happens, so repeated runs never leave checkouts behind.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export class GitError extends Error {}

function gitBuffer(cwd: string, args: string[]): Buffer {
  const result = spawnSync('git', args, { cwd, maxBuffer: 1 << 30 });
  if (result.error) throw new GitError(`cannot run git: ${result.error.message}`);
  if (result.status !== 0)
    throw new GitError(`git ${args.join(' ')}: ${(result.stderr.toString() || `exit ${result.status ?? result.signal}`).trim()}`);
  return result.stdout;
}

const git = (cwd: string, args: string[]): string => gitBuffer(cwd, args).toString('utf8').trim();

/** A `-z` listing: NUL-separated paths, exactly as git wrote them (no quoting of odd names). */
const paths = (cwd: string, args: string[]): string[] => gitBuffer(cwd, args).toString('utf8').split('\0').filter(Boolean);

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

/** Whether `ancestor` is `commit` or one of its ancestors (both commits of `repo`). */
export function isAncestor(repo: string, ancestor: string, commit: string): boolean {
  const result = spawnSync('git', ['merge-base', '--is-ancestor', ancestor, commit], { cwd: repo });
  if (result.error) throw new GitError(`cannot run git: ${result.error.message}`);
  if (result.status === 0 || result.status === 1) return result.status === 0;
  throw new GitError(`git merge-base --is-ancestor: ${result.stderr.toString().trim() || `exit ${result.status}`}`);
}

/** Where git keeps the repository's own files (shared by all its worktrees): a place for caches that no checkout sees. */
export function commonDir(repo: string): string {
  return path.resolve(repo, git(repo, ['rev-parse', '--git-common-dir']));
}

/**
 * The paths (relative to the repository's top) whose content differs between `commit` and the working tree:
 * tracked files changed, added or deleted (staged or not), and untracked files that are not ignored.
 */
export function changedPaths(repo: string, commit: string): string[] {
  const tracked = paths(repo, ['diff', '--name-only', '--no-renames', '-z', commit, '--']);
  const untracked = paths(repo, ['ls-files', '--others', '--exclude-standard', '-z', '--full-name', ':/']);
  return [...new Set([...tracked, ...untracked])].sort();
}

/** The names of the files directly in `dir` (relative to the repository's top) at `commit`. */
export function filesAt(repo: string, commit: string, dir: string): string[] {
  const prefix = dir === '.' ? '' : `${dir}/`;
  return paths(repo, ['ls-tree', '--name-only', '-z', commit, ...(prefix ? ['--', prefix] : [])]).map((file) => file.slice(prefix.length));
}

/** The content of `file` (relative to the repository's top) at `commit`. */
export function fileAt(repo: string, commit: string, file: string): Buffer {
  return gitBuffer(repo, ['cat-file', 'blob', `${commit}:${file}`]);
}

/** Runs `use` on a detached worktree of `commit`, then removes the worktree and its registration. */
export async function withWorktree<T>(repo: string, commit: string, use: (dir: string) => Promise<T>): Promise<T> {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'ovh-iac-base-'));
  const dir = path.join(parent, 'base');
  try {
    git(repo, ['worktree', 'add', '--detach', '--quiet', dir, commit]);
    return await use(dir);
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
