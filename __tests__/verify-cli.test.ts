/** `npm run verify`: what it refuses before it runs anything (its real runs: verify-run.test.ts). */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { verifyCommand } from '../verify/command';
import { runForTest } from './command';
import { clientsFolder } from './support';

async function verify(env: NodeJS.ProcessEnv, argv: string[] = []) {
  const { code, out, err } = await runForTest(verifyCommand, argv, { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const good = { id: 'alpha.be', name: 'Alpha', size: 'standard', nichandle: 'al11111-ovh', domains: [{ name: 'alpha.be' }] };
test('refuses to run with remote state configured, before anything runs', async () => {
  const run = await verify({ OVH_IAC_CLIENTS_DIR: clientsFolder({ 'alpha.be.yaml': good }), OVH_IAC_STATE_BUCKET: 'agency-tfstate' });
  expect(run.code).toBe(1);
  expect(run.err).toContain('remote state is configured (OVH_IAC_STATE_BUCKET)');
  expect(run.out).toBe('');
});

test('refuses a state folder holding state it did not write', async () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-state-'));
  fs.writeFileSync(path.join(stateDir, 'alpha.be.tfstate'), '{"version": 4}');
  const run = await verify({ OVH_IAC_CLIENTS_DIR: clientsFolder({ 'alpha.be.yaml': good }), OVH_IAC_LOCAL_STATE_DIR: stateDir });
  expect(run.code).toBe(1);
  expect(run.err).toContain('holds Terraform state that verify did not write');
  expect(fs.readFileSync(path.join(stateDir, 'alpha.be.tfstate'), 'utf8')).toBe('{"version": 4}');
});

test('without terraform, says what to install instead of skipping', async () => {
  const run = await verify({ OVH_IAC_CLIENTS_DIR: clientsFolder({ 'alpha.be.yaml': good }), OVH_IAC_TERRAFORM: '/nonexistent/terraform' });
  expect(run.code).toBe(1);
  expect(run.err).toContain('cannot run "/nonexistent/terraform": verify needs Terraform');
  expect(run.err).toContain('Install it so that `terraform` is on the PATH');
});

test('without the real providers built, says how to build them, before anything runs', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-providers-'));
  const run = await verify({ OVH_IAC_CLIENTS_DIR: clientsFolder({ 'alpha.be.yaml': good }), OVH_IAC_PROVIDERS_DIR: empty });
  expect(run.code).toBe(1);
  expect(run.err).toContain(`the real Terraform providers are not built in ${empty} (ovh/ovh 2.19.0, hashicorp/random 3.7.2 missing)`);
  expect(run.err).toContain('run `npm run providers`');
  expect(run.out).toBe('');
});
