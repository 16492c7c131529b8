/**
 * The provider bindings, generated into `.gen/` offline from the committed schemas in `provider-schema/` (one
 * `<provider name>.json` per entry of `terraformProviders` in cdktf.json). `cdktf get` on a connected machine
 * produces the same class names and import paths from the full providers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
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

/** Writes the bindings of every provider cdktf.json names into `folder` (relative to the project). */
async function generateBindings(projectRoot: string, folder: string | undefined, log: (line: string) => void): Promise<void> {
  // As it loads, @cdktf/commons calls HashiCorp's checkpoint service unless CHECKPOINT_DISABLE is set (non-empty), and
  // runs `terraform version` for its debug report, printing whatever terraform says on standard error (a warning about
  // its CLI configuration...) twice, once as a red "[ERROR]". Generating from the committed schemas needs neither the
  // network nor terraform, so it calls neither: its documented TERRAFORM_BINARY_NAME names no program.
  process.env.CHECKPOINT_DISABLE = '1';
  process.env.TERRAFORM_BINARY_NAME = 'no-terraform-is-needed-to-generate-bindings';
  const { ConstructsMakerTarget, Language, TerraformProviderConstraint } = await import('@cdktf/commons');
  const { CodeMaker, TerraformProviderGenerator } = await import('@cdktf/provider-generator');
  const { terraformProviders, codeMakerOutput } = JSON.parse(fs.readFileSync(path.join(projectRoot, 'cdktf.json'), 'utf8'));
  const code = new CodeMaker();
  for (const spec of terraformProviders as string[]) {
    const constraint = new TerraformProviderConstraint(spec);
    const schemaFile = path.join(projectRoot, 'provider-schema', `${constraint.name}.json`);
    const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
    new TerraformProviderGenerator(code, schema).generate(ConstructsMakerTarget.from(constraint, Language.TYPESCRIPT));
    log(`${spec}: bindings from ${path.relative(projectRoot, schemaFile)}`);
  }
  // Written aside, then swapped in, so that a failed run never leaves half the bindings behind.
  const outdir = path.resolve(projectRoot, folder ?? codeMakerOutput);
  const staging = `${outdir}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  await code.save(staging);
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.renameSync(staging, outdir);
}
