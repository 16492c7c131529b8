/**
 * `npm run pr-scope -- --head SHA --out DIR [--base REF]`: what the Plan workflow plans for a pull request, decided
 * by the default branch's code alone. Nothing the pull request's own run produced is read, and none of its code runs:
 * its commit (fetched into the repository) is merged with the base as git objects, the merge's client files are
 * copied out as data (regular files of the clients folder only, each within the loader's size limit) into
 * `DIR/clients`, outside the checkout, and checked whole by the loader; then both sides' client files are
 * synthesized with this checkout's code and compared. Writes `DIR/changes.json` (the change summary's JSON, and the
 * code the pull request changes, which these plans do not show) and `DIR/affected.txt`, the stacks to plan.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';
import { settingsFrom } from '../core/environment';
import { describeFailure } from '../core/failures';
import { clientIdsOf, MAX_FILE_BYTES } from '../config/files';
import { planFolder } from '../policy/folder';
import { compareTrees } from '../review/changes';
import { decommissionedIn } from '../review/decommissioned';
import { GitError, repositoryRoot, resolveCommit } from '../core/git';
import { inlineCode } from '../review/markdown-code';
import { codeChanges, comparisonScope } from '../review/scope';
import type { StackTree } from '../review/stack-tree';
import { SynthesisError, synthesizeStacks, synthesizeStacksHere } from '../review/synthesis';

/** More client files than the agency will ever have (the bench goes to 10,000), and still a bounded copy. */
const MAX_CLIENT_FILES = 20_000;
/** Some 25 KB per client at 10,000 clients: far more than the examples' 2 to 5 KB each. */
const MAX_FOLDER_BYTES = 256 * 1024 * 1024;
/** A name the loader can name back safely: no path, no control character, no `..`. */
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._~+-]{0,200}$/;
/** How many changed code paths the summary names. */
const NAMED = 20;

class ScopeError extends Error {}

function git(repo: string, args: string[], accept: number[] = [0]): { status: number; stdout: Buffer } {
  const result = spawnSync('git', args, { cwd: repo, maxBuffer: 1 << 30 });
  if (result.error) throw new GitError(`cannot run git: ${result.error.message}`);
  if (!accept.includes(result.status ?? -1))
    throw new GitError(`git ${args[0]}: ${result.stderr.toString().trim() || `exit ${result.status ?? result.signal}`}`);
  return { status: result.status!, stdout: result.stdout };
}

/** The tree of `base` merged with `head`, as git would merge them; a conflict is the pull request's to resolve. */
function mergedTree(repo: string, base: string, head: string): string {
  const { status, stdout } = git(repo, ['merge-tree', '--write-tree', '--no-messages', base, head], [0, 1]);
  if (status === 1)
    throw new ScopeError(`the pull request conflicts with the base ${base.slice(0, 12)}: nothing is planned until it is updated`);
  return stdout.toString('utf8').split('\n')[0].trim();
}

/** The contents of `objects` (blob ids), read by one `git cat-file --batch`: one process whatever their number. */
function readBlobs(repo: string, objects: string[]): Buffer[] {
  if (objects.length === 0) return [];
  const result = spawnSync('git', ['cat-file', '--batch'], { cwd: repo, input: `${objects.join('\n')}\n`, maxBuffer: 1 << 30 });
  if (result.error || result.status !== 0) throw new GitError(`git cat-file: ${result.stderr?.toString().trim() || 'failed'}`);
  const out = result.stdout;
  const blobs: Buffer[] = [];
  let at = 0;
  for (const object of objects) {
    // Each answer: "<object> blob <size>\n", the content, "\n".
    const end = out.indexOf(0x0a, at);
    const [id, type, size] = out.subarray(at, end).toString('utf8').split(' ');
    if (id !== object || type !== 'blob') throw new GitError(`git cat-file: ${object} is not a blob`);
    blobs.push(out.subarray(end + 1, end + 1 + Number(size)));
    at = end + 1 + Number(size) + 1;
  }
  return blobs;
}

/**
 * The client files of `treeish`'s `clientsPath`, written into `dir`: blobs only, of plain names and bounded size,
 * all checked before any is written. A link, a sub-folder or a submodule is refused by name (the loader refuses them
 * too: a link may point anywhere); hidden entries are left out, as the loader leaves them.
 */
function copyClientFiles(repo: string, treeish: string, clientsPath: string, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const prefix = clientsPath === '.' ? '' : `${clientsPath}/`;
  const listing = git(repo, ['ls-tree', '-z', '-l', treeish, '--', prefix || '.'])
    .stdout.toString('utf8')
    .split('\0')
    .filter(Boolean);
  if (listing.length > MAX_CLIENT_FILES)
    throw new ScopeError(`${clientsPath}: ${listing.length} entries, more than the ${MAX_CLIENT_FILES} a clients folder may hold`);
  const files: { name: string; object: string }[] = [];
  let total = 0;
  for (const entry of listing) {
    const [meta, file] = [entry.slice(0, entry.indexOf('\t')), entry.slice(entry.indexOf('\t') + 1)];
    const [mode, type, object, size] = meta.split(/ +/);
    const name = file.slice(prefix.length);
    if (name.startsWith('.')) continue;
    const where = `${file} (pull request)`;
    if (!PLAIN_NAME.test(name)) throw new ScopeError(`${clientsPath}: an entry whose name is not a file name: refused`);
    if (type !== 'blob' || !(mode === '100644' || mode === '100755'))
      throw new ScopeError(
        `${where}: ${mode === '120000' ? 'a symbolic link' : type === 'tree' ? 'a folder' : 'not a regular file'}: the clients folder holds regular files only`,
      );
    if (Number(size) > MAX_FILE_BYTES)
      throw new ScopeError(`${where}: ${Math.ceil(Number(size) / 1024)} KiB: a client file holds at most ${MAX_FILE_BYTES / 1024} KiB`);
    total += Number(size);
    if (total > MAX_FOLDER_BYTES) throw new ScopeError(`${clientsPath}: more than ${MAX_FOLDER_BYTES / 1024 / 1024} MiB of client files`);
    files.push({ name, object });
  }
  const blobs = readBlobs(
    repo,
    files.map((file) => file.object),
  );
  files.forEach(({ name }, i) => fs.writeFileSync(path.join(dir, name), blobs[i], { mode: 0o644 }));
}

const Args = z.object({
  head: z.string({ error: "is required: the pull request's head commit" }).min(1),
  out: z.string({ error: 'is required: the folder to write into (outside the checkout)' }).min(1),
  base: z.string().min(1).default('HEAD'),
  repo: z.string().min(1).optional(),
});

export const pullRequestScopeCommand: Command<z.output<typeof Args>> = {
  name: 'pr-scope',
  usage: `Usage: npm run pr-scope -- --head SHA --out DIR [--base REF] [--repo DIR]`,
  exitCodes: { 0: 'the stacks to plan are written' },
  parse: commandLine(
    {
      options: {
        head: { type: 'string', value: 'SHA', help: "the pull request's head commit, fetched into the repository (never checked out)" },
        out: { type: 'string', value: 'DIR', help: 'where its client files (DIR/clients), changes.json and affected.txt are written' },
        base: { type: 'string', value: 'REF', help: "what it merges into (default: HEAD, the default branch's checkout)" },
        repo: { type: 'string', value: 'DIR', help: "the git repository (default: this project's)" },
      },
    },
    Args,
  ),
  run: pullRequestScope,
};

async function pullRequestScope(args: z.output<typeof Args>, { env, projectRoot, io }: CommandContext): Promise<number> {
  try {
    const repo = repositoryRoot(path.resolve(args.repo ?? projectRoot));
    const settings = settingsFrom(env, projectRoot);
    const projectPath = path.relative(repositoryRoot(projectRoot), projectRoot).split(path.sep).join('/') || '.';
    const clientsPath = path.posix.join(projectPath, path.relative(projectRoot, settings.clientsDir).split(path.sep).join('/'));
    const base = resolveCommit(repo, args.base);
    const head = resolveCommit(repo, args.head);
    const tree = mergedTree(repo, base, head);
    const changed = git(repo, ['diff', '--name-only', '--no-renames', '-z', base, tree, '--'])
      .stdout.toString('utf8')
      .split('\0')
      .filter(Boolean);
    const out = path.resolve(args.out);
    const headDir = path.join(out, 'clients');
    const baseDir = path.join(out, 'base-clients');
    for (const dir of [headDir, baseDir]) fs.rmSync(dir, { recursive: true, force: true });
    copyClientFiles(repo, tree, clientsPath, headDir);
    copyClientFiles(repo, base, clientsPath, baseDir);
    // Every file of the pull request's folder, and the checks across them, before anything is synthesized.
    const { plans } = planFolder(headDir);
    const scope = comparisonScope({ changed: changed.filter((file) => file.startsWith(`${clientsPath}/`)), projectPath, clientsPath });
    const code = codeChanges({ changed, projectPath, clientsPath });
    io.err(`Planned with this checkout's code: ${scope.reason.replace(/`/g, '')}.`);
    const synthesize = (clientsDir: string) => {
      if (scope.mode === 'full') return synthesizeStacks({ projectDir: projectRoot, env, clientsDir });
      const ids = clientIdsOf(fs.readdirSync(clientsDir));
      const present = scope.clients.filter((id) => ids.includes(id));
      if (present.length === 0) return Promise.resolve<StackTree>(new Map());
      return synthesizeStacksHere({ projectDir: projectRoot, env, clientsDir, clients: present }).then(
        (all) => new Map([...all].filter(([stack]) => present.includes(stack))),
      );
    };
    let baseTree: StackTree;
    let baseProblems: string[] | undefined;
    try {
      baseTree = await synthesize(baseDir);
    } catch (error) {
      // The base as it is today cannot be synthesized (it should): every stack compared is then new.
      if (!(error instanceof SynthesisError)) throw error;
      [baseTree, baseProblems] = [new Map(), error.lines];
    }
    const headTree = await synthesize(headDir);
    const report = compareTrees(
      baseTree,
      headTree,
      { ref: args.base, commit: base, clientsPath, problems: baseProblems, scope },
      { isIntended: decommissionedIn(plans), onProgress: io.err },
    );
    const codeNote =
      code.length === 0
        ? []
        : [
            '> [!NOTE]',
            `> This pull request also changes ${code.length} file(s) of code or settings (${code
              .slice(0, NAMED)
              .map((file) => inlineCode(file))
              .join(
                ', ',
              )}${code.length > NAMED ? ', ...' : ''}). These plans synthesize its client files with the **default branch's** code: what its code changes is in the summary of its own "Pull request" check, and is planned again, and shown for approval, when Apply runs after the merge.`,
            '',
          ];
    const changes = {
      affected: report.affected,
      destructive: report.destructive.length > 0,
      destructiveChanges: report.destructive.map(({ stack, address, label, type, effect }) => ({ stack, address, label, type, effect })),
      intended: report.intended.map(({ stack, address, label, type, effect }) => ({ stack, address, label, type, effect })),
      scope,
      code: { count: code.length, named: code.slice(0, NAMED) },
      commits: { base, head, merged: tree },
      markdown: [...codeNote, report.markdown].join('\n'),
    };
    fs.writeFileSync(path.join(out, 'changes.json'), `${JSON.stringify(changes)}\n`);
    fs.writeFileSync(path.join(out, 'affected.txt'), report.affected.map((stack) => `${stack}\n`).join(''));
    fs.rmSync(baseDir, { recursive: true, force: true });
    io.out(
      `${report.affected.length} stack(s) to plan${code.length > 0 ? `; ${code.length} changed file(s) of code are not planned here` : ''}.`,
    );
    return 0;
  } catch (error) {
    const messages = error instanceof SynthesisError ? error.lines : describeFailure(error);
    for (const message of messages) io.err(`pr-scope: ${message}`);
    return 1;
  }
}
