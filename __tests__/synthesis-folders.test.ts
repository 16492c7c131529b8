/**
 * What a synthesis does to an existing output folder: it replaces what it writes and keeps the rest, Terraform's
 * working files first of all, so that no `terraform init` is needed after a synth; manifest.json always lists
 * exactly the stacks present; a failure changes nothing.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { settingsFrom } from '../core/environment';
import { ConfigError } from '../core/failures';
import { synthesize } from '../stacks/synthesis';
import { clientsFolder, standardClient } from './support';

const root = path.resolve(__dirname, '..');
const other = { ...standardClient, id: 'other.be', nichandle: 'ot11111-ovh' };

/** Every file under `dir`, by relative path, with its content. */
function tree(dir: string): Record<string, string> {
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return Object.fromEntries(
    files
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort()
      .map((file) => [path.relative(dir, file), fs.readFileSync(file, 'utf8')]),
  );
}

const stackFile = (outdir: string, stack: string) => fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
const manifest = (outdir: string) =>
  JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, { synthesizedStackPath: string }> };

/** What `terraform init` leaves in a stack folder. */
function initialize(outdir: string, stack: string): void {
  const folder = path.join(outdir, 'stacks', stack);
  fs.mkdirSync(path.join(folder, '.terraform', 'providers', 'registry.terraform.io', 'ovh', 'ovh', '2.19.0', 'linux_amd64'), {
    recursive: true,
  });
  fs.writeFileSync(
    path.join(folder, '.terraform', 'providers', 'registry.terraform.io', 'ovh', 'ovh', '2.19.0', 'linux_amd64', 'terraform-provider-ovh'),
    'binary',
  );
  fs.writeFileSync(path.join(folder, '.terraform', 'terraform.tfstate'), `{"backend": "${stack}"}`);
  fs.writeFileSync(path.join(folder, '.terraform.lock.hcl'), `# lock of ${stack}`);
}

const terraformFiles = (outdir: string, stack: string) =>
  Object.fromEntries(Object.entries(tree(path.join(outdir, 'stacks', stack))).filter(([file]) => file.startsWith('.terraform')));

/** manifest.json lists exactly the stack folders present, each with its stack file: what the cdktf CLI relies on. */
function expectManifestOfFolders(outdir: string, stacks: string[]): void {
  const listed = manifest(outdir).stacks;
  expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(stacks);
  expect(Object.keys(listed).sort()).toEqual(stacks);
  for (const entry of Object.values(listed)) expect(fs.existsSync(path.join(outdir, entry.synthesizedStackPath))).toBe(true);
}

function setup() {
  const clientsDir = clientsFolder({ 'betterfinance.eu.yaml': standardClient, 'other.be.yaml': other });
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-folders-'));
  const outdir = path.join(parent, 'cdktf.out');
  const synth = (env: Record<string, string> = {}) =>
    synthesize(settingsFrom({ OVH_IAC_CLIENTS_DIR: clientsDir, CDKTF_OUTDIR: outdir, ...env }, root));
  const writeClient = (client: { id: string } & Record<string, unknown>) =>
    fs.writeFileSync(path.join(clientsDir, `${client.id}.yaml`), JSON.stringify(client));
  return { clientsDir, parent, outdir, synth, writeClient };
}

const withDomain = (client: typeof standardClient, name: string) => ({ ...client, domains: [{ name }] });

test('a synth keeps Terraform’s files in every stack folder, and anything else in the output, and rewrites the stacks', () => {
  const { outdir, synth, writeClient } = setup();
  synth();
  for (const stack of ['agency', 'betterfinance.eu']) initialize(outdir, stack);
  const initialized = { agency: terraformFiles(outdir, 'agency'), betterfinance: terraformFiles(outdir, 'betterfinance.eu') };
  fs.writeFileSync(path.join(outdir, 'stacks', 'betterfinance.eu', 'plan.tfplan'), 'a saved plan');
  fs.writeFileSync(path.join(outdir, 'notes.txt'), 'kept');

  writeClient(withDomain(standardClient, 'betterfinance-new.eu'));
  synth();

  expect(stackFile(outdir, 'betterfinance.eu')).toContain('betterfinance-new.eu');
  expect(terraformFiles(outdir, 'agency')).toEqual(initialized.agency);
  expect(terraformFiles(outdir, 'betterfinance.eu')).toEqual(initialized.betterfinance);
  expect(tree(outdir)).toMatchObject({ 'stacks/betterfinance.eu/plan.tfplan': 'a saved plan', 'notes.txt': 'kept' });
  expectManifestOfFolders(outdir, ['agency', 'betterfinance.eu', 'other.be']);
});

test('a synth of selected clients leaves the other stacks’ folders alone, and keeps them in the manifest', () => {
  const { outdir, synth, writeClient } = setup();
  synth();
  initialize(outdir, 'betterfinance.eu');
  const untouched = tree(path.join(outdir, 'stacks', 'betterfinance.eu'));
  const fullManifest = fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8');

  writeClient(withDomain(standardClient, 'betterfinance-new.eu'));
  writeClient(withDomain(other, 'other-new.be'));
  expect(synth({ OVH_IAC_CLIENTS: 'other.be' })).toEqual(['agency', 'other.be']);

  expect(stackFile(outdir, 'other.be')).toContain('other-new.be');
  expect(tree(path.join(outdir, 'stacks', 'betterfinance.eu'))).toEqual(untouched);
  expect(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8')).toBe(fullManifest);
  expectManifestOfFolders(outdir, ['agency', 'betterfinance.eu', 'other.be']);
});

test('a full synth removes the folders of stacks that no longer exist; a selection does not', () => {
  const { clientsDir, outdir, synth } = setup();
  synth();
  initialize(outdir, 'other.be');
  fs.rmSync(path.join(clientsDir, 'other.be.yaml'));

  synth({ OVH_IAC_CLIENTS: 'betterfinance.eu' });
  expectManifestOfFolders(outdir, ['agency', 'betterfinance.eu', 'other.be']);

  synth();
  expectManifestOfFolders(outdir, ['agency', 'betterfinance.eu']);
});

test('a failed synth leaves the previous output exactly as it was, Terraform’s files included, and nothing beside it', () => {
  const { parent, outdir, synth, writeClient } = setup();
  synth();
  initialize(outdir, 'betterfinance.eu');
  const before = tree(outdir);

  // Valid as a file, but its two domains would be one and the same construct: the stack cannot be built.
  writeClient({
    ...standardClient,
    id: 'clash.be',
    nichandle: 'cl11111-ovh',
    domains: [{ name: 'x-y.example.eu' }, { name: 'x.y-example.eu' }],
  });
  writeClient(withDomain(standardClient, 'betterfinance-new.eu'));
  expect(() => synth()).toThrow(ConfigError);

  expect(tree(outdir)).toEqual(before);
  expect(fs.readdirSync(parent)).toEqual(['cdktf.out']);
});

test('a first synth creates the output folder, with its parents, as mkdir would (not private)', () => {
  const { parent, synth } = setup();
  const outdir = path.join(parent, 'deep', 'er', 'cdktf.out');
  synth({ CDKTF_OUTDIR: outdir });
  expectManifestOfFolders(outdir, ['agency', 'betterfinance.eu', 'other.be']);
  expect(fs.readdirSync(path.dirname(outdir))).toEqual(['cdktf.out']);
  const made = path.join(parent, 'made-by-mkdir');
  fs.mkdirSync(made);
  expect(fs.statSync(outdir).mode.toString(8)).toBe(fs.statSync(made).mode.toString(8));
});

test('run by the real cdktf CLI, a full synth after a client is gone succeeds and the CLI removes that client’s folder', () => {
  const { clientsDir, outdir } = setup();
  const cdktfSynth = () =>
    spawnSync(process.execPath, [require.resolve('cdktf-cli/bundle/bin/cdktf'), 'synth', '--output', outdir], {
      cwd: root,
      env: { ...process.env, OVH_IAC_CLIENTS_DIR: clientsDir, CHECKPOINT_DISABLE: '1' },
      encoding: 'utf8',
    });
  expect(cdktfSynth().status).toBe(0);
  initialize(outdir, 'betterfinance.eu');
  const initialized = terraformFiles(outdir, 'betterfinance.eu');
  fs.rmSync(path.join(clientsDir, 'other.be.yaml'));

  const again = cdktfSynth();
  expect({ status: again.status, error: again.stderr.match(/Error: .*/)?.[0] }).toEqual({ status: 0, error: undefined });
  expectManifestOfFolders(outdir, ['agency', 'betterfinance.eu']);
  expect(terraformFiles(outdir, 'betterfinance.eu')).toEqual(initialized);
});
