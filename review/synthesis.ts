/**
 * Synthesis for the review commands: `npm run synth` of a project folder, run as a child process with that
 * folder's own code and install, into a fresh temporary folder, read back as a stack tree in memory. The temporary
 * output is removed whatever happens. The contract with the main job is its command line: `npm run synth` with
 * `CDKTF_OUTDIR`, `OVH_IAC_CLIENTS_DIR` and `OVH_IAC_CLIENTS` in its environment; only this project's own synthesis
 * may run in this process instead (`synthesizeStacksHere`), from the same environment.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { settingsFrom } from '../core/environment';
import { describeFailure } from '../core/failures';
import { synthesize } from '../stacks/synthesis';
import { runChild } from '../core/child';
import { readStackTree, type StackTree } from './stack-tree';

/** The project this code belongs to: its synthesis can run in this process, since its code is this code. */
const THIS_PROJECT = path.resolve(__dirname, '..');

export interface SynthesisOptions {
  /** The project folder whose `npm run synth` runs (its package.json, code and node_modules). */
  projectDir: string;
  /** The project's variables the synthesis reads (state backend...); CDKTF_OUTDIR is always replaced. */
  env: NodeJS.ProcessEnv;
  /** A clients folder instead of the one the environment names. */
  clientsDir?: string;
  /** Only these clients (and the agency's stack); undefined means every client. Never empty: see below. */
  clients?: string[];
}

/** The synthesis refused its input or failed: its own messages, one a line, as it printed them. */
export class SynthesisError extends Error {
  constructor(
    readonly projectDir: string,
    readonly lines: string[],
  ) {
    super(lines.join('\n'));
    this.name = 'SynthesisError';
  }
}

/** What the child writes on standard error, without npm's own noise about the user's configuration. */
function messagesOf(stderr: string): string[] {
  return stderr
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== '' && !/^npm (warn|notice|error) /.test(line) && !line.startsWith('npm WARN'));
}

/**
 * Synthesizes into a fresh folder and reads the result back. The folder is `cdktf.out.review-*` beside the
 * project's own `cdktf.out`, at the same depth: the paths a stack holds relative to its project (local state, the
 * contacts tool's `cd` to the project) are then the same as in `npm run synth`'s output, whichever tree the project is
 * in, and never show up as a difference between a base and a head.
 */
export async function synthesizeStacks(options: SynthesisOptions): Promise<StackTree> {
  return withOutput(options, async (projectDir, synthEnv) => {
    const { code, stderr } = await runChild('npm', ['run', '--silent', 'synth'], projectDir, synthEnv);
    if (code !== 0)
      throw new SynthesisError(projectDir, messagesOf(stderr).length > 0 ? messagesOf(stderr) : [`npm run synth exited with ${code}`]);
  });
}

/**
 * The same synthesis, in this process, when `projectDir` is this code's own project: what a review whose two sides
 * provably share this code needs, without paying for a second start of Node.js, cdktf and the bindings. Any other
 * project runs its own `npm run synth`.
 */
export async function synthesizeStacksHere(options: SynthesisOptions): Promise<StackTree> {
  if (fs.realpathSync(options.projectDir) !== fs.realpathSync(THIS_PROJECT)) return synthesizeStacks(options);
  return withOutput(options, async (projectDir, synthEnv) => {
    try {
      synthesize(settingsFrom(synthEnv, projectDir));
    } catch (error) {
      // Worded as `npm run synth`, run in the project folder, words them.
      throw new SynthesisError(projectDir, describeFailure(error, projectDir));
    }
  });
}

/** Runs `write` with the environment of a synthesis into a fresh output folder, and reads the stacks it wrote. */
async function withOutput(
  { projectDir, env, clientsDir, clients }: SynthesisOptions,
  write: (projectDir: string, synthEnv: NodeJS.ProcessEnv) => Promise<void>,
): Promise<StackTree> {
  // An empty selection would mean "every client" to the main job: the caller skips the synthesis instead.
  if (clients && clients.length === 0) throw new Error('synthesizeStacks: an empty selection of clients');
  const outdir = fs.mkdtempSync(path.join(projectDir, 'cdktf.out.review-'));
  try {
    const synthEnv: NodeJS.ProcessEnv = { ...env, CDKTF_OUTDIR: outdir };
    delete synthEnv.OVH_IAC_CLIENTS;
    if (clientsDir) synthEnv.OVH_IAC_CLIENTS_DIR = clientsDir;
    if (clients) synthEnv.OVH_IAC_CLIENTS = clients.join(',');
    await write(projectDir, synthEnv);
    return readStackTree(outdir);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
