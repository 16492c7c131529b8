/**
 * Fixtures of the CI commands' tests: stack folders as the synthesis writes them (provider-free `terraform_data`
 * stacks, so that real terraform plans them offline), the S3 stand-in as the state bucket, and age keys.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import { settingsFrom, stackFolder } from '../core/environment';
import { S3Standin } from '../standins/s3/server';
import { backendBlock } from '../stacks/backend-block';

export const root = path.resolve(__dirname, '..');

/** The environment of a job: the project's variables, and nothing of the machine's but PATH and HOME. */
export type JobEnv = Record<string, string>;

export const localStateEnv = (): JobEnv => ({ OVH_IAC_LOCAL_STATE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'ci-state-')) });

/** A cdktf.out-like folder: each stack its `cdk.tf.json` (the agency's backend for `env`, and `body`), nothing else. */
export function stacksDir(env: JobEnv, stacks: Record<string, object>): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'ci-stacks-'));
  for (const [stack, body] of Object.entries(stacks)) writeStack(outdir, env, stack, body);
  return outdir;
}

/** The stack's folder written afresh, as a new synthesis would (Terraform's own files gone). */
export function writeStack(outdir: string, env: JobEnv, stack: string, body: object): void {
  const dir = stackFolder(outdir, stack);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const backend = backendBlock(settingsFrom(env, root).state, stack, dir);
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify({ terraform: { backend }, ...body }));
}

/** A state bucket: the S3 stand-in, and the variables a job has to reach it. */
export async function stateBucket(): Promise<{ s3: S3Standin; env: JobEnv }> {
  const s3 = await S3Standin.start('agency-tfstate', 'AKIASTATEKEY0001');
  const env = {
    OVH_IAC_STATE_BUCKET: s3.bucket,
    OVH_IAC_STATE_ENDPOINT: s3.endpoint,
    OVH_IAC_STATE_REGION: 'gra',
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: 'state-secret-key-never-shown-0001',
  };
  return { s3, env };
}

/** An age identity and its recipient, made by the same library. */
export async function keyPair(): Promise<{ identity: string; recipient: string }> {
  const identity = await generateIdentity();
  return { identity, recipient: await identityToRecipient(identity) };
}

/** A credential store with no account: only its recipients matter to a saved plan. */
export function recipientsStore(...recipients: string[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ci-store-')), 'apply.json');
  fs.writeFileSync(file, JSON.stringify({ format: 'ovh-iac-credentials/1', recipients, accounts: {} }));
  return file;
}

/** Terraform run directly, for a test's own setup (a state to start from). */
export function terraform(dir: string, args: string[], env: JobEnv): void {
  const result = spawnSync('terraform', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  if (result.status !== 0) throw new Error(`terraform ${args[0]} failed: ${result.stdout}${result.stderr}`);
}

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 't',
  GIT_AUTHOR_EMAIL: 't@example.invalid',
  GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@example.invalid',
};

/** git in `repo`, as a committer of the tests. */
export function git(repo: string, ...args: string[]): string {
  const result = spawnSync('git', args, { cwd: repo, encoding: 'utf8', env: gitEnv });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
}

/** A repository like the project's: its example client files and a file of code, on main; `pr` branched from it. */
export function repository(): { repo: string; commit: (message: string) => string; write: (file: string, text: string) => void } {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'pr-scope-repo-'));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), text);
  };
  for (const name of fs.readdirSync(path.join(root, 'clients')))
    write(`clients/${name}`, fs.readFileSync(path.join(root, 'clients', name), 'utf8'));
  write('review/validate-command.ts', 'export const trusted = true;\n');
  git(repo, 'init', '-q', '-b', 'main');
  const commit = (message: string) => {
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', message);
    return git(repo, 'rev-parse', 'HEAD');
  };
  commit('base');
  return { repo, commit, write };
}
