/**
 * Scenarios with Terraform in the loop: client files → synthesis → real terraform and the real providers → what
 * happened. A scenario writes its clients folder, starts the verify harness on it (OVH API stand-in, throw-away state),
 * and offers the steps tests need; assertions look at `terraform show -json` and at the OVH API stand-in: who called
 * what (`calls()`), what exists (`ovhApi.world`, `ovhApi.services`) and the contact changes asked for (`ovhApi.tasks`).
 *
 *   const scenario = await Scenario.start({ 'alpha.be.yaml': client });
 *   await scenario.synth();
 *   await scenario.apply('alpha.be');
 *   scenario.write({ 'alpha.be.yaml': changed }); await scenario.synth();
 *   const plan = await scenario.plan('alpha.be', { json: true }); // plan.run.code, plan.json.resource_changes
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { settingsFrom } from '../core/environment';
import { planFolder } from '../policy/folder';
import { compareTrees, type ChangeReport } from '../review/changes';
import { decommissionedIn } from '../review/decommissioned';
import { readStackTree, type StackTree } from '../review/stack-tree';
import { synthesize } from '../stacks/synthesis';
import { Harness, type TerraformRun } from '../verify/harness';
import { agencyFile } from './support';

/** A terraform step's outcome; a failed one throws with terraform's own words unless `allowFailure`. */
export interface PlanResult {
  run: TerraformRun;
  /** `terraform show -json` of the saved plan, when asked for; undefined when the plan failed. */
  json?: PlanJson;
}

export interface ResourceChange {
  address: string;
  type: string;
  change: {
    actions: string[];
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    replace_paths?: (string | number)[][];
    importing?: { id: string };
  };
  action_reason?: string;
}

export interface PlanJson {
  resource_changes?: ResourceChange[];
}

export interface StateJson {
  values?: { root_module?: { resources?: { address: string; type: string; values: Record<string, unknown> }[] } };
}

export class Scenario {
  private constructor(
    readonly clientsDir: string,
    readonly harness: Harness,
  ) {}

  /** A clients folder with the test agency file and `files` (objects written as YAML), and a harness on it. */
  static async start(files: Record<string, object | string>, agency: object = agencyFile): Promise<Scenario> {
    const clientsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'scenario-clients-'));
    fs.writeFileSync(path.join(clientsDir, 'agency.yaml'), stringify(agency));
    writeFiles(clientsDir, files);
    const harness = await Harness.start({ clientsDir });
    harness.seed();
    // Each status read of an order costs the provider's wait (3 s and more): orders are delivered at the first one,
    // except where a test sets how many OVH takes (scenario-faults, an order delivered late).
    harness.ovhApi.world.deliveryPolls = 1;
    return new Scenario(clientsDir, harness);
  }

  get ovhApi() {
    return this.harness.ovhApi;
  }

  /** Writes (or rewrites) client files; `null` removes one. */
  write(files: Record<string, object | string | null>): void {
    writeFiles(this.clientsDir, files);
  }

  synth(): Promise<string[]> {
    return this.harness.synth(synthesizeHere);
  }

  /** The synthesized stacks, as the change review reads them. */
  tree(): StackTree {
    return readStackTree(this.harness.outdir);
  }

  /** What `npm run changes` reports from `base` (an earlier `tree()`) to the current synthesis. */
  changesSince(base: StackTree): Omit<ChangeReport, 'scope'> {
    return compareTrees(
      base,
      this.tree(),
      { ref: 'base', clientsPath: 'clients' },
      { isIntended: decommissionedIn(planFolder(this.clientsDir).plans) },
    );
  }

  async terraform(stack: string, ...args: string[]): Promise<TerraformRun> {
    return this.harness.terraform(stack, ...args);
  }

  /** `terraform apply -auto-approve`; throws with terraform's words if it fails. */
  async apply(stack: string): Promise<TerraformRun> {
    const run = await this.terraform(stack, 'apply', '-auto-approve', '-input=false');
    if (run.code !== 0) throw new Error(`terraform apply of ${stack} failed:\n${run.stderr || run.stdout}`);
    return run;
  }

  /**
   * `terraform plan`, and with `json` the saved plan shown as JSON (when it succeeds): a terraform command more, that
   * loads every provider's schema, which a test that reads only the exit code and the output does without.
   */
  async plan(stack: string, { json = false } = {}): Promise<PlanResult> {
    const run = await this.terraform(stack, 'plan', '-input=false', '-detailed-exitcode', ...(json ? ['-out=scenario.tfplan'] : []));
    if (run.code === 1 || !json) return { run };
    return { run, json: (await this.harness.show(stack, 'scenario.tfplan')) as PlanJson };
  }

  async state(stack: string): Promise<StateJson> {
    return (await this.harness.show(stack)) as StateJson;
  }

  /** The calls the OVH API stand-in answered whose `METHOD /path` matches `route`, as `[METHOD /path, caller]`. */
  calls(route: RegExp): [string, string][] {
    return this.ovhApi.calls.filter((call) => route.test(call.route)).map((call) => [call.route, call.by]);
  }

  async close(): Promise<void> {
    await this.harness.close();
    fs.rmSync(this.clientsDir, { recursive: true, force: true });
  }
}

/** Runs `steps` on a scenario of its own, started from `files` and synthesized; closed afterwards, whatever happens. */
export async function withScenario<T>(files: Record<string, object | string>, steps: (scenario: Scenario) => Promise<T>): Promise<T> {
  const scenario = await Scenario.start(files);
  try {
    await scenario.synth();
    return await steps(scenario);
  } finally {
    await scenario.close();
  }
}

/**
 * The synthesis of `npm run synth` with the harness's environment, in this process: the same stacks
 * (review-synthesis.test.ts), without a Node.js start for each; verify-run.test.ts runs `npm run synth` itself.
 */
export function synthesizeHere(env: NodeJS.ProcessEnv): void {
  synthesize(settingsFrom(env, path.resolve(__dirname, '..')));
}

function writeFiles(dir: string, files: Record<string, object | string | null>): void {
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name);
    if (content === null) fs.rmSync(file, { force: true });
    else fs.writeFileSync(file, typeof content === 'string' ? content : stringify(content));
  }
}

/** The resource changes of a plan, by type: `[address, actions]`. */
export function changesOf(plan: PlanJson | undefined, type?: string): [string, string[]][] {
  return (plan?.resource_changes ?? [])
    .filter((change) => !type || change.type === type)
    .map((change) => [change.address, change.change.actions]);
}
