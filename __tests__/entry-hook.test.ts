/**
 * The entry hook every npm script starts node with (cli/bundle.cjs): a script runs as a bundle of its code, kept between
 * runs, and an edit to any file of it shows on the next run; each file keeps its own location; a file that does not
 * compile is named, nothing runs. Each test runs the hook from a project of its own (a copy of the hook, and esbuild
 * linked), so that its bundles are made in that project, never in this one's cache.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');

let project: string;

beforeEach(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'entry-hook-'));
  fs.mkdirSync(path.join(project, 'cli'));
  fs.copyFileSync(path.join(ROOT, 'cli', 'bundle.cjs'), path.join(project, 'cli', 'bundle.cjs'));
  fs.mkdirSync(path.join(project, 'node_modules'));
  fs.symlinkSync(path.join(ROOT, 'node_modules', 'esbuild'), path.join(project, 'node_modules', 'esbuild'));
  write('tool/main.ts', "import { greeting } from '../lib/greeting';\nconsole.log(greeting(process.argv[2]));\n");
  write('lib/greeting.ts', 'export const greeting = (name: string): string => `hello ${name}`;\n');
});

afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
  fs.writeFileSync(path.join(project, file), text);
}

/** Runs `script` as an npm script runs it, from the project. */
function run(script: string, ...args: string[]) {
  return spawnSync(process.execPath, ['--require', './cli/bundle.cjs', script, ...args], { cwd: project, encoding: 'utf8' });
}

const cached = () => fs.readdirSync(path.join(project, 'node_modules', '.cache', 'ovh-iac', 'bundles')).sort();

test('a script runs with its arguments, as one bundle, and again from the kept bundle and its code cache', () => {
  expect(run('tool/main.ts', 'world')).toMatchObject({ status: 0, stdout: 'hello world\n', stderr: '' });
  const files = cached();
  expect(files.filter((name) => name.endsWith('.js'))).toHaveLength(1);
  expect(files.filter((name) => name.endsWith('.v8'))).toHaveLength(1);
  const bundle = path.join(
    project,
    'node_modules',
    '.cache',
    'ovh-iac',
    'bundles',
    files.find((name) => name.endsWith('.js'))!,
  );
  const built = fs.statSync(bundle).mtimeMs;

  expect(run('tool/main.ts', 'again')).toMatchObject({ status: 0, stdout: 'hello again\n', stderr: '' });
  expect(fs.statSync(bundle).mtimeMs).toBe(built);
  expect(cached()).toEqual(files);
});

test('an edit to any file of the script shows on the next run, even one of the same size', () => {
  expect(run('tool/main.ts', 'world').stdout).toBe('hello world\n');
  write('lib/greeting.ts', 'export const greeting = (name: string): string => `howdy ${name}`;\n');
  expect(run('tool/main.ts', 'world')).toMatchObject({ status: 0, stdout: 'howdy world\n' });
  // The earlier build's code cache is gone with it.
  expect(cached().filter((name) => name.endsWith('.v8'))).toHaveLength(1);

  // Same size, new content: the modification time tells.
  const file = path.join(project, 'lib/greeting.ts');
  const before = fs.statSync(file);
  write('lib/greeting.ts', 'export const greeting = (name: string): string => `hallo ${name}`;\n');
  fs.utimesSync(file, before.atime, new Date(before.mtimeMs + 1000));
  expect(run('tool/main.ts', 'world')).toMatchObject({ status: 0, stdout: 'hallo world\n' });
});

test("the bundle of an entry that is gone is removed at the next build (as a review's worktree of its base is)", () => {
  write('tool/other.ts', "console.log('other');\n");
  expect(run('tool/other.ts').stdout).toBe('other\n');
  expect(run('tool/main.ts', 'world').status).toBe(0);
  expect(cached().filter((name) => name.startsWith('other-'))).toHaveLength(2);
  fs.rmSync(path.join(project, 'tool/other.ts'));
  write('lib/greeting.ts', 'export const greeting = (name: string): string => `hi ${name}`;\n');
  expect(run('tool/main.ts', 'world').stdout).toBe('hi world\n');
  expect(cached().filter((name) => name.startsWith('other-'))).toEqual([]);
  expect(cached().filter((name) => name.startsWith('main-'))).toHaveLength(2);
});

test('a file that is gone is not taken from the bundle', () => {
  expect(run('tool/main.ts', 'world').status).toBe(0);
  fs.rmSync(path.join(project, 'lib/greeting.ts'));
  const result = run('tool/main.ts', 'world');
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain('Could not resolve "../lib/greeting"');
  expect(result.stderr).toContain('Could not build the bundle of tool/main.ts: see above.');
});

test('a script started with the hook in NODE_OPTIONS too runs as well (the bundle is built without it)', () => {
  const result = spawnSync(process.execPath, ['tool/main.ts', 'world'], {
    cwd: project,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '--require ./cli/bundle.cjs' },
  });
  expect(result).toMatchObject({ status: 0, stdout: 'hello world\n', stderr: '' });
});

test('a bundle built by another Node.js version, or by another version of the hook, is built again', () => {
  expect(run('tool/main.ts', 'world').status).toBe(0);
  const bundleFile = path.join(
    project,
    'node_modules',
    '.cache',
    'ovh-iac',
    'bundles',
    cached().find((name) => name.endsWith('.js'))!,
  );
  const [header, ...code] = fs.readFileSync(bundleFile, 'utf8').split('\n');
  // The kept bundle made to print something else, as if built by Node.js v1.0.0, without its code cache: not used.
  const otherNode = header.replace(`"node":"${process.version}"`, '"node":"v1.0.0"');
  expect(otherNode).not.toBe(header);
  fs.writeFileSync(bundleFile, [otherNode, ...code].join('\n').replace('hello ', 'stale '));
  for (const name of cached().filter((file) => file.endsWith('.v8'))) fs.rmSync(path.join(path.dirname(bundleFile), name));
  expect(run('tool/main.ts', 'world').stdout).toBe('hello world\n');

  const built = fs.statSync(bundleFile).mtimeMs;
  expect(run('tool/main.ts', 'world').status).toBe(0);
  expect(fs.statSync(bundleFile).mtimeMs).toBe(built);
  fs.appendFileSync(path.join(project, 'cli', 'bundle.cjs'), '\n// a newer hook\n');
  expect(run('tool/main.ts', 'world').stdout).toBe('hello world\n');
  expect(fs.statSync(bundleFile).mtimeMs).not.toBe(built);
});

test('where the cache cannot be written, a script still runs, from a bundle built for that run', () => {
  fs.writeFileSync(path.join(project, 'node_modules', '.cache'), 'not a folder');
  for (const name of ['one', 'two']) expect(run('tool/main.ts', name)).toMatchObject({ status: 0, stdout: `hello ${name}\n`, stderr: '' });
});

test('each file sees its own __dirname and __filename, as in the source tree', () => {
  write('lib/where.ts', 'export const where = { dir: __dirname, file: __filename };\n');
  write('tool/where.ts', "import { where } from '../lib/where';\nconsole.log(JSON.stringify([where, __dirname, __filename]));\n");
  const result = run('tool/where.ts');
  expect(result.status).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual([
    { dir: path.join(project, 'lib'), file: path.join(project, 'lib/where.ts') },
    path.join(project, 'tool'),
    path.join(project, 'tool/where.ts'),
  ]);
});

test('text beyond ASCII reaches the script as written, in a project whose path has some too', () => {
  const moved = path.join(path.dirname(project), `${path.basename(project)}-été ✓`);
  fs.renameSync(project, moved);
  project = moved;
  write('lib/greeting.ts', 'export const greeting = (name: string): string => `¡hola ${name}! — 👋 /[é-ü]/`;\n');
  write('tool/where.ts', "import { greeting } from '../lib/greeting';\nconsole.log(greeting('Zoë'), __dirname);\n");
  for (const round of ['built', 'kept']) {
    expect({ round, ...run('tool/where.ts') }).toMatchObject({
      round,
      status: 0,
      stdout: `¡hola Zoë! — 👋 /[é-ü]/ ${path.join(project, 'tool')}\n`,
      stderr: '',
    });
  }
});

test('a syntax error names the file and line, and nothing runs', () => {
  write('lib/greeting.ts', 'export const greeting = (name: string): string => {\n');
  const result = run('tool/main.ts', 'world');
  expect(result.status).toBe(1);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/lib\/greeting\.ts:2:0/);
  expect(result.stderr).toContain('Could not build the bundle of tool/main.ts: see above.');
  expect(result.stderr).not.toMatch(/\n\s+at /);
});

test('processes building the same bundle at once all run it', async () => {
  const { spawn } = await import('node:child_process');
  const outputs = await Promise.all(
    Array.from({ length: 4 }, (_, i) => {
      const child = spawn(process.execPath, ['--require', './cli/bundle.cjs', 'tool/main.ts', `n${i}`], { cwd: project });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      return new Promise<[number | null, string]>((resolve) => child.on('close', (code) => resolve([code, stdout])));
    }),
  );
  expect(outputs).toEqual(Array.from({ length: 4 }, (_, i) => [0, `hello n${i}\n`]));
  expect(cached().filter((name) => name.endsWith('.js'))).toHaveLength(1);
  expect(cached().filter((name) => !name.endsWith('.js') && !name.endsWith('.v8'))).toEqual([]);
});
