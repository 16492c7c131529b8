/**
 * Synthesis for the review commands, through main.ts's own `synthesize` and `settingsFrom`: a clients folder
 * becomes a stack tree in memory, and the temporary output is removed whatever happens.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { settingsFrom } from '../config/environment';
import { synthesize } from '../main';
import { readStackTree, type StackTree } from './stack-tree';

export interface SynthesisOptions {
  /** The environment main.ts would read (state backend, selection...); CDKTF_OUTDIR is always replaced. */
  env: NodeJS.ProcessEnv;
  /** The project folder relative paths are resolved from, as by main.ts. */
  projectRoot: string;
  /** A clients folder instead of the one the environment names. */
  clientsDir?: string;
}

/**
 * Synthesizes into a fresh temporary folder and reads the result back. Every call's output sits at the same depth
 * under the system's temporary folder, so the relative paths cdktf writes (local state) are the same in any two
 * trees and never show up as a difference between them.
 */
export function synthesizeStacks({ env, projectRoot, clientsDir }: SynthesisOptions): StackTree {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'ovh-iac-review-'));
  try {
    const outdir = path.join(parent, 'cdktf.out');
    synthesize(settingsFrom({ ...env, CDKTF_OUTDIR: outdir, ...(clientsDir ? { OVH_IAC_CLIENTS_DIR: clientsDir } : {}) }, projectRoot));
    return readStackTree(outdir);
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
  }
}
