/**
 * What the Plan workflow plans for a pull request, decided by the default branch's code from the pull request's
 * commit read as git objects: the client files of the merge are copied out as data, only regular files of bounded
 * size; the stacks to plan are those its client files change, whatever else it brings; its code lands nowhere.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pullRequestScopeCommand } from '../ci/pull-request-scope';
import { runForTest } from './command';
import { git, repository, root } from './ci-support';

const edit = (repo: string, file: string, from: string, to: string) => {
  const text = fs.readFileSync(path.join(repo, file), 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  fs.writeFileSync(path.join(repo, file), text.replace(from, to));
};

const scope = (repo: string, head: string) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-scope-out-'));
  return runForTest(pullRequestScopeCommand, ['--repo', repo, '--head', head, '--base', 'main', '--out', out]).then((run) => ({
    ...run,
    dir: out,
  }));
};

test("the stacks to plan are the ones the pull request's client files change, read from its merge with the base; its code is data, named, never run", async () => {
  const { repo, commit, write } = repository();
  git(repo, 'checkout', '-q', '-b', 'pr');
  edit(repo, 'clients/betterfinance.eu.yaml', 'target: 51.38.12.34', 'target: 51.38.12.35');
  // What the old workflow trusted: the pull request's own review files, code and an "affected" list of its choosing.
  write('review/validate-command.ts', 'console.log(process.env.OVH_IAC_AGE_IDENTITY);\n');
  write('review/changes.json', '{"affected": [], "destructive": false}\n');
  const head = commit('pr');
  // The base moved on meanwhile, in another client: the merge keeps that change, so that client is not taken for
  // changed (the pull request's own commit would seem to revert it).
  git(repo, 'checkout', '-q', 'main');
  edit(repo, 'clients/imoov.solutions.yaml', 'target: 51.75.20.30', 'target: 51.75.20.31');
  commit('main moved');
  const before = fs.readFileSync(path.join(repo, 'review/validate-command.ts'), 'utf8');

  const run = await scope(repo, head);
  expect(run.err.filter((line) => line.startsWith('pr-scope:'))).toEqual([]);
  expect(run.code).toBe(0);
  expect(run.out).toEqual(['1 stack(s) to plan; 2 changed file(s) of code are not planned here.']);
  expect(fs.readFileSync(path.join(run.dir, 'affected.txt'), 'utf8')).toBe('betterfinance.eu\n');
  const changes = JSON.parse(fs.readFileSync(path.join(run.dir, 'changes.json'), 'utf8'));
  expect(changes).toMatchObject({
    affected: ['betterfinance.eu'],
    destructive: false,
    scope: { mode: 'selective', clients: ['betterfinance.eu'] },
    code: { count: 2, named: ['review/changes.json', 'review/validate-command.ts'] },
  });
  expect(changes.markdown).toContain("These plans synthesize its client files with the **default branch's** code");
  expect(changes.markdown).toContain('51.38.12.35');
  // Only client files were copied out; the checkout (here: main's working tree) has none of the pull request's files.
  expect(fs.readdirSync(path.join(run.dir, 'clients')).sort()).toEqual(fs.readdirSync(path.join(root, 'clients')).sort());
  expect(fs.readFileSync(path.join(repo, 'review/validate-command.ts'), 'utf8')).toBe(before);
  expect(fs.existsSync(path.join(repo, 'review/changes.json'))).toBe(false);
  expect(git(repo, 'status', '--porcelain')).toBe('');
});

test('a change of agency.yaml plans every stack; a pull request that changes only code plans none, and says so', async () => {
  const { repo, commit, write } = repository();
  git(repo, 'checkout', '-q', '-b', 'pr');
  write('constructs/anything.ts', 'export {};\n');
  const codeOnly = commit('code');
  const run = await scope(repo, codeOnly);
  expect(run.code).toBe(0);
  expect(fs.readFileSync(path.join(run.dir, 'affected.txt'), 'utf8')).toBe('');
  expect(JSON.parse(fs.readFileSync(path.join(run.dir, 'changes.json'), 'utf8')).code).toEqual({
    count: 1,
    named: ['constructs/anything.ts'],
  });

  edit(repo, 'clients/agency.yaml', 'mailDomain: ', 'mailDomain:  ');
  const agency = await scope(repo, commit('agency'));
  expect(agency.code).toBe(0);
  expect(JSON.parse(fs.readFileSync(path.join(agency.dir, 'changes.json'), 'utf8')).scope.mode).toBe('full');
});

test.each([
  [
    'a symbolic link',
    (repo: string) => fs.symlinkSync('../review/validate-command.ts', path.join(repo, 'clients/evil.yaml')),
    'clients/evil.yaml (pull request): a symbolic link: the clients folder holds regular files only',
  ],
  [
    'a sub-folder',
    (repo: string) => {
      fs.mkdirSync(path.join(repo, 'clients/sub'));
      fs.writeFileSync(path.join(repo, 'clients/sub/x.yaml'), 'id: x\n');
    },
    'clients/sub (pull request): a folder: the clients folder holds regular files only',
  ],
  [
    'a file too large',
    (repo: string) => fs.writeFileSync(path.join(repo, 'clients/big.yaml'), `# ${'x'.repeat(300 * 1024)}\n`),
    'clients/big.yaml (pull request): 301 KiB: a client file holds at most 256 KiB',
  ],
])('a clients folder with %s is refused before anything is synthesized', async (_what, change, message) => {
  const { repo, commit } = repository();
  git(repo, 'checkout', '-q', '-b', 'pr');
  change(repo);
  const run = await scope(repo, commit('pr'));
  expect(run.code).toBe(1);
  expect(run.err).toEqual([`pr-scope: ${message}`]);
  expect(fs.existsSync(path.join(run.dir, 'changes.json'))).toBe(false);
});

test('a pull request that conflicts with the base, or whose client files are invalid, is not planned', async () => {
  const { repo, commit } = repository();
  git(repo, 'checkout', '-q', '-b', 'pr');
  edit(repo, 'clients/betterfinance.eu.yaml', 'target: 51.38.12.34', 'target: 51.38.12.35');
  const conflicting = commit('pr');
  git(repo, 'checkout', '-q', 'main');
  edit(repo, 'clients/betterfinance.eu.yaml', 'target: 51.38.12.34', 'target: 51.38.12.36');
  commit('main');
  const conflict = await scope(repo, conflicting);
  expect(conflict.code).toBe(1);
  expect(conflict.err).toEqual([
    expect.stringMatching(/^pr-scope: the pull request conflicts with the base [0-9a-f]{12}: nothing is planned until it is updated$/),
  ]);

  git(repo, 'checkout', '-q', '-b', 'invalid');
  edit(repo, 'clients/betterfinance.eu.yaml', 'size: standard', 'size: enormous');
  const invalid = await scope(repo, commit('invalid'));
  expect(invalid.code).toBe(1);
  expect(invalid.err.join('\n')).toMatch(/betterfinance\.eu\.yaml:\d+: size: /);
});
