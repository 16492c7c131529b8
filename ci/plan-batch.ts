/**
 * `npm run plan-batch -- --stacks-dir DIR --results DIR (--stacks a,b | --batches FILE --batch K) [options]`: one CI
 * job's share of stacks through real terraform, one provider cache for all of them, in one of three ways:
 *
 * - plan (pull requests, drift): `terraform plan -lock=false`, read into a digest without values, then deleted;
 * - `--save` (Apply's plan job): planned with the state lock and kept, sealed to the recipients of the apply
 *   credential store (`--recipients-store`), with its checksum and its rendering (`terraform show`) for the approver;
 * - `--apply-saved DIR` (Apply's apply job, after approval): the plans saved in DIR applied as they are, once the
 *   digest of their renderings is the one the approver was shown (`--expect-digest`), each plan's checksum is the one
 *   recorded and its rendering is the same again; a plan that destroys or replaces anything at OVH only with
 *   `--destroys-approved` (a second approval).
 *
 * Saving and applying need the remote state: a plan against a runner's empty local state would order every service
 * again. Before any terraform command, every stack of the share passes the guard (ci/plan-guard.ts); one refused
 * stack and nothing runs. The committed provider lock file is copied into each stack and `terraform init
 * -lockfile=readonly` installs exactly those providers, from a CLI configuration that allows no others. Results:
 * `<DIR>/stacks/<stack>.json` (ci/plan-results.ts), every text in them without the job's secrets; sealed plans in
 * `<DIR>/plans/<stack>.tfplan.age`. A state lock Terraform cannot take is explained, with the command that releases
 * a stale one, in `--summary` (the run's summary). Timings on standard error, per stack and for the share.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as z from 'zod';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';
import { settingsFrom, stackFolder, type StateBackend } from '../core/environment';
import { markdownText } from '../lifecycle/markdown';
import { adviceFor, type StackFacts } from '../provider-schema/failures';
import { PINNED_PROVIDERS, registryAddress, type ProviderName } from '../provider-schema/providers';
import { runChild } from '../core/child';
import { sha256 } from '../core/digest';
import { capText } from './github-limits';
import { codeBlock, inlineCode } from '../review/markdown-code';
import { digestPlan } from './plan-digest';
import { guardStackFolder, STACK_FILE } from './plan-guard';
import { backendBlock } from '../stacks/backend-block';
import { destructionsOf, plansDigest, readResults, type StackRun, type StateLock } from './plan-results';

/** The plan's text kept in a result: enough for the pull request's comment and the drift issue. */
const MAX_PLAN_CHARS = 60_000;
const PLAN_FILE = 'ci.tfplan';
/** Refused before any terraform command: a missing lock file, no remote state for --save, a stack the guard refuses. */
const EXIT_REFUSED = 2;
/** A saved plan destroys or replaces something at OVH, and no second approval was given: not applied. */
const EXIT_DESTROYS = 3;

/** The variables whose values are secrets in a CI job: none may reach a result, whatever Terraform printed. */
const SECRET_VARIABLE = /^(TF_VAR_.+|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|OVH_IAC_AGE_IDENTITY)$/;

/** `text` without any value of the environment's secrets (GitHub masks its logs, not the files a job uploads). */
export function withoutSecrets(text: string, env: NodeJS.ProcessEnv): string {
  const secrets = Object.entries(env)
    .filter(([name, value]) => SECRET_VARIABLE.test(name) && value && value.trim().length >= 8)
    .map(([, value]) => value!.trim())
    .sort((a, b) => b.length - a.length);
  return secrets.reduce((kept, secret) => kept.split(secret).join('***'), text);
}

/** Terraform's "Lock Info:" block, from the output of a command that could not take the state lock. */
export function stateLockOf(output: string): StateLock | undefined {
  if (!output.includes('Error acquiring the state lock')) return undefined;
  const info = output.slice(output.indexOf('Lock Info:'));
  const field = (name: string) => new RegExp(`^\\s*${name}:[ \\t]*(\\S.*)$`, 'm').exec(info)?.[1].trim();
  const id = field('ID');
  if (!id) return undefined;
  return { id, path: field('Path'), operation: field('Operation'), who: field('Who'), created: field('Created') };
}

/**
 * What the run's summary says of a lock Terraform could not take: who holds it since when, and how to release it
 * when it is stale (the run that held it was cancelled or lost its runner). Every value is Terraform's, shown as text.
 */
export function staleLockNote(stack: string, lock: StateLock): string[] {
  const what = (value: string | undefined) => (value ? markdownText(value) : 'unknown');
  const releasable = /^[A-Za-z0-9-]{1,64}$/.test(lock.id);
  return [
    `### The state of ${inlineCode(stack)} is locked`,
    '',
    `Locked by ${what(lock.who)} for ${what(lock.operation)} since ${what(lock.created)} (lock ID ${inlineCode(lock.id)}).`,
    '',
    'If no Apply run is in progress and no engineer is applying this stack, the lock is stale: a run was cancelled, or lost ' +
      'its runner, while it held it. Release it from a clone of the default branch, with the repository variables ' +
      "`OVH_IAC_STATE_BUCKET`, `OVH_IAC_STATE_ENDPOINT`, `OVH_IAC_STATE_REGION` and the apply environment's state key " +
      '(`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`) in the environment, then run Apply again:',
    '',
    ...(releasable
      ? codeBlock(`npm run synth\ncd cdktf.out/stacks/${stack}\nterraform init\nterraform force-unlock -force ${lock.id}`)
      : ["The lock ID is not one a command can be written with here: copy it from the job's log."]),
    '',
  ];
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

type Mode =
  | { kind: 'plan' }
  | { kind: 'save'; recipients: string[]; plansDir: string }
  | { kind: 'apply-saved'; plans: Map<string, StackRun>; plansDir: string; identity: string; destroysApproved: boolean };

interface StackOptions {
  mode: Mode;
  lockFile?: string;
  lockTimeout: number;
  env: NodeJS.ProcessEnv;
  /** The whole rendering of a saved plan, for the job's log (the result keeps it capped). */
  log: (line: string) => void;
}

const cap = (text: string, env: NodeJS.ProcessEnv, whole: string) =>
  capText(withoutSecrets(text, env), { max: MAX_PLAN_CHARS, unit: 'chars', whole });

/** A terraform command in the stack's folder; its output with the job's secrets blanked out. */
function terraformIn(dir: string, env: NodeJS.ProcessEnv) {
  return async (args: string[]) => {
    const { code, stdout, stderr } = await runChild('terraform', args, dir, { ...env, TF_IN_AUTOMATION: '1', TF_INPUT: '0' });
    return { code: code ?? 1, stdout, output: `${stdout}${stderr}` };
  };
}

async function runStack(stack: string, dir: string, options: StackOptions): Promise<StackRun> {
  const { mode, env } = options;
  const seconds: Record<string, number> = {};
  const tf = terraformIn(dir, env);
  const planFile = path.join(dir, PLAN_FILE);
  const planned = mode.kind === 'apply-saved' ? mode.plans.get(stack) : undefined;
  if (mode.kind === 'apply-saved') {
    if (!planned) return { stack, exitcode: 1, plan: 'no saved plan for this stack: nothing applied', seconds };
    if (planned.exitcode === 0) return { ...planned, seconds };
    if (planned.exitcode !== 2 || !planned.saved)
      return { ...planned, exitcode: 1, plan: `its plan failed: nothing applied\n${planned.plan}`, seconds };
  }
  if (options.lockFile) fs.copyFileSync(options.lockFile, path.join(dir, '.terraform.lock.hcl'));
  const init = await timed(seconds, 'init', () =>
    tf(['init', '-input=false', '-no-color', ...(options.lockFile ? ['-lockfile=readonly'] : [])]),
  );
  if (init.code !== 0) return { stack, exitcode: 1, plan: cap(init.output, env, 'the whole output is in the job log'), seconds };
  try {
    if (mode.kind === 'apply-saved') return await applySaved(stack, planned!, mode, { ...options, seconds, tf, planFile });
    const lock = mode.kind === 'save' ? [`-lock-timeout=${options.lockTimeout}s`] : ['-lock=false'];
    const plan = await timed(seconds, 'plan', () =>
      tf(['plan', '-detailed-exitcode', '-input=false', '-no-color', `-out=${PLAN_FILE}`, ...lock]),
    );
    const run: StackRun = { stack, exitcode: plan.code, plan: cap(plan.output, env, 'the whole plan is in the job log'), seconds };
    const stateLock = stateLockOf(plan.output);
    if (stateLock) run.lock = stateLock;
    if (!fs.existsSync(planFile)) return run;
    const json = await timed(seconds, 'show', () => tf(['show', '-json', PLAN_FILE]));
    if (json.code === 0) run.digest = digestPlan(json.stdout);
    if (mode.kind === 'save' && run.exitcode === 2 && run.digest && !run.digest.errored) {
      const shown = await tf(['show', '-no-color', PLAN_FILE]);
      if (shown.code !== 0) return { ...run, exitcode: 1, plan: cap(shown.output, env, 'the whole output is in the job log') };
      const bytes = fs.readFileSync(planFile);
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- evaluated only when needed (age's encryption)
      const { sealPlan } = require('./saved-plans') as typeof import('./saved-plans');
      fs.writeFileSync(path.join(mode.plansDir, `${stack}.tfplan.age`), await sealPlan(bytes, mode.recipients));
      run.saved = {
        planSha256: sha256(bytes),
        shownSha256: sha256(shown.stdout),
        shown: cap(shown.stdout, env, 'the whole plan is in the log of the job that made it'),
      };
      options.log(`::group::${stack}: the plan saved for approval\n${withoutSecrets(shown.stdout, env)}\n::endgroup::`);
    }
    return run;
  } finally {
    // The plan file holds every value in plain text, secrets included: it never outlives the job's step.
    fs.rmSync(planFile, { force: true });
  }
}

/** The saved plan of `stack`, checked to be the one recorded and shown, then applied as it is. */
async function applySaved(
  stack: string,
  planned: StackRun,
  mode: Extract<Mode, { kind: 'apply-saved' }>,
  options: StackOptions & { seconds: Record<string, number>; tf: ReturnType<typeof terraformIn>; planFile: string },
): Promise<StackRun> {
  const { env, seconds, tf, planFile } = options;
  const notApplied = (why: string, exitcode = 1): StackRun => ({ ...planned, seconds, apply: { exitcode, output: `not applied: ${why}` } });
  const sealedFile = path.join(mode.plansDir, `${stack}.tfplan.age`);
  if (!fs.existsSync(sealedFile)) return notApplied(`its saved plan ${sealedFile} is missing`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- evaluated only when needed (age's encryption)
  const { openPlan } = require('./saved-plans') as typeof import('./saved-plans');
  let bytes: Uint8Array;
  try {
    bytes = await openPlan(fs.readFileSync(sealedFile), mode.identity);
  } catch (error) {
    return notApplied(`its saved plan ${(error as Error).message}`);
  }
  if (sha256(bytes) !== planned.saved!.planSha256) return notApplied('its saved plan is not the one its plan job recorded (checksum)');
  fs.writeFileSync(planFile, bytes);
  const shown = await tf(['show', '-no-color', PLAN_FILE]);
  if (shown.code !== 0 || sha256(shown.stdout) !== planned.saved!.shownSha256)
    return notApplied('its saved plan does not render as the plan shown for approval');
  const json = await tf(['show', '-json', PLAN_FILE]);
  if (json.code !== 0) return notApplied('its saved plan cannot be read back');
  const digest = digestPlan(json.stdout);
  const destructions = destructionsOf({ ...planned, digest });
  if (destructions.length > 0 && !mode.destroysApproved)
    return notApplied(
      `it destroys or replaces ${destructions.map((d) => d.address).join(', ')}, and that needs its own approval (environment apply-destroy)`,
      EXIT_DESTROYS,
    );
  const applied = await timed(seconds, 'apply', () =>
    tf(['apply', '-input=false', '-no-color', `-lock-timeout=${options.lockTimeout}s`, PLAN_FILE]),
  );
  const run: StackRun = {
    ...planned,
    digest,
    seconds,
    apply: { exitcode: applied.code, output: cap(applied.output, env, 'the whole output is in the job log') },
  };
  const stateLock = stateLockOf(applied.output);
  if (stateLock) run.lock = stateLock;
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

/** What a failed stack's known provider failures mean and what to do (`provider-schema/failures.ts`). */
function adviceOf(run: StackRun, stackDir: string): string[] {
  const failed = failedStep(run);
  if (!failed) return [];
  let stack: StackFacts | undefined;
  try {
    stack = JSON.parse(fs.readFileSync(path.join(stackDir, STACK_FILE), 'utf8')) as StackFacts;
  } catch {
    stack = undefined;
  }
  return adviceFor(failed === 'apply' ? run.apply!.output : run.plan, stack);
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

const Args = z
  .object({
    'stacks-dir': z.string({ error: 'is required: the synthesized stacks (cdktf.out)' }).min(1),
    results: z.string({ error: 'is required: where the results are written' }).min(1),
    stacks: z.string().optional(),
    batches: z.string().optional(),
    batch: z.string().optional(),
    save: z.boolean().default(false),
    'recipients-store': z.string().min(1).optional(),
    'apply-saved': z.string().min(1).optional(),
    'expect-digest': z
      .string()
      .regex(/^[0-9a-f]{64}$/, { error: 'expected the digest of the plans shown (64 hexadecimal digits)' })
      .optional(),
    'destroys-approved': z.boolean().default(false),
    'lock-file': z.string().optional(),
    'lock-timeout': z.coerce.number().int().min(0).max(3600).default(60),
    summary: z.string().min(1).optional(),
    parallel: z.coerce.number().int().min(1).default(2),
  })
  .refine((args) => args.stacks || (args.batches && args.batch), { error: 'give --stacks, or --batches with --batch', path: ['stacks'] })
  .refine((args) => !(args.save && args['apply-saved']), { error: 'choose one of --save and --apply-saved', path: ['save'] })
  .refine((args) => !args.save || args['recipients-store'], {
    error: 'is required with --save: the store whose recipients may open the plans',
    path: ['recipients-store'],
  })
  .refine((args) => !args['apply-saved'] || args['expect-digest'], {
    error: 'is required with --apply-saved: the digest of the plans shown for approval',
    path: ['expect-digest'],
  });

export const planBatchCommand: Command<z.output<typeof Args>> = {
  name: 'plan-batch',
  usage: `Usage: npm run plan-batch -- --stacks-dir DIR --results DIR (--stacks a,b | --batches FILE --batch K)
                              [--save --recipients-store FILE | --apply-saved DIR --expect-digest D [--destroys-approved]]
                              [--lock-file FILE] [--lock-timeout SECONDS] [--summary FILE] [--parallel N]`,
  exitCodes: {
    0: 'every stack planned (and applied)',
    1: 'a stack did not: its result says why',
    [EXIT_REFUSED]:
      'refused before any terraform command: a stack the guard refuses, no lock file, no remote state, other plans than those shown',
    [EXIT_DESTROYS]: 'a saved plan destroys or replaces something at OVH and was not applied: it needs --destroys-approved',
  },
  parse: commandLine(
    {
      options: {
        'stacks-dir': { type: 'string', value: 'DIR', help: 'the synthesized stacks (cdktf.out)' },
        results: { type: 'string', value: 'DIR', help: "where each stack's result is written: DIR/stacks/<stack>.json" },
        stacks: { type: 'string', value: 'a,b', help: 'the stacks of this job, or' },
        batches: { type: 'string', value: 'FILE', help: 'the batches npm run batches wrote' },
        batch: { type: 'string', value: 'K', help: 'with --batches: the number of this job’s batch' },
        save: {
          type: 'boolean',
          help: 'plan with the state lock and keep each plan with changes, in DIR/plans/<stack>.tfplan.age,\nsealed to the recipients of --recipients-store (needs the remote state)',
        },
        'recipients-store': {
          type: 'string',
          value: 'FILE',
          help: 'with --save: the credential store whose recipients the plans are sealed to',
        },
        'apply-saved': {
          type: 'string',
          value: 'DIR',
          help: 'apply the plans saved in DIR (a --save run’s results) as they are, if their digest is\n--expect-digest; needs the remote state and OVH_IAC_AGE_IDENTITY, an identity of the store the\nplans were sealed to',
        },
        'expect-digest': { type: 'string', value: 'D', help: 'with --apply-saved: the digest shown for approval (npm run show-plans)' },
        'destroys-approved': { type: 'boolean', help: 'also apply plans that destroy or replace something at OVH (a second approval)' },
        'lock-file': {
          type: 'string',
          value: 'FILE',
          help: 'the committed provider lock file, copied into each stack (terraform init -lockfile=readonly)',
        },
        'lock-timeout': {
          type: 'string',
          value: 'SECONDS',
          help: 'how long to wait for the state lock when saving or applying (default 60)',
        },
        summary: { type: 'string', value: 'FILE', help: "where a state lock that could not be taken is explained (the run's summary)" },
        parallel: { type: 'string', value: 'N', help: 'stacks run at once (default 2)' },
      },
    },
    Args,
  ),
  run: planBatch,
};

class Refusal extends Error {}

/** What the command line asks for, checked before anything runs: refused (exit 2) when it cannot be done safely. */
async function modeOf(values: z.output<typeof Args>, state: StateBackend, env: NodeJS.ProcessEnv, resultsDir: string): Promise<Mode> {
  if (!values.save && !values['apply-saved']) return { kind: 'plan' };
  if (state.kind !== 's3')
    throw new Refusal(
      "saving or applying plans needs the remote state (OVH_IAC_STATE_BUCKET): against a runner's empty local state, every service would be ordered again",
    );
  if (values.save) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- evaluated only when needed (age's encryption)
    const { readStore } = require('./credential-store') as typeof import('./credential-store');
    const plansDir = path.join(resultsDir, 'plans');
    fs.mkdirSync(plansDir, { recursive: true });
    return { kind: 'save', recipients: readStore(values['recipients-store']!).recipients, plansDir };
  }
  const source = values['apply-saved']!;
  const { runs, unreadable } = readResults(source);
  if (unreadable.size > 0) throw new Refusal(`the saved plans' results cannot all be read: ${[...unreadable.values()].join('; ')}`);
  const digest = plansDigest(runs);
  if (digest !== values['expect-digest'])
    throw new Refusal(`the plans in ${source} (digest ${digest}) are not the ones shown for approval (digest ${values['expect-digest']})`);
  const identity = env.OVH_IAC_AGE_IDENTITY?.trim();
  if (!identity) throw new Refusal('OVH_IAC_AGE_IDENTITY is not set: the saved plans cannot be opened');
  return {
    kind: 'apply-saved',
    plans: new Map(runs.map((run) => [run.stack, run])),
    plansDir: path.join(source, 'plans'),
    identity,
    destroysApproved: values['destroys-approved'],
  };
}

async function planBatch(values: z.output<typeof Args>, { env, projectRoot, io: { out, err } }: CommandContext): Promise<number> {
  if (values['lock-file'] && !fs.existsSync(values['lock-file'])) {
    err(
      `plan-batch: the provider lock file ${values['lock-file']} is missing: generate it once on a connected machine (README, "Provider lock file")`,
    );
    return EXIT_REFUSED;
  }
  const stacksDir = path.resolve(values['stacks-dir']);
  const resultsDir = path.join(values.results, 'stacks');
  fs.mkdirSync(resultsDir, { recursive: true });
  let mode: Mode;
  let state: StateBackend;
  try {
    state = settingsFrom(env, projectRoot).state;
    mode = await modeOf(values, state, env, values.results);
  } catch (error) {
    err(`plan-batch: ${error instanceof Refusal ? 'refused: ' : ''}${(error as Error).message}`);
    return error instanceof Refusal ? EXIT_REFUSED : 1;
  }
  // The guard first, on the whole share: nothing runs with credentials unless every stack passes.
  const stacks: string[] = [];
  const refused: string[] = [];
  for (const stack of stacksOf(values)) {
    const guarded = guardStackFolder(stacksDir, stack, { backend: backendBlock(state, stack, stackFolder(stacksDir, stack)) });
    if (!guarded) {
      // A stack the change removes has no configuration left to plan with; its state stays (README, "Lifecycle").
      const run: StackRun = {
        stack,
        exitcode: 0,
        plan: 'stack removed by the change: not planned; its state and services stay until decommissioned',
        seconds: {},
      };
      fs.writeFileSync(path.join(resultsDir, `${stack}.json`), `${JSON.stringify(run)}\n`);
      err(`${stack}: removed by the change, not planned`);
    } else if (guarded.problems.length > 0) refused.push(...guarded.problems.map((problem) => `${stack}: ${problem}`));
    else stacks.push(stack);
  }
  if (refused.length > 0) {
    for (const problem of refused) err(`plan-batch: refused: ${problem}`);
    return EXIT_REFUSED;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-batch-'));
  const cacheDir = env.TF_PLUGIN_CACHE_DIR?.trim() || path.join(work, 'plugins');
  fs.mkdirSync(cacheDir, { recursive: true });
  const runEnv = { ...env, TF_PLUGIN_CACHE_DIR: cacheDir, TF_CLI_CONFIG_FILE: env.TF_CLI_CONFIG_FILE?.trim() || cliConfig(work, cacheDir) };
  const options: StackOptions = {
    mode,
    lockFile: values['lock-file'] && path.resolve(values['lock-file']),
    lockTimeout: values['lock-timeout'],
    env: runEnv,
    log: err,
  };
  const queue = [...stacks];
  const started = process.hrtime.bigint();
  let done = 0;
  const failed: string[] = [];
  const destroying: string[] = [];
  const notes: string[] = [];
  const worker = async (): Promise<void> => {
    for (let stack = queue.shift(); stack; stack = queue.shift()) {
      const run = await runStack(stack, stackFolder(stacksDir, stack), options);
      const resultFile = path.join(resultsDir, `${stack}.json`);
      fs.writeFileSync(resultFile, `${JSON.stringify(run)}\n`);
      if (run.apply?.exitcode === EXIT_DESTROYS) destroying.push(stack);
      else if (failedStep(run)) failed.push(stack);
      if (run.lock) notes.push(...staleLockNote(stack, run.lock));
      const times = Object.entries(run.seconds)
        .map(([step, s]) => `${step} ${s.toFixed(1)} s`)
        .join(', ');
      err(`[${++done}/${stacks.length}] ${stack}: ${runLine(run, resultFile)}${run.lock ? ', state locked' : ''} (${times})`);
      for (const advice of adviceOf(run, stackFolder(stacksDir, stack))) err(`  What to do: ${advice}`);
    }
  };
  try {
    await Promise.all(Array.from({ length: values.parallel }, worker));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  if (notes.length > 0 && values.summary) fs.appendFileSync(values.summary, `${notes.join('\n')}\n`);
  const total = Number(process.hrtime.bigint() - started) / 1e9;
  out(
    `${stacks.length} stack(s) in ${total.toFixed(1)} s (${(total / Math.max(1, stacks.length)).toFixed(2)} s per stack), ${failed.length} failed${destroying.length > 0 ? `, ${destroying.length} not applied: they destroy or replace, and need their own approval` : ''}`,
  );
  if (failed.length > 0) return 1;
  return destroying.length > 0 ? EXIT_DESTROYS : 0;
}
