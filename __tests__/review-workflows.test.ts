/**
 * The GitHub workflows and their local actions parse as YAML, and reference only what exists: npm scripts,
 * TypeScript entry points, local actions; every secret and variable they read is documented.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const root = path.resolve(__dirname, '..');
const github = path.join(root, '.github');
const workflowFiles = fs.readdirSync(path.join(github, 'workflows')).map((name) => path.join('workflows', name));
const actionFiles = fs.readdirSync(path.join(github, 'actions')).map((name) => path.join('actions', name, 'action.yml'));
const files = [...workflowFiles, ...actionFiles];
const text = (file: string) => fs.readFileSync(path.join(github, file), 'utf8');
const scripts = Object.keys(JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).scripts);

/** Every value under `key`, at any depth. */
function valuesOf(node: unknown, key: string): unknown[] {
  if (Array.isArray(node)) return node.flatMap((item) => valuesOf(item, key));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => [...(k === key ? [v] : []), ...valuesOf(v, key)]);
}

const runs = (file: string) => valuesOf(parse(text(file)), 'run').map(String);
const matches = (texts: string[], pattern: RegExp) => texts.flatMap((t) => [...t.matchAll(pattern)].map((m) => m[1]));

test('the pull-request and drift workflows and the local actions exist and parse as YAML', () => {
  expect(workflowFiles.sort()).toEqual(['workflows/drift.yml', 'workflows/pull-request.yml']);
  for (const file of files) expect(() => parse(text(file), { uniqueKeys: true })).not.toThrow();
  for (const file of workflowFiles) {
    const workflow = parse(text(file));
    expect(Object.keys(workflow)).toEqual(expect.arrayContaining(['name', 'on', 'permissions', 'jobs']));
    for (const job of Object.values<Record<string, unknown>>(workflow.jobs)) {
      expect(job['runs-on']).toBe('ubuntu-latest');
      expect(Array.isArray(job.steps)).toBe(true);
    }
  }
  for (const file of actionFiles) expect(parse(text(file)).runs.using).toBe('composite');
});

test('every npm script, TypeScript entry point and local action they use exists', () => {
  const allRuns = files.flatMap(runs);
  const used = matches(allRuns, /\bnpm run(?: --?[a-z-]+)* ([a-z][\w:-]*)/g);
  expect(used).toEqual(expect.arrayContaining(['synth', 'validate', 'changes', 'contacts']));
  for (const script of used) expect({ script, exists: scripts.includes(script) }).toEqual({ script, exists: true });
  for (const entry of matches(allRuns, /\btsx (\S+\.ts)\b/g)) expect({ entry, exists: fs.existsSync(path.join(root, entry)) }).toEqual({ entry, exists: true });
  const local = files.flatMap((file) => valuesOf(parse(text(file)), 'uses')).map(String).filter((uses) => uses.startsWith('./'));
  expect(local.length).toBeGreaterThan(0);
  for (const action of local) expect({ action, exists: fs.existsSync(path.join(root, action, 'action.yml')) }).toEqual({ action, exists: true });
});

test('they use the pinned major versions of the public actions', () => {
  const uses = files.flatMap((file) => valuesOf(parse(text(file)), 'uses')).map(String).filter((u) => !u.startsWith('./'));
  const allowed = ['actions/checkout@v4', 'actions/setup-node@v4', 'hashicorp/setup-terraform@v3', 'actions/github-script@v7', 'actions/upload-artifact@v4', 'actions/download-artifact@v4'];
  for (const action of uses) expect(allowed).toContain(action);
});

test('every secret and repository variable they read is documented in the README', () => {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const names = matches(files.map(text), /\b(?:secrets|vars)\.([A-Z0-9_]+)/g);
  expect(names).toEqual(expect.arrayContaining(['OVH_CREDENTIALS', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'OVH_IAC_STATE_BUCKET']));
  for (const name of new Set(names)) expect({ name, documented: readme.includes(`\`${name}\``) }).toEqual({ name, documented: true });
});
