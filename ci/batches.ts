/**
 * `npm run batches -- --stacks-file FILE --out batches.json [--max-jobs N]`: the stacks to plan (one a line, or a
 * JSON array) split into at most N batches of consecutive stacks, each planned by one job with one provider cache.
 * Prints the matrix, `[1, 2, ...]`, for `fromJSON` in a workflow; the stacks of batch K are in the file.
 * N comes from --max-jobs, else OVH_IAC_PLAN_JOBS, else 20; GitHub runs at most 256 jobs from one matrix.
 */
import * as fs from 'node:fs';
import * as z from 'zod';
import { commandLine, type Command, type CommandContext } from '../cli/command-line';
import { GITHUB_LIMITS } from './github-limits';

/**
 * 20 jobs: 1,001 stacks make batches of 51, each about ten minutes of plans at the drift run's measured pace
 * (README, "Runner minutes"), so a full run ends within a quarter of an hour without paying a job's setup per stack.
 */
export const DEFAULT_MAX_JOBS = 20;

export interface Batches {
  /** Batch K (1-based) is `batches[K - 1]`. */
  batches: string[][];
}

/** At most `maxJobs` batches, as even as can be, stacks in the order given. */
export function splitIntoBatches(stacks: string[], maxJobs: number): Batches {
  if (!Number.isInteger(maxJobs) || maxJobs < 1 || maxJobs > GITHUB_LIMITS.matrixJobs) {
    throw new Error(
      `the number of jobs must be a whole number from 1 to ${GITHUB_LIMITS.matrixJobs} (GitHub's limit for one matrix), got ${maxJobs}`,
    );
  }
  const count = Math.min(maxJobs, stacks.length);
  const batches = Array.from({ length: count }, (_, k) =>
    stacks.slice(Math.floor((k * stacks.length) / count), Math.floor(((k + 1) * stacks.length) / count)),
  );
  return { batches };
}

function readStacks(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8').trim();
  const list: unknown = text.startsWith('[') ? JSON.parse(text) : text.split('\n');
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string'))
    throw new Error(`${file}: expected a JSON array of stack names, or one a line`);
  return [...new Set(list.map((item) => item.trim()).filter(Boolean))];
}

const Args = z.object({
  'stacks-file': z.string({ error: 'is required: the stacks to plan, one a line or a JSON array' }).min(1),
  out: z.string({ error: 'is required: where the batches are written' }).min(1),
  'max-jobs': z.coerce.number().int().min(1).max(GITHUB_LIMITS.matrixJobs).optional(),
});

export const batchesCommand: Command<z.output<typeof Args>> = {
  name: 'batches',
  usage: `Usage: npm run batches -- --stacks-file FILE --out FILE [--max-jobs N]`,
  notes: `Prints the matrix of batch numbers, [1, 2, ...], for fromJSON in a workflow.`,
  exitCodes: { 0: 'the batches are written' },
  parse: commandLine(
    {
      options: {
        'stacks-file': { type: 'string', value: 'FILE', help: 'the stacks to plan: one a line, or a JSON array' },
        out: { type: 'string', value: 'FILE', help: 'where the batches are written: {"batches": [[stacks of batch 1], ...]}' },
        'max-jobs': {
          type: 'string',
          value: 'N',
          help: `at most N batches, 1 to ${GITHUB_LIMITS.matrixJobs} (default: OVH_IAC_PLAN_JOBS, else ${DEFAULT_MAX_JOBS})`,
        },
      },
    },
    Args,
  ),
  run: writeBatches,
};

function writeBatches(args: z.output<typeof Args>, { env, io }: CommandContext): number {
  try {
    const maxJobs = args['max-jobs'] ?? Number(env.OVH_IAC_PLAN_JOBS?.trim() || DEFAULT_MAX_JOBS);
    const { batches } = splitIntoBatches(readStacks(args['stacks-file']), maxJobs);
    fs.writeFileSync(args.out, `${JSON.stringify({ batches })}\n`);
    io.err(
      `${batches.reduce((sum, batch) => sum + batch.length, 0)} stack(s) in ${batches.length} batch(es) of ${batches.map((b) => b.length).join(', ') || 'nothing'}`,
    );
    io.out(JSON.stringify(batches.map((_, k) => k + 1)));
    return 0;
  } catch (error) {
    io.err(`batches: ${(error as Error).message}`);
    return 1;
  }
}
