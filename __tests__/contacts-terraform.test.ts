/**
 * From Terraform: each desired-contacts record is replaced when the desired contacts change, and its
 * provisioner runs `contacts apply` for that one service from the stack's folder.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { settingsFrom } from '../config/environment';
import { loadConfig } from '../config/load';
import { namesInState } from '../contacts/terraform-state';
import { buildApp } from '../main';
import { CERTIFICATE_FILE } from '../standins/ovh-api/server';
import { Fixture, NIC, ROUTE, VPS_NAME } from './contacts-fixture';

let world: Fixture;
beforeEach(async () => {
  world = await Fixture.start();
});
afterEach(() => world.close());

interface ContactsRecord {
  input: Record<string, unknown>;
  triggers_replace: unknown;
  provisioner: { 'local-exec': { command: string; environment: Record<string, string> } }[];
}

/** Synthesizes the fixture's stacks and returns the VPS's desired-contacts record and its stack folder. */
function synthesizedVpsRecord() {
  const settings = settingsFrom(world.env, world.dir);
  const outdir = path.join(world.dir, 'cdktf.out');
  buildApp(loadConfig(settings.clientsDir), settings, outdir).synth();
  const stackDir = path.join(outdir, 'stacks', 'acme.test');
  const stack = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  const records = Object.values(stack.resource.terraform_data as Record<string, ContactsRecord>);
  return { record: records.find((record) => record.input.service === 'vps-staging')!, stackDir };
}

test('the record is replaced when its desired contacts change, and its provisioner applies that one service', () => {
  const { record, stackDir } = synthesizedVpsRecord();
  expect(record.triggers_replace).toEqual(record.input);
  const projectFromStack = path.relative(stackDir, path.resolve(__dirname, '..'));
  expect(record.provisioner).toEqual([
    {
      'local-exec': {
        command: `npm --prefix "${projectFromStack}" run --silent contacts -- apply --client acme.test --service vps-staging --service-name "$OVH_SERVICE_NAME"`,
        environment: { OVH_SERVICE_NAME: '${self.input.service_name}' },
      },
    },
  ]);
});

test('the provisioner command, run as Terraform runs it, requests the VPS\'s contact changes', async () => {
  world.recordInState({}); // Terraform is still applying: the state has no name yet, the provisioner passes it.
  world.standin.addService(ROUTE.vps, { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
  const { record, stackDir } = synthesizedVpsRecord();
  const { command } = record.provisioner[0]['local-exec'];
  const env = { ...process.env, ...world.env, OVH_SERVICE_NAME: VPS_NAME, NODE_EXTRA_CA_CERTS: CERTIFICATE_FILE };
  const { stdout } = await promisify(execFile)('/bin/sh', ['-c', command], { cwd: stackDir, env });
  expect(stdout).toContain(`acme.test vps-staging admin   ${NIC.hosting} → ${NIC.client}: requested by ${NIC.hosting}`);
  expect(world.standin.tasks.map((task) => [task.serviceDomain, task.contactTypes[0]])).toEqual([
    [VPS_NAME, 'contactAdmin'],
    [VPS_NAME, 'contactTech'],
  ]);
  for (const secret of world.secrets()) expect(stdout).not.toContain(secret);
}, 20000);

test('the OVH names are read from the desired-contacts records of a Terraform state', () => {
  const state = {
    version: 4,
    resources: [
      { mode: 'managed', type: 'ovh_vps', name: 'order', instances: [{ attributes: { service_name: 'ignored' } }] },
      { mode: 'managed', type: 'terraform_data', name: 'a', instances: [{ attributes: { input: { value: { service: 'vps-staging', service_name: VPS_NAME } } } }] },
      { mode: 'managed', type: 'terraform_data', name: 'b', instances: [{ attributes: { input: null } }] },
    ],
  };
  expect(namesInState(JSON.stringify(state), 'test')).toEqual(new Map([['vps-staging', VPS_NAME]]));
  expect(() => namesInState('{"resources": 3}', 'some.tfstate')).toThrow('some.tfstate is not a Terraform state');
});
