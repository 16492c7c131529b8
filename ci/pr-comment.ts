/**
 * `npm run pr-comment -- --changes changes.json --stacks-dir cdktf.out --head-sha SHA [--plans DIR] [--run-url URL]`:
 * the one comment a pull request gets (found again by its hidden marker), as JSON on standard output:
 * `{"marker", "body", "state", "description"}`. Without --plans: the change summary, plans waiting for approval.
 * With --plans (the plan jobs' results): each affected stack's plan line, and what Terraform's plans would destroy
 * or replace (review/plan-digest.ts), which decides the state: `success`, or `failure` on a failed plan or a
 * destroyed or replaced service the client files do not mark for decommissioning. Always names the commit.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';
import type { StackRun } from './plan-results';
import { capText, GITHUB_LIMITS } from '../review/github-limits';
import { destructiveFromPlans, protectedTypes, type PlanDigest } from '../review/plan-digest';
import { readStackTree } from '../review/stack-tree';

export const COMMENT_MARKER = '<!-- ovh-iac-changes -->';

const Destruction = z.object({ stack: z.string(), address: z.string() });
/** What is read of `npm run changes -- --json`. */
const Changes = z.object({
  affected: z.array(z.string()),
  destructive: z.boolean(),
  intended: z.array(Destruction).default([]),
  markdown: z.string(),
});

interface Comment {
  marker: string;
  body: string;
  state: 'pending' | 'success' | 'failure';
  description: string;
}

function planResults(dir: string): StackRun[] {
  const stacksDir = path.join(dir, 'stacks');
  if (!fs.existsSync(stacksDir)) return [];
  return fs
    .readdirSync(stacksDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(fs.readFileSync(path.join(stacksDir, name), 'utf8')) as StackRun);
}

export function prComment(options: { changes: string; stacksDir: string; headSha: string; plans?: string; runUrl?: string }): Comment {
  const changes = Changes.parse(JSON.parse(fs.readFileSync(options.changes, 'utf8')));
  const whole = options.runUrl
    ? `the whole text is in the artifacts of [this run](${options.runUrl})`
    : "the whole text is in the run's artifacts";
  const header = [
    COMMENT_MARKER,
    `_For commit \`${options.headSha.slice(0, 12)}\`${options.runUrl ? ` · [run](${options.runUrl})` : ''}._`,
    '',
  ];
  if (!options.plans) {
    const waiting =
      changes.affected.length > 0
        ? [`_Plans of the ${changes.affected.length} affected stack(s) wait for a reviewer's approval (environment \`plan\`)._`, '']
        : [];
    const body = capText([...header, ...waiting, changes.markdown].join('\n'), { max: GITHUB_LIMITS.commentChars, unit: 'chars', whole });
    return { marker: COMMENT_MARKER, body, state: 'pending', description: `${changes.affected.length} stack(s) to plan` };
  }
  const runs = planResults(options.plans);
  const byStack = new Map(runs.map((run) => [run.stack, run]));
  const missing = changes.affected.filter((stack) => !byStack.has(stack));
  const failed = runs.filter((run) => run.exitcode !== 0 && run.exitcode !== 2);
  const digests = new Map(runs.filter((run) => run.digest).map((run) => [run.stack, run.digest as PlanDigest]));
  const destructive = destructiveFromPlans(digests, protectedTypes(readStackTree(options.stacksDir)), changes.intended);
  const planLine = (run: StackRun) =>
    run.plan
      .split('\n')
      .find((line) => /^(Plan: |No changes\.|stack removed)/.test(line))
      ?.trim() ?? (run.exitcode === 1 ? 'failed: see below' : '');
  const lines = ['### Terraform plans', ''];
  if (destructive.length > 0) {
    lines.push('> [!CAUTION]', `> **Terraform would destroy or replace ${destructive.length} protected resource(s):**`, '>');
    lines.push(
      ...destructive.map(
        (d) =>
          `> - **${d.effect === 'replaced' ? 'REPLACED' : 'DESTROYED'}** \`${d.address}\` (stack \`${d.stack}\`)${d.forcedBy.length ? `: forced by ${d.forcedBy.map((f) => `\`${f.argument}\``).join(', ')}` : ''}`,
      ),
      '',
    );
  }
  lines.push(
    '| stack | plan |',
    '|---|---|',
    ...changes.affected.map(
      (stack) => `| \`${stack}\` | ${byStack.has(stack) ? planLine(byStack.get(stack)!) : 'no result: its job did not finish'} |`,
    ),
    '',
  );
  for (const run of failed)
    lines.push(
      `<details><summary><code>${run.stack}</code>: plan failed</summary>`,
      '',
      '```',
      run.plan.trim(),
      '```',
      '',
      '</details>',
      '',
    );
  const state = destructive.length > 0 || failed.length > 0 || missing.length > 0 ? 'failure' : 'success';
  const description =
    state === 'success'
      ? `${runs.length} stack(s) planned, nothing protected destroyed`
      : `${destructive.length} destroyed or replaced, ${failed.length + missing.length} plan(s) failed or missing`;
  const body = capText([...header, ...lines, changes.markdown].join('\n'), { max: GITHUB_LIMITS.commentChars, unit: 'chars', whole });
  return { marker: COMMENT_MARKER, body, state, description };
}

const Args = z.object({
  changes: z.string({ error: 'is required: the JSON of npm run changes -- --json' }).min(1),
  'stacks-dir': z.string({ error: 'is required: the synthesized stacks (cdktf.out)' }).min(1),
  'head-sha': z.string({ error: 'is required: the commit the comment is for' }).min(1),
  plans: z.string().min(1).optional(),
  'run-url': z.url().optional(),
});

export const prCommentCommand: Command<z.output<typeof Args>> = {
  name: 'pr-comment',
  usage: `Usage: npm run pr-comment -- --changes FILE --stacks-dir DIR --head-sha SHA [--plans DIR] [--run-url URL]

  --changes FILE     the JSON of npm run changes -- --json
  --stacks-dir DIR   the synthesized stacks (cdktf.out)
  --head-sha SHA     the commit the comment is for
  --plans DIR        the plan jobs' results (DIR/stacks/<stack>.json); without it, the plans wait for approval
  --run-url URL      a link to the run, shown in the comment

Prints {"marker", "body", "state", "description"} on standard output.`,
  exitCodes: { 0: 'the comment is printed' },
  parse: commandLine(
    {
      options: {
        changes: { type: 'string' },
        'stacks-dir': { type: 'string' },
        'head-sha': { type: 'string' },
        plans: { type: 'string' },
        'run-url': { type: 'string' },
      },
    },
    Args,
  ),
  run: printComment,
};

function printComment(args: z.output<typeof Args>, { io }: CommandContext): number {
  try {
    io.out(
      JSON.stringify(
        prComment({
          changes: args.changes,
          stacksDir: args['stacks-dir'],
          headSha: args['head-sha'],
          plans: args.plans,
          runUrl: args['run-url'],
        }),
      ),
    );
    return 0;
  } catch (error) {
    io.err(`pr-comment: ${(error as Error).message.split('\n')[0]}`);
    return 1;
  }
}
