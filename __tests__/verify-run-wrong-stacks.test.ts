/**
 * A deliberately wrong stack makes verify fail, with terraform's own message: each case is a synthesized stack with
 * one thing broken by hand, written beside it as a stack of its own (with a state file of its own).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Harness } from '../verify/harness';
import { verifyStack } from '../verify/verify';
import { synthesizeHere } from './scenario';
import { clientsFolder } from './support';

type StackJson = {
  resource: Record<string, Record<string, Record<string, unknown>>>;
  import?: Record<string, unknown>[];
  terraform: { backend: { local: { path: string } } };
};

const client = {
  id: 'alpha.be',
  name: 'Alpha',
  size: 'standard',
  nichandle: 'al11111-ovh',
  domains: [{ name: 'alpha.be', dnsZone: false }],
  instances: [{ name: 'web-1', region: 'GRA11', flavorId: 'b3-8-flavor', imageId: 'debian-12-image', sshKey: 'agency-deploy' }],
  backups: [{ name: 'files' }],
};

let harness: Harness;
let original: StackJson;
beforeAll(async () => {
  harness = await Harness.start({ clientsDir: clientsFolder({ 'alpha.be.yaml': client }) });
  harness.seed();
  harness.ovhApi.world.deliveryPolls = 1;
  await harness.synth(synthesizeHere);
  original = JSON.parse(fs.readFileSync(path.join(harness.stackDir('alpha.be'), 'cdk.tf.json'), 'utf8'));
});
afterAll(() => harness.close());

/** The resource of `type` in a stack (its only one of that type here). */
function resourceOf(stack: StackJson, type: string): Record<string, unknown> {
  return Object.values(stack.resource[type])[0];
}

/** Writes `alpha.be`'s stack, changed by `breakIt`, as the stack `name` (with a state of its own), and verifies it. */
async function verifyBroken(name: string, breakIt: (stack: StackJson) => void) {
  const stack = structuredClone(original);
  stack.terraform.backend.local.path = stack.terraform.backend.local.path.replace(/alpha\.be\.tfstate$/, `${name}.tfstate`);
  breakIt(stack);
  const dir = harness.stackDir(name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(stack, null, 2));
  return verifyStack(harness, name);
}

test("the stack as synthesized verifies, once the agency's has registered the deploy key in the shared project", async () => {
  expect(await verifyStack(harness, 'agency')).toMatchObject({ ok: true });
  const result = await verifyStack(harness, 'alpha.be');
  expect(result).toMatchObject({ ok: true });
});

test('an unknown argument fails terraform validate, with its message', async () => {
  const result = await verifyBroken('unknown-argument', (stack) => void (resourceOf(stack, 'ovh_cloud_project_storage').colour = 'blue'));
  expect(result).toMatchObject({ ok: false, failedStep: 'terraform validate' });
  expect(result.output).toContain('Extraneous JSON object property');
  expect(result.output).toContain('No argument or block type is named "colour".');
});

test('a missing required argument fails terraform validate, with its message', async () => {
  const result = await verifyBroken('missing-argument', (stack) => void delete resourceOf(stack, 'ovh_domain_name').domain_name);
  expect(result).toMatchObject({ ok: false, failedStep: 'terraform validate' });
  expect(result.output).toContain('The argument "domain_name" is required, but no definition was found.');
});

test('an instance without ssh_key fails as the provider validates it (exactly one of ssh_key, ssh_key_create)', async () => {
  const result = await verifyBroken('no-ssh-key', (stack) => void delete resourceOf(stack, 'ovh_cloud_project_instance').ssh_key);
  expect(result).toMatchObject({ ok: false, failedStep: 'terraform validate' });
  expect(result.output).toContain('"ssh_key": one of `ssh_key,ssh_key_create` must be specified');
});

test("a bad import id fails the plan with the importer's message, and a type without importer cannot be imported", async () => {
  const bucket = Object.keys(original.resource.ovh_cloud_project_storage)[0];
  const malformed = await verifyBroken('bad-import-id', (stack) => {
    stack.import = [
      {
        to: `ovh_cloud_project_storage.${bucket}`,
        id: 'no-slashes-here',
        provider: resourceOf(stack, 'ovh_cloud_project_storage').provider,
      },
    ];
  });
  expect(malformed).toMatchObject({ ok: false, failedStep: 'terraform plan' });
  expect(malformed.output).toContain('Given ID is malformed');
  expect(malformed.output).toContain('<service_name>/<region_name>/<storage_name>');

  const instance = Object.keys(original.resource.ovh_cloud_project_instance)[0];
  const notImportable = await verifyBroken('instance-import', (stack) => {
    stack.import = [
      {
        to: `ovh_cloud_project_instance.${instance}`,
        id: 'any-instance-id',
        provider: resourceOf(stack, 'ovh_cloud_project_instance').provider,
      },
    ];
  });
  expect(notImportable).toMatchObject({ ok: false, failedStep: 'terraform plan' });
  expect(notImportable.output).toContain("resource ovh_cloud_project_instance doesn't support import");
});

test("replacing a protected resource fails the plan: a changed argument the provider forces new (the bucket's region)", async () => {
  // alpha.be is applied by the first test: its bucket now exists, and moves region.
  const result = await verifyBroken('alpha.be', (stack) => void (resourceOf(stack, 'ovh_cloud_project_storage').region_name = 'SBG'));
  expect(result).toMatchObject({ ok: false, failedStep: 'terraform plan' });
  expect(result.output).toContain('Instance cannot be destroyed');
  expect(result.output).toMatch(/Resource ovh_cloud_project_storage\.\S+\s+has\s+lifecycle\.prevent_destroy\s+set/);
});

test('terraform is the binary OVH_IAC_TERRAFORM names, as verify and the scenario tests document', async () => {
  const other = await Harness.start({
    clientsDir: harness.clientsDir,
    env: { ...process.env, OVH_IAC_TERRAFORM: '/nonexistent/terraform' },
  });
  try {
    await expect(other.terraform('agency', 'version')).rejects.toThrow('cannot run "/nonexistent/terraform"');
  } finally {
    await other.close();
  }
});
