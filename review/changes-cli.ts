/**
 * `npm run changes -- --base <git ref>`: the change summary of the working tree against a base revision, per client,
 * in Markdown on standard output; progress on standard error. Exit 0, 3 when an ordered service would be destroyed
 * or replaced, 1 on error.
 */
import * as path from 'node:path';
import { z } from 'zod';
import { reviewChange, type ChangeReport } from './changes';
import { processIo, readCommandLine, type Io } from './cli';
import { describeFailure } from '../config/failures';

export const USAGE = `Usage: npm run changes -- --base <git ref> [--repo DIR] [--json | --affected-only]

  --base REF        the revision to compare with (e.g. origin/main, HEAD~1, a commit)
  --repo DIR        the project folder, in a git working tree (default: this project)
  --json            print {"affected": [...], "destructive": true|false, "markdown": "..."} instead of Markdown
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

function print(report: ChangeReport, args: z.output<typeof Args>, io: Io): void {
  if (args['affected-only']) report.affected.forEach((stack) => io.out(stack));
  else if (args.json) io.out(JSON.stringify({ affected: report.affected, destructive: report.destructive.length > 0, markdown: report.markdown }));
  else io.out(report.markdown);
}

export function runChanges(argv: string[], { env, projectRoot, io }: ChangesContext): number {
  const line = readCommandLine('changes', argv, { options: OPTIONS, schema: Args, usage: USAGE }, io);
  if ('exit' in line) return line.exit;
  const { args } = line;
  try {
    const root = path.resolve(args.repo ?? projectRoot);
    const result = reviewChange({ projectRoot: root, base: args.base, env, log: io.err, onProgress: io.err });
    print(result, args, io);
    return result.destructive.length > 0 ? EXIT_DESTRUCTIVE : 0;
  } catch (error) {
    for (const message of describeFailure(error)) io.err(`changes: ${message}`);
    return 1;
  }
}

if (require.main === module) {
  // The run is synchronous: with these listeners an interruption takes effect once it is over, so the base's worktree
  // is always removed (git itself, interrupted, fails the run at once).
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) process.on(signal, () => void (process.exitCode = code));
  process.exitCode = runChanges(process.argv.slice(2), { env: process.env, projectRoot: path.resolve(__dirname, '..'), io: processIo });
}
