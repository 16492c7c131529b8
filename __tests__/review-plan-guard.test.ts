/**
 * The guard a plan job runs before it plans a pull request's stacks with credentials: whatever the stacks really
 * synthesize must pass it (else every pull request would be refused), and what could run code or destroy at plan time
 * must not.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSyntheticClients } from '../bench/synthetic-clients';
import { guardStack } from '../review/plan-guard';
import { synthesizeStacksHere } from '../review/synthesis';

const root = path.resolve(__dirname, '..');

test('every stack the example and a varied synthetic folder synthesize passes the guard', async () => {
  const synthetic = fs.mkdtempSync(path.join(os.tmpdir(), 'guard-clients-'));
  writeSyntheticClients(synthetic, 30);
  for (const clientsDir of [path.join(root, 'clients'), synthetic]) {
    const tree = await synthesizeStacksHere({ projectDir: root, env: {}, clientsDir });
    const refused = [...tree].flatMap(([stack, json]) => guardStack(stack, json).map((problem) => `${stack}: ${problem}`));
    expect(refused).toEqual([]);
  }
}, 120_000);

test('a removed block passes only when it forgets: a destroying one, or one with a provisioner, is refused', () => {
  const stack = (removed: unknown) => ({ terraform: { backend: { local: { path: 'x.tfstate' } } }, removed }) as never;
  expect(guardStack('s', stack([{ from: 'ovh_domain_zone.zone_ABC', lifecycle: { destroy: false } }]))).toEqual([]);
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
    expect(guardStack('s', stack(removed))).toEqual([expect.stringMatching(/^removed(\[0\])?: /)]);
  }
});

test("the endpoint comes from its variable, whose default is one of OVH's: a stack pointing elsewhere is refused", () => {
  const stack = (endpoint: string, fallback: string) =>
    ({
      terraform: { backend: { local: { path: 'x.tfstate' } } },
      variable: { ovh_endpoint: { type: 'string', default: fallback } },
      provider: { ovh: [{ alias: 'acme', endpoint }] },
    }) as never;
  expect(guardStack('s', stack('${var.ovh_endpoint}', 'ovh-eu'))).toEqual([]);
  expect(guardStack('s', stack('https://collector.example.invalid/1.0', 'ovh-eu'))).toEqual([
    'provider.ovh[0].endpoint: expected ${var.ovh_endpoint}',
  ]);
  expect(guardStack('s', stack('${var.ovh_endpoint}', 'https://collector.example.invalid/1.0'))).toEqual([
    expect.stringMatching(/^variable\.ovh_endpoint: its default must be one of OVH's endpoints/),
  ]);
});
