/**
 * Installs the provider stand-ins where Terraform finds them: a filesystem mirror (unpacked layout,
 * `<host>/<namespace>/<type>/<version>/<os>_<arch>/terraform-provider-<type>_v<version>`) holding, per provider, a
 * small executable that starts the stand-in bundled into one file by esbuild (Terraform starts a provider process
 * for every command and every provider configuration: one file loads fast).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { PINNED_PROVIDERS, registryAddress, type ProviderName } from '../../provider-schema/providers';

/** The providers the stand-in serves: those the stacks pin, each at its pinned version. */
export const STANDIN_PROVIDERS = (Object.keys(PINNED_PROVIDERS) as ProviderName[]).map((name) => ({
  name,
  source: registryAddress(name),
  version: PINNED_PROVIDERS[name].version,
}));

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Terraform's name for this platform, e.g. `linux_amd64`. */
export function terraformPlatform(): string {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', ia32: '386', arm: 'arm' };
  return `${process.platform}_${arch[process.arch] ?? process.arch}`;
}

/** Writes the mirror into `dir` (created) and returns it. */
export function installProviderMirror(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const bundle = path.join(dir, 'standin-provider.js');
  buildSync({
    entryPoints: [path.join(__dirname, 'main.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: bundle,
    logLevel: 'error',
  });
  for (const { name, source, version } of STANDIN_PROVIDERS) {
    const folder = path.join(dir, source, version, terraformPlatform());
    fs.mkdirSync(folder, { recursive: true });
    const executable = path.join(folder, `terraform-provider-${name}_v${version}`);
    const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;
    fs.writeFileSync(executable, `#!/bin/sh\nexec ${quote(process.execPath)} ${quote(bundle)} ${name} ${quote(PROJECT_ROOT)}\n`, {
      mode: 0o755,
    });
  }
  return dir;
}
