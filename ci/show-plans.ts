/**
 * `npm run show-plans -- --plans DIR [--reviewers] [--approve DIGEST] [--allow-destroy] [--run-url URL]`: what the
 * approver of an Apply run reads, and what their approval is bound to. From the plan jobs' results (`--save`): each
 * stack's plan as Terraform renders it, destructions first; the digest of those plans (ci/plan-results.ts), which
 * the apply jobs check before applying anything; and how each approval is given:
 *
 * - with required reviewers on the environments `apply` and `apply-destroy` (`--reviewers`): by a reviewer, in them;
 * - without (GitHub plans without required reviewers for private repositories): by running Apply by hand with
 *   `approve` set to the digest shown (and `allow-destroy` for destructions), which only people with write access
 *   can do. Until then nothing is applied.
 *
 * Prints `{"digest", "changes", "destroys", "apply", "destroy", "markdown"}`: `apply` and `destroy` are
 * `environment` (a reviewer decides), `approved` (by hand, for this very digest) or `wait`.
 */
import * as z from 'zod';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';
import { capText, GITHUB_LIMITS } from './github-limits';
import { codeBlock, inlineCode } from '../review/markdown-code';
import { destructionsOf, failedPlanDetails, planLineOf, plansDigest, readResults, type StackRun } from './plan-results';

export type Approval = 'environment' | 'approved' | 'wait';

export interface ShownPlans {
  digest: string;
  /** A stack has a saved plan with changes: there is something to approve. */
  changes: boolean;
  destroys: boolean;
  apply: Approval;
  destroy: Approval;
  markdown: string;
}

const planLine = (run: StackRun) => planLineOf(run) ?? (run.exitcode === 0 ? 'No changes.' : `plan failed (exit ${run.exitcode})`);

export function showPlans(
  dir: string,
  approvals: { reviewers: boolean; approve?: string; allowDestroy: boolean; runUrl?: string },
): ShownPlans {
  const { runs, unreadable } = readResults(dir);
  const digest = plansDigest(runs);
  const saved = runs.filter((run) => run.saved);
  const destructions = runs.flatMap(destructionsOf);
  const byHand = approvals.approve === digest;
  const apply: Approval = approvals.reviewers ? 'environment' : byHand ? 'approved' : 'wait';
  const destroy: Approval = approvals.reviewers ? 'environment' : byHand && approvals.allowDestroy ? 'approved' : 'wait';
  const lines = [
    `### Plans waiting for approval: ${saved.length} stack(s) with changes`,
    '',
    `Digest of these plans: ${inlineCode(digest)}. The apply jobs apply these very plans, and nothing if they differ.`,
    '',
  ];
  if (destructions.length > 0)
    lines.push(
      '> [!CAUTION]',
      `> **${destructions.length} resource(s) would be destroyed or replaced**; they need a second approval (environment \`apply-destroy\`):`,
      '>',
      ...destructions.map(
        (d) => `> - **${d.action === 'replace' ? 'REPLACED' : 'DESTROYED'}** ${inlineCode(d.address)} (stack ${inlineCode(d.stack)})`,
      ),
      '',
    );
  if (!approvals.reviewers && saved.length > 0)
    lines.push(
      '> [!IMPORTANT]',
      apply === 'wait'
        ? `> The environment \`apply\` has no required reviewers: to apply these plans, run the Apply workflow by hand on the default branch with \`approve\` set to ${inlineCode(digest)}${destructions.length > 0 ? ' and `allow-destroy` checked' : ''}.`
        : `> Approved by hand for this digest${destroy === 'approved' ? ', destructions included' : destructions.length > 0 ? '; the destructions are not (`allow-destroy`), so nothing is applied' : ''}.`,
      '',
    );
  const failed = runs.filter((run) => run.exitcode !== 0 && run.exitcode !== 2);
  lines.push(
    '| stack | plan |',
    '|---|---|',
    ...runs.map((run) => `| ${inlineCode(run.stack)} | ${planLine(run).replace(/\|/g, '\\|')} |`),
    ...[...unreadable.keys()].map((stack) => `| ${inlineCode(stack)} | no readable result: not applied |`),
    '',
  );
  for (const run of saved)
    lines.push(
      `<details><summary><code>${run.stack}</code>: ${planLine(run)}</summary>`,
      '',
      ...codeBlock(run.saved!.shown.trim()),
      '',
      '</details>',
      '',
    );
  for (const run of failed) lines.push(...failedPlanDetails(run));
  const whole = approvals.runUrl
    ? `each whole plan is in the log of its plan job, in [this run](${approvals.runUrl})`
    : 'each whole plan is in the log of its plan job';
  return {
    digest,
    changes: saved.length > 0,
    destroys: destructions.length > 0,
    apply,
    destroy,
    markdown: capText(lines.join('\n'), { max: GITHUB_LIMITS.stepSummaryBytes, unit: 'bytes', whole }),
  };
}

const Args = z.object({
  plans: z.string({ error: "is required: the plan jobs' results" }).min(1),
  reviewers: z.boolean().default(false),
  approve: z.string().optional(),
  'allow-destroy': z.boolean().default(false),
  'run-url': z.url().optional(),
});

export const showPlansCommand: Command<z.output<typeof Args>> = {
  name: 'show-plans',
  usage: `Usage: npm run show-plans -- --plans DIR [--reviewers] [--approve DIGEST] [--allow-destroy] [--run-url URL]`,
  notes: `Prints {"digest", "changes", "destroys", "apply", "destroy", "markdown"}.`,
  exitCodes: { 0: 'the plans are shown' },
  parse: commandLine(
    {
      options: {
        plans: { type: 'string', value: 'DIR', help: 'the results of plan-batch --save (DIR/stacks/<stack>.json)' },
        reviewers: { type: 'boolean', help: 'the environments apply and apply-destroy have required reviewers: they approve' },
        approve: { type: 'string', value: 'DIGEST', help: 'without reviewers: the digest approved by hand (Apply run by hand)' },
        'allow-destroy': { type: 'boolean', help: 'without reviewers: destructions approved by hand too' },
        'run-url': { type: 'string', value: 'URL', help: 'a link to the run, where each whole plan is' },
      },
    },
    Args,
  ),
  run: (args: z.output<typeof Args>, { io }: CommandContext) => {
    io.out(
      JSON.stringify(
        showPlans(args.plans, {
          reviewers: args.reviewers,
          approve: args.approve?.trim(),
          allowDestroy: args['allow-destroy'],
          runUrl: args['run-url'],
        }),
      ),
    );
    return 0;
  },
};
