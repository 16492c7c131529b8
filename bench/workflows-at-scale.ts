/**
 * `npm run bench:workflows [-- --clients 1000]`: a synthetic repository of N clients (the bench's generator) through
 * the workflows' own scripts, checked against GitHub's documented limits (ci/github-limits.ts), with figures.
 * Timings are this machine's; the README turns them into runner minutes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as z from 'zod';
import { writeSyntheticClients } from './synthetic-clients';
import { DEFAULT_MAX_JOBS, splitIntoBatches } from '../ci/batches';
import { planBatchCommand } from '../ci/plan-batch';
import { commandLine, runCommand, type Command, type Io } from '../cli/command-line';
import { settingsFrom, stackFolder } from '../core/environment';
import { compareTrees } from '../review/changes';
import { driftReport } from '../ci/drift-report';
import { capText, GITHUB_LIMITS } from '../ci/github-limits';
import { accountsOf, guardStack } from '../ci/plan-guard';
import { synthesizeStacks } from '../review/synthesis';
import { backendBlock } from '../stacks/backend-block';

const root = path.resolve(__dirname, '..');

const Args = z.object({
  clients: z.coerce.number().int().min(1).default(1000),
  'terraform-stacks': z.coerce.number().int().min(0).default(20),
});

export const workflowsAtScaleCommand: Command<z.output<typeof Args>> = {
  name: 'bench:workflows',
  usage: `Usage: npm run bench:workflows [-- --clients N] [--terraform-stacks N]`,
  exitCodes: { 0: "every figure is within GitHub's limits", 1: 'a figure passes a limit' },
  parse: commandLine(
    {
      options: {
        clients: { type: 'string', value: 'N', help: 'synthetic clients in the repository (default 1000)' },
        'terraform-stacks': {
          type: 'string',
          value: 'N',
          help: "provider-free stacks planned through plan-batch, for Terraform's own cost (default 20)",
        },
      },
    },
    Args,
  ),
  run: (args, { io }) => measure(args, io),
};

async function measure(values: z.output<typeof Args>, io: Io): Promise<number> {
  const timed = async <T>(what: string, run: () => Promise<T> | T): Promise<T> => {
    const start = process.hrtime.bigint();
    const result = await run();
    io.out(`${what}: ${(Number(process.hrtime.bigint() - start) / 1e9).toFixed(2)} s`);
    return result;
  };
  const count = values.clients;
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'workflows-at-scale-'));
  const checks: [string, number, number][] = [];
  const check = (what: string, value: number, limit: number) => checks.push([what, value, limit]);
  try {
    const clientsDir = path.join(work, 'clients');
    const remoteState = { OVH_IAC_STATE_BUCKET: 'agency-tfstate' };
    const { state } = settingsFrom(remoteState, root);
    writeSyntheticClients(clientsDir, count);
    const tree = await timed(`synthesis of ${count} clients (npm run synth)`, () =>
      synthesizeStacks({ projectDir: root, env: { OVH_IAC_CLIENTS_DIR: clientsDir, ...remoteState } }),
    );
    const stacks = [...tree.keys()];

    const refused = await timed(`guard of ${stacks.length} stacks`, () =>
      stacks.flatMap((stack) => guardStack(tree.get(stack)!, { backend: backendBlock(state, stack, '') })),
    );
    check('stacks refused by the guard', refused.length, 0);

    const { batches } = splitIntoBatches(stacks, DEFAULT_MAX_JOBS);
    check('plan jobs in one matrix (default N)', batches.length, GITHUB_LIMITS.matrixJobs);
    check('plan jobs in one matrix (N = 256)', splitIntoBatches(stacks, 256).batches.length, GITHUB_LIMITS.matrixJobs);
    const matrixOutput = JSON.stringify(batches.map((_, k) => k + 1));
    check('bytes of the matrix job output', Buffer.byteLength(matrixOutput), GITHUB_LIMITS.jobOutputBytes);
    const accounts = new Set(stacks.flatMap((stack) => accountsOf(tree.get(stack)!)));
    io.out(
      `${accounts.size} OVH accounts in the credential store; each job decrypts at most ${Math.max(...batches.map((b) => new Set(b.flatMap((s) => accountsOf(tree.get(s)!))).size))}`,
    );
    // The one secret: an age identity (AGE-SECRET-KEY-1 and 58 characters), whatever the number of accounts.
    check('bytes of the one secret (an age identity)', 'AGE-SECRET-KEY-1'.length + 58, GITHUB_LIMITS.secretBytes);
    check(
      'bytes the old one-JSON secret would take (3 tokens of ~32 characters per account)',
      accounts.size * 3 * 90,
      GITHUB_LIMITS.secretBytes,
    );

    // A change of agency.yaml or of the code touches every stack: the longest summary there is.
    const report = await timed('change summary of every stack (all new)', () =>
      compareTrees(new Map(), tree, { ref: 'main', clientsPath: 'clients' }),
    );
    io.out(
      `change summary: ${report.markdown.length} characters, ${Buffer.byteLength(report.markdown)} bytes, whole in the artifact "review"`,
    );
    const comment = capText(report.markdown, { max: GITHUB_LIMITS.commentChars, unit: 'chars', whole: 'artifact' });
    const summary = capText(report.markdown, { max: GITHUB_LIMITS.stepSummaryBytes, unit: 'bytes', whole: 'artifact' });
    check('characters of the pull request comment', comment.length, GITHUB_LIMITS.commentChars);
    check('bytes of the step summary', Buffer.byteLength(summary), GITHUB_LIMITS.stepSummaryBytes);

    // Every stack drifted, each with the longest plan excerpt the report keeps.
    const plan = `${Array.from({ length: 40 }, (_, i) => `  # ovh_domain_zone_record.record_${i} will be updated in-place`).join('\n')}\nPlan: 0 to add, 40 to change, 0 to destroy.`;
    const drift = driftReport({
      stacks,
      results: stacks.map((stack) => ({ stack, exitcode: 2, plan })),
      contacts: { exitcode: 0, output: '{"services": []}' },
    });
    io.out(`drift report, every stack drifted: ${drift.markdown.length} characters, whole in the artifact "drift-report"`);
    check(
      'characters of the drift issue',
      capText(drift.markdown, { max: GITHUB_LIMITS.commentChars, unit: 'chars', whole: 'artifact' }).length,
      GITHUB_LIMITS.commentChars,
    );
    check(
      'bytes of the drift step summary',
      Buffer.byteLength(capText(drift.markdown, { max: GITHUB_LIMITS.stepSummaryBytes, unit: 'bytes', whole: 'artifact' })),
      GITHUB_LIMITS.stepSummaryBytes,
    );

    // Terraform's own cost per stack, through plan-batch with one plugin cache: init and plan of stacks that need no
    // provider (the ovh provider cannot be installed here), sized like a client's stack in resources.
    const n = values['terraform-stacks'];
    const tfDir = path.join(work, 'tf');
    const local = { OVH_IAC_LOCAL_STATE_DIR: path.join(work, 'state') };
    for (let i = 0; i < n; i++) {
      const resources = Object.fromEntries(Array.from({ length: 25 }, (_, r) => [`r${r}`, { input: `client ${i} resource ${r}` }]));
      const stackDir = stackFolder(tfDir, `s${i}`);
      fs.mkdirSync(stackDir, { recursive: true });
      fs.writeFileSync(
        path.join(stackDir, 'cdk.tf.json'),
        JSON.stringify({
          terraform: { backend: backendBlock(settingsFrom(local, root).state, `s${i}`, stackDir) },
          resource: { terraform_data: resources },
        }),
      );
    }
    const lines: string[] = [];
    await timed(`plan-batch of ${n} provider-free stacks (25 resources each)`, () =>
      runCommand(
        planBatchCommand,
        [
          '--stacks-dir',
          tfDir,
          '--results',
          path.join(work, 'results'),
          '--stacks',
          Array.from({ length: n }, (_, i) => `s${i}`).join(','),
        ],
        {
          env: { PATH: process.env.PATH, HOME: process.env.HOME, ...local },
          projectRoot: root,
          io: { out: (line) => lines.push(line), err: () => {} },
        },
      ),
    );
    io.out(`plan-batch: ${lines.join(' ')}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  io.out('\n| check | measured | GitHub limit | within |\n|---|---:|---:|---|');
  for (const [what, value, limit] of checks) io.out(`| ${what} | ${value} | ${limit} | ${value <= limit ? 'yes' : 'NO'} |`);
  const over = checks.filter(([what, value, limit]) => value > limit && !what.includes('old one-JSON'));
  return over.length === 0 ? 0 : 1;
}
