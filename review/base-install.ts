/**
 * The base revision's own install, for synthesizing it with its own code. A worktree of the base has no
 * node_modules and no generated bindings: it gets the install of its own lock file, then `npm run gen`.
 *
 * - The same lock file as the working tree (the usual case): the working tree's node_modules is that install.
 * - Another lock file: `npm ci --ignore-scripts` into a cache keyed by the lock file's hash, kept in the
 *   repository's git folder and reused as long as that lock file is unchanged (the last few are kept).
 * The bindings follow the base's own provider schemas: when the working tree's were generated from the very inputs the
 * base has (`inputs.sha256` in the bindings folder), the base uses them; otherwise they are generated in the worktree.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runChild } from '../core/child';
import { sha256 } from '../core/digest';
import { bindingsFolder, bindingsInputsDigest, generatedBindingsDigest } from '../provider-schema/bindings';

/** How many installs of other lock files are kept (each is the size of a node_modules). */
const KEPT_INSTALLS = 3;
const LOCK_FILE = 'package-lock.json';

export class InstallError extends Error {}

async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  const { code, stderr } = await runChild(command, args, cwd, env);
  if (code !== 0)
    throw new InstallError(
      `${command} ${args.join(' ')} in ${cwd} exited with ${code}: ${stderr.trim().split('\n').slice(-5).join(' / ')}`,
    );
}

const lockHash = (file: string) => sha256(fs.readFileSync(file)).slice(0, 16);

/** node_modules installed from `projectDir`'s lock file, from the cache or installed into it now. */
async function cachedInstall(projectDir: string, cacheDir: string, env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<string> {
  const key = lockHash(path.join(projectDir, LOCK_FILE));
  const target = path.join(cacheDir, `npm-${key}`);
  if (fs.existsSync(path.join(target, 'node_modules'))) {
    log(`Reusing the install of the base's lock file (${key}) from ${target}`);
    fs.utimesSync(target, new Date(), new Date());
    return path.join(target, 'node_modules');
  }
  log(`The base has another lock file: installing it once (npm ci), into ${target}...`);
  fs.mkdirSync(cacheDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(cacheDir, `npm-${key}.staging-`));
  try {
    for (const file of ['package.json', LOCK_FILE]) fs.copyFileSync(path.join(projectDir, file), path.join(staging, file));
    // The project's own postinstall (the bindings) needs its whole tree: it runs in the worktree instead.
    await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], staging, env);
    try {
      fs.renameSync(staging, target);
    } catch (error) {
      // Another review installed the same lock file meanwhile: either copy is as good.
      if (!fs.existsSync(path.join(target, 'node_modules'))) throw error;
    }
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
  pruneInstalls(cacheDir);
  return path.join(target, 'node_modules');
}

function pruneInstalls(cacheDir: string): void {
  const installs = fs
    .readdirSync(cacheDir)
    .filter((name) => /^npm-[0-9a-f]+$/.test(name))
    .map((name) => ({ dir: path.join(cacheDir, name), used: fs.statSync(path.join(cacheDir, name)).mtimeMs }))
    .sort((a, b) => b.used - a.used);
  for (const { dir } of installs.slice(KEPT_INSTALLS)) fs.rmSync(dir, { recursive: true, force: true });
}

export interface BaseInstallOptions {
  /** The base's project folder, in its worktree. */
  baseDir: string;
  /** The working tree's project folder, whose node_modules serves when the lock files are the same. */
  headDir: string;
  /** Where installs of other lock files are kept. */
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/** Gives the base's worktree its node_modules and its generated bindings. */
export async function installBase({ baseDir, headDir, cacheDir, env, log = () => {} }: BaseInstallOptions): Promise<void> {
  const baseLock = path.join(baseDir, LOCK_FILE);
  if (!fs.existsSync(baseLock)) throw new InstallError(`the base has no ${LOCK_FILE}: it cannot be installed as CI would`);
  const headLock = path.join(headDir, LOCK_FILE);
  const same = fs.existsSync(headLock) && lockHash(headLock) === lockHash(baseLock) && fs.existsSync(path.join(headDir, 'node_modules'));
  if (same) log("The base has the working tree's lock file: using its install");
  const modules = same ? path.join(headDir, 'node_modules') : await cachedInstall(baseDir, cacheDir, env, log);
  fs.symlinkSync(fs.realpathSync(modules), path.join(baseDir, 'node_modules'), 'dir');
  // The base's inputs are read only when the working tree's bindings could serve it.
  const headBindings = same ? generatedBindingsDigest(headDir) : undefined;
  if (headBindings !== undefined && headBindings === bindingsInputsDigest(baseDir)) {
    log("The base's provider schemas and generator are the working tree's: using its bindings");
    fs.symlinkSync(fs.realpathSync(bindingsFolder(headDir)), bindingsFolder(baseDir), 'dir');
    return;
  }
  log("Generating the base's provider bindings (npm run gen)...");
  await run('npm', ['run', '--silent', 'gen'], baseDir, env);
}
