/**
 * A command run in-process, as its entry script runs it, with its output kept: one string per line written. The
 * environment is empty and the project is this one unless the test says otherwise.
 */
import * as path from 'node:path';
import { runCommand, type Command, type CommandContext } from '../cli/command-line';

export interface CommandRun {
  code: number;
  out: string[];
  err: string[];
}

export async function runForTest<Args, Context extends CommandContext>(
  command: Command<Args, Context>,
  argv: string[],
  context: Partial<Context> = {},
): Promise<CommandRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (line: string) => void out.push(line), err: (line: string) => void err.push(line) };
  const code = await runCommand(command, argv, { env: {}, projectRoot: path.resolve(__dirname, '..'), ...context, io } as Context);
  return { code, out, err };
}
