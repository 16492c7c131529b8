/**
 * From Terraform: each desired-contacts record is replaced when the desired contacts change, and its
 * provisioner runs `contacts apply` for that one service from the stack's folder.
 */
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { entryScriptArgs } from '../cli/command-line';
import { settingsFrom } from '../core/environment';
import { planFolder } from '../policy/folder';
import { namesInState } from '../contacts/terraform-state';
import { buildApp } from '../stacks/synthesis';
import { CERTIFICATE_FILE } from '../standins/ovh-api/server';
import { Fixture, NIC, ROUTE, VPS_NAME } from './contacts-fixture';

let world: Fixture;
beforeEach(async () => {
  world = await Fixture.start({ withZone: true });
});
afterEach(() => world.close());

interface ContactsRecord {
  input: Record<string, unknown>;
  triggers_replace: unknown;
  provisioner: { 'local-exec': { command: string; environment: Record<string, string> } }[];
}

/** Synthesizes the fixture's stacks and returns the client's desired-contacts records and its stack folder. */
function synthesizedRecords() {
  const settings = settingsFrom(world.env, world.dir);
  const outdir = path.join(world.dir, 'cdktf.out');
  buildApp(planFolder(settings.clientsDir).plans, settings, outdir).synth();
  const stackDir = path.join(outdir, 'stacks', 'acme.test');
  const stack = JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
  return { records: Object.values(stack.resource.terraform_data as Record<string, ContactsRecord>), stackDir };
}

function synthesizedVpsRecord() {
  const { records, stackDir } = synthesizedRecords();
  return { record: records.find((record) => record.input.service === 'vps-staging')!, stackDir };
}

/** Runs a record's provisioner as Terraform does: its command in the stack's folder, with its environment. */
function provision(record: ContactsRecord, stackDir: string, serviceName: string) {
  const { command } = record.provisioner[0]['local-exec'];
  const env = { ...process.env, ...world.env, OVH_SERVICE_NAME: serviceName, NODE_EXTRA_CA_CERTS: CERTIFICATE_FILE };
  return promisify(execFile)('/bin/sh', ['-c', command], { cwd: stackDir, env });
}

test('the record is replaced when its desired contacts change, and its provisioner applies that one service', () => {
  const { record, stackDir } = synthesizedVpsRecord();
  expect(record.triggers_replace).toEqual(record.input);
  const projectFromStack = path.relative(stackDir, path.resolve(__dirname, '..'));
  expect(record.provisioner).toEqual([
    {
      'local-exec': {
        command: `cd "${projectFromStack}" && node --require ./cli/bundle.cjs contacts/cli.ts apply --client acme.test --service vps-staging --service-name "$OVH_SERVICE_NAME"`,
        environment: { OVH_SERVICE_NAME: '${self.input.service_name}' },
      },
    },
  ]);
  // The script of `npm run contacts`, as npm would start it.
  const { scripts } = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', 'package.json'), 'utf8'));
  expect(scripts.contacts).toBe('node --require ./cli/bundle.cjs contacts/cli.ts');
});

test("the provisioner command, run as Terraform runs it, requests the VPS's contact changes", async () => {
  world.recordInState({}); // Terraform is still applying: the state has no name yet, the provisioner passes it.
  world.standin.addService(ROUTE.vps, { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
  const { record, stackDir } = synthesizedVpsRecord();
  const { stdout } = await provision(record, stackDir, VPS_NAME);
  expect(stdout).toContain(`acme.test vps-staging admin   ${NIC.hosting} → ${NIC.client}: requested by ${NIC.hosting}`);
  expect(world.standin.tasks.map((task) => [task.serviceDomain, task.contactTypes[0]])).toEqual([
    [VPS_NAME, 'contactAdmin'],
    [VPS_NAME, 'contactTech'],
  ]);
  for (const secret of world.secrets()) expect(stdout).not.toContain(secret);
});

test('every provisioner of the stack at once, as Terraform runs them: each service requested once, with its own tasks', async () => {
  const everything = { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting };
  for (const route of [ROUTE.domain, ROUTE.zone, ROUTE.web, ROUTE.vps])
    world.standin.addService(route, route === ROUTE.domain ? { ...everything, admin: NIC.client } : everything);
  const { records, stackDir } = synthesizedRecords();
  const names: Record<string, string> = { 'vps-staging': VPS_NAME };
  const outputs = await Promise.all(
    records.map((record) => provision(record, stackDir, names[record.input.service as string] ?? 'acme.test')),
  );
  for (const route of [ROUTE.domain, ROUTE.zone, ROUTE.web, ROUTE.vps]) {
    expect(world.changeRequests(route)).toBe(1);
    expect(world.standin.tasks.filter((task) => task.route === route).length).toBeGreaterThan(0);
  }
  for (const { stdout, stderr } of outputs) for (const secret of world.secrets()) expect(stdout + stderr).not.toContain(secret);
});

/** The contacts CLI as an engineer runs it, in its own process, with `stdin` piped to it. */
function cli(args: string[], stdin: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, ...world.env, ...extraEnv, NODE_EXTRA_CA_CERTS: CERTIFICATE_FILE };
  const child = spawn(process.execPath, entryScriptArgs(path.resolve(__dirname, '..', 'contacts', 'cli.ts'), ...args), {
    cwd: world.dir,
    env,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr })));
}

test('in its own process: the token piped on standard input; a lost answer with the deadline of OVH_IAC_API_TIMEOUT', async () => {
  world.standin.addService(ROUTE.vps, { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
  // OVH gets the request and never answers; it processes it only once the first run has given up. In its own
  // process the tool's deadline is real time: 5 s, which only a call that gets no answer at all reaches.
  world.standin.holdNext(1, /changeContact$/);
  const args = ['apply', '--client', 'acme.test', '--service', 'vps-staging'];
  const lost = await cli(args, '', { OVH_IAC_API_TIMEOUT: '5', OVH_IAC_API_ATTEMPTS: '2' });
  expect(lost.stdout).toContain('Not done, outcome unknown');
  expect(lost.code).toBe(2);
  const journal = path.join(world.stateDir, 'acme.test.contacts-journal');
  const [entry] = fs.readdirSync(journal).map((file) => JSON.parse(fs.readFileSync(path.join(journal, file), 'utf8')));
  expect(entry.outcome).toMatchObject({ state: 'unknown', detail: expect.stringContaining('no answer within 5000 ms') });
  world.standin.processHeld();
  const found = await cli(args, '');
  expect(found.code).toBe(0);
  expect(world.changeRequests()).toBe(1);
  const [admin] = world.standin.tasks;
  const accepted = await cli(['accept', String(admin.id)], `${world.standin.tokenOf(admin.id, NIC.client)}\n`);
  expect(accepted.stdout).toBe(`Task #${admin.id} accepted as ${NIC.client}; it is now validatingByCustomers.\n`);
  for (const output of [lost, found, accepted])
    for (const secret of world.secrets()) expect(output.stdout + output.stderr).not.toContain(secret);
});

test('the OVH names are read from the desired-contacts records of a Terraform state', () => {
  const state = {
    version: 4,
    resources: [
      { mode: 'managed', type: 'ovh_vps', name: 'order', instances: [{ attributes: { service_name: 'ignored' } }] },
      {
        mode: 'managed',
        type: 'terraform_data',
        name: 'a',
        instances: [{ attributes: { input: { value: { service: 'vps-staging', service_name: VPS_NAME } } } }],
      },
      { mode: 'managed', type: 'terraform_data', name: 'b', instances: [{ attributes: { input: null } }] },
    ],
  };
  expect(namesInState(JSON.stringify(state), 'test')).toEqual(new Map([['vps-staging', VPS_NAME]]));
  expect(() => namesInState('{"resources": 3}', 'some.tfstate')).toThrow('some.tfstate is not a Terraform state');
});
