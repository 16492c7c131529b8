/**
 * The main job: loads, validates and plans the client files once (`policy/folder.ts`), synthesizes one stack per
 * client plus the agency's shared stack from the plans on every core, in bounded batches, then puts the result in
 * place of the output folder.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Settings } from '../core/environment';
import { AGENCY_FILE } from '../config/load';
import { ConfigError } from '../core/failures';
import { planFolder } from '../policy/folder';
import { stackIds } from './batches';
import { publishOutput, stagingFolder } from './output-folder';
import { SynthesisThreads } from './threads';

export { buildApp } from './batches';

/**
 * Synthesizes the clients `settings` names into `settings.outdir`; returns the stacks written, in output order.
 * Nothing is written unless every file is valid and every stack is synthesized.
 */
export function synthesize(settings: Settings): string[] {
  const threads = new SynthesisThreads(expectedStacks(settings), settings.threads ?? os.availableParallelism());
  try {
    const { files, plans } = planFolder(settings.clientsDir, settings.selectedClients);
    const staging = stagingFolder(settings.outdir);
    try {
      const stackFiles = [path.join(settings.clientsDir, AGENCY_FILE), ...files.clients.map(({ file }) => file)];
      const job = { plans, files: stackFiles, state: settings.state, outdir: staging };
      const results = threads.run(job).sort((a, b) => a.first - b.first);
      const problems = results.flatMap((result) => result.problems);
      if (problems.length > 0) throw new ConfigError(problems);
      const otherStacks = settings.selectedClients ? 'keep' : settings.runByCdktfCli ? 'unlist' : 'remove';
      publishOutput(staging, settings.outdir, { stacks: results.flatMap((result) => result.stacks), otherStacks });
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
    return stackIds(plans);
  } finally {
    threads.close();
  }
}

/** The number of stacks, as far as can be told before the files are read: how many workers are worth starting. */
function expectedStacks({ clientsDir, selectedClients }: Settings): number {
  try {
    return 1 + (selectedClients ?? fs.readdirSync(clientsDir).filter((name) => name.endsWith('.yaml') && name !== AGENCY_FILE)).length;
  } catch {
    return 1;
  }
}
