/**
 * `npm run plan-batch -- --stacks-dir cdktf.out --results DIR (--stacks a,b | --batches FILE --batch K) [--apply]
 * [--lock-file FILE] [--parallel N]`: one CI job's share of stacks, planned (and with --apply, applied from that
 * very plan) by real terraform, one provider cache for all of them.
 *
 * Before any terraform command, every stack of the share passes the guard (review/plan-guard.ts); one refused stack
 * and nothing is planned. The committed provider lock file is copied into each stack and `terraform init
 * -lockfile=readonly` installs exactly those providers, from a CLI configuration that allows no others. Each plan's
 * JSON is read into a digest (no values) and deleted. Results: `<DIR>/stacks/<stack>.json` ({stack, exitcode,
 * plan, digest, apply?, seconds}); timings on standard error, per stack and for the share.
 *
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';
import { stackFolder } from '../config/environment';
import { runChild } from '../review/child';
import { capText } from '../review/github-limits';
import { PINNED_PROVIDERS, registryAddress, type ProviderName } from '../provider-schema/providers';
import { guardStack } from '../review/plan-guard';
import { digestPlan, type PlanDigest } from '../review/plan-digest';
import { readStackTree } from '../review/stack-tree';

/** The plan's text kept in a result: enough for the pull request's comment and the drift issue. */
const MAX_PLAN_CHARS = 60_000;

export interface StackRun {
  stack: string;
  /** terraform plan -detailed-exitcode: 0 no changes, 2 changes, else an error (init's included). */
  exitcode: number;
  plan: string;
  digest?: PlanDigest;
  apply?: { exitcode: number; output: string };
  seconds: Record<string, number>;
}

/** A CLI configuration that installs only the allowed providers (into the shared cache), unless one is given. */
function cliConfig(dir: string, cacheDir: string): string {
  const include = (Object.keys(PINNED_PROVIDERS) as ProviderName[]).map((name) => `"${registryAddress(name)}"`).join(', ');
  const file = path.join(dir, 'terraform.rc');
  fs.writeFileSync(
    file,
    `plugin_cache_dir = ${JSON.stringify(cacheDir)}\nprovider_installation {\n  direct {\n    include = [${include}]\n  }\n}\n`,
  );
  return file;
}

async function timed<T>(seconds: Record<string, number>, step: string, run: () => Promise<T>): Promise<T> {
  const start = process.hrtime.bigint();
  try {
    return await run();
  } finally {
    seconds[step] = Number(process.hrtime.bigint() - start) / 1e9;
  }
}

async function runStack(
  stack: string,
  dir: string,
  options: { apply: boolean; lockFile?: string; env: NodeJS.ProcessEnv },
): Promise<StackRun> {
  const seconds: Record<string, number> = {};
  const tf = (args: string[]) => runChild('terraform', args, dir, { ...options.env, TF_IN_AUTOMATION: '1', TF_INPUT: '0' });
  if (options.lockFile) fs.copyFileSync(options.lockFile, path.join(dir, '.terraform.lock.hcl'));
  const init = await timed(seconds, 'init', () =>
    tf(['init', '-input=false', '-no-color', ...(options.lockFile ? ['-lockfile=readonly'] : [])]),
  );
  if (init.code !== 0) return { stack, exitcode: 1, plan: `${init.stdout}${init.stderr}`, seconds };
  const planFile = 'ci.tfplan';
  const plan = await timed(seconds, 'plan', () =>
    tf(['plan', '-detailed-exitcode', '-input=false', '-no-color', `-out=${planFile}`, ...(options.apply ? [] : ['-lock=false'])]),
  );
  const run: StackRun = {
    stack,
    exitcode: plan.code ?? 1,
    plan: capText(`${plan.stdout}${plan.stderr}`, { max: MAX_PLAN_CHARS, unit: 'chars', whole: 'the whole plan is in the job log' }),
    seconds,
  };
  try {
    if (fs.existsSync(path.join(dir, planFile))) {
      const show = await timed(seconds, 'show', () => tf(['show', '-json', planFile]));
      if (show.code === 0) run.digest = digestPlan(show.stdout);
      if (options.apply && run.exitcode === 2 && run.digest && !run.digest.errored) {
        const applied = await timed(seconds, 'apply', () => tf(['apply', '-input=false', '-no-color', planFile]));
        run.apply = {
          exitcode: applied.code ?? 1,
          output: capText(`${applied.stdout}${applied.stderr}`, {
            max: MAX_PLAN_CHARS,
            unit: 'chars',
            whole: 'the whole output is in the job log',
          }),
        };
      }
    }
  } finally {
    // The plan file holds every value in plain text, secrets included: it never outlives the job's step.
    fs.rmSync(path.join(dir, planFile), { force: true });
  }
  return run;
}

/** The step that failed for a stack, if one did: init (then nothing else ran), plan or apply. */
function failedStep(run: StackRun): 'init' | 'plan' | 'apply' | undefined {
  if (run.apply && run.apply.exitcode !== 0) return 'apply';
  if (run.exitcode === 0 || run.exitcode === 2) return undefined;
  return 'plan' in run.seconds ? 'plan' : 'init';
}

/**
 * What a stack's line in the job's log says: each step's exit code, and for a failure, the step that failed and
 * terraform's own error summaries (`Error: ...`), where the result file holds its whole output.
 */
function runLine(run: StackRun, resultFile: string): string {
  const failed = failedStep(run);
  if (!failed) return `plan exit ${run.exitcode}${run.apply ? `, apply exit ${run.apply.exitcode}` : ''}`;
  const { output, exitcode } = failed === 'apply' ? run.apply! : { output: run.plan, exitcode: run.exitcode };
  const errors = [...new Set([...output.matchAll(/Error: (.+)/g)].map((match) => match[1].trim()))];
  const why =
    errors.length > 0
      ? `${errors.slice(0, 3).join('; ')}${errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''}`
      : output.trim().split('\n').pop()?.trim() || 'no output';
  return `${failed} failed (exit ${exitcode}): ${why}; terraform's whole output is in ${resultFile}`;
}

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter((item) => !test(item))];
}

/** The stacks of `--stacks`, else (the command line has both then) those of batch `--batch` of `--batches`. */
function stacksOf(values: z.output<typeof Args>): string[] {
  if (values.stacks)
    return values.stacks
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const { batches } = JSON.parse(fs.readFileSync(values.batches!, 'utf8')) as { batches: string[][] };
  const share = batches[Number(values.batch) - 1];
  if (!share) throw new Error(`${values.batches} has no batch ${values.batch}`);
  return share;
}

/** Refused before any terraform command: a missing lock file, or a stack the guard refuses. */
const EXIT_REFUSED = 2;

const Args = z
  .object({
    'stacks-dir': z.string({ error: 'is required: the synthesized stacks (cdktf.out)' }).min(1),
    results: z.string({ error: 'is required: where the results are written' }).min(1),
    stacks: z.string().optional(),
    batches: z.string().optional(),
    batch: z.string().optional(),
    apply: z.boolean().default(false),
    'lock-file': z.string().optional(),
    parallel: z.coerce.number().int().min(1).default(2),
  })
  .refine((args) => args.stacks || (args.batches && args.batch), { error: 'give --stacks, or --batches with --batch', path: ['stacks'] });

export const planBatchCommand: Command<z.output<typeof Args>> = {
  name: 'plan-batch',
  usage: `Usage: npm run plan-batch -- --stacks-dir DIR --results DIR (--stacks a,b | --batches FILE --batch K) [--apply]
                              [--lock-file FILE] [--parallel N]

  --stacks-dir DIR   the synthesized stacks (cdktf.out)
  --results DIR      where each stack's result is written: DIR/stacks/<stack>.json
  --stacks a,b       the stacks of this job, or
  --batches FILE --batch K   batch K of the file npm run batches wrote
  --apply            apply each stack from the very plan made, when it has changes
  --lock-file FILE   the committed provider lock file, copied into each stack (terraform init -lockfile=readonly)
  --parallel N       stacks run at once (default 2)`,
  exitCodes: {
    0: 'every stack planned (and applied)',
    1: 'a stack did not: its result says why',
    [EXIT_REFUSED]: 'refused before any terraform command: a stack the guard refuses, or no lock file',
  },
  parse: commandLine(
    {
      options: {
        'stacks-dir': { type: 'string' },
        results: { type: 'string' },
        stacks: { type: 'string' },
        batches: { type: 'string' },
        batch: { type: 'string' },
        apply: { type: 'boolean' },
        'lock-file': { type: 'string' },
        parallel: { type: 'string' },
      },
    },
    Args,
  ),
  run: planBatch,
};

async function planBatch(values: z.output<typeof Args>, { env, io: { out, err } }: CommandContext): Promise<number> {
  if (values['lock-file'] && !fs.existsSync(values['lock-file'])) {
    err(
      `plan-batch: the provider lock file ${values['lock-file']} is missing: generate it once on a connected machine (README, "Provider lock file")`,
    );
    return EXIT_REFUSED;
  }
  const stacksDir = path.resolve(values['stacks-dir']);
  const tree = readStackTree(stacksDir);
  // A stack the change removes has no configuration left to plan with; its state stays (README, "Lifecycle").
  const [stacks, removed] = partition(stacksOf(values), (stack) => tree.has(stack));
  const resultsDir = path.join(values.results, 'stacks');
  fs.mkdirSync(resultsDir, { recursive: true });
  for (const stack of removed) {
    const run: StackRun = {
      stack,
      exitcode: 0,
      plan: 'stack removed by the change: not planned; its state and services stay until decommissioned',
      seconds: {},
    };
    fs.writeFileSync(
      path.join(resultsDir, `${stack}.json`),
      `${JSON.stringify(run)}
`,
    );
    err(`${stack}: removed by the change, not planned`);
  }
  // The guard first, on the whole share: nothing is planned with credentials unless every stack passes.
  const refused = stacks.flatMap((stack) =>
    guardStack(stack, tree.get(stack)!, { stateBucket: env.OVH_IAC_STATE_BUCKET?.trim() || undefined }).map(
      (problem) => `${stack}: ${problem}`,
    ),
  );
  if (refused.length > 0) {
    for (const problem of refused) err(`plan-batch: refused: ${problem}`);
    return EXIT_REFUSED;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-batch-'));
  const cacheDir = env.TF_PLUGIN_CACHE_DIR?.trim() || path.join(work, 'plugins');
  fs.mkdirSync(cacheDir, { recursive: true });
  const runEnv = { ...env, TF_PLUGIN_CACHE_DIR: cacheDir, TF_CLI_CONFIG_FILE: env.TF_CLI_CONFIG_FILE?.trim() || cliConfig(work, cacheDir) };
  const queue = [...stacks];
  const started = process.hrtime.bigint();
  let done = 0;
  let failed = 0;
  const worker = async (): Promise<void> => {
    for (let stack = queue.shift(); stack; stack = queue.shift()) {
      const run = await runStack(stack, stackFolder(stacksDir, stack), {
        apply: values.apply,
        lockFile: values['lock-file'] && path.resolve(values['lock-file']),
        env: runEnv,
      });
      const resultFile = path.join(resultsDir, `${stack}.json`);
      fs.writeFileSync(resultFile, `${JSON.stringify(run)}\n`);
      if (failedStep(run)) failed++;
      const times = Object.entries(run.seconds)
        .map(([step, s]) => `${step} ${s.toFixed(1)} s`)
        .join(', ');
      err(`[${++done}/${stacks.length}] ${stack}: ${runLine(run, resultFile)} (${times})`);
    }
  };
  try {
    await Promise.all(Array.from({ length: values.parallel }, worker));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const total = Number(process.hrtime.bigint() - started) / 1e9;
  out(
    `${stacks.length} stack(s) in ${total.toFixed(1)} s (${(total / Math.max(1, stacks.length)).toFixed(2)} s per stack), ${failed} failed`,
  );
  return failed === 0 ? 0 : 1;
}
