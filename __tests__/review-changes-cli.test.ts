/**
 * `npm run changes` on a real git repository: the base revision's clients folder is checked out as a worktree,
 * synthesized with this tree's code, compared with the working tree, and the worktree is removed afterwards.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runChanges } from '../review/changes-cli';

const root = path.resolve(__dirname, '..');
const fixture = (name: string, side: 'base' | 'head') => path.join(__dirname, 'fixtures', 'review', name, side);
const git = (repo: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'init.defaultBranch=main', ...args], { cwd: repo, encoding: 'utf8' });

/** A repository whose last commit holds `base` as clients/, and whose working tree holds `head` (uncommitted). */
function repository(base: string, head: string): string {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'changes-repo-'));
  git(repo, 'init', '--quiet');
  fs.cpSync(base, path.join(repo, 'clients'), { recursive: true });
  git(repo, 'add', '.');
  git(repo, 'commit', '--quiet', '-m', 'base');
  fs.rmSync(path.join(repo, 'clients'), { recursive: true });
  fs.cpSync(head, path.join(repo, 'clients'), { recursive: true });
  return repo;
}

function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runChanges(argv, { env: {}, projectRoot: root, io: { out: (line) => out.push(line), err: (line) => err.push(line) } });
  return { code, out, err };
}

// The base's worktrees; only this file's tests make any (other files, run in parallel, make other temporary folders).
const worktrees = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('ovh-iac-base-'));

test('a destructive change against HEAD: JSON for CI, exit 3, progress apart, and no worktree left behind', () => {
  const repo = repository(fixture('removed-domain', 'base'), fixture('removed-domain', 'head'));
  const before = worktrees();
  const { code, out, err } = run(['--base', 'HEAD', '--repo', repo, '--json']);
  expect(code).toBe(3);
  expect(out).toHaveLength(1);
  const result = JSON.parse(out[0]);
  expect(result).toEqual({ affected: ['alpha.be'], destructive: true, markdown: expect.stringContaining('> [!CAUTION]') });
  expect(result.markdown).toMatch(/^## Client changes against `HEAD` \(`[0-9a-f]{12}`\)/);
  expect(result.markdown).toContain("The base's `clients` was synthesized with this tree's code");
  expect(err).toEqual(['Synthesizing the working tree...', expect.stringMatching(/^Synthesizing clients of HEAD \([0-9a-f]{12}\)/), '[1/2] agency: no changes', '[2/2] alpha.be: 5 change(s)']);
  expect(git(repo, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  expect(worktrees()).toEqual(before);
});

test('--affected-only prints the stacks to plan, one a line; an invalid base is reported and compared as empty', () => {
  const repo = repository(fixture('new-client', 'base'), fixture('new-client', 'head'));
  expect(run(['--base', 'HEAD', '--repo', repo, '--affected-only'])).toMatchObject({ code: 0, out: ['beta.be'] });

  fs.writeFileSync(path.join(repo, 'clients', 'alpha.be.yaml'), 'id: alpha.be\nname: Alpha\nsize: huge\nnichandle: al11111-ovh\n');
  git(repo, 'commit', '--quiet', '-am', 'a bad file');
  fs.cpSync(fixture('new-client', 'head'), path.join(repo, 'clients'), { recursive: true });
  const { code, out } = run(['--base', 'HEAD', '--repo', repo]);
  expect(code).toBe(0);
  const markdown = out.join('\n');
  expect(markdown).toContain("> The base's client files could not be synthesized, so every stack is compared with nothing");
  expect(markdown).toMatch(/> - `clients\/alpha\.be\.yaml:3: size: /);
  expect(markdown).toContain('**3 of 3 stack(s) affected**: 3 added');
});

test('a ref that names no commit, conflicting options and an invalid working tree are errors (exit 1)', () => {
  const repo = repository(fixture('new-client', 'base'), fixture('new-client', 'head'));
  expect(run(['--base', 'no-such-ref', '--repo', repo]).err).toEqual([expect.stringMatching(/^changes: "no-such-ref" names no commit in .*fetch-depth: 0/)]);
  expect(run(['--base', 'HEAD', '--json', '--affected-only']).err[0]).toBe('changes: --json: choose one of --json and --affected-only');
  expect(run([]).err[0]).toBe('changes: --base: is required: the git ref to compare with');

  fs.writeFileSync(path.join(repo, 'clients', 'beta.be.yaml'), 'id: beta.be\n');
  const invalid = run(['--base', 'HEAD', '--repo', repo]);
  expect(invalid.code).toBe(1);
  expect(invalid.err).toContainEqual(expect.stringMatching(/^changes: .*beta\.be\.yaml.*: name: /));
});
