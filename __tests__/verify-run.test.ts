/** `npm run verify` on a clients folder, with the real providers: what it prints and exits with, and where it writes state. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { verifyCommand } from '../verify/command';
import { runForTest } from './command';
import { clientsFolder } from './support';

/** What verify needs of the machine: the PATH, and the terraform binary and real providers the run found (prerequisites.ts). */
const machine = Object.fromEntries(
  ['PATH', 'HOME', 'OVH_IAC_TERRAFORM', 'OVH_IAC_PROVIDERS_DIR'].flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])),
);

async function verify(env: NodeJS.ProcessEnv, argv: string[] = []) {
  const { code, out, err } = await runForTest(verifyCommand, argv, { env: { ...machine, ...env } });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const good = { id: 'alpha.be', name: 'Alpha', size: 'standard', nichandle: 'al11111-ovh', domains: [{ name: 'alpha.be' }] };
// Valid for the client-file schema, refused by OVH at apply: the instance names an SSH key registered by hand, which
// the project this very apply orders cannot have yet.
const unknownKey = {
  id: 'beta.be',
  name: 'Beta',
  size: 'large',
  nichandle: 'be22222-ovh',
  cloudProject: { description: 'Beta' },
  instances: [{ name: 'web-1', region: 'GRA11', flavor: 'b3-8', image: 'Debian 12', sshKey: 'nobody-registered-it' }],
};

test("one line per stack, then the count; exit 1 with terraform's own error when a stack fails; state where asked", async () => {
  const stateDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'verify-state-')), 'state');
  const run = await verify({
    OVH_IAC_CLIENTS_DIR: clientsFolder({ 'alpha.be.yaml': good, 'beta.be.yaml': unknownKey }),
    OVH_IAC_LOCAL_STATE_DIR: stateDir,
    TF_VAR_ovh_cedricfrancoys_application_key: 'a-real-looking-key-that-must-not-be-used',
  });
  expect(run.code).toBe(1);
  expect(run.out).toMatch(/^ok {3}agency: .*plan clean/m);
  expect(run.out).toMatch(/^ok {3}alpha\.be: \d+ to add, 0 to change, 0 to destroy, applied, plan clean/m);
  expect(run.out).toMatch(/^FAIL beta\.be: terraform apply failed/m);
  expect(run.out.replace(/\s+/g, ' ')).toContain('SSH key nobody-registered-it does not exist in this project');
  expect(run.out.trim().split('\n').pop()).toBe('2 of 3 stacks verified');
  // The states, and beside them the contacts tool's journal and locks of the requests the provisioners made.
  expect(fs.readdirSync(stateDir).sort()).toEqual([
    '.written-by-verify',
    'agency.tfstate',
    'alpha.be.contacts-journal',
    'alpha.be.tfstate',
    'beta.be.contacts-journal',
    'beta.be.tfstate',
    'contacts-locks',
  ]);
  expect(`${run.out}\n${run.err}`).not.toContain('a-real-looking-key');
  // A failed run is kept for a look, and says where.
  const kept = /are in (\S+)$/m.exec(run.err)?.[1];
  expect(kept && fs.existsSync(path.join(kept, 'ovh-world.json'))).toBe(true);
  fs.rmSync(kept!, { recursive: true, force: true });
});
