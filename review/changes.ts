/**
 * The review of a change: the base revision's client files and the working tree's, both synthesized with the
 * working tree's code, compared stack by stack. The base's own code is not run: it would need its own `npm ci`,
 * and an older base may not even have the current layout. So what is compared is what the client files ask for.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { settingsFrom } from '../config/environment';
import { loadConfig } from '../config/load';
import { decommissionedIn } from './decommissioned';
import { affectedStacks, diffTrees, type StackDiff } from './diff';
import { destructiveChanges, type DestructiveChange, type IsIntended } from './destructive';
import { GitError, repositoryRoot, resolveCommit, withWorktree } from './git';
import { progressLine } from './progress';
import type { StackTree } from './stack-tree';
import { renderSummary, type BaseDescription } from './summary';
import { describeFailure } from '../config/failures';
import { synthesizeStacks } from './synthesis';

export interface ChangeReport {
  diffs: StackDiff[];
  /** Stacks added, removed or changed: the ones to plan. */
  affected: string[];
  destructive: DestructiveChange[];
  markdown: string;
}

export interface CompareOptions {
  isIntended?: IsIntended;
  /** Hears of each stack once compared: `[12/140] client-x: no changes`. */
  onProgress?: (line: string) => void;
}

function stackStatus(diff: StackDiff): string {
  if (diff.action === 'unchanged') return 'no changes';
  if (diff.action === 'removed') return 'stack removed';
  const what = `${diff.changes.length} change(s)`;
  return diff.action === 'added' ? `new stack, ${what}` : what;
}

/** Compares two synthesized trees and renders the summary. */
export function compareTrees(base: StackTree, head: StackTree, description: BaseDescription, options: CompareOptions = {}): ChangeReport {
  const diffs = diffTrees(base, head, (diff, n, total) => options.onProgress?.(progressLine(n, total, diff.stack, stackStatus(diff))));
  const destructive = destructiveChanges(diffs, head, options.isIntended);
  return { diffs, affected: affectedStacks(diffs), destructive, markdown: renderSummary({ base: description, diffs, destructive }) };
}

export interface ReviewOptions extends CompareOptions {
  /** The project folder (with its clients folder) in a git working tree: the head of the comparison. */
  projectRoot: string;
  /** The git ref of the base. */
  base: string;
  env: NodeJS.ProcessEnv;
  /** What it is doing, for standard error. */
  log?: (line: string) => void;
}

/** Where the working tree's clients folder is inside the repository, so the same folder is read in the base. */
function clientsPathInRepository(gitRoot: string, clientsDir: string): string {
  // A missing folder is reported by the synthesis, with the other problems of the client files.
  const real = fs.existsSync(clientsDir) ? fs.realpathSync(clientsDir) : clientsDir;
  const relative = path.relative(fs.realpathSync(gitRoot), real);
  if (relative.startsWith('..') || path.isAbsolute(relative)) throw new GitError(`the clients folder ${clientsDir} is not inside the repository ${gitRoot}`);
  return relative || '.';
}

export function reviewChange(options: ReviewOptions): ChangeReport {
  const { projectRoot, base, log = () => {} } = options;
  // Every client on both sides, whatever OVH_IAC_CLIENTS selects: the affected stacks are found among all of them.
  const env = { ...options.env, OVH_IAC_CLIENTS: undefined };
  const gitRoot = repositoryRoot(projectRoot);
  const commit = resolveCommit(gitRoot, base);
  const { clientsDir } = settingsFrom(env, projectRoot);
  const clientsPath = clientsPathInRepository(gitRoot, clientsDir);

  log('Synthesizing the working tree...');
  const head = synthesizeStacks({ env, projectRoot });
  const { tree, problems } = withWorktree(gitRoot, commit, (worktree) => {
    log(`Synthesizing ${clientsPath} of ${base} (${commit.slice(0, 12)}) with the working tree's code...`);
    try {
      return { tree: synthesizeStacks({ env, projectRoot, clientsDir: path.join(worktree, clientsPath) }), problems: undefined };
    } catch (error) {
      // An invalid or older base is reported in the summary, and compared as empty: every stack is then planned.
      return { tree: new Map() as StackTree, problems: describeFailure(error, worktree) };
    }
  });
  // What the working tree's files mark `decommission: true` may go; anything else destroyed fails the review.
  const isIntended = options.isIntended ?? decommissionedIn(loadConfig(clientsDir));
  return compareTrees(tree, head, { ref: base, commit, clientsPath, problems }, { ...options, isIntended });
}
