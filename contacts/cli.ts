/**
 * `npm run contacts -- <command>`: makes every service's OVH contacts follow the client files, through the OVH
 * API and the validation tokens OVH e-mails to both accounts of each change. See contacts/README-section.md.
 */
import * as path from 'node:path';
import { credentialsFromEnv } from '../config/credentials';
import { settingsFrom, type Settings } from '../config/environment';
import { describeFailure } from '../config/failures';
import { loadConfig } from '../config/load';
import { AGENCY_STACK } from '../policy/procedure';
import { HeldAccounts } from './accounts';
import { applyReport } from './apply';
import { parseCommandLine, USAGE, UsageError, type Args } from './args';
import { inspect, type ServiceReport } from './inspect';
import { OpenTasks } from './open-tasks';
import { apiLocation, OvhClient } from './ovh-client';
import { applyExitCode, applyText, planExitCode, planText, reportJson, taskJson, taskText } from './report';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';
import { ServiceNames } from './service-names';
import { answerTask, listTasks, resendTask } from './tasks';
import { selectTargets, type Selection } from './targets';

export interface CliContext {
  env: NodeJS.ProcessEnv;
  /** The project folder: `clients/`, `cdktf.out` and the local state are found from it, as by main.ts. */
  projectRoot: string;
  /** Standard output and standard error, one line per call. */
  out: (line: string) => void;
  err: (line: string) => void;
  /** How OVH calls are retried; the defaults otherwise. */
  retry?: RetryPolicy;
}

export async function runContacts(argv: string[], context: CliContext): Promise<number> {
  let args: Args;
  try {
    args = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    context.err(`contacts: ${error.message}`);
    context.err(USAGE);
    return 1;
  }
  if (args.command === 'help') {
    context.out(USAGE);
    return 0;
  }
  try {
    return await run(args, context);
  } catch (error) {
    const lines = describeFailure(error);
    if (args.json) context.out(JSON.stringify({ command: args.command, exitCode: 1, error: lines.join('\n') }, null, 2));
    for (const line of lines) context.err(`contacts ${args.command}: ${line}`);
    return 1;
  }
}

type Command = Exclude<Args, { command: 'help' }>;

/** What every command works with: the selection, an API client per held account, and the output. */
interface Session {
  settings: Settings;
  selection: Selection;
  accounts: HeldAccounts;
  context: CliContext;
  print: (document: unknown) => void;
}

async function run(args: Command, context: CliContext): Promise<number> {
  const settings = settingsFrom(context.env, context.projectRoot);
  const onlyAgency = args.client === AGENCY_STACK;
  const clients = args.client ? (onlyAgency ? [] : [args.client]) : settings.selectedClients;
  const config = loadConfig(settings.clientsDir, clients);
  const selection = selectTargets(config, !args.client || onlyAgency);
  const location = apiLocation(config.agency.ovh.endpoint, context.env);
  const policy = context.retry ?? DEFAULT_RETRY;
  const accounts = new HeldAccounts(selection.accounts, (account) => new OvhClient(account, credentialsFromEnv(account.key, context.env), location, policy));
  const session = { settings, selection, accounts, context, print: (document: unknown) => context.out(JSON.stringify(document, null, 2)) };
  switch (args.command) {
    case 'plan':
    case 'apply':
      return reconcileServices(args, session);
    case 'tasks':
      return showTasks(args, session);
    default:
      return answer(args, session);
  }
}

async function reconcileServices(args: Extract<Command, { command: 'plan' | 'apply' }>, { settings, selection, accounts, context, print }: Session): Promise<number> {
  const tasks = new OpenTasks(accounts);
  const inspector = { accounts, names: new ServiceNames(settings), tasks };
  const reports: ServiceReport[] = [];
  // One service at a time: the API's rate limit is per account, and most services share the same accounts.
  for (const target of servicesOf(selection, args)) {
    const report = await inspect(target, inspector);
    reports.push(args.command === 'apply' ? await applyReport(report, accounts, tasks) : report);
  }
  const code = args.command === 'plan' ? planExitCode(reports) : applyExitCode(reports);
  if (args.json) print(reportJson(args.command, reports, code));
  else (args.command === 'plan' ? planText(reports, accounts) : applyText(reports, accounts)).forEach(context.out);
  return code;
}

async function showTasks(args: Extract<Command, { command: 'tasks' }>, { accounts, context, print }: Session): Promise<number> {
  const { tasks, errors } = await listTasks(accounts, args.all);
  const now = new Date();
  const code = errors.length > 0 ? 1 : 0;
  if (args.json) print({ command: 'tasks', exitCode: code, tasks: tasks.map((task) => taskJson(task, now)), errors });
  else {
    tasks.forEach((task) => context.out(taskText(task, now)));
    if (tasks.length === 0) context.out(args.all ? 'No contact-change task.' : 'No open contact-change task.');
  }
  errors.forEach((error) => context.err(`contacts tasks: ${error}`));
  return code;
}

async function answer(args: Extract<Command, { command: 'accept' | 'refuse' | 'resend' }>, { accounts, context, print }: Session): Promise<number> {
  const { task, by } = args.command === 'resend' ? await resendTask(args.id, accounts) : await answerTask(args.command, args.id, args.token, args.as, accounts);
  const done = { accept: `accepted as ${by.nichandle}`, refuse: `refused as ${by.nichandle}`, resend: `e-mails sent again to ${task.fromAccount} and ${task.toAccount}` };
  if (args.json) print({ command: args.command, exitCode: 0, by: by.nichandle, task: taskJson(task, new Date()) });
  else context.out(`Task #${task.id} ${done[args.command]}; it is now ${task.state}.`);
  return 0;
}

/** Every selected service, or the one `--service` names, with the name `--service-name` gives it. */
function servicesOf(selection: Selection, args: Extract<Command, { command: 'plan' | 'apply' }>) {
  if (!args.service) return selection.targets;
  const target = selection.targets.find((t) => t.service === args.service);
  if (!target) {
    const known = selection.targets.map((t) => t.service).join(', ');
    throw new Error(`no service "${args.service}" in the plan of ${args.client}; its services are: ${known}`);
  }
  return [{ ...target, name: args['service-name'] ?? target.name }];
}

if (require.main === module) {
  runContacts(process.argv.slice(2), {
    env: process.env,
    projectRoot: path.resolve(__dirname, '..'),
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  }).then((code) => {
    // Exit once the output is written, without waiting for a socket that an attempt abandoned at its deadline may hold.
    process.stdout.write('', () => process.exit(code));
  });
}
