/**
 * `npm run synth`: the client files of OVH_IAC_CLIENTS_DIR become one Terraform stack per client plus the
 * agency's shared stack, in CDKTF_OUTDIR (stacks/synthesis.ts). Nothing is written unless every file is valid.
 */
import * as path from 'node:path';
import { settingsFrom } from './config/environment';
import { describeFailure } from './config/failures';
import { ConfigError } from './config/load';
import { synthesize } from './stacks/synthesis';

export { buildApp, synthesize } from './stacks/synthesis';

/** The stacks named on the summary line; beyond, only their number (the folder lists them all). */
const LISTED_STACKS = 20;

function main(): number {
  try {
    const settings = settingsFrom(process.env, __dirname);
    const stacks = synthesize(settings);
    const named = stacks.length > LISTED_STACKS ? [...stacks.slice(0, LISTED_STACKS), `and ${stacks.length - LISTED_STACKS} more`] : stacks;
    console.log(`Synthesized ${stacks.length} stacks into ${path.relative(process.cwd(), settings.outdir) || '.'}: ${named.join(', ')}`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`The client files have ${error.problems.length} problem(s); nothing was written:`);
      for (const line of describeFailure(error)) console.error(`  ${line}`);
    } else {
      console.error(`Cannot synthesize: ${describeFailure(error).join('\n')}`);
    }
    return 1;
  }
}

if (require.main === module) process.exitCode = main();
