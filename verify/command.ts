/**
 * `npm run verify [-- --keep]`: synthesizes the clients of OVH_IAC_CLIENTS_DIR and runs every stack through real
 * Terraform and the real providers against the OVH API stand-in (see verify/harness.ts). One line per stack as it
 * goes, then `N of M stacks verified`; a failure with Terraform's own words. Never touches real state.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';
import { describeFailure } from '../core/failures';
import { PINNED_PROVIDERS } from '../provider-schema/providers';
import { Harness, terraformVersion } from './harness';
import { verifyStacks, type StackVerification } from './verify';

/** Written into a state folder verify made, so that it never mistakes a real one for its own. */
const STATE_MARK = '.written-by-verify';

/** A state folder verify may write: a new or empty one, or one it wrote before. */
function stateFolder(env: NodeJS.ProcessEnv, projectRoot: string): string | undefined {
  const dir = env.OVH_IAC_LOCAL_STATE_DIR?.trim();
  if (!dir) return undefined;
  const resolved = path.resolve(projectRoot, dir);
  const states = fs.existsSync(resolved) ? fs.readdirSync(resolved).filter((name) => name.endsWith('.tfstate')) : [];
  if (states.length > 0 && !fs.existsSync(path.join(resolved, STATE_MARK))) {
    throw new Error(
      `OVH_IAC_LOCAL_STATE_DIR (${resolved}) holds Terraform state that verify did not write (${states[0]}...): verify never touches real state. Unset it, or point it at an empty folder.`,
    );
  }
  fs.mkdirSync(resolved, { recursive: true });
  fs.writeFileSync(path.join(resolved, STATE_MARK), 'Terraform state written by npm run verify against stand-ins: not real.\n');
  return resolved;
}

function line(result: StackVerification): string {
  const time = `${result.seconds.toFixed(1)} s`;
  if (result.ok) return `ok   ${result.stack}: ${result.planned ?? 'planned'}, applied, plan clean (${time})`;
  return `FAIL ${result.stack}: ${result.failedStep} failed (${time})`;
}

const Args = z.object({ keep: z.boolean().default(false) });

export const verifyCommand: Command<z.output<typeof Args>> = {
  name: 'verify',
  usage: `Usage: npm run verify [-- --keep]`,
  notes: `Needs the real providers, built once by \`npm run providers\`. Reads OVH_IAC_CLIENTS_DIR (default clients/),
CDKTF_OUTDIR and OVH_IAC_LOCAL_STATE_DIR (default: folders of the run, removed after it), OVH_IAC_PROVIDERS_DIR
(default .providers/), OVH_IAC_VERIFY_JOBS (stacks verified at once, default 2), OVH_IAC_TERRAFORM (default
terraform).`,
  exitCodes: { 0: 'every stack is verified', 1: 'a stack is not' },
  parse: commandLine(
    {
      options: {
        keep: { type: 'boolean', help: "keep the run's folder (stacks, state, what the OVH API stand-in holds) and print where it is" },
      },
    },
    Args,
  ),
  run: verify,
};

async function verify({ keep }: z.output<typeof Args>, { env, projectRoot, io: { out, err } }: CommandContext): Promise<number> {
  let harness: Harness | undefined;
  let failed = true;
  try {
    if (env.OVH_IAC_STATE_BUCKET?.trim()) {
      throw new Error(
        'remote state is configured (OVH_IAC_STATE_BUCKET): verify runs against stand-ins and never touches real state. Unset it for this command.',
      );
    }
    const version = await terraformVersion(env);
    const clientsDir = path.resolve(projectRoot, env.OVH_IAC_CLIENTS_DIR?.trim() || 'clients');
    const outdir = env.CDKTF_OUTDIR?.trim() ? path.resolve(projectRoot, env.CDKTF_OUTDIR.trim()) : undefined;
    harness = await Harness.start({ clientsDir, outdir, stateDir: stateFolder(env, projectRoot), env });
    harness.seed();
    const stacks = await harness.synth();
    out(
      `Verifying ${stacks.length} stacks with terraform ${version} and ${Object.values(PINNED_PROVIDERS)
        .map((p) => `${p.source} ${p.version}`)
        .join(', ')}, against the OVH API stand-in...`,
    );
    const jobs = Number(env.OVH_IAC_VERIFY_JOBS) > 0 ? Math.floor(Number(env.OVH_IAC_VERIFY_JOBS)) : 2;
    const secrets = harness.secrets();
    const redact = (text: string) => secrets.reduce((result, secret) => result.split(secret).join('(secret)'), text);
    const results = await verifyStacks(harness, stacks, jobs, (result) => {
      out(line(result));
      if (!result.ok) for (const text of redact(result.output ?? '').split('\n')) out(`     ${text}`);
      for (const advice of result.advice ?? []) out(`     What to do: ${advice}`);
    });
    const verified = results.filter((result) => result.ok).length;
    out(`${verified} of ${stacks.length} stacks verified`);
    failed = verified !== stacks.length;
    return failed ? 1 : 0;
  } catch (error) {
    for (const message of describeFailure(error)) err(`verify: ${message}`);
    return 1;
  } finally {
    if (harness) {
      await harness.close({ keep: keep || failed });
      if (keep || failed) err(`verify: the run's stacks, state and OVH world (ovh-world.json) are in ${harness.workDir}`);
    }
  }
}
