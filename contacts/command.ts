/**
 * `npm run contacts -- <command>`: makes every service's OVH contacts follow the client files, through the OVH
 * API and the validation tokens OVH e-mails to the validators of each change. See the README's "Contacts".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { usageText, type Command as CommandDefinition, type CommandContext } from '../cli/command-line';
import { describeFailure } from '../core/failures';
import { EXIT_CODES, parseCommandLine, USAGE, type Args } from './args';
import { validationLinks, type ValidationLink } from './links';
import type { LockTiming } from './lock';
import { applyExitCode, applyText, planExitCode, planText, reportJson, taskJson, taskText } from './report';
import type { RetryPolicy } from './retry';
import { applyServices, openSession, planServices, type Session } from './session';
import { answerTask, listTasks, resendTask, type TaskList } from './tasks';

export interface ContactsContext extends CommandContext {
  /** A secret the engineer gives: the process's standard input, or a prompt that does not echo it, by default. */
  input?: (prompt: string, multiline?: boolean) => Promise<string>;
  /** How OVH calls are retried, how long a lock is waited for, what time it is; the defaults otherwise. */
  retry?: RetryPolicy;
  lockTiming?: LockTiming;
  now?: () => Date;
}

/** The contacts tool; `projectRoot` is where `clients/`, `cdktf.out` and the local state are found, as by main.ts. */
export const contactsCommand: CommandDefinition<Args, ContactsContext> = {
  name: 'contacts',
  usage: USAGE,
  exitCodes: EXIT_CODES,
  parse: parseCommandLine,
  run: runContacts,
};

async function runContacts(args: Args, context: ContactsContext): Promise<number> {
  if (args.command === 'help') {
    context.io.out(usageText(contactsCommand));
    return 0;
  }
  try {
    const session = openSession(context.env, context.projectRoot, {
      client: args.client,
      retry: context.retry,
      lockTiming: context.lockTiming,
      now: context.now,
    });
    return await run(args, session, context);
  } catch (error) {
    const lines = describeFailure(error);
    if (args.json) context.io.out(JSON.stringify({ command: args.command, exitCode: 1, error: lines.join('\n') }, null, 2));
    for (const line of lines) context.io.err(`contacts ${args.command}: ${line}`);
    return 1;
  }
}

type Command = Exclude<Args, { command: 'help' }>;

async function run(args: Command, session: Session, context: ContactsContext): Promise<number> {
  switch (args.command) {
    case 'plan':
    case 'apply':
      return reconcileServices(args, session, context);
    case 'tasks':
      return showTasks(args, session, context);
    case 'resend':
      return resend(args, session, context);
    default:
      return answer(args, session, context);
  }
}

const print = (context: ContactsContext, document: unknown) => context.io.out(JSON.stringify(document, null, 2));

async function reconcileServices(
  args: Extract<Command, { command: 'plan' | 'apply' }>,
  session: Session,
  context: ContactsContext,
): Promise<number> {
  const targets = servicesOf(session, args);
  const reports = args.command === 'plan' ? await planServices(session, targets) : await applyServices(session, targets);
  const now = session.applier.now();
  const code = args.command === 'plan' ? planExitCode(reports) : applyExitCode(reports);
  if (args.json) print(context, reportJson(args.command, reports, code, now));
  else (args.command === 'plan' ? planText : applyText)(reports, session.applier.accounts, now).forEach(context.io.out);
  return code;
}

async function showTasks(args: Extract<Command, { command: 'tasks' }>, session: Session, context: ContactsContext): Promise<number> {
  const { accounts, tasks: book, journal } = session.applier;
  const now = session.applier.now();
  const names = args.client ? await serviceNames(session) : undefined;
  const list = await listTasks(accounts, book, journal, { all: args.all, stacks: session.stacks, names, now });
  const { rows, unresolved, unread, errors } = list;
  const code = errors.length > 0 ? 1 : 0;
  if (args.json) {
    const requests = unresolved.map(({ id, stack, service, requestedBy, sentAt }) => ({ id, stack, service, requestedBy, sentAt }));
    const tasks = rows.map((row) => taskJson(row, now));
    print(context, { command: 'tasks', exitCode: code, tasks, unknownOutcome: requests, unread, errors });
  } else {
    rows.forEach((row) => context.io.out(taskText(row, now, accounts)));
    const summary = tasksSummary(list, args.all);
    if (summary) context.io.out(summary);
    for (const entry of unresolved)
      context.io.out(
        `Request ${entry.id} (${entry.stack} ${entry.service}, as ${entry.requestedBy}, sent ${entry.sentAt}): outcome unknown, no task found yet` +
          (entry.outcome.state === 'unknown' && entry.outcome.ended ? ' (the next apply requests it again if OVH still has none)' : ''),
      );
  }
  errors.forEach((error) => context.io.err(`contacts tasks: ${error}`));
  return code;
}

/** What the list says, or does not say: never "no task" of accounts whose tasks could not be read. */
function tasksSummary({ rows, read, unread }: TaskList, all: boolean): string | undefined {
  const what = all ? 'contact-change task' : 'open contact-change task';
  const whose = (nichandles: string[]) => `the tasks of ${nichandles.join(', ')}`;
  if (unread.length === 0) return rows.length === 0 ? `No ${what}.` : undefined;
  if (read.length === 0) return `Nothing read: ${whose(unread)} could not be read (see the errors).`;
  const missing = `${whose(unread)} could not be read (see the errors)`;
  return rows.length === 0 ? `No ${what} among ${whose(read)}; ${missing}.` : `Incomplete: ${missing}.`;
}

/** The OVH names of the selected services that are known: planned, or recorded in a state that exists. */
async function serviceNames(session: Session): Promise<Set<string>> {
  const names = await Promise.all(session.selection.targets.map((target) => session.applier.names.of(target).catch(() => undefined)));
  return new Set(names.filter((name): name is string => name !== undefined));
}

async function resend(args: Extract<Command, { command: 'resend' }>, session: Session, context: ContactsContext): Promise<number> {
  const { accounts, tasks } = session.applier;
  const { task, sentTo, notHeld, errors } = await resendTask(args.id, accounts, tasks);
  const code = errors.length > 0 || sentTo.length === 0 ? 1 : 0;
  if (args.json)
    print(context, { command: 'resend', exitCode: code, task: task.id, sentTo: sentTo.map((a) => a.nichandle), notHeld, errors });
  else {
    if (sentTo.length > 0)
      context.io.out(
        `Task #${task.id}: OVH sent a new e-mail, with a new token, to ${sentTo.map((a) => accounts.describe(a.nichandle)).join(' and ')}.`,
      );
    for (const nichandle of notHeld)
      context.io.out(
        `Task #${task.id}: ${nichandle} is not an account of the agency: it asks for its own e-mail again from its OVH account ("Resend request").`,
      );
  }
  errors.forEach((error) => context.io.err(`contacts resend: ${error}`));
  return code;
}

/** The token of one task, from what the engineer gives: the token itself, or its e-mailed link. */
async function tokenFor(id: number, context: ContactsContext): Promise<string> {
  const given = (await (context.input ?? readInput)(`Token of task #${id} (from the e-mail; not shown): `)).trim();
  const [link] = validationLinks(given);
  if (link && link.taskId !== id) throw new Error(`the link given is for task #${link.taskId}, not #${id}`);
  const token = link?.token ?? given.split('\n')[0].trim();
  if (!token) throw new Error(`no token given for task #${id}: pipe it on standard input, or type it at the prompt`);
  return token;
}

const ANSWERED = { accept: 'accepted', refuse: 'refused' } as const;

async function answer(
  args: Extract<Command, { command: 'accept' | 'refuse' }>,
  session: Session,
  context: ContactsContext,
): Promise<number> {
  const { accounts, tasks } = session.applier;
  const links: ValidationLink[] =
    args['from-links'] !== undefined
      ? await readLinks(args['from-links'], context)
      : [{ line: 0, taskId: args.id!, token: await tokenFor(args.id!, context) }];
  const results: { link: string; task: number; by?: string; state?: string; error?: string }[] = [];
  for (const link of links) {
    const name = link.line > 0 ? `link on line ${link.line}` : `task #${link.taskId}`;
    try {
      const { task, by } = await answerTask(args.command, link.taskId, link.token, args.as, accounts, tasks);
      results.push({ link: name, task: task.id, by: by.nichandle, state: task.state });
      if (!args.json) context.io.out(`Task #${task.id} ${ANSWERED[args.command]} as ${by.nichandle}; it is now ${task.state}.`);
    } catch (error) {
      results.push({ link: name, task: link.taskId, error: (error as Error).message });
      context.io.err(`contacts ${args.command}: ${links.length > 1 ? `${name}: ` : ''}${(error as Error).message}`);
    }
  }
  const code = results.some((result) => result.error) ? 1 : 0;
  if (args.json) print(context, { command: args.command, exitCode: code, results });
  return code;
}

async function readLinks(file: string, context: ContactsContext): Promise<ValidationLink[]> {
  const text =
    file === '-'
      ? await (context.input ?? readInput)('Paste the e-mails or their validation links, then Ctrl-D:\n', true)
      : fs.readFileSync(path.resolve(file), 'utf8');
  const links = validationLinks(text);
  if (links.length === 0)
    throw new Error(
      `${file === '-' ? 'standard input' : file}: no validation link found (links look like https://www.ovh.com/manager/#/dedicated/useraccount/contacts/<task id>?tab=REQUESTS&token=<token>)`,
    );
  return links;
}

/** Every selected service, or the one `--service` names, with the name `--service-name` gives it. */
function servicesOf(session: Session, args: Extract<Command, { command: 'plan' | 'apply' }>) {
  const { targets } = session.selection;
  if (!args.service) return targets;
  const target = targets.find((t) => t.service === args.service);
  if (!target) {
    throw new Error(
      `no service "${args.service}" in the plan of ${args.client}; its services are: ${targets.map((t) => t.service).join(', ')}`,
    );
  }
  return [{ ...target, name: args['service-name'] ?? target.name }];
}

/** A secret from standard input: the whole of it when piped; typed at a terminal without echo, one line or until Ctrl-D. */
function readInput(prompt: string, multiline = false): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    try {
      return Promise.resolve(fs.readFileSync(0, 'utf8'));
    } catch {
      return Promise.resolve(''); // no standard input at all
    }
  }
  return new Promise((resolve) => {
    process.stderr.write(prompt);
    let typed = '';
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\u0004' || (!multiline && (char === '\r' || char === '\n'))) {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolve(typed);
        }
        if (char === '\u0003') process.exit(130);
        typed = char === '\u007f' ? typed.slice(0, -1) : typed + (char === '\r' ? '\n' : char);
      }
    };
    stdin.on('data', onData);
  });
}
