/**
 * One CI job's share of stacks through real terraform (configurations that need no provider: `terraform_data`):
 * plans are digested without values and their files deleted; Apply's plans are saved sealed, with their checksum and
 * rendering, and applied as they are once their digest is the one shown, with a second approval for destructions;
 * saving and applying refuse local state; a state lock is explained with the command that releases it; no result
 * holds a value of the job's secrets. The state bucket is the S3 stand-in.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { planBatchCommand, stateLockOf, withoutSecrets } from '../ci/plan-batch';
import { plansDigest, readResults, type StackRun } from '../ci/plan-results';
import { stackFolder } from '../core/environment';
import { destructiveFromPlans } from '../ci/plan-digest';
import { runForTest } from './command';
import { keyPair, localStateEnv, recipientsStore, stacksDir, stateBucket, terraform, writeStack, type JobEnv } from './ci-support';

const machine = { PATH: process.env.PATH, HOME: process.env.HOME };
const run = (argv: string[], env: JobEnv) => runForTest(planBatchCommand, argv, { env: { ...machine, ...env } });
/** The same, its output as text. */
const planBatch = async (argv: string[], env: JobEnv) => {
  const { code, out, err } = await run(argv, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
};
const resultsDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'plan-batch-results-'));
const result = (results: string, stack: string): StackRun =>
  JSON.parse(fs.readFileSync(path.join(results, 'stacks', `${stack}.json`), 'utf8'));
const site = (input: string, extra: object = {}) => ({ resource: { terraform_data: { site: { input, ...extra } } } });

test('plans each stack of the share without the lock, digests each plan without values, and reads replacements from the plan JSON', async () => {
  const env = localStateEnv();
  const secret = 'not-in-any-result-4242';
  const dir = stacksDir(env, {
    alpha: site(secret, { lifecycle: { prevent_destroy: true } }),
    beta: { resource: { terraform_data: { note: { input: 'b' } } } },
  });
  const results = resultsDir();
  const planned = await run(['--stacks-dir', dir, '--results', results, '--stacks', 'alpha,beta,gone'], env);
  expect(planned.code).toBe(0);
  expect(result(results, 'alpha')).toMatchObject({
    exitcode: 2,
    digest: { errored: false, changes: [{ address: 'terraform_data.site', action: 'create' }] },
  });
  expect(result(results, 'gone').plan).toContain('stack removed by the change: not planned');
  expect(planned.err).toEqual(
    expect.arrayContaining([expect.stringMatching(/^\[\d\/2\] alpha: plan exit 2 \(init [\d.]+ s, plan [\d.]+ s, show [\d.]+ s\)$/)]),
  );
  expect(planned.out).toEqual([expect.stringMatching(/^2 stack\(s\) in [\d.]+ s \([\d.]+ s per stack\), 0 failed$/)]);

  // Applied once (by hand here), then the change forces a replacement of the protected resource: Terraform's plan
  // errs, says why, and its digest names what would be replaced and the argument that forces it.
  terraform(stackFolder(dir, 'alpha'), ['apply', '-auto-approve', '-input=false'], env);
  writeStack(dir, env, 'alpha', site(secret, { triggers_replace: 'v2', lifecycle: { prevent_destroy: true } }));
  const replaced = await run(['--stacks-dir', dir, '--results', results, '--stacks', 'alpha'], env);
  expect(replaced.code).toBe(1);
  const alpha = result(results, 'alpha');
  expect(alpha.plan).toContain('Instance cannot be destroyed');
  // The job's log says which step failed and why, in terraform's words, and where the whole output is.
  expect(replaced.err).toEqual([
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
  expect(destructiveFromPlans(new Map([['alpha', alpha.digest!]]), new Set(['terraform_data']))).toEqual([
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
  // No value of the plan reaches a result; no plan file is left in a stack's folder.
  for (const stack of ['alpha', 'beta']) expect(JSON.stringify(result(results, stack).digest)).not.toContain(secret);
  expect(fs.readdirSync(stackFolder(dir, 'alpha')).filter((name) => name.endsWith('.tfplan'))).toEqual([]);
});

test('a stack that could run code or read secrets at plan time is refused before terraform runs, with the whole share', async () => {
  const env = localStateEnv();
  const dir = stacksDir(env, {
    fine: { resource: { terraform_data: { a: { input: 'a' } } } },
    sneaky: {
      module: { x: { source: 'git::https://example.invalid/x.git' } },
      output: { leak: { value: '${nonsensitive(var.ovh_x_application_secret)}' } },
      provider: { ovh: [{ alias: 'x', endpoint: 'https://collector.example.invalid/1.0', application_key: 'k' }] },
    },
  });
  fs.writeFileSync(path.join(stackFolder(dir, 'fine'), 'leak.tf.json'), '{}');
  const results = resultsDir();
  const { code, err } = await run(['--stacks-dir', dir, '--results', results, '--stacks', 'fine,sneaky'], env);
  expect(code).toBe(2);
  const file = (stack: string) => path.join(stackFolder(dir, stack), 'cdk.tf.json');
  expect(err).toEqual(
    expect.arrayContaining([
      expect.stringContaining(`fine: ${path.join(stackFolder(dir, 'fine'), 'leak.tf.json')}: not written by the synthesis`),
      expect.stringContaining(`sneaky: ${file('sneaky')}: module: not allowed in a stack`),
      expect.stringContaining(`sneaky: ${file('sneaky')}: output.leak.value: calls nonsensitive()`),
      expect.stringContaining(`sneaky: ${file('sneaky')}: output.leak.value: reads a variable`),
      expect.stringContaining(`sneaky: ${file('sneaky')}: provider.ovh[0].endpoint: expected \${var.ovh_endpoint}`),
      expect.stringContaining(`sneaky: ${file('sneaky')}: provider.ovh[0].application_key: expected \${var.ovh_x_application_key}`),
    ]),
  );
  expect(fs.existsSync(path.join(results, 'stacks', 'fine.json'))).toBe(false);
  expect(fs.existsSync(path.join(stackFolder(dir, 'fine'), '.terraform'))).toBe(false);
});

test('no result holds a value of the secrets in the environment, whatever terraform printed', async () => {
  const secrets = { AWS_ACCESS_KEY_ID: 'AKIA12345678', TF_VAR_x: 's3cr3t-value-99', TF_VAR_y: 'abc' };
  expect(withoutSecrets('key AKIA12345678 and s3cr3t-value-99, short abc', secrets)).toBe('key *** and ***, short abc');
  // A value that reaches a plan's text (here written into the stack itself) is blanked out of the result.
  const env = { ...localStateEnv(), TF_VAR_ovh_a_application_secret: 'leaky-secret-value-42' };
  const dir = stacksDir(env, { alpha: site('leaky-secret-value-42') });
  const results = resultsDir();
  expect((await run(['--stacks-dir', dir, '--results', results, '--stacks', 'alpha'], env)).code).toBe(0);
  expect(result(results, 'alpha').plan).toContain('input  = "***"');
  expect(fs.readFileSync(path.join(results, 'stacks', 'alpha.json'), 'utf8')).not.toContain('leaky-secret-value-42');
});

test('saving or applying plans against local state is refused before anything runs: Apply would order every service again', async () => {
  const env = localStateEnv();
  const dir = stacksDir(env, { alpha: site('a') });
  for (const mode of [
    ['--save', '--recipients-store', 'credentials/apply.json'],
    ['--apply-saved', resultsDir(), '--expect-digest', '0'.repeat(64)],
  ]) {
    const { code, err } = await run(['--stacks-dir', dir, '--results', resultsDir(), '--stacks', 'alpha', ...mode], env);
    expect(code).toBe(2);
    expect(err).toEqual([
      expect.stringContaining('plan-batch: refused: saving or applying plans needs the remote state (OVH_IAC_STATE_BUCKET)'),
    ]);
    expect(fs.existsSync(path.join(stackFolder(dir, 'alpha'), '.terraform'))).toBe(false);
  }
});

describe('Apply: the plan approved is the plan applied', () => {
  let keys: { identity: string; recipient: string };
  let store: string;
  beforeAll(async () => {
    keys = await keyPair();
    store = recipientsStore(keys.recipient);
  });
  const bodies = { alpha: site('hello'), beta: { resource: { terraform_data: { note: { input: 'b' } } } } };

  test('saved sealed with its checksum and rendering; applied as it is, and only with the digest shown; never twice', async () => {
    const { s3, env } = await stateBucket();
    try {
      const planned = resultsDir();
      const save = await planBatch(
        ['--stacks-dir', stacksDir(env, bodies), '--results', planned, '--stacks', 'alpha,beta', '--save', '--recipients-store', store],
        env,
      );
      expect(save.code).toBe(0);
      const alpha = result(planned, 'alpha');
      expect(alpha.saved).toEqual({
        planSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        shownSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        shown: expect.stringContaining('# terraform_data.site will be created'),
      });
      // The saved plan holds every value; the sealed file shows none of them.
      const sealed = fs.readFileSync(path.join(planned, 'plans', 'alpha.tfplan.age'));
      expect(sealed.toString('latin1')).not.toContain('hello');
      expect(save.err).toContain('::group::alpha: the plan saved for approval');
      expect(s3.objects.has('alpha/terraform.tfstate')).toBe(false);

      // The apply job: its own synthesis (a fresh folder), the plans downloaded, the digest the approver was shown.
      const digest = plansDigest(readResults(planned).runs);
      const apply = (extra: string[], jobEnv: JobEnv) =>
        planBatch(
          ['--stacks-dir', stacksDir(env, bodies), '--results', resultsDir(), '--stacks', 'alpha,beta', '--apply-saved', planned, ...extra],
          jobEnv,
        );
      const other = await apply(['--expect-digest', 'f'.repeat(64)], { ...env, OVH_IAC_AGE_IDENTITY: keys.identity });
      expect(other.code).toBe(2);
      expect(other.err).toContain(`are not the ones shown for approval (digest ${'f'.repeat(64)})`);
      const noIdentity = await apply(['--expect-digest', digest], env);
      expect(noIdentity.code).toBe(2);
      expect(noIdentity.err).toContain('OVH_IAC_AGE_IDENTITY is not set');
      expect(s3.objects.has('alpha/terraform.tfstate')).toBe(false);

      const applied = resultsDir();
      const done = await planBatch(
        [
          '--stacks-dir',
          stacksDir(env, bodies),
          '--results',
          applied,
          '--stacks',
          'alpha,beta',
          '--apply-saved',
          planned,
          '--expect-digest',
          digest,
        ],
        { ...env, OVH_IAC_AGE_IDENTITY: keys.identity },
      );
      expect(done.code).toBe(0);
      expect(result(applied, 'alpha').apply).toEqual({
        exitcode: 0,
        output: expect.stringContaining('Apply complete! Resources: 1 added'),
      });
      expect(JSON.parse(s3.objects.get('alpha/terraform.tfstate')!.body).resources[0].instances[0].attributes.input).toEqual({
        value: 'hello',
        type: 'string',
      });
      // The lock object is gone once the apply ended; a re-run of the same plans is refused by Terraform: stale.
      expect([...s3.objects.keys()].filter((key) => key.endsWith('.tflock'))).toEqual([]);
      const again = await apply(['--expect-digest', digest], { ...env, OVH_IAC_AGE_IDENTITY: keys.identity });
      expect(again.code).toBe(1);
      expect(again.err).toMatch(/alpha: apply failed \(exit 1\): Saved plan is stale/);
    } finally {
      await s3.close();
    }
  });

  test('a plan other than the one recorded is not applied; one that destroys needs the second approval', async () => {
    const { s3, env } = await stateBucket();
    const withIdentity = { ...env, OVH_IAC_AGE_IDENTITY: keys.identity };
    const save = async (stacks: Record<string, object>) => {
      const planned = resultsDir();
      const saved = await planBatch(
        [
          '--stacks-dir',
          stacksDir(env, stacks),
          '--results',
          planned,
          '--stacks',
          Object.keys(stacks).join(','),
          '--save',
          '--recipients-store',
          store,
        ],
        env,
      );
      expect(saved.code).toBe(0);
      return planned;
    };
    const apply = async (stacks: Record<string, object>, planned: string, extra: string[] = []) => {
      const applied = resultsDir();
      const args = ['--stacks-dir', stacksDir(env, stacks), '--results', applied, '--stacks', Object.keys(stacks).join(',')];
      const digest = plansDigest(readResults(planned).runs);
      return { ...(await planBatch([...args, '--apply-saved', planned, '--expect-digest', digest, ...extra], withIdentity)), applied };
    };
    try {
      // Beta's sealed plan put in alpha's place: its checksum is not the one alpha's plan job recorded.
      const swapped = await save(bodies);
      fs.copyFileSync(path.join(swapped, 'plans', 'beta.tfplan.age'), path.join(swapped, 'plans', 'alpha.tfplan.age'));
      const refused = await apply(bodies, swapped);
      expect(refused.code).toBe(1);
      expect(result(refused.applied, 'alpha').apply).toEqual({
        exitcode: 1,
        output: 'not applied: its saved plan is not the one its plan job recorded (checksum)',
      });
      expect(s3.objects.has('alpha/terraform.tfstate')).toBe(false);

      // Alpha applied, then a change removes its resource: a destruction, held back until its own approval.
      expect((await apply(bodies, await save(bodies))).code).toBe(0);
      const emptied = { alpha: { resource: { terraform_data: { other: { input: 'x' } } } } };
      const destroying = await save(emptied);
      const held = await apply(emptied, destroying);
      expect(held.code).toBe(3);
      expect(result(held.applied, 'alpha').apply).toEqual({
        exitcode: 3,
        output: expect.stringContaining('not applied: it destroys or replaces terraform_data.site, and that needs its own approval'),
      });
      const state = () => JSON.parse(s3.objects.get('alpha/terraform.tfstate')!.body).resources.map((r: { name: string }) => r.name);
      expect(state()).toEqual(['site']);
      const approved = await apply(emptied, destroying, ['--destroys-approved']);
      expect(approved.code).toBe(0);
      expect(state()).toEqual(['other']);
    } finally {
      await s3.close();
    }
  });

  test('a state lock that cannot be taken is explained in the run summary, with the command that releases a stale one', async () => {
    const { s3, env } = await stateBucket();
    try {
      const lock = {
        ID: '3f2c9a1e-7b44-4c1d-9e0f-5a6b7c8d9e0f',
        Operation: 'OperationTypeApply',
        Info: '',
        Who: 'runner@fv-az123-*x*',
        Version: '1.11.4',
        Created: '2026-01-02T03:04:05Z',
        Path: 'agency-tfstate/alpha/terraform.tfstate',
      };
      s3.objects.set('alpha/terraform.tfstate.tflock', { body: JSON.stringify(lock), modified: new Date() });
      const summary = path.join(resultsDir(), 'summary.md');
      const results = resultsDir();
      const planned = await planBatch(
        [
          '--stacks-dir',
          stacksDir(env, bodies),
          '--results',
          results,
          '--stacks',
          'alpha,beta',
          '--save',
          '--recipients-store',
          store,
          '--lock-timeout',
          '0',
          '--summary',
          summary,
        ],
        env,
      );
      expect(planned.code).toBe(1);
      expect(planned.err).toMatch(/alpha: plan failed \(exit 1\): Error acquiring the state lock; .*, state locked/);
      expect(result(results, 'alpha').lock).toEqual({
        id: lock.ID,
        path: lock.Path,
        operation: lock.Operation,
        who: lock.Who,
        created: '2026-01-02 03:04:05 +0000 UTC',
      });
      expect(result(results, 'beta').exitcode).toBe(2);
      const note = fs.readFileSync(summary, 'utf8');
      expect(note).toContain('### The state of `alpha` is locked');
      expect(note).toContain('Locked by runner@fv-az123-\\*x\\* for OperationTypeApply since 2026-01-02 03\\:04\\:05 +0000 UTC');
      expect(note).toContain(`cd cdktf.out/stacks/alpha\nterraform init\nterraform force-unlock -force ${lock.ID}\n`);
    } finally {
      await s3.close();
    }
  });
});

test("Terraform's lock message is read as Terraform writes it, and nothing else is taken for one", () => {
  const message = `Error: Error acquiring the state lock\n\nError message: operation error S3: PutObject\nLock Info:\n  ID:        abcd-1234\n  Path:      b/a/terraform.tfstate\n  Operation: OperationTypeApply\n  Who:       runner@host\n  Version:   1.11.4\n  Created:   2026-01-02 03:04:05 +0000 UTC\n  Info:      \n`;
  expect(stateLockOf(message)).toEqual({
    id: 'abcd-1234',
    path: 'b/a/terraform.tfstate',
    operation: 'OperationTypeApply',
    who: 'runner@host',
    created: '2026-01-02 03:04:05 +0000 UTC',
  });
  expect(stateLockOf('Error: Invalid resource type\n  ID: x')).toBeUndefined();
});
