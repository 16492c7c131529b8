/**
 * The real Terraform providers `npm run verify` and the scenario tests run, built from their source with Go
 * (`npm run providers`) into a folder in Terraform's filesystem-mirror layout (unpacked:
 * `<host>/<namespace>/<type>/<version>/<os>_<arch>/terraform-provider-<type>_v<version>`), which verify's own CLI
 * configuration names as the only installation source. A machine with registry access needs none of this to plan and
 * apply for real: there terraform downloads the same providers itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as z from 'zod';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';
import { PINNED_PROVIDERS, PROVIDER_NAMES, registryAddress, type ProviderName } from '../provider-schema/providers';
import { collectOutput } from '../core/child';

/** `OVH_IAC_PROVIDERS_DIR`, else `.providers/` in the project. */
export function providersDir(env: NodeJS.ProcessEnv, projectRoot: string): string {
  return path.resolve(projectRoot, env.OVH_IAC_PROVIDERS_DIR?.trim() || '.providers');
}

/** Terraform's name for this platform, e.g. `linux_amd64`. */
export function terraformPlatform(): string {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };
  return `${process.platform}_${arch[process.arch] ?? process.arch}`;
}

/** Where the mirror holds `name`'s executable. */
export function providerBinary(dir: string, name: ProviderName): string {
  const { version } = PINNED_PROVIDERS[name];
  return path.join(dir, registryAddress(name), version, terraformPlatform(), `terraform-provider-${name}_v${version}`);
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

const label = (name: ProviderName) => `${PINNED_PROVIDERS[name].source} ${PINNED_PROVIDERS[name].version}`;

/** The providers a run needs and the folder lacks. */
export class ProvidersMissing extends Error {
  constructor(dir: string, missing: ProviderName[]) {
    super(
      `the real Terraform providers are not built in ${dir} (${missing.map(label).join(', ')} missing): run \`npm run providers\` ` +
        '(Go and the Go module proxy), or set OVH_IAC_PROVIDERS_DIR to a folder that holds them in the same layout.',
    );
  }
}

/** `dir`, once it holds every pinned provider; else ProvidersMissing. */
export function requireProviders(dir: string): string {
  const missing = PROVIDER_NAMES.filter((name) => !isExecutable(providerBinary(dir, name)));
  if (missing.length > 0) throw new ProvidersMissing(dir, missing);
  return dir;
}

/** Why `go install` failed, in a line the engineer can act on, then go's last words. */
function buildFailure(name: ProviderName, stderr: string, target: string): string {
  const { module, version } = PINNED_PROVIDERS[name].go;
  const refused = /\b(403|404|410)\b|not available|not found|unknown revision/i.test(stderr);
  const why = refused ? `the Go module proxy (GOPROXY) did not serve ${module}@${version}.` : `go install ${module}@${version} failed.`;
  const last = stderr.trim().split('\n').slice(-6).join('\n');
  return [
    `${label(name)}: ${why} A machine with registry access needs no build (terraform downloads ${PINNED_PROVIDERS[name].source} itself); ` +
      `elsewhere, put the binary of ${label(name)} for ${terraformPlatform()} at ${target}.`,
    ...last.split('\n').map((line) => `  go: ${line}`),
  ].join('\n');
}

/**
 * Builds `name` with `go install <module>@<version>` into a folder of its own, then moves the executable into place,
 * so that a build cut short never leaves a half-written provider in the mirror. Built as its releases are (their
 * `.goreleaser.yml`: no cgo, `-trimpath`, no symbol table nor debug information, the variables they set at link
 * time): the same program, and a third smaller (the ovh provider 40 MB against 56), which Terraform reads whole to
 * check its digest at every command.
 */
async function buildProvider(dir: string, name: ProviderName, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { module, version, linkerVariables } = PINNED_PROVIDERS[name].go;
  const target = providerBinary(dir, name);
  const bin = fs.mkdtempSync(path.join(dir, '.build-'));
  const ldflags = ['-s', '-w', ...Object.entries(linkerVariables).map(([variable, value]) => `-X ${variable}=${value}`)].join(' ');
  try {
    const run = await collectOutput('go', ['install', '-trimpath', `-ldflags=${ldflags}`, `${module}@${version}`], {
      cwd: bin,
      env: { ...env, GOBIN: bin, CGO_ENABLED: '0', GO111MODULE: 'on' },
    });
    const built = path.join(bin, `terraform-provider-${name}`);
    if (run.code !== 0 || !fs.existsSync(built)) return buildFailure(name, run.stderr, target);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(built, target);
    return undefined;
  } finally {
    fs.rmSync(bin, { recursive: true, force: true });
  }
}

async function goVersion(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    const run = await collectOutput('go', ['version'], { cwd: process.cwd(), env });
    return run.code === 0 ? run.stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

const Args = z.object({ rebuild: z.boolean().default(false) });

export const providersCommand: Command<z.output<typeof Args>> = {
  name: 'providers',
  usage: `Usage: npm run providers [-- --rebuild]`,
  notes: `Builds the real Terraform providers the stacks pin (${PROVIDER_NAMES.map(label).join(', ')}) from their source with
\`go install\` (Go 1.25 or later, and the Go module proxy), into OVH_IAC_PROVIDERS_DIR (default .providers/), where
\`npm run verify\` and the tests find them. A provider already there is kept.`,
  exitCodes: { 0: 'every provider is there' },
  parse: commandLine({ options: { rebuild: { type: 'boolean', help: 'build every provider again' } } }, Args),
  run: async ({ rebuild }, { env, projectRoot, io: { out, err } }: CommandContext) => {
    const dir = providersDir(env, projectRoot);
    fs.mkdirSync(dir, { recursive: true });
    let failed = false;
    for (const name of PROVIDER_NAMES) {
      const target = providerBinary(dir, name);
      if (!rebuild && isExecutable(target)) {
        out(`${label(name)}: present (${path.relative(projectRoot, target) || target})`);
        continue;
      }
      const go = await goVersion(env);
      if (!go) {
        err(
          `providers: ${label(name)}: building it needs Go (1.25 or later) on the PATH. A machine with registry access needs no build ` +
            `(terraform downloads the providers itself); elsewhere, put its binary at ${target}.`,
        );
        failed = true;
        continue;
      }
      const { module, version } = PINNED_PROVIDERS[name].go;
      err(`providers: building ${label(name)} with ${go}: go install ${module}@${version}...`);
      const started = performance.now();
      const failure = await buildProvider(dir, name, env);
      if (failure) {
        for (const line of failure.split('\n')) err(`providers: ${line}`);
        failed = true;
      } else out(`${label(name)}: built in ${((performance.now() - started) / 1000).toFixed(0)} s (${path.relative(projectRoot, target)})`);
    }
    return failed ? 1 : 0;
  },
};
