/**
 * Terraform in the loop: real `terraform` with the real providers (`npm run providers`) on the synthesized stacks,
 * against the OVH API stand-in, in a throw-away folder. Nothing of the user's own Terraform setup is read or written:
 * Terraform gets a CLI configuration of its own (`TF_CLI_CONFIG_FILE`: a filesystem mirror of the built providers and
 * no other source, so no network), state under the run's state folder, the stand-in as every stack's endpoint
 * (`TF_VAR_ovh_endpoint`, its certificate trusted through `SSL_CERT_FILE`, which Go reads) and the stand-in's
 * credentials in place of any `TF_VAR_ovh_*` or `OVH_*` of the environment.
 *
 * `npm run verify` and the scenario tests both use it: start a harness on a clients folder, `seed()` what exists,
 * `synth()`, then run terraform per stack and look at `terraform show -json` and at the OVH API stand-in: what it
 * has (`ovhApi.world`, `ovhApi.services`, `ovhApi.tasks`) and who called what (`ovhApi.calls`).
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { credentialEnvironment, ENDPOINT_VARIABLE } from '../core/credentials';
import { stackFolder } from '../core/environment';
import { collectOutput } from '../core/child';
import { planFolder } from '../policy/folder';
import { CERTIFICATE_FILE, OvhStandin } from '../standins/ovh-api/server';
import { PROVIDER_NAMES, registryAddress } from '../provider-schema/providers';
import { registerAccounts, registerContacts, seedExisting, type HeldAccount } from './accounts';
import { providersDir, requireProviders } from './providers';

const PROJECT_ROOT = path.resolve(__dirname, '..');

/** The terraform binary: `OVH_IAC_TERRAFORM`, else `terraform` on the PATH. */
export function terraformBinary(env: NodeJS.ProcessEnv): string {
  return env.OVH_IAC_TERRAFORM?.trim() || 'terraform';
}

export class TerraformMissing extends Error {
  constructor(binary: string) {
    super(
      `cannot run "${binary}": verify needs Terraform (the project is checked with 1.11.4). Install it so that ` +
        "`terraform` is on the PATH (HashiCorp's release for your platform, or your package manager), or set OVH_IAC_TERRAFORM to its path.",
    );
  }
}

/** `terraform version`, or TerraformMissing. */
export async function terraformVersion(env: NodeJS.ProcessEnv): Promise<string> {
  const binary = terraformBinary(env);
  try {
    const { stdout } = await promisify(execFile)(binary, ['version', '-json'], { env: { ...env, CHECKPOINT_DISABLE: '1' } });
    return (JSON.parse(stdout) as { terraform_version: string }).terraform_version;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EACCES')
      throw new TerraformMissing(binary);
    throw error;
  }
}

export interface TerraformRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface HarnessOptions {
  clientsDir: string;
  /** Where to synthesize; a folder of the run by default. */
  outdir?: string;
  /** The folder of `<stack>.tfstate` files; a folder of the run by default. */
  stateDir?: string;
  /** The environment to start from (PATH, TF_LOG...); its OVH credentials are never passed on. */
  env?: NodeJS.ProcessEnv;
}

/** What the harness runs with once started: the folder of the built providers. */
interface StartedOptions extends HarnessOptions {
  providers: string;
}

/** Variables of the caller's environment that never reach this run: real credentials, real state, other clients. */
const WITHHELD =
  /^(TF_VAR_ovh_|OVH_(?!IAC_PROVIDERS_DIR$|IAC_TERRAFORM$)|TF_CLI_CONFIG_FILE$|TF_PLUGIN_CACHE_DIR$|TF_DATA_DIR$|TF_WORKSPACE$|CDKTF_OUTDIR$|AWS_|SSL_CERT_)/;

export class Harness {
  readonly outdir: string;
  readonly stateDir: string;
  private readonly baseEnv: NodeJS.ProcessEnv;
  private readonly initialized = new Set<string>();

  private constructor(
    readonly workDir: string,
    readonly clientsDir: string,
    readonly ovhApi: OvhStandin,
    readonly held: HeldAccount[],
    options: StartedOptions,
  ) {
    this.outdir = options.outdir ?? path.join(workDir, 'cdktf.out');
    this.stateDir = options.stateDir ?? path.join(workDir, 'terraform-state');
    const cliConfig = path.join(workDir, 'terraform.rc');
    // The mirror of the built providers is the only installation source: Terraform never reaches a registry. From an
    // unpacked mirror, `terraform init` links each provider into the stack's .terraform folder instead of copying it.
    fs.writeFileSync(
      cliConfig,
      [
        'disable_checkpoint = true',
        'provider_installation {',
        '  filesystem_mirror {',
        `    path    = ${JSON.stringify(options.providers)}`,
        `    include = ${JSON.stringify(PROVIDER_NAMES.map(registryAddress))}`,
        '  }',
        '}',
        '',
      ].join('\n'),
    );
    const callerEnv = Object.fromEntries(Object.entries(options.env ?? process.env).filter(([name]) => !WITHHELD.test(name)));
    const credentials = Object.fromEntries(
      held.flatMap(({ account, credentials }) => {
        const names = credentialEnvironment(account.key);
        return (Object.keys(names) as (keyof typeof names)[]).map((field) => [names[field], credentials[field]]);
      }),
    );
    this.baseEnv = {
      ...callerEnv,
      ...credentials,
      TF_CLI_CONFIG_FILE: cliConfig,
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      // The stacks' endpoint and the certificate Go trusts for it; a provider reads no ovh.conf of the user's either.
      [`TF_VAR_${ENDPOINT_VARIABLE}`]: ovhApi.url,
      SSL_CERT_FILE: CERTIFICATE_FILE,
      HOME: workDir,
      // The contacts provisioners: this run's client files, state and OVH API stand-in.
      OVH_IAC_CLIENTS_DIR: clientsDir,
      ...(options.env?.OVH_IAC_CLIENTS ? { OVH_IAC_CLIENTS: options.env.OVH_IAC_CLIENTS } : {}),
      OVH_IAC_LOCAL_STATE_DIR: this.stateDir,
      CDKTF_OUTDIR: this.outdir,
      OVH_IAC_API_URL: ovhApi.url,
      NODE_EXTRA_CA_CERTS: CERTIFICATE_FILE,
    };
  }

  /** Finds the built providers, starts the OVH API stand-in and registers every account the client files name. */
  static async start(options: HarnessOptions): Promise<Harness> {
    const providers = requireProviders(providersDir(options.env ?? process.env, PROJECT_ROOT));
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ovh-iac-verify-'));
    const ovhApi = await OvhStandin.start({ worldFile: path.join(workDir, 'ovh-world.json') });
    try {
      const held = registerAccounts(planFolder(options.clientsDir).plans, ovhApi);
      return new Harness(workDir, options.clientsDir, ovhApi, held, { ...options, providers });
    } catch (error) {
      await ovhApi.close();
      fs.rmSync(workDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** The environment terraform and the commands run with. */
  env(): NodeJS.ProcessEnv {
    return { ...this.baseEnv };
  }

  /** Puts what the client files say exists (re-read now) into the OVH API stand-in. */
  seed(): void {
    seedExisting(planFolder(this.clientsDir).plans, this.held, this.ovhApi);
  }

  /**
   * Synthesizes the clients folder into the run's output, with the run's environment: by `npm run synth`, unless
   * `write` does it otherwise (the scenario tests synthesize in their own process); the stacks' names. Contacts the
   * files name since the start exist at OVH from now on; accounts the agency holds are those of the start.
   */
  async synth(write: (env: NodeJS.ProcessEnv) => Promise<void> | void = npmRunSynth): Promise<string[]> {
    registerContacts(planFolder(this.clientsDir).plans, this.ovhApi);
    await write(this.env());
    // A synthesis may replace the stack folders, and with them what `terraform init` installed.
    this.initialized.clear();
    return fs.readdirSync(path.join(this.outdir, 'stacks')).sort();
  }

  stackDir(stack: string): string {
    return stackFolder(this.outdir, stack);
  }

  /** `terraform <args>` in the stack's folder, without colours; `init` first, once per stack. */
  async terraform(stack: string, ...args: string[]): Promise<TerraformRun> {
    if (args[0] !== 'init' && !this.initialized.has(stack)) {
      const init = await this.terraform(stack, 'init', '-input=false');
      if (init.code !== 0) return init;
    }
    const run = await runCommand(
      terraformBinary(this.baseEnv),
      [...args, ...(args[0] === 'show' || args[0] === 'version' ? [] : ['-no-color'])],
      {
        cwd: this.stackDir(stack),
        env: this.baseEnv,
      },
    );
    if (args[0] === 'init' && run.code === 0) this.initialized.add(stack);
    return run;
  }

  /** `terraform show -json` of the stack's state, or of a saved plan. */
  async show(stack: string, planFile?: string): Promise<Record<string, unknown>> {
    const run = await this.terraform(stack, 'show', '-json', ...(planFile ? [planFile] : []));
    if (run.code !== 0) throw new Error(`terraform show failed for ${stack}:\n${run.stderr}`);
    return JSON.parse(run.stdout) as Record<string, unknown>;
  }

  /** Secrets of this run that must appear in no output: every account's credentials. */
  secrets(): string[] {
    return this.held.flatMap(({ credentials }) => Object.values(credentials));
  }

  async close({ keep = false } = {}): Promise<void> {
    await this.ovhApi.close();
    if (!keep) fs.rmSync(this.workDir, { recursive: true, force: true });
  }
}

async function npmRunSynth(env: NodeJS.ProcessEnv): Promise<void> {
  const run = await runCommand('npm', ['run', '--silent', 'synth'], { cwd: PROJECT_ROOT, env });
  if (run.code !== 0) throw new Error(`npm run synth failed:\n${(run.stderr || run.stdout).trim()}`);
}

/** Runs a command to its end, collecting its output (never through a shell); a missing terraform is named as such. */
export async function runCommand(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<TerraformRun> {
  try {
    const { code, stdout, stderr } = await collectOutput(command, args, options);
    return { code: code ?? 1, stdout, stderr };
  } catch (error) {
    throw (error as NodeJS.ErrnoException).code === 'ENOENT' && command !== 'npm' ? new TerraformMissing(command) : error;
  }
}
