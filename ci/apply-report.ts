/**
 * `npm run apply-report -- --stacks-file FILE --plans DIR --applied DIR --commit SHA [--run-url URL]`: the end of an
 * Apply run, per affected stack: no changes, applied, or why not (a failed plan or apply, no approval yet, a
 * destruction held back, a state lock). Prints `{"complete", "summary", "comment"}`: the table for the run's summary
 * and for the merged pull request, each cut to GitHub's limit with a note saying where the rest is; `complete` only
 * when every stack is applied or unchanged, the one case in which the run moves the tag of the last applied commit.
 */
import * as fs from 'node:fs';
import * as z from 'zod';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';
import { capText, GITHUB_LIMITS } from './github-limits';
import { inlineCode } from '../review/markdown-code';
import { readResults, type StackRun } from './plan-results';

export interface ApplyReport {
  complete: boolean;
  summary: string;
  comment: string;
}

function outcome(planned: StackRun | undefined, applied: StackRun | undefined, unreadable?: string): { ok: boolean; what: string } {
  if (unreadable) return { ok: false, what: `no readable result (${unreadable})` };
  if (!planned) return { ok: false, what: 'not planned: its plan job did not finish' };
  if (planned.exitcode === 0)
    return { ok: true, what: planned.plan.startsWith('stack removed') ? 'stack removed: not planned' : 'no changes' };
  if (planned.lock) return { ok: false, what: `plan failed: the state is locked (lock ID ${planned.lock.id}): see the run's summary` };
  if (planned.exitcode !== 2 || !planned.saved) return { ok: false, what: `plan failed (exit ${planned.exitcode}): see its job` };
  if (!applied?.apply) return { ok: false, what: 'planned, not applied: no approval yet, or its apply job did not finish' };
  if (applied.apply.exitcode === 0) return { ok: true, what: 'applied' };
  if (applied.lock) return { ok: false, what: `not applied: the state is locked (lock ID ${applied.lock.id}): see the run's summary` };
  return {
    ok: false,
    what: applied.apply.output.startsWith('not applied: ')
      ? applied.apply.output.split('\n')[0]
      : `apply failed (exit ${applied.apply.exitcode})`,
  };
}

export function applyReport(options: { stacks: string[]; plans: string; applied: string; commit: string; runUrl?: string }): ApplyReport {
  const planned = readResults(options.plans);
  const applied = readResults(options.applied);
  const byStack = (runs: StackRun[]) => new Map(runs.map((run) => [run.stack, run]));
  const [plans, applies] = [byStack(planned.runs), byStack(applied.runs)];
  const rows = options.stacks.map((stack) => ({
    stack,
    ...outcome(plans.get(stack), applies.get(stack), planned.unreadable.get(stack) ?? applied.unreadable.get(stack)),
  }));
  const notDone = rows.filter((row) => !row.ok);
  const text = [
    `### Apply of ${inlineCode(options.commit.slice(0, 12))}: ${notDone.length === 0 ? 'done' : `${notDone.length} of ${rows.length} stack(s) not applied`}`,
    '',
    ...(options.runUrl ? [`[run](${options.runUrl})`, ''] : []),
    notDone.length === 0
      ? 'Every stack is applied or unchanged: this commit is now the last applied one (tag `ovh-iac-applied`).'
      : 'The tag `ovh-iac-applied` stays where it was: the next run applies again everything since.',
    '',
    '| stack | result |',
    '|---|---|',
    ...rows.map((row) => `| ${inlineCode(row.stack)} | ${row.ok ? '✅' : '❌'} ${row.what.replace(/\|/g, '\\|')} |`),
    '',
  ].join('\n');
  const whole = options.runUrl
    ? `the whole table is in the summary of [this run](${options.runUrl})`
    : "the whole table is in the run's summary";
  return {
    complete: notDone.length === 0,
    summary: capText(text, { max: GITHUB_LIMITS.stepSummaryBytes, unit: 'bytes', whole: "the whole table is in the run's artifacts" }),
    comment: capText(text, { max: GITHUB_LIMITS.commentChars, unit: 'chars', whole }),
  };
}

const Args = z.object({
  'stacks-file': z.string({ error: 'is required: the affected stacks, one a line' }).min(1),
  plans: z.string({ error: "is required: the plan jobs' results" }).min(1),
  applied: z.string({ error: "is required: the apply jobs' results" }).min(1),
  commit: z.string({ error: 'is required: the commit applied' }).min(1),
  'run-url': z.url().optional(),
});

export const applyReportCommand: Command<z.output<typeof Args>> = {
  name: 'apply-report',
  usage: `Usage: npm run apply-report -- --stacks-file FILE --plans DIR --applied DIR --commit SHA [--run-url URL]`,
  notes: `Prints {"complete", "summary", "comment"}.`,
  exitCodes: { 0: 'the report is printed' },
  parse: commandLine(
    {
      options: {
        'stacks-file': { type: 'string', value: 'FILE', help: 'the stacks the run was to apply, one a line' },
        plans: { type: 'string', value: 'DIR', help: "the plan jobs' results (plan-batch --save)" },
        applied: { type: 'string', value: 'DIR', help: "the apply jobs' results (plan-batch --apply-saved)" },
        commit: { type: 'string', value: 'SHA', help: 'the commit applied' },
        'run-url': { type: 'string', value: 'URL', help: 'a link to the run' },
      },
    },
    Args,
  ),
  run: (args: z.output<typeof Args>, { io }: CommandContext) => {
    const stacks = fs
      .readFileSync(args['stacks-file'], 'utf8')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    io.out(JSON.stringify(applyReport({ stacks, plans: args.plans, applied: args.applied, commit: args.commit, runUrl: args['run-url'] })));
    return 0;
  },
};
