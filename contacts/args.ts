/**
 * The command line: `contacts [plan|apply|tasks|accept|refuse|resend|help] [options]`, checked with zod.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';

export const USAGE = `Usage: npm run contacts -- <command> [options]

  plan    [--client ID] [--json]   compare each service's OVH contacts with the client files (the default);
                                   exit 0 in sync, 2 drift, 1 error
  apply   [--client ID] [--json]   request the changes plan shows, each once, as the account allowed to make it;
                                   exit 0 all requested or pending, 2 some blocked, manual or of unknown outcome, 1 error
  tasks   [--client ID] [--all] [--json]   the open contact-change tasks (every state with --all), each with
                                   its service and its validators
  accept  <task id> [--as NICHANDLE]       accept a task with the token OVH e-mailed to one of its validators,
                                           read from standard input (or typed at the prompt)
  accept  --from-links FILE                accept every task whose e-mailed validation link is in FILE ("-": stdin)
  refuse  <task id> [--as NICHANDLE] | --from-links FILE   refuse, likewise
  resend  <task id>                        new e-mails with new tokens, to each validator the agency holds

  Tokens are never taken on the command line, where ps and the shell history would show them.

  --client ID          one client, or "agency" for the shared projects; all of them by default
  --service ID         plan/apply: one service of that client, by its id in the plan (e.g. vps-staging)
  --service-name NAME  with --service: its OVH name, instead of reading it from the Terraform state
  --json               machine-readable output`;

export class UsageError extends Error {}

const OPTIONS = {
  client: { type: 'string' },
  service: { type: 'string' },
  'service-name': { type: 'string' },
  json: { type: 'boolean' },
  all: { type: 'boolean' },
  token: { type: 'string' },
  'from-links': { type: 'string' },
  as: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const ClientId = z.string().regex(/^[a-z0-9]+([.-][a-z0-9]+)*$/, { error: 'expected a client id like "betterfinance.eu"' });
const TaskId = z.coerce.number({ error: 'expected a task id (a number)' }).int().positive();
const common = { client: ClientId.optional(), json: z.boolean().default(false) };

const Reconcile = z
  .strictObject({
    command: z.enum(['plan', 'apply']),
    ...common,
    service: z.string().min(1).optional(),
    'service-name': z.string().regex(/^[A-Za-z0-9._-]+$/, { error: 'expected an OVH service name' }).optional(),
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
    as: z.string().regex(/^[a-z]{2,4}[0-9]{1,8}-ovh$/, { error: 'expected a nichandle like "xx11111-ovh"' }).optional(),
  })
  .refine((args) => (args.id === undefined) !== (args['from-links'] === undefined), { error: 'expected a task id or --from-links FILE, not both', path: ['id'] })
  .refine((args) => !(args.as && args['from-links']), { error: 'does not apply with --from-links: each link is tried as each validator', path: ['as'] });
const Resend = z.strictObject({ command: z.literal('resend'), ...common, id: TaskId });
const Help = z.strictObject({ command: z.literal('help') });

const SCHEMAS = { plan: Reconcile, apply: Reconcile, tasks: Tasks, accept: Answer, refuse: Answer, resend: Resend, help: Help };
type Command = keyof typeof SCHEMAS;
export type Args = z.output<(typeof SCHEMAS)[Command]>;

const isCommand = (word: string): word is Command => Object.hasOwn(SCHEMAS, word);
const takesTaskId = (command: Command) => command === 'accept' || command === 'refuse' || command === 'resend';

const TOKEN_ON_COMMAND_LINE =
  'tokens are never taken on the command line, where ps and the shell history show them: give it on standard input (or at the prompt), or the e-mailed links with --from-links FILE';

function tokenize(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

export function parseCommandLine(argv: string[]): Args {
  const { values, positionals } = tokenize(argv);
  const { help, token, ...options } = values;
  if (token !== undefined) throw new UsageError(`--token: ${TOKEN_ON_COMMAND_LINE}`);
  const command = help ? 'help' : (positionals[0] ?? 'plan');
  if (!isCommand(command)) throw new UsageError(`unknown command "${command}"`);
  const arity = takesTaskId(command) ? 2 : 1;
  if (positionals.length > arity) throw new UsageError(`${command}: unexpected argument "${positionals[arity]}"`);
  const input = command === 'help' ? { command } : { command, ...options, ...(takesTaskId(command) && positionals[1] !== undefined ? { id: positionals[1] } : {}) };
  const result = SCHEMAS[command].safeParse(input);
  if (!result.success) {
    // The message names the option, never its value: a token is a secret.
    const issue = result.error.issues[0];
    const detail = issue.code === 'unrecognized_keys' ? `option --${issue.keys[0]} does not apply` : issue.message;
    const option = issue.code !== 'unrecognized_keys' && issue.path.length > 0 ? `${issue.path[0] === 'id' ? '<task id>' : `--${String(issue.path[0])}`}: ` : '';
    throw new UsageError(`${command}: ${option}${detail}`);
  }
  return result.data;
}
