/**
 * `npm run changes` on real git repositories holding this project: each side is synthesized by its own
 * `npm run synth` with its own code (the base in a worktree with its own install), the summary says what was
 * synthesized and why, and nothing is left behind.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { changesCommand } from '../review/changes-command';
import { runForTest } from './command';
import { editFile, git, projectRepository, replaceClients } from './project-repository';

const fixture = (name: string, side: 'base' | 'head') => path.join(__dirname, 'fixtures', 'review', name, side);

const run = (argv: string[], projectRoot: string) => runForTest(changesCommand, argv, { projectRoot });

// The review's temporary folders go to a folder of this file's own, so that no other run on the machine adds any.
process.env.TMPDIR = fs.mkdtempSync(path.join(os.tmpdir(), 'review-changes-cli-'));

// The temporary folders of the review: base worktrees and client files, outputs.
const leftovers = (repo: string) => [
  ...fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('ovh-iac-base-')),
  ...fs.readdirSync(repo).filter((name) => name.startsWith('cdktf.out.review-')),
];

test('a change of client files only: only that client is synthesized, on both sides; destructive is exit 3; nothing left behind', async () => {
  const repo = projectRepository(fixture('removed-domain', 'base'));
  fs.writeFileSync(
    path.join(repo, 'clients', 'gamma.be.yaml'),
    fs.readFileSync(path.join(fixture('new-client', 'head'), 'beta.be.yaml'), 'utf8').replace(/beta/g, 'gamma'),
  );
  git(repo, 'add', '.');
  git(repo, 'commit', '--quiet', '-m', 'another client');
  replaceClients(repo, fixture('removed-domain', 'head'));
  fs.writeFileSync(path.join(repo, 'clients', 'gamma.be.yaml'), git(repo, 'show', 'HEAD:clients/gamma.be.yaml'));
  // Not synthesis inputs: they do not make the comparison a full one.
  fs.appendFileSync(path.join(repo, 'README.md'), '\nA note.\n');
  const before = leftovers(repo);

  const { code, out, err } = await run(['--base', 'HEAD', '--json'], repo);
  expect(code).toBe(3);
  const result = JSON.parse(out.join('\n'));
  expect(result.affected).toEqual(['alpha.be']);
  expect(result.destructive).toBe(true);
  expect(result.destructiveChanges).toEqual(
    expect.arrayContaining([expect.objectContaining({ stack: 'alpha.be', type: 'ovh_domain_name', effect: 'destroyed' })]),
  );
  expect(result.scope).toEqual({ mode: 'selective', clients: ['alpha.be'], reason: expect.stringContaining('only client files differ') });
  expect(result.markdown).toMatch(/^## Client changes against `HEAD` \(`[0-9a-f]{12}`\)/);
  expect(result.markdown).toContain('**1 of 3 stack(s) affected**: 0 added, 0 removed, 1 changed, 2 unchanged.');
  // Only alpha.be was compared: the agency's stack and gamma.be were not synthesized at all.
  // The progress counts alpha.be's resources as its section of the summary does.
  const counted = /### `alpha\.be`: changed\n\n(?:.*\n)*?\*\*Resources\*\*: (.*)/.exec(result.markdown)![1];
  expect(counted).toBe('0 to add, 0 to change, 3 to remove');
  expect(err.filter((line) => line.startsWith('['))).toEqual([`[1/1] alpha.be: resources: ${counted}`]);
  expect(err).toContain('2 other stack(s): not synthesized, the same on both sides');
  expect(git(repo, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  expect(leftovers(repo)).toEqual(before);
});

test('a change of code only is compared whole, each side with its own code: every instance moved to another region is a replacement', async () => {
  const repo = projectRepository(fixture('instance-change', 'base'));
  // The pull request's code sends every instance to SBG5, whatever its client file says: no client file changes.
  editFile(repo, 'constructs/instance.ts', 'region: config.region,', "region: 'SBG5',");
  const before = leftovers(repo);

  const { code, out, err } = await run(['--base', 'HEAD', '--json'], repo);
  expect(code).toBe(3);
  const result = JSON.parse(out.join('\n'));
  expect(result.scope).toEqual({ mode: 'full', reason: 'the code differs (`constructs/instance.ts`), so any stack may change' });
  expect(result.affected).toEqual(['alpha.be']);
  expect(result.destructiveChanges).toEqual([
    expect.objectContaining({
      stack: 'alpha.be',
      label: 'alpha.be/instance-web/instance',
      type: 'ovh_cloud_project_instance',
      effect: 'replaced',
    }),
    expect.objectContaining({
      stack: 'alpha.be',
      label: 'alpha.be/instance-worker/instance',
      type: 'ovh_cloud_project_instance',
      effect: 'replaced',
    }),
  ]);
  expect(result.markdown).toContain('_Each side was synthesized whole, with its own code: the code differs (`constructs/instance.ts`)');
  expect(result.markdown).toContain('`"GRA11"` → `"SBG5"`');
  expect(err).toEqual(
    expect.arrayContaining([
      "The base has the working tree's lock file: using its install",
      "The base's provider schemas and generator are the working tree's: using its bindings",
      '[1/2] agency: no changes',
    ]),
  );
  expect(git(repo, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  expect(leftovers(repo)).toEqual(before);
});

test('the base runs its own code and its own bindings: a change the head reverts shows, though the client files are the same', async () => {
  const repo = projectRepository(fixture('vps-plan', 'base'));
  editFile(repo, 'constructs/services/vps.ts', 'vps_datacenter: datacenter', "vps_datacenter: 'SBG'");
  // A provider schema of other bytes: the working tree's bindings are not the base's.
  editFile(repo, 'provider-schema/random.json', '"format_version": "1.0",', '"format_version": "1.0", ');
  git(repo, 'commit', '--quiet', '-am', 'every VPS to SBG');
  // Back to the client's datacenter: with the head's code on both sides this would compare as nothing.
  editFile(repo, 'constructs/services/vps.ts', "vps_datacenter: 'SBG'", 'vps_datacenter: datacenter');
  const { out, err } = await run(['--base', 'HEAD', '--json'], repo);
  const result = JSON.parse(out.join('\n'));
  expect(result.affected).toEqual(['alpha.be']);
  expect(result.markdown).toContain('`"SBG"` → `"GRA"`');
  expect(err).toContain("Generating the base's provider bindings (npm run gen)...");
});

test('--affected-only prints the stacks to plan; an invalid base is reported and compared as empty', async () => {
  const repo = projectRepository(fixture('new-client', 'base'));
  replaceClients(repo, fixture('new-client', 'head'));
  expect(await run(['--base', 'HEAD', '--affected-only'], repo)).toMatchObject({ code: 0, out: ['beta.be'] });

  fs.writeFileSync(path.join(repo, 'clients', 'alpha.be.yaml'), 'id: alpha.be\nname: Alpha\nsize: huge\nnichandle: al11111-ovh\n');
  git(repo, 'add', 'clients/alpha.be.yaml');
  git(repo, 'commit', '--quiet', '-m', 'a bad file');
  replaceClients(repo, fixture('new-client', 'head'));
  const { code, out } = await run(['--base', 'HEAD'], repo);
  expect(code).toBe(0);
  const markdown = out.join('\n');
  expect(markdown).toContain("> The base's client files could not be synthesized, so every stack is compared with nothing");
  expect(markdown).toMatch(/> - `clients\/alpha\.be\.yaml:3: size: /);
  expect(markdown).toContain('**2 of 3 stack(s) affected**: 2 added');
});

test('a ref that names no commit, conflicting options and an invalid working tree are errors (exit 1)', async () => {
  const repo = projectRepository(fixture('new-client', 'base'));
  expect((await run(['--base', 'no-such-ref'], repo)).err).toEqual([
    expect.stringMatching(/^changes: "no-such-ref" names no commit in .*fetch-depth: 0/),
  ]);
  expect((await run(['--base', 'HEAD', '--json', '--affected-only'], repo)).err[0]).toBe(
    'changes: --json: choose one of --json and --affected-only',
  );
  expect((await run([], repo)).err[0]).toBe('changes: --base: is required: the git ref to compare with');

  fs.writeFileSync(path.join(repo, 'clients', 'beta.be.yaml'), 'id: beta.be\n');
  const invalid = await run(['--base', 'HEAD'], repo);
  expect(invalid.code).toBe(1);
  expect(invalid.err).toContainEqual(expect.stringMatching(/beta\.be\.yaml.*: name: /));

  // A selective comparison (only beta.be changed) still checks what beta.be claims against the other files.
  fs.writeFileSync(
    path.join(repo, 'clients', 'beta.be.yaml'),
    'id: beta.be\nname: Beta\nsize: standard\nnichandle: be11111-ovh\ndomains: [{ name: alpha.be }]\n',
  );
  const claiming = await run(['--base', 'HEAD'], repo);
  expect(claiming.code).toBe(1);
  expect(claiming.err).toContainEqual(
    expect.stringMatching(/beta\.be\.yaml:5: domains\[0\]\.name: domain "alpha\.be" is already declared in alpha\.be\.yaml:6/),
  );
});
