/**
 * What `npm run verify` does with a harness: every stack through real `terraform init`, `validate`, `plan`, `apply`
 * of that plan, then `plan -detailed-exitcode`, which must find nothing to change.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { AGENCY_STACK } from '../policy/naming';
import { adviceFor, type StackFacts } from '../provider-schema/failures';
import type { Harness, TerraformRun } from './harness';

export interface StackVerification {
  stack: string;
  ok: boolean;
  /** The step that failed, e.g. `terraform apply`. */
  failedStep?: string;
  /** Terraform's own words, when a step failed. */
  output?: string;
  /** What its failures mean and what to do, where the provider's words are known (`provider-schema/failures.ts`). */
  advice?: string[];
  /** What the first plan would do, e.g. `12 to add, 0 to change, 0 to destroy`. */
  planned?: string;
  seconds: number;
}

const PLAN_FILE = 'verify.tfplan';

function summaryOf(run: TerraformRun): string | undefined {
  return /Plan: ([^.\n]+)\./.exec(run.stdout)?.[1] ?? (/No changes\./.test(run.stdout) ? 'no changes' : undefined);
}

/** Terraform's error blocks (standard error), or its whole output when it wrote none there. */
function terraformWords(run: TerraformRun): string {
  return (run.stderr.trim() || run.stdout.trim()).replace(/\n{3,}/g, '\n\n');
}

export async function verifyStack(harness: Harness, stack: string): Promise<StackVerification> {
  const started = performance.now();
  const done = (result: Omit<StackVerification, 'stack' | 'seconds' | 'advice'>): StackVerification => {
    const facts = () => JSON.parse(fs.readFileSync(path.join(harness.stackDir(stack), 'cdk.tf.json'), 'utf8')) as StackFacts;
    const advice = result.output ? adviceFor(result.output, facts()) : [];
    return { stack, seconds: (performance.now() - started) / 1000, ...result, ...(advice.length > 0 ? { advice } : {}) };
  };
  const steps: [string, string[]][] = [
    ['terraform init', ['init', '-input=false']],
    ['terraform validate', ['validate']],
    ['terraform plan', ['plan', '-input=false', `-out=${PLAN_FILE}`]],
    ['terraform apply', ['apply', '-input=false', PLAN_FILE]],
  ];
  let planned: string | undefined;
  for (const [step, args] of steps) {
    const run = await harness.terraform(stack, ...args);
    if (run.code !== 0) return done({ ok: false, failedStep: step, output: terraformWords(run), planned });
    if (args[0] === 'plan') planned = summaryOf(run);
  }
  const again = await harness.terraform(stack, 'plan', '-input=false', '-detailed-exitcode');
  if (again.code === 2)
    return done({
      ok: false,
      failedStep: 'terraform plan -detailed-exitcode (after apply)',
      output: `the plan after apply is not clean:\n${again.stdout.trim()}`,
      planned,
    });
  if (again.code !== 0)
    return done({ ok: false, failedStep: 'terraform plan -detailed-exitcode (after apply)', output: terraformWords(again), planned });
  return done({ ok: true, planned });
}

/**
 * Verifies `stacks`, `jobs` at a time, telling `onResult` of each as it ends. The agency's stack goes first, alone:
 * client stacks use what it registers in the shared project (the deploy key their instances name).
 */
export async function verifyStacks(
  harness: Harness,
  stacks: string[],
  jobs: number,
  onResult: (result: StackVerification) => void,
): Promise<StackVerification[]> {
  const results: StackVerification[] = [];
  if (stacks.includes(AGENCY_STACK)) {
    const result = await verifyStack(harness, AGENCY_STACK);
    results.push(result);
    onResult(result);
  }
  const queue = stacks.filter((stack) => stack !== AGENCY_STACK);
  const worker = async () => {
    for (let stack = queue.shift(); stack !== undefined; stack = queue.shift()) {
      const result = await verifyStack(harness, stack);
      results.push(result);
      onResult(result);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, stacks.length)) }, worker));
  return stacks.map((stack) => results.find((result) => result.stack === stack)!);
}
