/**
 * `npm run synth`: the client files of OVH_IAC_CLIENTS_DIR become one Terraform stack per client plus the agency's
 * shared stack, in CDKTF_OUTDIR (stacks/synthesis.ts). Nothing is written unless every file is valid.
 */
import * as path from 'node:path';
import { noArguments, type Command, type CommandContext } from '../cli/command-line';
import { settingsFrom } from '../core/environment';
import { ConfigError, describeFailure } from '../core/failures';
import { synthesize } from './synthesis';

/** The stacks named on the summary line; beyond, only their number (the folder lists them all). */
const LISTED_STACKS = 20;

export const synthCommand: Command<void> = {
  name: 'synth',
  usage: `Usage: npm run synth

Writes one Terraform stack per client file of OVH_IAC_CLIENTS_DIR (default clients/), and the agency's stack, into
CDKTF_OUTDIR (default cdktf.out); OVH_IAC_CLIENTS selects clients (README, "Environment variables").`,
  exitCodes: { 0: 'the stacks are written', 1: 'a client file has problems, each named with its file, line and field: nothing is written' },
  parse: noArguments,
  run: synth,
};

function synth(_args: void, { env, projectRoot, io }: CommandContext): number {
  try {
    const settings = settingsFrom(env, projectRoot);
    const stacks = synthesize(settings);
    const named = stacks.length > LISTED_STACKS ? [...stacks.slice(0, LISTED_STACKS), `and ${stacks.length - LISTED_STACKS} more`] : stacks;
    io.out(`Synthesized ${stacks.length} stacks into ${path.relative(process.cwd(), settings.outdir) || '.'}: ${named.join(', ')}`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(`The client files have ${error.problems.length} problem(s); nothing was written:`);
      for (const line of describeFailure(error)) io.err(`  ${line}`);
    } else {
      io.err(`Cannot synthesize: ${describeFailure(error).join('\n')}`);
    }
    return 1;
  }
}
