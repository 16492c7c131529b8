/**
 * `npm run changes -- --base <git ref>`: the change summary of the working tree against a base revision, per client,
 * each side synthesized with its own code, in Markdown on standard output; progress on standard error.
 */
import * as path from 'node:path';
import * as z from 'zod';
import { reviewChange, type ChangeReport } from './changes';
import type { DestructiveChange } from './destructive';
import { commandLine, type Command, type CommandContext, type Io } from '../cli/command-line';
import { describeFailure } from '../core/failures';

const EXIT_DESTRUCTIVE = 3;

const Args = z
  .object({
    base: z
      .string({ error: 'is required: the git ref to compare with' })
      .trim()
      .min(1, { error: 'is required: the git ref to compare with' }),
    repo: z.string().min(1).optional(),
    json: z.boolean().default(false),
    'affected-only': z.boolean().default(false),
  })
  .refine((args) => !(args.json && args['affected-only']), { error: 'choose one of --json and --affected-only', path: ['json'] });

/** A destruction as CI reads it: where, what, and why. */
const destructionOf = ({ stack, address, label, type, effect }: DestructiveChange) => ({ stack, address, label, type, effect });

/** The `--json` document: the workflows read it (`affected` to plan, `destructive` to fail, `intended` for the plans). */
function changesJson(report: ChangeReport) {
  return {
    affected: report.affected,
    destructive: report.destructive.length > 0,
    destructiveChanges: report.destructive.map(destructionOf),
    intended: report.intended.map(destructionOf),
    scope: report.scope,
    markdown: report.markdown,
  };
}

function print(report: ChangeReport, args: z.output<typeof Args>, io: Io): void {
  if (args['affected-only']) report.affected.forEach((stack) => io.out(stack));
  else if (args.json) io.out(JSON.stringify(changesJson(report)));
  else io.out(report.markdown);
}

export const changesCommand: Command<z.output<typeof Args>> = {
  name: 'changes',
  usage: `Usage: npm run changes -- --base <git ref> [--repo DIR] [--json | --affected-only]`,
  exitCodes: {
    0: 'the summary is printed',
    [EXIT_DESTRUCTIVE]: 'it is printed, and an ordered service would be destroyed or replaced',
    130: 'interrupted (Ctrl-C), after removing what the run made',
    143: 'terminated (SIGTERM), likewise',
  },
  parse: commandLine(
    {
      options: {
        base: { type: 'string', value: 'REF', help: 'the revision to compare with (e.g. origin/main, HEAD~1, a commit)' },
        repo: { type: 'string', value: 'DIR', help: 'the project folder, in a git working tree (default: this project)' },
        json: {
          type: 'boolean',
          help: 'print {"affected": [...], "destructive": true|false, "scope": {...}, "markdown": "...", ...}\ninstead of Markdown (README, "Reviewing a change")',
        },
        'affected-only': { type: 'boolean', help: 'print only the affected stacks, one a line (to plan only those)' },
      },
    },
    Args,
  ),
  run: changes,
};

/** `projectRoot` is the default project folder (this one). */
async function changes(args: z.output<typeof Args>, { env, projectRoot, io }: CommandContext): Promise<number> {
  try {
    const root = path.resolve(args.repo ?? projectRoot);
    const result = await reviewChange({ projectRoot: root, base: args.base, env, log: io.err, onProgress: io.err });
    print(result, args, io);
    return result.destructive.length > 0 ? EXIT_DESTRUCTIVE : 0;
  } catch (error) {
    for (const message of describeFailure(error)) io.err(`changes: ${message}`);
    return 1;
  }
}
