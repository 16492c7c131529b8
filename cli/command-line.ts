/**
 * The command-line kit of every command: its usage, `--help`, its mistakes in plain words, its exit codes, and the
 * start of its process. A command is a `Command`, defined in a module (which tests run in-process); its entry script
 * (`main.ts`, `cli.ts`, `*-cli.ts`, `scripts/*.ts`) only calls `startCommand` with it.
 *
 * Exit codes mean the same for every command: 0 done (a check found nothing to report); 1 an error, or a wrong command
 * line (named on standard error, followed by the usage); 2 a check found differences (drift), or a run was refused
 * before it started; 3 a change would destroy or replace an ordered service; 130 and 143 interrupted (Ctrl-C, SIGTERM).
 * Each command's usage lists those it uses and what they mean for it. Results go to standard output, progress and
 * errors to standard error, so that a pipe or `> file` captures only the results.
 *
 * A message never repeats what the command line gave: a value is only named by its option (secrets never belong on a
 * command line, but a mistaken paste must not reach a CI log either).
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import type * as z from 'zod';
import { plainMessages } from '../config/messages';

/** Where a command writes, one line per call; tests pass their own. */
export interface Io {
  out: (line: string) => void;
  err: (line: string) => void;
}

const processIo: Io = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** This project's folder: where `clients/`, `cdktf.out` and the local state are found. */
const PROJECT_ROOT = path.resolve(__dirname, '..');
/** The hook every npm script starts node with (`node --require ./cli/bundle.cjs <script>.ts`). */
export const ENTRY_HOOK = path.join(__dirname, 'bundle.cjs');

/** What a command runs with: its environment, the project's folder, where it writes. */
export interface CommandContext {
  env: NodeJS.ProcessEnv;
  projectRoot: string;
  io: Io;
}

export interface Command<Args, Context extends CommandContext = CommandContext> {
  /** What every message of the command starts with: "validate: --dir: ...". */
  readonly name: string;
  /**
   * How it is called, as `--help` prints it first: `Usage: npm run x -- --out FILE`. The options follow, from `parse`'s
   * spec, then the notes and the exit codes.
   */
  readonly usage: string;
  /**
   * What the usage says after the options: what the command reads and writes, beyond its options.
   * @default nothing
   */
  readonly notes?: string;
  /** What each exit code it uses means for it; 1 always also means an error or a wrong command line. */
  readonly exitCodes: Readonly<Record<number, string>>;
  /** The command line, checked: throws a `UsageError` that names the mistake. */
  readonly parse: CommandLineParser<Args>;
  /** Does the work; a `UsageError` it throws is reported as a wrong command line. */
  readonly run: (args: Args, context: Context) => Promise<number> | number;
}

/** A wrong command line: what is wrong, in plain words, without the values given. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What exit code 1 means for every command, after what it means for the command itself. */
const FAILED = 'an error; a wrong command line';

/** The text `--help` prints: how the command is called, its options (from its spec), its notes, then the exit codes. */
export function usageText(command: Pick<Command<unknown>, 'usage' | 'notes' | 'exitCodes' | 'parse'>): string {
  const exitCodes = { ...command.exitCodes, 1: command.exitCodes[1] ? `${command.exitCodes[1]}; ${FAILED}` : FAILED };
  const lines = Object.entries(exitCodes).map(([code, meaning]) => `  ${code.padEnd(4)} ${meaning}`);
  const parts = [command.usage, optionsText(command.parse.spec.options), command.notes ?? ''].filter((part) => part !== '');
  return `${parts.join('\n\n')}\n\nExit codes:\n${lines.join('\n')}`;
}

/** The options, one a row in the order of the spec: `--name VALUE`, then what it does, each line at one column. */
function optionsText(options: CommandLineSpec['options']): string {
  const rows = Object.entries(options).map(([name, { value, help }]) => ({ call: value ? `--${name} ${value}` : `--${name}`, help }));
  const width = Math.max(0, ...rows.map(({ call }) => call.length)) + 3;
  return rows.map(({ call, help }) => `  ${call.padEnd(width)}${help.split('\n').join(`\n  ${' '.repeat(width)}`)}`).join('\n');
}

/** The words before `--` ask for help. */
function asksForHelp(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((word) => word === '--help' || word === '-h');
}

/**
 * Runs `command` on `argv`: `--help` or `-h` prints the usage on standard output (exit 0); a wrong command line is
 * named on standard error, followed by the usage (exit 1); an error the command does not report itself is named by
 * its message alone, never with a stack trace (exit 1).
 */
export async function runCommand<Args, Context extends CommandContext>(
  command: Command<Args, Context>,
  argv: string[],
  context: Context,
): Promise<number> {
  const { io } = context;
  if (asksForHelp(argv)) {
    io.out(usageText(command));
    return 0;
  }
  try {
    return await command.run(command.parse(argv), context);
  } catch (error) {
    if (error instanceof UsageError) {
      for (const line of error.message.split('\n')) io.err(`${command.name}: ${line}`);
      io.err(usageText(command));
    } else {
      io.err(`${command.name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return 1;
  }
}

export interface StartOptions<Context extends CommandContext> {
  /** What the command needs beyond the process's environment, folder and output. */
  context?: Omit<Context, keyof CommandContext>;
  /**
   * On Ctrl-C or SIGTERM, let the command finish its cleanup (its children get the signal too), then exit 130 or 143.
   * @default false: Node.js's own behaviour, an immediate exit
   */
  finishOnInterrupt?: boolean;
  /**
   * Exit as soon as the output is written, without waiting for what the command may have left open (a socket that an
   * abandoned attempt still holds).
   * @default false
   */
  exitWhenDone?: boolean;
}

/** What an entry script does: runs `command` on the process's arguments, environment and output, and sets its exit code. */
export function startCommand<Args, Context extends CommandContext>(
  command: Command<Args, Context>,
  options: StartOptions<Context> = {},
): void {
  let interrupted: number | undefined;
  if (options.finishOnInterrupt) {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const)
      process.on(signal, () => void (interrupted = code));
  }
  const context = { ...options.context, env: process.env, projectRoot: PROJECT_ROOT, io: processIo } as Context;
  void runCommand(command, process.argv.slice(2), context).then((code) => {
    process.exitCode = interrupted ?? code;
    if (options.exitWhenDone) process.stdout.write('', () => process.exit(process.exitCode));
  });
}

/**
 * The arguments of `node` that start `script` as package.json's scripts do: with the project's hook (`bundle.cjs`),
 * which runs it as one bundle of its code and packages, compiled once and kept until a file of it changes.
 */
export function entryScriptArgs(script: string, ...args: string[]): string[] {
  return ['--require', ENTRY_HOOK, script, ...args];
}

/** An option of a command line: a string or a switch, given once or repeated, and what the usage says of it. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  /**
   * What its value is called in the usage (`FILE` in `--out FILE`).
   * @default none: a switch
   */
  readonly value?: string;
  /** What it does, in the usage; a line break goes on under the same column. */
  readonly help: string;
}

export interface CommandLineSpec {
  /** The options, by their long name (`dir` for `--dir`). */
  readonly options: Readonly<Record<string, OptionSpec>>;
  /**
   * The arguments it takes, in order: the name the schema reads each under, and what messages call it ("task id").
   * @default none
   */
  readonly arguments?: Readonly<Record<string, string>>;
}

export interface CommandLineWords {
  /** The values of the options given, by long name; a repeated option's as a list. */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  /** The arguments given, in order. */
  positionals: string[];
}

/** Splits `argv` into options and arguments; an unknown option, a missing value or a word too many is a UsageError. */
export function splitCommandLine(argv: string[], spec: CommandLineSpec): CommandLineWords {
  const options = Object.fromEntries(
    Object.entries(spec.options).map(([name, { type, multiple }]) => [name, multiple ? { type, multiple } : { type }]),
  );
  const { values, tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    const option = spec.options[token.name];
    if (!option) throw new UsageError(`unknown option ${token.rawName}`);
    if (option.type === 'boolean' && token.value !== undefined) throw new UsageError(`${token.rawName} takes no value`);
    // Without "=", a value that looks like an option is the next option: the value was forgotten.
    const forgotten = !token.inlineValue && token.value !== undefined && token.value.length > 1 && token.value.startsWith('-');
    if (option.type === 'string' && (token.value === undefined || forgotten)) throw new UsageError(`${token.rawName} needs a value`);
  }
  const labels = Object.values(spec.arguments ?? {});
  if (positionals.length > labels.length) {
    throw new UsageError(
      labels.length === 0
        ? 'takes no argument, only options'
        : `takes at most ${labels.length} argument(s) (${labels.map((label) => `<${label}>`).join(' ')}), got ${positionals.length}`,
    );
  }
  return { values, positionals };
}

/**
 * The error map of command lines: the schema's own messages first, else plain words that never quote what was given.
 */
const commandLineMessages: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'is required' : `expected ${issue.expected === 'number' ? 'a number' : issue.expected}`;
    case 'invalid_value':
      return `expected ${issue.values.map((value) => JSON.stringify(value)).join(' or ')}`;
    case 'invalid_format':
      return issue.format === 'url' ? 'expected a URL' : 'is not in the expected form';
    case 'too_small':
    case 'too_big':
    case 'not_multiple_of':
      return plainMessages(issue);
    default:
      return 'is not valid here';
  }
};

/** The words of a command line as a checked value: options under their names, arguments under theirs. */
export function checkCommandLine<T extends z.ZodType>(words: CommandLineWords, spec: CommandLineSpec, schema: T): z.output<T> {
  const names = Object.keys(spec.arguments ?? {});
  const input = { ...words.values, ...Object.fromEntries(words.positionals.map((value, i) => [names[i], value])) };
  const result = schema.safeParse(input, { error: commandLineMessages });
  if (result.success) return result.data;
  throw new UsageError(result.error.issues.map((issue) => issueText(issue, spec)).join('\n'));
}

/** One problem of a command line: the option or argument it is about, then what is wrong. */
function issueText(issue: z.core.$ZodIssue, spec: CommandLineSpec): string {
  if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => `--${key} does not apply here`).join('; ');
  const [key] = issue.path;
  if (key === undefined) return issue.message;
  const labels = spec.arguments ?? {};
  return `${Object.hasOwn(labels, key) ? `<${labels[String(key)]}>` : `--${String(key)}`}: ${issue.message}`;
}

/** A command line's parser, with the spec it reads: the options and arguments its command's usage names. */
export type CommandLineParser<T> = ((argv: string[]) => T) & { readonly spec: CommandLineSpec };

/** `parse`, reading the command lines `spec` describes. */
export function parserOf<T>(spec: CommandLineSpec, parse: (argv: string[]) => T): CommandLineParser<T> {
  return Object.assign(parse, { spec });
}

const NOTHING: CommandLineSpec = { options: {} };

/** The parser of a command line that takes nothing but `--help`. */
export const noArguments: CommandLineParser<void> = parserOf(NOTHING, (argv) => void splitCommandLine(argv, NOTHING));

/** The parser of a command line made of `spec`'s options and arguments, checked by `schema`. */
export function commandLine<T extends z.ZodType>(spec: CommandLineSpec, schema: T): CommandLineParser<z.output<T>> {
  return parserOf(spec, (argv) => checkCommandLine(splitCommandLine(argv, spec), spec, schema));
}
