/**
 * What went wrong, as every command reports it: bad files one problem a line, with file (relative), line and
 * field; anything else by its message alone, never with a stack trace.
 */
import * as path from 'node:path';
import { ConfigError, formatProblem } from './load';

export function describeFailure(error: unknown, relativeTo = process.cwd()): string[] {
  if (error instanceof ConfigError)
    return error.problems.map((problem) => formatProblem({ ...problem, file: path.relative(relativeTo, problem.file) || '.' }));
  return [error instanceof Error ? error.message : String(error)];
}
