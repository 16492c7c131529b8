/**
 * The provider bindings, generated into `.gen/` offline from the committed schemas in `provider-schema/` (one
 * `<provider name>.json` per entry of `terraformProviders` in cdktf.json). `cdktf get` on a connected machine
 * produces the same class names and import paths from the full providers.
 *
 * The bindings folder records the digest of what they were generated from (`inputs.sha256`), so that a project of the
 * same inputs (the base of a change review, in its worktree) can tell it may use them as they are.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';

const Args = z.object({ folder: z.string().min(1).optional() });

export const bindingsCommand: Command<z.output<typeof Args>> = {
  name: 'gen',
  usage: `Usage: npm run gen [-- FOLDER]

  FOLDER   where the bindings are written (default: cdktf.json's codeMakerOutput, .gen)

Run by npm ci (postinstall), offline.`,
  exitCodes: { 0: 'the bindings are written' },
  parse: commandLine({ options: {}, arguments: { folder: 'folder' } }, Args),
  run: async ({ folder }, { projectRoot, io }: CommandContext) => {
    try {
      await generateBindings(projectRoot, folder, io.out);
      return 0;
    } catch (error) {
      io.err(`Cannot generate the provider bindings: ${(error as Error).message}`);
      return 1;
    }
  },
};

/** The file of the bindings folder that holds the digest of their inputs. */
const DIGEST_FILE = 'inputs.sha256';

/**
 * The files bindings are generated from, relative to the project: the lock file (the generator's version), cdktf.json
 * (the providers, the output folder), this generator and each provider's schema.
 */
function inputFiles(projectRoot: string): string[] {
  const { terraformProviders } = cdktfSettings(projectRoot);
  return ['package-lock.json', 'cdktf.json', path.join('provider-schema', 'bindings.ts'), ...terraformProviders.map(schemaFileOf)];
}

/** What the generator reads of cdktf.json. */
const cdktfSettings = (projectRoot: string) =>
  JSON.parse(fs.readFileSync(path.join(projectRoot, 'cdktf.json'), 'utf8')) as { terraformProviders: string[]; codeMakerOutput: string };

/** The committed schema of a provider cdktf.json names (`namespace/name@version`), relative to the project. */
const schemaFileOf = (spec: string) => path.join('provider-schema', `${spec.replace(/@.*$/, '').split('/').pop()}.json`);

// Not core/digest.ts: this folder imports only cli/ (import-graph.test.ts).
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** The digest of the inputs of `projectRoot`'s bindings; undefined when one cannot be read. */
export function bindingsInputsDigest(projectRoot: string): string | undefined {
  try {
    const hash = createHash('sha256');
    for (const file of inputFiles(projectRoot)) hash.update(`${file}\0${sha256(fs.readFileSync(path.join(projectRoot, file)))}\0`);
    return hash.digest('hex');
  } catch {
    return undefined;
  }
}

/** The bindings folder of `projectRoot` (cdktf.json's `codeMakerOutput`). */
export const bindingsFolder = (projectRoot: string) => path.resolve(projectRoot, cdktfSettings(projectRoot).codeMakerOutput);

/** The digest of the inputs `projectRoot`'s bindings folder was generated from, as it recorded it; undefined if none. */
export function generatedBindingsDigest(projectRoot: string): string | undefined {
  try {
    return fs.readFileSync(path.join(bindingsFolder(projectRoot), DIGEST_FILE), 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** Writes the bindings of every provider cdktf.json names into `folder` (relative to the project). */
async function generateBindings(projectRoot: string, folder: string | undefined, log: (line: string) => void): Promise<void> {
  // As it loads, @cdktf/commons calls HashiCorp's checkpoint service unless CHECKPOINT_DISABLE is set (non-empty), and
  // runs `terraform version` for its debug report, printing whatever terraform says on standard error (a warning about
  // its CLI configuration...) twice, once as a red "[ERROR]". Generating from the committed schemas needs neither the
  // network nor terraform, so it calls neither: its documented TERRAFORM_BINARY_NAME names no program.
  process.env.CHECKPOINT_DISABLE = '1';
  process.env.TERRAFORM_BINARY_NAME = 'no-terraform-is-needed-to-generate-bindings';
  // Required here, after the variables above are set: loading them reads them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ConstructsMakerTarget, Language, TerraformProviderConstraint } = require('@cdktf/commons') as typeof import('@cdktf/commons');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { CodeMaker, TerraformProviderGenerator } = require('@cdktf/provider-generator') as typeof import('@cdktf/provider-generator');
  const { terraformProviders } = cdktfSettings(projectRoot);
  const code = new CodeMaker();
  for (const spec of terraformProviders) {
    const constraint = new TerraformProviderConstraint(spec);
    const schemaFile = path.join(projectRoot, schemaFileOf(spec));
    const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
    new TerraformProviderGenerator(code, schema).generate(ConstructsMakerTarget.from(constraint, Language.TYPESCRIPT));
    log(`${spec}: bindings from ${path.relative(projectRoot, schemaFile)}`);
  }
  // Written aside, then swapped in, so that a failed run never leaves half the bindings behind.
  const outdir = folder ? path.resolve(projectRoot, folder) : bindingsFolder(projectRoot);
  const staging = `${outdir}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  await code.save(staging);
  const digest = bindingsInputsDigest(projectRoot);
  if (digest) fs.writeFileSync(path.join(staging, DIGEST_FILE), `${digest}\n`);
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.renameSync(staging, outdir);
}
