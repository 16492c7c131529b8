/**
 * What went wrong, as every command reports it: problems of files one a line, with file (relative), line and field;
 * anything else by its message alone, never with a stack trace.
 */
import * as path from 'node:path';

/** A problem of one file (a client file, the agency's, a stack), at its line and field when known. */
export interface FileProblem {
  file: string;
  line?: number;
  /** Dotted field path; empty for the whole file. */
  field: string;
  message: string;
}

/** Files with problems: every one found, so that one run names them all. */
export class ConfigError extends Error {
  constructor(readonly problems: FileProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatProblem({ file, line, field, message }: FileProblem): string {
  const where = line ? `${file}:${line}` : file;
  return field ? `${where}: ${field}: ${message}` : `${where}: ${message}`;
}

export function describeFailure(error: unknown, relativeTo = process.cwd()): string[] {
  if (error instanceof ConfigError)
    return error.problems.map((problem) => formatProblem({ ...problem, file: path.relative(relativeTo, problem.file) || '.' }));
  return [error instanceof Error ? error.message : String(error)];
}
