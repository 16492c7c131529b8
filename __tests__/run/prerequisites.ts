/**
 * What `npm test` needs beyond `npm ci`, checked once before any test runs: terraform (the scenario tests and verify's
 * run it), shellcheck (the workflow lint), cmark-gfm (GitHub's Markdown renderer, for the documents written) and the
 * real providers (`npm run providers`). What is missing is said in one line, and nothing runs. A machine that cannot
 * build the real ovh provider (its Go module proxy refuses it) may set `OVH_IAC_WITHOUT_REAL_PROVIDERS=1`: the suites
 * that run it are then skipped (jest.config.js), and the run says so.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { terraformBinary } from '../../verify/harness';
import { providersDir, ProvidersMissing, requireProviders } from '../../verify/providers';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

function runs(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
    return true;
  } catch {
    return false;
  }
}

/** Each missing prerequisite, with how to get it. */
export function missingPrerequisites(env: NodeJS.ProcessEnv): string[] {
  const missing: string[] = [];
  const terraform = terraformBinary(env);
  if (!runs(terraform, ['version'])) missing.push(`terraform 1.11.4 (no "${terraform}" runs; put it on the PATH or set OVH_IAC_TERRAFORM)`);
  if (!runs('shellcheck', ['--version'])) missing.push('shellcheck (apt-get install shellcheck)');
  if (!runs('cmark-gfm', ['--version'])) missing.push('cmark-gfm (apt-get install cmark-gfm)');
  if (env.OVH_IAC_WITHOUT_REAL_PROVIDERS !== '1') {
    try {
      requireProviders(providersDir(env, PROJECT_ROOT));
    } catch (error) {
      if (!(error instanceof ProvidersMissing)) throw error;
      missing.push(`the real providers (npm run providers, or OVH_IAC_WITHOUT_REAL_PROVIDERS=1 to skip the suites that run them)`);
    }
  }
  return missing;
}

/** Says in one line what is missing and exits 1; else says what is skipped, if anything. */
export function exitUnlessPrerequisites(env: NodeJS.ProcessEnv): void {
  const missing = missingPrerequisites(env);
  if (missing.length > 0) {
    process.stderr.write(`npm test needs what this machine lacks: ${missing.join('; ')}. See the README, "Tests".\n`);
    process.exit(1);
  }
  if (env.OVH_IAC_WITHOUT_REAL_PROVIDERS === '1')
    process.stderr.write(
      'OVH_IAC_WITHOUT_REAL_PROVIDERS=1: the suites that run the real providers (scenario-*, verify-run*) are skipped.\n',
    );
}
