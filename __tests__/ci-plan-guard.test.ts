/**
 * The guard a plan job runs before Terraform runs with credentials: whatever the stacks really synthesize must pass it
 * (else every plan would be refused), and what could run code, read secrets or send the state elsewhere must not:
 * anything in a stack's folder but its cdk.tf.json, a backend other than the agency's to the key.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSyntheticClients } from '../bench/synthetic-clients';
import { settingsFrom, stackFolder } from '../core/environment';
import { guardStack, guardStackFolder, STACK_FILE } from '../ci/plan-guard';
import { synthesizeStacksHere } from '../review/synthesis';
import { backendBlock } from '../stacks/backend-block';

const root = path.resolve(__dirname, '..');
const remote = {
  OVH_IAC_STATE_BUCKET: 'agency-tfstate',
  OVH_IAC_STATE_ENDPOINT: 'https://s3.sbg.io.cloud.ovh.net',
  OVH_IAC_STATE_REGION: 'sbg',
};

test('every stack the example and a varied synthetic folder synthesize passes the guard, with local and with remote state', async () => {
  const synthetic = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-clients-'));
  writeSyntheticClients(synthetic, 30);
  for (const env of [{}, remote]) {
    const { state } = settingsFrom(env, root);
    for (const clientsDir of [path.join(root, 'clients'), synthetic]) {
      const tree = await synthesizeStacksHere({ projectDir: root, env, clientsDir });
      // The review synthesizes beside cdktf.out, at the same depth: a stack's relative paths are those of cdktf.out.
      const refused = [...tree].flatMap(([stack, json]) =>
        guardStack(json, { backend: backendBlock(state, stack, stackFolder(path.join(root, 'cdktf.out'), stack)) }).map(
          (problem) => `${stack}: ${problem}`,
        ),
      );
      expect(refused).toEqual([]);
    }
  }
});

const localState = settingsFrom({ OVH_IAC_LOCAL_STATE_DIR: '/state' }, root).state;
const s3State = settingsFrom(remote, root).state;

test('a removed block passes only when it forgets: a destroying one, or one with a provisioner, is refused', () => {
  const backend = backendBlock(localState, 's', '/out/stacks/s');
  const stack = (removed: unknown) => ({ terraform: { backend }, removed }) as never;
  expect(guardStack(stack([{ from: 'ovh_domain_zone.zone_ABC', lifecycle: { destroy: false } }]), { backend })).toEqual([]);
  for (const removed of [
    [{ from: 'ovh_domain_zone.zone_ABC', lifecycle: { destroy: true } }],
    [{ from: 'ovh_domain_zone.zone_ABC' }],
    [
      {
        from: 'terraform_data.x',
        lifecycle: { destroy: false },
        provisioner: [{ 'local-exec': { command: 'curl example.invalid', when: 'destroy' } }],
      },
    ],
    { from: 'terraform_data.x', lifecycle: { destroy: false } },
  ]) {
    expect(guardStack(stack(removed), { backend })).toEqual([expect.stringMatching(/^removed(\[0\])?: /)]);
  }
});

test("the endpoint comes from its variable, whose default is one of OVH's: a stack pointing elsewhere is refused", () => {
  const backend = backendBlock(localState, 's', '/out/stacks/s');
  const stack = (endpoint: string, fallback: string) =>
    ({
      terraform: { backend },
      variable: { ovh_endpoint: { type: 'string', default: fallback } },
      provider: { ovh: [{ alias: 'acme', endpoint }] },
    }) as never;
  expect(guardStack(stack('${var.ovh_endpoint}', 'ovh-eu'), { backend })).toEqual([]);
  expect(guardStack(stack('https://collector.example.invalid/1.0', 'ovh-eu'), { backend })).toEqual([
    'provider.ovh[0].endpoint: expected ${var.ovh_endpoint}',
  ]);
  expect(guardStack(stack('${var.ovh_endpoint}', 'https://collector.example.invalid/1.0'), { backend })).toEqual([
    expect.stringMatching(/^variable\.ovh_endpoint: its default must be one of OVH's endpoints/),
  ]);
});

test("the backend must be the agency's to the key: another endpoint, region, bucket, key or any added setting is refused", () => {
  const backend = backendBlock(s3State, 'client-a', '/out/stacks/client-a');
  const expected = JSON.parse(JSON.stringify(backend));
  const withBackend = (change: (s3: Record<string, unknown>) => void) => {
    const copy = JSON.parse(JSON.stringify(expected));
    change(copy.s3);
    return guardStack({ terraform: { backend: copy } }, { backend });
  };
  expect(withBackend(() => {})).toEqual([]);
  expect(withBackend((s3) => (s3.endpoints = { s3: 'https://collector.example.invalid' }))).toEqual([
    'terraform.backend.s3.endpoints.s3: expected "https://s3.sbg.io.cloud.ovh.net"',
  ]);
  expect(withBackend((s3) => (s3.region = 'gra'))).toEqual(['terraform.backend.s3.region: expected "sbg"']);
  expect(withBackend((s3) => (s3.key = 'client-b/terraform.tfstate'))).toEqual([
    'terraform.backend.s3.key: expected "client-a/terraform.tfstate"',
  ]);
  expect(withBackend((s3) => (s3.bucket = 'elsewhere'))).toEqual(['terraform.backend.s3.bucket: expected "agency-tfstate"']);
  expect(withBackend((s3) => (s3.use_lockfile = false))).toEqual(['terraform.backend.s3.use_lockfile: expected true']);
  for (const added of ['access_key', 'shared_credentials_files', 'assume_role']) {
    expect(withBackend((s3) => (s3[added] = 'x'))).toEqual([
      `terraform.backend.s3.${added}: not allowed (the agency's backend has no such setting)`,
    ]);
  }
  expect(withBackend((s3) => ((s3.endpoints as Record<string, string>).sts = 'https://sts.example.invalid'))).toEqual([
    "terraform.backend.s3.endpoints.sts: not allowed (the agency's backend has no such setting)",
  ]);
  // A local backend where the agency configured remote state, and a local state file elsewhere.
  expect(guardStack({ terraform: { backend: { local: { path: 'x.tfstate' } } } }, { backend })).toEqual([
    'terraform.backend.s3: expected {"bucket":"agency-tfstate","key":"client-a/terraform.tfstate","region":"sbg","endpoints":{"s3":"https://s3.sbg.io.cloud.ovh.net"},"skip_credentials_validation":true,"skip_region_validation":true,"skip_requesting_account_id":true,"skip_s3_checksum":true,"use_lockfile":true,"use_path_style":true}',
    "terraform.backend.local: not allowed (the agency's backend has no such setting)",
  ]);
  const local = backendBlock(localState, 'client-a', '/out/stacks/client-a') as { local: { path: string } };
  expect(guardStack({ terraform: { backend: { local: { path: '../../../../etc/client-a.tfstate' } } } }, { backend: local })).toEqual([
    `terraform.backend.local.path: expected ${JSON.stringify(local.local.path)}`,
  ]);
});

describe("a stack's folder holds its cdk.tf.json and nothing else", () => {
  const backend = (stacksDir: string, stack: string) => backendBlock(localState, stack, stackFolder(stacksDir, stack));
  /** A fresh output folder with one valid stack `s`, and where to put more. */
  function outdir(): { stacksDir: string; dir: string } {
    const stacksDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-folder-'));
    const dir = stackFolder(stacksDir, 's');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, STACK_FILE), JSON.stringify({ terraform: { backend: backend(stacksDir, 's') } }));
    return { stacksDir, dir };
  }
  const guard = (stacksDir: string) => guardStackFolder(stacksDir, 's', { backend: backend(stacksDir, 's') });

  test('the folder as the synthesis writes it passes; a stack with no folder is a removed stack', () => {
    const { stacksDir } = outdir();
    expect(guard(stacksDir)).toEqual({ json: expect.any(Object), problems: [] });
    expect(guardStackFolder(stacksDir, 'gone', { backend: backend(stacksDir, 'gone') })).toBeUndefined();
  });

  test.each([
    ['extra.tf.json', '{"output": {"leak": {"value": "${nonsensitive(var.ovh_a_application_secret)}"}}}'],
    ['main.tf', 'output "leak" { value = nonsensitive(var.ovh_a_application_secret) }'],
    ['cdk.tf.json.override.tf.json', '{}'],
    ['override.tf', ''],
    ['terraform.tfvars', 'x = 1'],
    ['leak.auto.tfvars.json', '{}'],
    ['.terraform.lock.hcl', ''],
    ['.terraformrc', ''],
  ])('another file (%s) refuses the stack, named', (name, content) => {
    const { stacksDir, dir } = outdir();
    fs.writeFileSync(path.join(dir, name), content);
    expect(guard(stacksDir)?.problems).toEqual([
      `${path.join(dir, name)}: not written by the synthesis, and Terraform would read it: only cdk.tf.json may be in a stack's folder`,
    ]);
  });

  test('a folder inside (a seeded .terraform/), a linked cdk.tf.json, a linked folder, a huge or broken file: refused', () => {
    let { stacksDir, dir } = outdir();
    fs.mkdirSync(path.join(dir, '.terraform', 'providers'), { recursive: true });
    expect(guard(stacksDir)?.problems).toEqual([expect.stringContaining(`${path.join(dir, '.terraform')}: not written by the synthesis`)]);

    ({ stacksDir, dir } = outdir());
    fs.renameSync(path.join(dir, STACK_FILE), path.join(stacksDir, 'real.json'));
    fs.symlinkSync(path.join(stacksDir, 'real.json'), path.join(dir, STACK_FILE));
    expect(guard(stacksDir)?.problems).toEqual([`${path.join(dir, STACK_FILE)}: not a regular file (a symbolic link may point anywhere)`]);

    ({ stacksDir, dir } = outdir());
    fs.renameSync(dir, path.join(stacksDir, 'elsewhere'));
    fs.symlinkSync(path.join(stacksDir, 'elsewhere'), dir);
    expect(guard(stacksDir)?.problems).toEqual([`${dir}: not a folder of its own (a symbolic link or a file)`]);

    ({ stacksDir, dir } = outdir());
    fs.writeFileSync(path.join(dir, STACK_FILE), '{"terraform": ');
    expect(guard(stacksDir)?.problems).toEqual([`${path.join(dir, STACK_FILE)}: not valid JSON`]);

    ({ stacksDir, dir } = outdir());
    fs.truncateSync(path.join(dir, STACK_FILE), 33 * 1024 * 1024);
    expect(guard(stacksDir)?.problems).toEqual([expect.stringMatching(/cdk\.tf\.json: \d+ bytes, more than a stack can be/)]);

    expect(guardStackFolder(stacksDir, '../s', { backend: backend(stacksDir, 's') })?.problems).toEqual(['"../s" is not a stack name']);
  });
});
