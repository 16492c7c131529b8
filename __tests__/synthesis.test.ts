/**
 * The main job end to end: client folder → validated config → one stack per client plus the agency's → cdktf.out.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { entryScriptArgs } from '../cli/command-line';
import { settingsFrom } from '../core/environment';
import { ConfigError } from '../core/failures';
import { PINNED_PROVIDERS } from '../provider-schema/providers';
import { synthesize } from '../stacks/synthesis';
import { ProviderSchemaIndex } from '../validation/provider-schema';
import { clientsFolder, desiredContacts, standardClient, type StackJson } from './support';

const root = path.resolve(__dirname, '..');
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
const readStack = (outdir: string, stack: string): StackJson =>
  JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
const stacksIn = (outdir: string) => fs.readdirSync(path.join(outdir, 'stacks')).sort();

describe('the example clients', () => {
  const outdir = path.join(tempDir(), 'cdktf.out');
  const stacks = synthesize(settingsFrom({ CDKTF_OUTDIR: outdir }, root));

  test('become one stack each, plus the agency’s shared stack', () => {
    expect(stacks).toEqual(['agency', 'atelier-lumiere.be', 'betterfinance.eu', 'imoov.solutions']);
    expect(stacksIn(outdir)).toEqual(stacks);
  });

  test('use only arguments the provider schemas know, and every required one', () => {
    const schemas = ProviderSchemaIndex.fromDirectory(path.join(root, 'provider-schema'));
    for (const stack of stacks)
      expect({ stack, problems: schemas.validateStack(readStack(outdir, stack)) }).toEqual({ stack, problems: [] });
  });

  test('pin the provider versions cdktf.json names', () => {
    const { required_providers } = readStack(outdir, 'betterfinance.eu').terraform as {
      required_providers: Record<string, { source: string; version: string }>;
    };
    expect(required_providers.ovh).toEqual({ source: 'ovh/ovh', version: '2.19.0' });
    // What the plan guard allows, CI installs and the stand-ins serve are those same pins.
    const pins = (JSON.parse(fs.readFileSync(path.join(root, 'cdktf.json'), 'utf8')) as { terraformProviders: string[] })
      .terraformProviders;
    expect(Object.values(PINNED_PROVIDERS).map(({ source, version }) => `${source}@${version}`)).toEqual(pins);
  });

  test('keep the shared projects’ contacts with yesbabylon', () => {
    const contacts = Object.values(desiredContacts(readStack(outdir, 'agency')));
    expect(contacts).toEqual([
      expect.objectContaining({
        kind: 'cloudProject',
        service_name: '4f1c2a9e8d7b6c5a4f3e2d1c0b9a8f7e',
        contacts: { admin: 'yb20002-ovh', tech: 'yb20002-ovh', billing: 'yb20002-ovh' },
      }),
    ]);
  });

  test('show the two cases the procedure exists for', () => {
    expect(desiredContacts(readStack(outdir, 'betterfinance.eu'))['vps-staging'].contacts.tech).toBe('op54321-ovh');
    expect(desiredContacts(readStack(outdir, 'atelier-lumiere.be'))['domain-atelier-lumiere-be'].contacts.billing).toBe('al13579-ovh');
  });
});

test('a selection builds only the selected clients’ stacks, from another folder', () => {
  const clientsDir = clientsFolder({
    'betterfinance.eu.yaml': standardClient,
    'other.be.yaml': { ...standardClient, id: 'other.be', nichandle: 'ot11111-ovh' },
  });
  const outdir = path.join(tempDir(), 'out');
  synthesize(settingsFrom({ OVH_IAC_CLIENTS_DIR: clientsDir, OVH_IAC_CLIENTS: 'other.be', CDKTF_OUTDIR: outdir }, root));
  expect(stacksIn(outdir)).toEqual(['agency', 'other.be']);
});

test('one bad file means no output at all: the previous output stays as it was', () => {
  const clientsDir = clientsFolder({
    'betterfinance.eu.yaml': standardClient,
    'bad.be.yaml': { ...standardClient, id: 'bad.be', nichandle: 'not-a-nic' },
  });
  const parent = tempDir();
  const outdir = path.join(parent, 'cdktf.out');
  fs.mkdirSync(outdir);
  fs.writeFileSync(path.join(outdir, 'previous.txt'), 'kept');

  expect(() => synthesize(settingsFrom({ OVH_IAC_CLIENTS_DIR: clientsDir, CDKTF_OUTDIR: outdir }, root))).toThrow(ConfigError);
  expect(fs.readdirSync(parent)).toEqual(['cdktf.out']);
  expect(fs.readdirSync(outdir)).toEqual(['previous.txt']);
});

test('no credential from the environment ever reaches the synthesized files', () => {
  const secret = 'S3cr3t-application-secret-value';
  const outdir = path.join(tempDir(), 'out');
  const env = { CDKTF_OUTDIR: outdir, TF_VAR_ovh_cedricfrancoys_application_secret: secret, AWS_SECRET_ACCESS_KEY: secret };
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    synthesize(settingsFrom(env, root));
  } finally {
    process.env = saved;
  }
  const everything = stacksIn(outdir)
    .map((stack) => JSON.stringify(readStack(outdir, stack)))
    .join('\n');
  expect(everything).toContain('${var.ovh_cedricfrancoys_application_secret}');
  expect(everything).not.toContain(secret);
});

describe('state', () => {
  const clientsDir = clientsFolder({ 'betterfinance.eu.yaml': standardClient });

  test('is local by default, one file per stack outside cdktf.out', () => {
    const parent = tempDir();
    const outdir = path.join(parent, 'cdktf.out');
    synthesize(
      settingsFrom({ OVH_IAC_CLIENTS_DIR: clientsDir, CDKTF_OUTDIR: outdir, OVH_IAC_LOCAL_STATE_DIR: path.join(parent, 'state') }, root),
    );
    const backend = (readStack(outdir, 'betterfinance.eu').terraform as { backend: { local: { path: string } } }).backend.local;
    expect(path.resolve(outdir, 'stacks', 'betterfinance.eu', backend.path)).toBe(path.join(parent, 'state', 'betterfinance.eu.tfstate'));
  });

  test('goes to OVH Object Storage, locked, when a bucket is set, with no credential in the stack', () => {
    const outdir = path.join(tempDir(), 'out');
    synthesize(
      settingsFrom(
        {
          OVH_IAC_CLIENTS_DIR: clientsDir,
          CDKTF_OUTDIR: outdir,
          OVH_IAC_STATE_BUCKET: 'agency-tfstate',
          OVH_IAC_STATE_ENDPOINT: 'https://s3.sbg.io.cloud.ovh.net',
          OVH_IAC_STATE_REGION: 'sbg',
        },
        root,
      ),
    );
    for (const stack of ['agency', 'betterfinance.eu']) {
      const { s3 } = (readStack(outdir, stack).terraform as { backend: { s3: Record<string, unknown> } }).backend;
      expect(s3).toEqual({
        bucket: 'agency-tfstate',
        key: `${stack}/terraform.tfstate`,
        region: 'sbg',
        endpoints: { s3: 'https://s3.sbg.io.cloud.ovh.net' },
        use_lockfile: true,
        use_path_style: true,
        skip_credentials_validation: true,
        skip_region_validation: true,
        skip_requesting_account_id: true,
        skip_s3_checksum: true,
      });
    }
  });

  test('refuses a state endpoint that is not a URL, naming the variable', () => {
    expect(() => settingsFrom({ OVH_IAC_STATE_BUCKET: 'b', OVH_IAC_STATE_ENDPOINT: 'gra' }, root)).toThrow(
      /OVH_IAC_STATE_ENDPOINT: expected an https:\/\/ URL/,
    );
  });
});

test('the command reports bad files with file, line and field, without a stack trace, and exits 1', () => {
  const clientsDir = clientsFolder({
    'betterfinance.eu.yaml': 'id: betterfinance.eu\nname: Better Finance\nsize: standard\nnichandle: bf12345\n',
  });
  const outdir = path.join(tempDir(), 'out');
  const result = spawnSync(process.execPath, entryScriptArgs(path.join(root, 'main.ts')), {
    env: { ...process.env, OVH_IAC_CLIENTS_DIR: clientsDir, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
  });
  expect(result.status).toBe(1);
  expect(result.stderr).toMatch(/betterfinance\.eu\.yaml:4: nichandle: expected an OVH nichandle like "xx11111-ovh"/);
  expect(result.stderr).toContain('nothing was written');
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(fs.existsSync(outdir)).toBe(false);
});

test('the bindings in .gen are those of the committed provider schemas, with the names cdktf get gives; generating them runs no terraform and prints only what it wrote', () => {
  const fresh = path.join(tempDir(), 'gen');
  // A terraform on the PATH that complains on standard error (as about a missing CLI configuration) and says it ran.
  const bin = tempDir();
  const ran = path.join(bin, 'terraform-ran');
  fs.writeFileSync(
    path.join(bin, 'terraform'),
    `#!/bin/sh\necho ran > ${JSON.stringify(ran)}\necho "Warning: Unable to open CLI configuration file" >&2\necho '{}'\n`,
    {
      mode: 0o755,
    },
  );
  const generated = spawnSync(process.execPath, entryScriptArgs(path.join(root, 'scripts', 'generate-bindings.ts'), fresh), {
    cwd: root,
    encoding: 'utf8',
    // An empty CHECKPOINT_DISABLE turns nothing off: @cdktf/commons would call HashiCorp's checkpoint service.
    env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}`, CHECKPOINT_DISABLE: '' },
  });
  expect(generated.status).toBe(0);
  expect(generated.stdout.trim().split('\n')).toEqual([
    'ovh/ovh@2.19.0: bindings from provider-schema/ovh.json',
    'hashicorp/random@3.7.2: bindings from provider-schema/random.json',
  ]);
  expect(generated.stderr).toBe('');
  expect(fs.existsSync(ran)).toBe(false);
  const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, 'providers', file), 'utf8');
  for (const file of ['ovh/vps/index.ts', 'ovh/provider/index.ts', 'random/password/index.ts']) {
    expect(read(fresh, file)).toBe(read(path.join(root, '.gen'), file));
  }
  expect(read(fresh, 'ovh/vps/index.ts')).toMatch(/export class Vps extends cdktf\.TerraformResource/);
  expect(read(fresh, 'ovh/provider/index.ts')).toMatch(/export class OvhProvider extends cdktf\.TerraformProvider/);
});
