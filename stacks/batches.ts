/**
 * What a synthesis makes, and how one thread synthesizes a batch of it: the agency's shared stack, then one stack per
 * client, in that order; a batch is a range of that list, built into an app of its own, written, and released.
 */
import { threadId } from 'node:worker_threads';
import { App, TerraformStack, type StackManifest } from 'cdktf';
import type { StateBackend } from '../core/environment';
import type { FileProblem } from '../core/failures';
import type { FolderPlans } from '../policy/folder';
import { AGENCY_STACK } from '../policy/naming';
import { AgencyStack } from './agency-stack';
import { ClientStack } from './client-stack';

/** Everything a thread needs to synthesize any batch: plain data only (structured-clonable). */
export interface SynthesisJob {
  readonly plans: FolderPlans;
  /** The file each stack comes from, in output order (the agency's first): named when its stack fails. */
  readonly files: readonly string[];
  readonly state: StateBackend;
  /** Where the stacks are written: `<outdir>/stacks/<stack>`. */
  readonly outdir: string;
}

export interface BatchResult {
  /** The index of the batch's first stack in output order. */
  readonly first: number;
  /** The thread that synthesized it (`threadId`: 0 for the main thread). */
  readonly thread: number;
  /** cdktf's manifest entry of each stack written. */
  readonly stacks: StackManifest[];
  /** A stack that could not be built or synthesized, named by the file it comes from. */
  readonly problems: FileProblem[];
}

/** The stacks of `plans` in output order: the agency's, then the clients' in file order. */
export function stackIds({ clients }: FolderPlans): string[] {
  return [AGENCY_STACK, ...clients.map((plan) => plan.id)];
}

/** Builds the stack at `index` in output order into `app`. */
function buildStack(app: App, { agency, clients }: FolderPlans, state: StateBackend, index: number): TerraformStack {
  const { endpoint } = agency;
  if (index === 0) return new AgencyStack(app, AGENCY_STACK, { plan: agency, state });
  const plan = clients[index - 1];
  return new ClientStack(app, plan.id, { plan, endpoint, state });
}

function newApp(outdir: string): App {
  // cdktf's validation would run `terraform version` once per terraform_data resource (one per service: minutes at
  // 1,000 clients) and need a terraform binary to synthesize; the one check that matters is `providerProblems`.
  return new App({ outdir, skipValidation: true });
}

/** cdktf's own stack validation: every resource's provider is declared in its stack. */
function providerProblems(stack: TerraformStack): string[] {
  return stack.node.validate();
}

/**
 * Every stack of `plans` in one app writing to `outdir`, as cdktf would build them: the reference a batched
 * synthesis must match byte for byte, and what tests inspect.
 */
export function buildApp(plans: FolderPlans, settings: { state: StateBackend }, outdir: string): App {
  const app = newApp(outdir);
  const stacks = stackIds(plans).map((_, index) => buildStack(app, plans, settings.state, index));
  const problems = stacks.flatMap((stack) => providerProblems(stack).map((problem) => `[${stack.node.id}] ${problem}`));
  if (problems.length > 0) throw new Error(`invalid stacks:\n  ${problems.join('\n  ')}`);
  return app;
}

/**
 * Builds and writes the stacks `from` (included) to `to` (excluded), each on its own, so that a failure is reported
 * against its file while the others go on; then lets go of all of them.
 *
 * This is cdktf's `App.synth` stack by stack (prepare, then write, then its manifest entry), without the manifest
 * file, which the caller writes once for all batches. With no reference between stacks (a test checks there is
 * none), preparing each stack just before writing it is the same as preparing all of them first.
 */
export function synthesizeBatch(job: SynthesisJob, from: number, to: number): BatchResult {
  return withoutCreationStacks(() =>
    releasingTokens(() => {
      const app = newApp(job.outdir);
      const session = { outdir: job.outdir, skipValidation: true, manifest: app.manifest };
      const problems: FileProblem[] = [];
      for (let index = from; index < to; index++) {
        try {
          const stack = buildStack(app, job.plans, job.state, index);
          const invalid = providerProblems(stack);
          if (invalid.length > 0) throw new Error(invalid.join('; '));
          stack.prepareStack();
          stack.synthesizer.synthesize(session);
        } catch (error) {
          // A file system error is no fault of the file: it stops the synthesis.
          if (error instanceof Error && 'syscall' in error) throw error;
          problems.push({
            file: job.files[index],
            field: '',
            message: `its stack cannot be synthesized: ${error instanceof Error ? error.message : String(error)}`,
          });
        }
      }
      return { first: from, thread: threadId, stacks: Object.values(app.manifest.stacks), problems };
    }),
  );
}

/**
 * cdktf records the whole call stack of every token it creates, only to quote it should the token fail to resolve:
 * at 1,000 clients, nearly half the synthesis time and more than half its memory. While stacks are built and
 * written, that recording (`Error.captureStackTrace`) does nothing; errors still have their stack traces.
 */
function withoutCreationStacks<T>(run: () => T): T {
  const capture = Error.captureStackTrace;
  Error.captureStackTrace = () => {};
  try {
    return run();
  } finally {
    Error.captureStackTrace = capture;
  }
}

/**
 * cdktf registers every token it creates in a map shared by the whole thread and never removes one
 * (`TokenMap`, cdktf 0.21.0 lib/tokens/private/token-map.js, kept at `globalThis.__cdktfTokenMap`). Tokens refer to
 * their constructs, so the map keeps every stack ever built alive: memory, and the time of each garbage collection,
 * grow with the number of clients. Once a batch is written its tokens are never resolved again, so the entries it
 * added are removed, and its stacks can be collected.
 */
function releasingTokens<T>(run: () => T): T {
  const before = tokenMaps().map((map) => map.size);
  try {
    return run();
  } finally {
    tokenMaps().forEach((map, i) => {
      let kept = 0;
      // A Map iterates in insertion order: the entries past the first `before[i]` were added by this batch.
      for (const key of map.keys()) if (kept++ >= (before[i] ?? 0)) map.delete(key);
    });
  }
}

function tokenMaps(): Map<unknown, unknown>[] {
  const tokenMap = (globalThis as { __cdktfTokenMap?: { stringTokenMap?: unknown; numberTokenMap?: unknown } }).__cdktfTokenMap;
  if (tokenMap === undefined) return [];
  const maps = [tokenMap.stringTokenMap, tokenMap.numberTokenMap];
  if (!maps.every((map): map is Map<unknown, unknown> => map instanceof Map)) {
    throw new Error("cdktf's token map is not the one of cdktf 0.21.0: see stacks/batches.ts, releasingTokens");
  }
  return maps;
}
