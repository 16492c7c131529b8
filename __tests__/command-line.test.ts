/**
 * Every command's command line, as engineers and CI use it: `--help` answers the usage and the exit codes and runs
 * nothing; a mistake is named in plain words, without the value given, with the usage, and exits 1; the entry script
 * of every npm script starts its command; the README's table of commands says what the commands do.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as z from 'zod';
import { baselineCommand } from '../bench/baseline';
import { floorCommand } from '../bench/floor';
import { benchCommand } from '../bench/run';
import { testTimesCommand } from '../bench/test-times';
import { workflowsAtScaleCommand } from '../bench/workflows-at-scale';
import { applyCheckCommand } from '../ci/apply-check';
import { applyReportCommand } from '../ci/apply-report';
import { batchesCommand } from '../ci/batches';
import { credentialsCommand } from '../ci/credentials';
import { planBatchCommand } from '../ci/plan-batch';
import { prCommentCommand } from '../ci/pr-comment';
import { pullRequestScopeCommand } from '../ci/pull-request-scope';
import { showPlansCommand } from '../ci/show-plans';
import { commandLine, entryScriptArgs, UsageError, usageText, type Command } from '../cli/command-line';
import { jsonSchemasCommand } from '../schemas/json-schemas';
import { contactsCommand } from '../contacts';
import { inventoryCommand } from '../lifecycle/inventory';
import { newClientCommand } from '../lifecycle/new-client';
import { runbookCommand } from '../lifecycle/runbook';
import { bindingsCommand } from '../provider-schema/bindings';
import { changesCommand } from '../review/changes-command';
import { driftReportCommand } from '../ci/drift-report-command';
import { validateCommand } from '../review/validate-command';
import { synthCommand } from '../stacks/synth-command';
import { verifyCommand } from '../verify/command';
import { providersCommand } from '../verify/providers';
import { runForTest } from './command';

const ROOT = path.resolve(__dirname, '..');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commands of every argument and context type
const COMMANDS: Command<any, any>[] = [
  synthCommand,
  validateCommand,
  verifyCommand,
  providersCommand,
  contactsCommand,
  changesCommand,
  driftReportCommand,
  newClientCommand,
  runbookCommand,
  inventoryCommand,
  batchesCommand,
  applyCheckCommand,
  planBatchCommand,
  prCommentCommand,
  pullRequestScopeCommand,
  showPlansCommand,
  applyReportCommand,
  jsonSchemasCommand,
  bindingsCommand,
  benchCommand,
  workflowsAtScaleCommand,
  testTimesCommand,
  floorCommand,
  baselineCommand,
  credentialsCommand,
];

/** A folder nothing may write: every command that ran would find or write its files there. */
const untouched = fs.mkdtempSync(path.join(os.tmpdir(), 'command-line-'));
const env = {
  CDKTF_OUTDIR: path.join(untouched, 'out'),
  OVH_IAC_CLIENTS_DIR: path.join(untouched, 'clients'),
  OVH_IAC_LOCAL_STATE_DIR: path.join(untouched, 'state'),
};

/** The exit codes a usage explains. */
const exitCodesOf = (usage: string) => [...usage.split('\nExit codes:\n')[1].matchAll(/^ {2}(\d+) /gm)].map(([, code]) => Number(code));

describe.each(COMMANDS.map((command) => [command.name, command] as const))('%s', (_name, command) => {
  test('answers --help and -h with its usage and exit codes on standard output, and runs nothing', async () => {
    const help = await runForTest(command, ['--help'], { env, projectRoot: untouched });
    expect(help).toEqual({ code: 0, out: [usageText(command)], err: [] });
    expect(help.out[0]).toMatch(/^Usage: /);
    // Every code it uses is explained, and 1 (an error, a wrong command line) always.
    expect(exitCodesOf(help.out[0])).toEqual([...new Set([...Object.keys(command.exitCodes).map(Number), 1])].sort((a, b) => a - b));
    expect(await runForTest(command, ['-h'], { env, projectRoot: untouched })).toEqual(help);
    expect(fs.readdirSync(untouched)).toEqual([]);
  });

  test('its usage lists every option its command line reads, a row each, and its synopsis names no other', () => {
    const { options, arguments: labels = {} } = command.parse.spec;
    const help = usageText(command);
    expect(Object.keys(options).filter((option) => !new RegExp(`^ {2}--${option}\\b`, 'm').test(help))).toEqual([]);
    const named = [...command.usage.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map(([, option]) => option);
    expect(named.filter((option) => !Object.hasOwn(options, option))).toEqual([]);
    expect(Object.values(labels).filter((label) => !help.toLowerCase().includes(label.toLowerCase()))).toEqual([]);
  });

  test('names an unknown option without its value, with the usage, and exits 1', async () => {
    const run = await runForTest(command, ['--no-such-option=s3cr3t-value'], { env, projectRoot: untouched });
    expect(run).toEqual({ code: 1, out: [], err: [`${command.name}: unknown option --no-such-option`, usageText(command)] });
    expect(fs.readdirSync(untouched)).toEqual([]);
  });
});

describe('the kit', () => {
  const Args = z.object({
    base: z.string({ error: 'is required: the git ref to compare with' }),
    mode: z.enum(['fast', 'slow']).default('fast'),
    jobs: z.coerce.number().int().min(1).optional(),
    url: z.url().optional(),
    json: z.boolean().default(false),
  });
  const runs: z.output<typeof Args>[] = [];
  const example: Command<z.output<typeof Args>> = {
    name: 'example',
    usage: 'Usage: example --base REF [--mode fast|slow] [--jobs N] [--url URL] [--json]',
    exitCodes: { 0: 'done', 2: 'differences' },
    parse: commandLine(
      {
        options: {
          base: { type: 'string', value: 'REF', help: 'what to compare with' },
          mode: { type: 'string', value: 'MODE', help: 'fast (the default) or slow' },
          jobs: { type: 'string', value: 'N', help: 'jobs at once' },
          url: { type: 'string', value: 'URL', help: 'a link to the run,\nshown in the report' },
          json: { type: 'boolean', help: 'machine-readable output' },
        },
      },
      Args,
    ),
    run: (args) => {
      runs.push(args);
      if (args.mode === 'slow') throw new UsageError('--mode slow needs --jobs');
      if (args.jobs === 13) throw new Error('unlucky number of jobs');
      return args.json ? 2 : 0;
    },
  };
  const mistake = async (...argv: string[]) => {
    const run = await runForTest(example, argv);
    expect(run.code).toBe(1);
    expect(run.out).toEqual([]);
    expect(run.err[run.err.length - 1]).toBe(usageText(example));
    return run.err.slice(0, -1);
  };

  test("the checked values reach the command, and its exit code is the command's", async () => {
    expect((await runForTest(example, ['--base', 'main', '--jobs=3', '--json'])).code).toBe(2);
    expect(runs.pop()).toEqual({ base: 'main', mode: 'fast', jobs: 3, json: true });
    expect((await runForTest(example, ['--base', '-'])).code).toBe(0);
    expect(runs.pop()).toEqual({ base: '-', mode: 'fast', json: false });
  });

  test('the usage lists the options from the spec, one column for what they do, and ends with the exit codes, 1 always among them', () => {
    expect(usageText(example).split('\n')).toEqual([
      example.usage,
      '',
      '  --base REF    what to compare with',
      '  --mode MODE   fast (the default) or slow',
      '  --jobs N      jobs at once',
      '  --url URL     a link to the run,',
      '                shown in the report',
      '  --json        machine-readable output',
      '',
      'Exit codes:',
      '  0    done',
      '  1    an error; a wrong command line',
      '  2    differences',
    ]);
    expect(usageText({ ...example, notes: 'Reads clients/.' })).toContain(
      '  --json        machine-readable output\n\nReads clients/.\n\nExit codes:\n',
    );
  });

  test('each mistake of the command line is named, by the option, never with the value given', async () => {
    expect(await mistake('--base')).toEqual(['example: --base needs a value']);
    expect(await mistake('--base', '--json')).toEqual(['example: --base needs a value']);
    expect(await mistake('--base', 'main', '--json=yes')).toEqual(['example: --json takes no value']);
    expect(await mistake('--base', 'main', 'extra-word')).toEqual(['example: takes no argument, only options']);
    expect(await mistake('--base', 'main', '-x')).toEqual(['example: unknown option -x']);
    expect(await mistake('--mode', 'turbo-s3cr3t')).toEqual([
      'example: --base: is required: the git ref to compare with',
      'example: --mode: expected "fast" or "slow"',
    ]);
    expect(await mistake('--base', 'main', '--jobs', 's3cr3t')).toEqual(['example: --jobs: expected a number']);
    expect(await mistake('--base', 'main', '--jobs', '0')).toEqual(['example: --jobs: must be at least 1']);
    expect(await mistake('--base', 'main', '--url', 's3cr3t')).toEqual(['example: --url: expected a URL']);
    expect(runs).toEqual([]);
  });

  test('--help after "--" is an argument, not a request for help', async () => {
    expect(await mistake('--base', 'main', '--', '--help')).toEqual(['example: takes no argument, only options']);
  });

  test('a UsageError of the command is a wrong command line; any other error is named by its message alone', async () => {
    expect(await mistake('--base', 'main', '--mode', 'slow')).toEqual(['example: --mode slow needs --jobs']);
    expect(await runForTest(example, ['--base', 'main', '--jobs', '13'])).toEqual({
      code: 1,
      out: [],
      err: ['example: unlucky number of jobs'],
    });
  });
});

/** The npm scripts that run an entry script (through the entry hook, cli/bundle.cjs), by name: every command an engineer or a workflow runs. */
function npmCommands(): [name: string, file: string][] {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  return Object.entries(scripts).flatMap(([name, script]) => {
    const file = /^node --require \.\/cli\/bundle\.cjs (\S+\.ts)$/.exec(script)?.[1];
    return name !== 'postinstall' && file ? [[name, file]] : [];
  });
}

/**
 * The command an entry script starts: its one `startCommand(...)` call, of a command it imports by name. Entry scripts
 * are that alone (the import-graph test keeps them out of every import), so one of them run as a process (below) shows
 * how each runs.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- commands of every argument and context type
function startedCommand(file: string): Command<any, any> | undefined {
  const source = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const started = [...source.matchAll(/^startCommand\((\w+)[,)]/gm)].map(([, name]) => name);
  if (started.length !== 1) return undefined;
  const module = new RegExp(`^import \\{ ${started[0]} \\} from '(\\.[^']+)';$`, 'm').exec(source)?.[1];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module the entry script names
  return module && require(path.resolve(ROOT, path.dirname(file), module))[started[0]];
}

describe('every npm command', () => {
  test('its entry script starts the command of its name', () => {
    const started = npmCommands().map(([name, file]) => ({ name, file, command: startedCommand(file)?.name }));
    expect(started).toEqual(started.map(({ name, file }) => ({ name, file, command: name })));
    expect(started.map(({ name }) => name).sort()).toEqual(
      COMMANDS.map((command) => command.name)
        .filter((name) => name !== 'floor' && name !== 'baseline')
        .sort(),
    );
  });

  test('as a process: the usage on standard output and exit 0 for --help; a mistake on standard error, exit 1', async () => {
    const exec = promisify(execFile);
    const start = async (argv: string[]) => {
      const child = await exec(process.execPath, entryScriptArgs('ci/credentials-cli.ts', ...argv), {
        cwd: ROOT,
        env: { PATH: process.env.PATH, ...env },
      }).catch((error) => error);
      return { code: child.code ?? 0, stdout: child.stdout as string, stderr: child.stderr as string };
    };
    const usage = `${usageText(credentialsCommand)}\n`;
    expect(await start(['--help'])).toEqual({ code: 0, stdout: usage, stderr: '' });
    expect(await start(['--no-such-option=s3cr3t-value'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `credentials: unknown option --no-such-option\n${usage}`,
    });
    expect(fs.readdirSync(untouched)).toEqual([]);
  });

  test("the README's table of commands lists every npm command with the exit codes its usage explains", () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `npm run ([\w:-]+)[^`]*` \| [^|]+ \| ([\d, ]+) \|$/gm)].map(
      ([, name, codes]) => [name, codes.split(', ').map(Number)] as const,
    );
    const npmNames = new Set(npmCommands().map(([name]) => name));
    const commands = COMMANDS.filter((command) => npmNames.has(command.name));
    expect(new Map(rows)).toEqual(new Map(commands.map((command) => [command.name, exitCodesOf(usageText(command))])));
  });
});
