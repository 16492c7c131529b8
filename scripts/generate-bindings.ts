/**
 * Generates the provider bindings into `.gen/` offline, from the committed schemas in `provider-schema/`
 * (one `<provider name>.json` per entry of `terraformProviders` in cdktf.json). `cdktf get` on a connected
 * machine produces the same class names and import paths from the full providers.
 * Usage: tsx scripts/generate-bindings.ts [output folder, default: cdktf.json's codeMakerOutput]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..');

async function main(): Promise<void> {
  // @cdktf/commons calls HashiCorp's checkpoint service as it loads, unless told not to: this project works offline.
  process.env.CHECKPOINT_DISABLE ??= '1';
  const { ConstructsMakerTarget, Language, TerraformProviderConstraint } = await import('@cdktf/commons');
  const { CodeMaker, TerraformProviderGenerator } = await import('@cdktf/provider-generator');
  const { terraformProviders, codeMakerOutput } = JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8'));
  const code = new CodeMaker();
  for (const spec of terraformProviders as string[]) {
    const constraint = new TerraformProviderConstraint(spec);
    const schemaFile = path.join(root, 'provider-schema', `${constraint.name}.json`);
    const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
    new TerraformProviderGenerator(code, schema).generate(ConstructsMakerTarget.from(constraint, Language.TYPESCRIPT));
    console.log(`${spec}: bindings from ${path.relative(root, schemaFile)}`);
  }
  // Written aside, then swapped in, so that a failed run never leaves half the bindings behind.
  const outdir = path.resolve(root, process.argv[2] ?? codeMakerOutput);
  const staging = `${outdir}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  await code.save(staging);
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.renameSync(staging, outdir);
}

main().catch((error: Error) => {
  console.error(`Cannot generate the provider bindings: ${error.message}`);
  process.exit(1);
});
