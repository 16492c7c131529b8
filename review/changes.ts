/**
 * The review of a change: the base revision and the working tree, each synthesized with its own code (the base in
 * a worktree with its own install), compared stack by stack. When only client files differ, the code, lock file and
 * `agency.yaml` being the same on both sides, every other stack is provably unchanged and only the changed
 * clients are synthesized, on both sides; otherwise everything is, and the summary says why.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { settingsFrom } from '../core/environment';
import { describeFailure } from '../core/failures';
import { AGENCY_FILE, CLIENT_SUFFIX, clientIdsOf } from '../config/files';
import { planFolder } from '../policy/folder';
import { AGENCY_STACK } from '../policy/naming';
import { installBase } from './base-install';
import { decommissionedIn } from './decommissioned';
import { affectedStacks, diffTrees, type StackDiff } from './diff';
import { destructiveChanges, type DestructiveChange, type IsIntended } from './destructive';
import { changedPaths, commonDir, fileAt, filesAt, GitError, repositoryRoot, resolveCommit, withWorktree } from '../core/git';
import { progressLine } from './progress';
import { comparisonScope, type Scope } from './scope';
import type { StackTree } from './stack-tree';
import { renderSummary, resourceCounts, type BaseDescription } from './summary';
import { SynthesisError, synthesizeStacks, synthesizeStacksHere } from './synthesis';

export interface ChangeReport {
  diffs: StackDiff[];
  /** Stacks added, removed or changed: the ones to plan. */
  affected: string[];
  destructive: DestructiveChange[];
  /** Destructions the client files ask for (`decommission: true`): let through here, and in Terraform's plans. */
  intended: DestructiveChange[];
  /** What was synthesized, and why. */
  scope: Scope;
  markdown: string;
}

export interface CompareOptions {
  isIntended?: IsIntended;
  /** Hears of each stack once compared: `[12/140] client-x: no changes`. */
  onProgress?: (line: string) => void;
  /** Stacks not synthesized because they are provably the same on both sides: counted as unchanged. */
  unchangedElsewhere?: number;
}

/** A stack's progress line, counting its resources as its section of the summary does. */
function stackStatus(diff: StackDiff): string {
  if (diff.action === 'unchanged') return 'no changes';
  if (diff.action === 'removed') return 'stack removed';
  const what = `resources: ${resourceCounts(diff)}`;
  return diff.action === 'added' ? `new stack, ${what}` : what;
}

/** Compares two synthesized trees and renders the summary. */
export function compareTrees(
  base: StackTree,
  head: StackTree,
  description: BaseDescription,
  options: CompareOptions = {},
): Omit<ChangeReport, 'scope'> {
  const diffs = diffTrees(base, head, (diff, n, total) => options.onProgress?.(progressLine(n, total, diff.stack, stackStatus(diff))));
  const all = destructiveChanges(diffs, head);
  const isIntended = options.isIntended ?? (() => false);
  // A removal the state still protects fails at apply, intended or not: it stays destructive.
  const intended = all.filter((change) => !change.refusedAtApply && isIntended(change.stack, change.address, change.label, change.effect));
  const destructive = all.filter((change) => !intended.includes(change));
  const markdown = renderSummary({ base: description, diffs, destructive, intended, unchangedElsewhere: options.unchangedElsewhere ?? 0 });
  return { diffs, affected: affectedStacks(diffs), destructive, intended, markdown };
}

export interface ReviewOptions extends Omit<CompareOptions, 'unchangedElsewhere'> {
  /** The project folder (with its clients folder) in a git working tree: the head of the comparison. */
  projectRoot: string;
  /** The git ref of the base. */
  base: string;
  env: NodeJS.ProcessEnv;
  /** What it is doing, for standard error. */
  log?: (line: string) => void;
}

/** `dir` relative to the repository's top, refused when outside it. */
function pathInRepository(gitRoot: string, dir: string, what: string): string {
  // A missing folder is reported by the synthesis, with the other problems of the client files.
  const real = fs.existsSync(dir) ? fs.realpathSync(dir) : dir;
  const relative = path.relative(fs.realpathSync(gitRoot), real);
  if (relative.startsWith('..') || path.isAbsolute(relative))
    throw new GitError(`the ${what} ${dir} is not inside the repository ${gitRoot}`);
  return relative.split(path.sep).join('/') || '.';
}

const onlyStacks = (tree: StackTree, stacks: string[]): StackTree => new Map([...tree].filter(([stack]) => stacks.includes(stack)));

/** The base's side: its tree, or, when its client files cannot be synthesized, an empty one and why. */
interface BaseSide {
  tree: StackTree;
  problems?: string[];
}

/** `synthesize`'s messages name files by their path from `checkout`, where the base's files are. */
async function baseSide(synthesize: () => Promise<StackTree>, checkout: string): Promise<BaseSide> {
  try {
    return { tree: await synthesize() };
  } catch (error) {
    // An invalid or older base is reported in the summary, and compared as empty: every stack is then planned.
    if (!(error instanceof SynthesisError)) return { tree: new Map(), problems: describeFailure(error, checkout) };
    const from = path.relative(error.projectDir, checkout);
    return { tree: new Map(), problems: error.lines.map((line) => (from ? line.split(`${from}${path.sep}`).join('') : line).trim()) };
  }
}

/** The head's synthesis: an invalid working tree is an error of the review itself. */
async function headTree(synthesize: () => Promise<StackTree>): Promise<StackTree> {
  try {
    return await synthesize();
  } catch (error) {
    if (error instanceof SynthesisError) throw new Error(`the working tree cannot be synthesized:\n${error.lines.join('\n')}`);
    throw error;
  }
}

export async function reviewChange(options: ReviewOptions): Promise<ChangeReport> {
  const { projectRoot, base, log = () => {} } = options;
  const gitRoot = repositoryRoot(projectRoot);
  const commit = resolveCommit(gitRoot, base);
  const settings = settingsFrom(options.env, projectRoot);
  const clientsPath = pathInRepository(gitRoot, settings.clientsDir, 'clients folder');
  const projectPath = pathInRepository(gitRoot, projectRoot, 'project folder');
  const { env } = options;
  const scope = comparisonScope({ changed: changedPaths(gitRoot, commit), projectPath, clientsPath });
  const short = commit.slice(0, 12);
  log(`${scope.mode === 'selective' ? 'Selective comparison' : 'Full comparison'}: ${scope.reason.replace(/`/g, '')}.`);

  let baseResult: BaseSide;
  let head: StackTree;
  let unchangedElsewhere = 0;
  let isIntended: IsIntended;
  if (scope.mode === 'selective') {
    const headIds = clientIdsOf(fs.existsSync(settings.clientsDir) ? fs.readdirSync(settings.clientsDir) : []);
    const baseIds = clientIdsOf(filesAt(gitRoot, commit, clientsPath));
    const onHead = scope.clients.filter((id) => headIds.includes(id));
    const onBase = scope.clients.filter((id) => baseIds.includes(id));
    unchangedElsewhere = new Set([...headIds, ...baseIds, AGENCY_STACK]).size - scope.clients.length;
    log(`Synthesizing ${scope.clients.join(', ') || 'nothing'} of the working tree and of ${base} (${short}), with the same code...`);
    const baseClients = fs.mkdtempSync(path.join(os.tmpdir(), 'ovh-iac-base-clients-'));
    try {
      // The base's agency.yaml and changed files, read with the working tree's code: it is the base's code too.
      const baseDir = path.join(baseClients, clientsPath);
      fs.mkdirSync(baseDir, { recursive: true });
      for (const name of [AGENCY_FILE, ...onBase.map((id) => `${id}${CLIENT_SUFFIX}`)])
        fs.writeFileSync(path.join(baseDir, name), fileAt(gitRoot, commit, path.posix.join(clientsPath, name)));
      const nothing = async (): Promise<StackTree> => new Map();
      [head, baseResult] = await Promise.all([
        headTree(onHead.length > 0 ? () => synthesizeStacksHere({ projectDir: projectRoot, env, clients: onHead }) : nothing),
        baseSide(
          onBase.length > 0 ? () => synthesizeStacksHere({ projectDir: projectRoot, env, clientsDir: baseDir, clients: onBase }) : nothing,
          baseClients,
        ),
      ]);
    } finally {
      fs.rmSync(baseClients, { recursive: true, force: true });
    }
    head = onlyStacks(head, onHead);
    baseResult.tree = onlyStacks(baseResult.tree, onBase);
    isIntended = options.isIntended ?? decommissionedIn(planFolder(settings.clientsDir, onHead.length > 0 ? onHead : undefined).plans);
  } else {
    [head, baseResult] = await Promise.all([
      headTree(() => synthesizeStacks({ projectDir: projectRoot, env })),
      withWorktree(gitRoot, commit, async (worktree) => {
        const baseDir = path.join(worktree, projectPath);
        return baseSide(async () => {
          log(`Installing the base ${base} (${short}) in a worktree, with its own code...`);
          await installBase({
            baseDir,
            headDir: projectRoot,
            cacheDir: path.join(commonDir(gitRoot), 'ovh-iac-review'),
            env: options.env,
            log,
          });
          log(`Synthesizing the base ${base} (${short}) with its own code...`);
          return synthesizeStacks({ projectDir: baseDir, env, clientsDir: path.join(worktree, clientsPath) });
        }, worktree);
      }),
    ]);
    // What the working tree's files mark `decommission: true` may go; anything else destroyed fails the review.
    isIntended = options.isIntended ?? decommissionedIn(planFolder(settings.clientsDir).plans);
  }
  const description: BaseDescription = { ref: base, commit, clientsPath, problems: baseResult.problems, scope };
  const report = compareTrees(baseResult.tree, head, description, { ...options, isIntended, unchangedElsewhere });
  if (unchangedElsewhere > 0) log(`${unchangedElsewhere} other stack(s): not synthesized, the same on both sides`);
  return { ...report, scope };
}
