/**
 * A git repository holding a copy of this project (its code as it is in the working tree, its install linked),
 * for the commands that compare revisions each with its own code: `npm run changes`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

export const git = (repo: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], {
    cwd: repo,
    encoding: 'utf8',
  });

/** The project's files as git sees them in this working tree (tracked and new), without its clients. */
function projectFiles(): string[] {
  const listed = git(root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0').filter(Boolean);
  return listed.filter((file) => !file.startsWith('clients/') && fs.existsSync(path.join(root, file)));
}

/**
 * A repository whose one commit is this project with `clients` (a folder) as its clients folder; node_modules and
 * the generated bindings are links to this project's, ignored as they are here.
 */
export function projectRepository(clients: string): string {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'project-repo-'));
  for (const file of projectFiles()) {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.copyFileSync(path.join(root, file), path.join(repo, file));
  }
  fs.cpSync(clients, path.join(repo, 'clients'), { recursive: true });
  for (const linked of ['node_modules', '.gen']) fs.symlinkSync(path.join(root, linked), path.join(repo, linked), 'dir');
  git(repo, 'init', '--quiet');
  fs.appendFileSync(path.join(repo, '.git', 'info', 'exclude'), 'node_modules\n.gen\n');
  git(repo, 'add', '.');
  git(repo, 'commit', '--quiet', '-m', 'base');
  return repo;
}

/** Replaces `clients/` of the working tree with `clients` (uncommitted). */
export function replaceClients(repo: string, clients: string): void {
  fs.rmSync(path.join(repo, 'clients'), { recursive: true });
  fs.cpSync(clients, path.join(repo, 'clients'), { recursive: true });
}

/** Edits a file of the working tree, refusing an edit that changes nothing (the test would prove nothing). */
export function editFile(repo: string, file: string, from: string, to: string): void {
  const full = path.join(repo, file);
  const text = fs.readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no "${from}"`);
  fs.writeFileSync(full, text.split(from).join(to));
}
