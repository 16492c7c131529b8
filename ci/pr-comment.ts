/**
 * `npm run pr-comment -- --changes changes.json --stacks-dir cdktf.out --head-sha SHA [--plans DIR] [--run-url URL]`:
 * the one comment a pull request gets (found again by its hidden marker), as JSON on standard output:
 * `{"marker", "body", "state", "description"}`. Its inputs are the Plan workflow's own (`npm run pr-scope`, the plan
 * jobs), read as data within size limits. Without --plans: the change summary, plans waiting for approval. With
 * --plans (the plan jobs' results): each affected stack's plan line, and what Terraform's plans would destroy or
 * replace (ci/plan-digest.ts), which decides the state: `success`, or `failure` on a failed or missing plan or a
 * destroyed or replaced service the client files do not mark for decommissioning. No stack affected is a success:
 * the default branch's code found that the pull request's client files change none. Always names the commit.
 */
import * as z from 'zod';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';
import { capText, GITHUB_LIMITS } from './github-limits';
import { destructiveFromPlans, protectedTypes, type PlanDigest } from './plan-digest';
import { readStackTree } from '../review/stack-tree';
import { failedPlanDetails, planLineOf, readDataFile, readResults, type StackRun } from './plan-results';

export const COMMENT_MARKER = '<!-- ovh-iac-changes -->';

/** The change summary of every stack (a change of agency.yaml at 1,000 clients) is some 14 MB. */
const MAX_CHANGES_BYTES = 64 * 1024 * 1024;

const Destruction = z.object({ stack: z.string(), address: z.string() });
/** What is read of `npm run pr-scope`'s changes.json (the same fields as `npm run changes -- --json`). */
const Changes = z.object({
  affected: z.array(z.string().regex(/^[a-z0-9][a-z0-9.-]*$/)),
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

export function prComment(options: { changes: string; stacksDir?: string; headSha: string; plans?: string; runUrl?: string }): Comment {
  const changes = readDataFile(options.changes, Changes, MAX_CHANGES_BYTES);
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
  const { runs, unreadable } = readResults(options.plans);
  const byStack = new Map(runs.map((run) => [run.stack, run]));
  const missing = changes.affected.filter((stack) => !byStack.has(stack));
  const failed = runs.filter((run) => run.exitcode !== 0 && run.exitcode !== 2);
  const digests = new Map(runs.filter((run) => run.digest).map((run) => [run.stack, run.digest as PlanDigest]));
  // Without the stacks, the ordered types: a plan that would destroy a resource under prevent_destroy fails anyway.
  const types = protectedTypes(options.stacksDir ? readStackTree(options.stacksDir) : new Map());
  const destructive = destructiveFromPlans(digests, types, changes.intended);
  const planLine = (run: StackRun) => planLineOf(run) ?? (run.exitcode === 1 ? 'failed: see below' : '');
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
      (stack) =>
        `| \`${stack}\` | ${byStack.has(stack) ? planLine(byStack.get(stack)!) : unreadable.has(stack) ? 'no readable result' : 'no result: its job did not finish'} |`,
    ),
    '',
  );
  for (const run of failed) lines.push(...failedPlanDetails(run));
  const state = destructive.length > 0 || failed.length > 0 || missing.length > 0 ? 'failure' : 'success';
  const description =
    state === 'success'
      ? changes.affected.length === 0
        ? 'no stack affected by its client files'
        : `${runs.length} stack(s) planned, nothing protected destroyed`
      : `${destructive.length} destroyed or replaced, ${failed.length + missing.length} plan(s) failed or missing`;
  const body = capText([...header, ...lines, changes.markdown].join('\n'), { max: GITHUB_LIMITS.commentChars, unit: 'chars', whole });
  return { marker: COMMENT_MARKER, body, state, description };
}

const Args = z.object({
  changes: z.string({ error: 'is required: the changes.json of npm run pr-scope' }).min(1),
  'stacks-dir': z.string().min(1).optional(),
  'head-sha': z.string({ error: 'is required: the commit the comment is for' }).min(1),
  plans: z.string().min(1).optional(),
  'run-url': z.url().optional(),
});

export const prCommentCommand: Command<z.output<typeof Args>> = {
  name: 'pr-comment',
  usage: `Usage: npm run pr-comment -- --changes FILE --head-sha SHA [--stacks-dir DIR] [--plans DIR] [--run-url URL]`,
  notes: `Prints {"marker", "body", "state", "description"} on standard output.`,
  exitCodes: { 0: 'the comment is printed' },
  parse: commandLine(
    {
      options: {
        changes: { type: 'string', value: 'FILE', help: 'the changes.json of npm run pr-scope (or the JSON of npm run changes -- --json)' },
        'stacks-dir': {
          type: 'string',
          value: 'DIR',
          help: 'the synthesized stacks, for the types they protect with prevent_destroy (default: the ordered\ntypes alone; a plan that would destroy a resource under prevent_destroy fails anyway)',
        },
        'head-sha': { type: 'string', value: 'SHA', help: 'the commit the comment is for' },
        plans: {
          type: 'string',
          value: 'DIR',
          help: "the plan jobs' results (DIR/stacks/<stack>.json); without it, the plans wait for approval",
        },
        'run-url': { type: 'string', value: 'URL', help: 'a link to the run, shown in the comment' },
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
