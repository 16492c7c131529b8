/**
 * `npm run changes -- --base <git ref>`: the change summary of the working tree against a base revision, per client,
 * each side synthesized with its own code, in Markdown on standard output; progress on standard error. Exit 0, 3 when an ordered service would be destroyed
 * or replaced, 1 on error.
 */
import * as path from 'node:path';
import { z } from 'zod';
import { reviewChange, type ChangeReport } from './changes';
import type { DestructiveChange } from './destructive';
import { processIo, readCommandLine, type Io } from './cli';
import { describeFailure } from '../config/failures';

export const USAGE = `Usage: npm run changes -- --base <git ref> [--repo DIR] [--json | --affected-only]

  --base REF        the revision to compare with (e.g. origin/main, HEAD~1, a commit)
  --repo DIR        the project folder, in a git working tree (default: this project)
  --json            print {"affected": [...], "destructive": true|false, "scope": {...}, "markdown": "...", ...}
                    instead of Markdown (README, "Reviewing a change")
  --affected-only   print only the affected stacks, one a line (to plan only those)

Exit 0; 3 when an ordered service would be destroyed or replaced; 1 on error.`;

export const EXIT_DESTRUCTIVE = 3;

const OPTIONS = {
  base: { type: 'string' },
  repo: { type: 'string' },
  json: { type: 'boolean' },
  'affected-only': { type: 'boolean' },
} as const;

const Args = z
  .object({
    base: z.string({ error: 'is required: the git ref to compare with' }).trim().min(1, { error: 'is required: the git ref to compare with' }),
    repo: z.string().min(1).optional(),
    json: z.boolean().default(false),
    'affected-only': z.boolean().default(false),
  })
  .refine((args) => !(args.json && args['affected-only']), { error: 'choose one of --json and --affected-only', path: ['json'] });

export interface ChangesContext {
  env: NodeJS.ProcessEnv;
  /** The default project folder (this one). */
  projectRoot: string;
  io: Io;
}

/** A destruction as CI reads it: where, what, and why. */
const destructionOf = ({ stack, address, label, type, effect }: DestructiveChange) => ({ stack, address, label, type, effect });

/** The `--json` document: the workflows read it (`affected` to plan, `destructive` to fail, `intended` for the plans). */
export function changesJson(report: ChangeReport) {
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

export async function runChanges(argv: string[], { env, projectRoot, io }: ChangesContext): Promise<number> {
  const line = readCommandLine('changes', argv, { options: OPTIONS, schema: Args, usage: USAGE }, io);
  if ('exit' in line) return line.exit;
  const { args } = line;
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

if (require.main === module) {
  // With these listeners an interruption ends the children (they get the signal too) and then this run, through its
  // cleanup, so the base's worktree and the temporary outputs are always removed.
  let interrupted: number | undefined;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) process.on(signal, () => void (interrupted = code));
  void runChanges(process.argv.slice(2), { env: process.env, projectRoot: path.resolve(__dirname, '..'), io: processIo }).then((code) => (process.exitCode = interrupted ?? code));
}
