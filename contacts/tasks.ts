/**
 * Contact-change tasks: listing them with the service the journal attributes each to, and answering or resending
 * one as each of its validators the agency holds (validation.ts says who validates).
 */
import { MissingCredentialsError } from '../core/credentials';
import type { OvhAccount } from '../policy/plan';
import type { HeldAccounts } from './accounts';
import { uniqueBy } from './collections';
import { isUnresolved, taskIdsOf, type Journal, type JournalEntry } from './journal';
import { answerTask as postAnswer, contactChangeTaskIds, resendTaskEmail, type ContactChangeTask } from './ovh-api';
import { isInvalidToken, isNotTheirs, OvhCallError } from './ovh-client';
import type { TaskBook } from './task-book';
import { taskValidation } from './validation';

/** A task, and the service the journal attributes it to, if any. */
export interface TaskRow {
  task: ContactChangeTask;
  service?: { stack: string; service: string };
}

export interface TaskList {
  rows: TaskRow[];
  /** Requests whose answer never came, of the selected stacks. */
  unresolved: JournalEntry[];
  /** The accounts whose tasks were read, and those whose tasks could not be, with why in `errors`. */
  read: string[];
  unread: string[];
  errors: string[];
}

/**
 * The tasks of every account we hold, each once, the newest first; open ones only unless `all`. With `names`
 * (a client's services), only the tasks on those service names or that its journal attributes to it.
 */
export async function listTasks(
  accounts: HeldAccounts,
  book: TaskBook,
  journal: Journal,
  options: { all: boolean; stacks: string[]; names?: ReadonlySet<string>; now: Date },
): Promise<TaskList> {
  const errors: string[] = [];
  const unread: string[] = [];
  const entries = (await Promise.all(options.stacks.map((stack) => journal.entries(stack)))).flat();
  const owner = new Map<number, TaskRow['service']>();
  for (const entry of entries) for (const id of taskIdsOf(entry)) owner.set(id, { stack: entry.stack, service: entry.service });
  const lists = await Promise.all(
    accounts.all().map(async (account) => {
      try {
        if (!options.all) return await book.open(account);
        const ids = await contactChangeTaskIds(accounts.client(account));
        return await Promise.all([...new Set(ids)].map((id) => book.task(id, account)));
      } catch (error) {
        unread.push(account.nichandle);
        errors.push(`${account.nichandle}: ${(error as Error).message}`);
        return [];
      }
    }),
  );
  const tasks = uniqueBy(lists.flat(), 'id').sort((a, b) => b.id - a.id);
  const selected = options.names ? tasks.filter((task) => owner.has(task.id) || options.names!.has(task.serviceDomain ?? '')) : tasks;
  return {
    rows: selected.map((task) => ({ task, service: owner.get(task.id) })),
    unresolved: entries.filter((entry) => isUnresolved(entry, options.now)),
    read: accounts
      .all()
      .map((account) => account.nichandle)
      .filter((nichandle) => !unread.includes(nichandle)),
    unread,
    errors,
  };
}

/**
 * The task, as seen by the first account we hold that is involved in it. OVH shows a task only to the accounts
 * involved in it: "none of them is involved" is said only when every account could be asked.
 */
async function findTask(id: number, accounts: HeldAccounts, book: TaskBook): Promise<ContactChangeTask> {
  const notInvolved: string[] = [];
  const failures: string[] = [];
  for (const account of accounts.all()) {
    try {
      return await book.fresh(id, account);
    } catch (error) {
      if (isNotTheirs(error)) notInvolved.push(account.nichandle);
      else failures.push(error instanceof MissingCredentialsError ? `${account.nichandle}: ${error.message}` : (error as Error).message);
    }
  }
  if (failures.length === 0) throw new Error(`task #${id}: no account of the selection is involved in it`);
  const who =
    notInvolved.length > 0
      ? `${notInvolved.join(', ')} not involved in it; OVH could not be asked as the others`
      : 'OVH could not be asked as any account held';
  throw new Error(`task #${id} could not be read: ${who}: ${failures.join('; ')}`);
}

/** The validators of a task the agency holds: all of them, or `as` alone. */
function heldValidators(task: ContactChangeTask, as: string | undefined, accounts: HeldAccounts): OvhAccount[] {
  const { validators, informed } = taskValidation(task);
  const validatedBy = `task #${task.id} is validated by ${validators.join(' and ')}`;
  if (as && informed.includes(as)) throw new Error(`${validatedBy}; ${as}, its old holder, is only informed`);
  if (as && !validators.includes(as)) throw new Error(`${validatedBy}, not by ${as}`);
  const held = (as ? [as] : validators).flatMap((nichandle) => accounts.find(nichandle) ?? []);
  if (held.length === 0) throw new Error(`${validatedBy}; the agency holds none of them: each answers from their own OVH account`);
  return held;
}

export interface Answered {
  task: ContactChangeTask;
  by: OvhAccount;
}

/**
 * Accepts or refuses a task with a token, as `as`, or else as each validator we hold in turn: the token tells OVH
 * which validator answers, not us. Every account's outcome is reported when none succeeds.
 */
export async function answerTask(
  answer: 'accept' | 'refuse',
  id: number,
  token: string,
  as: string | undefined,
  accounts: HeldAccounts,
  book: TaskBook,
): Promise<Answered> {
  const task = await findTask(id, accounts, book);
  const outcomes: string[] = [];
  let onlyInvalidTokens = true;
  for (const account of heldValidators(task, as, accounts)) {
    try {
      await postAnswer(accounts.client(account), answer, id, token);
      return { task: await book.fresh(id, account), by: account };
    } catch (error) {
      if (error instanceof OvhCallError && error.outcome === 'uncertain') throw await lostAnswer(answer, task, account, error, book);
      if (isInvalidToken(error)) outcomes.push(`${account.nichandle}: "Invalid token"`);
      else {
        onlyInvalidTokens = false;
        outcomes.push((error as Error).message);
      }
    }
  }
  if (onlyInvalidTokens) {
    const others = as ? [] : taskValidation(task).validators.filter((nichandle) => !accounts.find(nichandle));
    const theirs =
      others.length > 0
        ? ` If it is the e-mail of ${others.join(' or ')}, not an account of the agency, that account answers from its own OVH account.`
        : '';
    throw new Error(
      `task #${id}: OVH answered "Invalid token" as ${outcomes.map((o) => o.split(':')[0]).join(' and ')}. ` +
        'The token is the one-time code of the e-mail OVH sent about this task; each validator gets its own, ' +
        `and a used or resent one is no longer valid. Use the latest e-mail's, or send new ones with "contacts resend ${id}".${theirs}`,
    );
  }
  throw new Error(`task #${id} was not ${answer === 'accept' ? 'accepted' : 'refused'}: ${outcomes.join('; ')}`);
}

/**
 * An answer whose outcome is not known (lost, or a server error): the token is single-use, so it is sent neither again nor as another account
 * (OVH would call it invalid, though it may have taken it). What the task's state now says is reported instead.
 */
async function lostAnswer(
  answer: 'accept' | 'refuse',
  before: ContactChangeTask,
  account: OvhAccount,
  error: OvhCallError,
  book: TaskBook,
): Promise<Error> {
  const { id } = before;
  const state = await book.fresh(id, account).then(
    ({ state }) =>
      state === before.state
        ? `The task is still ${state}.`
        : `The task is now ${state} (it was ${before.state}): OVH most likely took the token.`,
    (failure: Error) => `Its state could not be read: ${failure.message}.`,
  );
  return new Error(
    `task #${id}: the answer to "${answer}" as ${account.nichandle} is not known: ${error.explanation}. A token is single-use: ` +
      `it is not sent again, as ${account.nichandle} or as any other account. ${state} Check with "contacts tasks --all"; ` +
      `if the task still waits for ${account.nichandle}, ask for a new e-mail with "contacts resend ${id}".`,
  );
}

export interface Resent {
  task: ContactChangeTask;
  sentTo: OvhAccount[];
  /** Validators the agency does not hold: they resend from their own OVH account. */
  notHeld: string[];
  errors: string[];
}

/** OVH resends the e-mail (with a new token) to the calling account only: it is called as each validator we hold. */
export async function resendTask(id: number, accounts: HeldAccounts, book: TaskBook): Promise<Resent> {
  const task = await findTask(id, accounts, book);
  const { validators } = taskValidation(task);
  const resent: Resent = { task, sentTo: [], notHeld: validators.filter((nichandle) => !accounts.find(nichandle)), errors: [] };
  for (const account of heldValidators(task, undefined, accounts)) {
    try {
      await resendTaskEmail(accounts.client(account), id);
      resent.sentTo.push(account);
    } catch (error) {
      resent.errors.push((error as Error).message);
    }
  }
  return resent;
}
