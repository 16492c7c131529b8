/**
 * The command line: `contacts [plan|apply|tasks|accept|refuse|resend|help] [options]`, checked with zod. Client ids
 * and nichandles follow the client files' own schemas.
 */
import * as z from 'zod';
import { checkCommandLine, parserOf, splitCommandLine, UsageError, type CommandLineSpec } from '../cli/command-line';
import { Nichandle, Slug } from '../config/schema';

export const USAGE = `Usage: npm run contacts -- <command> [options]

  plan    [--client ID] [--json]   compare each service's OVH contacts with the client files (the default)
  apply   [--client ID] [--json]   request the changes plan shows, each once, as the account allowed to make it
  tasks   [--client ID] [--all] [--json]   the open contact-change tasks (every state with --all), each with
                                   its service and its validators
  accept  <task id> [--as NICHANDLE]       accept a task with the token OVH e-mailed to one of its validators,
                                           read from standard input (or typed at the prompt)
  accept  --from-links FILE                accept every task whose e-mailed validation link is in FILE ("-": stdin)
  refuse  <task id> [--as NICHANDLE] | --from-links FILE   refuse, likewise
  resend  <task id>                        new e-mails with new tokens, to each validator the agency holds

  Tokens are never taken on the command line, where ps and the shell history would show them.`;

/** What the exit codes of `plan` and `apply` mean; the others exit 0 done, 1 otherwise. */
export const EXIT_CODES = {
  0: 'plan: every service in sync; apply: every change requested or pending validation; the others: done',
  1: 'a service could not be read or changed',
  2: 'plan: drift; apply: a change blocked, left to its holder, or of unknown outcome',
};

const OPTIONS = {
  client: { type: 'string', value: 'ID', help: 'one client, or "agency" for the shared projects; all of them by default' },
  service: { type: 'string', value: 'ID', help: 'plan/apply: one service of that client, by its id in the plan (e.g. vps-staging)' },
  'service-name': { type: 'string', value: 'NAME', help: 'with --service: its OVH name, instead of reading it from the Terraform state' },
  all: { type: 'boolean', help: 'tasks: every state, not only the open tasks' },
  as: {
    type: 'string',
    value: 'NICHANDLE',
    help: 'accept/refuse: the token is that validator’s (default: tried as each validator the agency holds)',
  },
  'from-links': {
    type: 'string',
    value: 'FILE',
    help: 'accept/refuse: every task whose e-mailed validation link is in FILE ("-": standard input)',
  },
  json: { type: 'boolean', help: 'machine-readable output' },
} as const satisfies CommandLineSpec['options'];
const SPEC: CommandLineSpec = { options: OPTIONS, arguments: { command: 'command', id: 'task id' } };

const TaskId = z.coerce.number({ error: 'expected a task id (a number)' }).int().positive();
const common = { client: Slug.optional(), json: z.boolean().default(false) };

const Reconcile = z
  .strictObject({
    command: z.enum(['plan', 'apply']),
    ...common,
    service: z.string().min(1).optional(),
    'service-name': z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, { error: 'expected an OVH service name' })
      .optional(),
  })
  .refine((args) => !args.service || args.client, { error: 'needs --client: service ids are unique per client', path: ['service'] })
  .refine((args) => !args['service-name'] || args.service, { error: 'needs --service', path: ['service-name'] });
const Tasks = z.strictObject({ command: z.literal('tasks'), ...common, all: z.boolean().default(false) });
const Answer = z
  .strictObject({
    command: z.enum(['accept', 'refuse']),
    ...common,
    id: TaskId.optional(),
    'from-links': z.string().min(1, { error: 'expected a file of validation links, or "-" for standard input' }).optional(),
    as: Nichandle.optional(),
  })
  .refine((args) => (args.id === undefined) !== (args['from-links'] === undefined), {
    error: 'expected a task id or --from-links FILE, not both',
    path: ['id'],
  })
  .refine((args) => !(args.as && args['from-links']), {
    error: 'does not apply with --from-links: each link is tried as each validator',
    path: ['as'],
  });
const Resend = z.strictObject({ command: z.literal('resend'), ...common, id: TaskId });
const Help = z.strictObject({ command: z.literal('help') });

const SCHEMAS = { plan: Reconcile, apply: Reconcile, tasks: Tasks, accept: Answer, refuse: Answer, resend: Resend, help: Help };
type Command = keyof typeof SCHEMAS;
export type Args = z.output<(typeof SCHEMAS)[Command]>;

const isCommand = (word: string): word is Command => Object.hasOwn(SCHEMAS, word);
const takesTaskId = (command: Command) => command === 'accept' || command === 'refuse' || command === 'resend';

const TOKEN_ON_COMMAND_LINE =
  'tokens are never taken on the command line, where ps and the shell history show them: give it on standard input (or at the prompt), or the e-mailed links with --from-links FILE';

/** The command line, checked; a mistake is a UsageError that names the command, then the option, never a value (a token is a secret). */
export const parseCommandLine = parserOf(SPEC, (argv: string[]): Args => {
  if (argv.some((word) => word === '--token' || word.startsWith('--token='))) throw new UsageError(`--token: ${TOKEN_ON_COMMAND_LINE}`);
  const words = splitCommandLine(argv, SPEC);
  const [command = 'plan', ...rest] = words.positionals;
  if (!isCommand(command)) throw new UsageError(`unknown command: expected one of ${Object.keys(SCHEMAS).join(', ')}`);
  if (rest.length > 0 && !takesTaskId(command)) throw new UsageError(`${command}: takes no argument after the command`);
  try {
    return checkCommandLine({ values: words.values, positionals: [command, ...rest] }, SPEC, SCHEMAS[command]);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    throw new UsageError(
      error.message
        .split('\n')
        .map((line) => `${command}: ${line}`)
        .join('\n'),
    );
  }
});
