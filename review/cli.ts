/**
 * What the review commands share at the command line. Results go to standard output and progress to standard
 * error, so that a pipe or `> file` captures only the results (Markdown or JSON) however long the run.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { z } from 'zod';

/** Where a command writes, one line per call; tests pass their own. */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

export const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

class UsageError extends Error {}

/** The options of `argv`, tokenized by node and then checked by `schema`; any mistake is a UsageError naming the option. */
function parseOptions<T extends z.ZodType>(argv: string[], options: NonNullable<ParseArgsConfig['options']>, schema: T): z.output<T> {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const result = schema.safeParse(values);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const option = issue.path.length > 0 ? `--${String(issue.path[0])}: ` : '';
  throw new UsageError(`${option}${issue.message}`);
}

/**
 * The command line of `command`, checked; or, when it asks for help or is wrong, the exit code to return at once
 * (0 after printing the usage; 1 after naming the mistake and printing the usage).
 */
export function readCommandLine<T extends z.ZodType>(
  command: string,
  argv: string[],
  spec: { options: NonNullable<ParseArgsConfig['options']>; schema: T; usage: string },
  io: Io,
): { args: z.output<T> } | { exit: number } {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(spec.usage);
    return { exit: 0 };
  }
  try {
    return { args: parseOptions(argv, spec.options, spec.schema) };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${command}: ${error.message}`);
    io.err(spec.usage);
    return { exit: 1 };
  }
}
