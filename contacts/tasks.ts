/**
 * Contact-change tasks: listing them, and answering one with the token OVH e-mailed to each of its two accounts.
 */
import { MissingCredentialsError } from '../config/credentials';
import type { OvhAccount } from '../policy/procedure';
import type { HeldAccounts } from './accounts';
import { uniqueBy } from './collections';
import {
  acceptTask,
  allContactChangeTasks,
  contactChangeTask,
  contactChangeTasks,
  OPEN_STATES,
  refuseTask,
  resendTaskEmails,
  type ContactChangeTask,
} from './ovh-api';
import { isNotTheirs, OvhCallError } from './ovh-client';

export interface TaskList {
  tasks: ContactChangeTask[];
  /** Accounts whose tasks could not be read, and why. */
  errors: string[];
}

/** The tasks of every account we hold, each once, the newest first; open ones only unless `all`. */
export async function listTasks(accounts: HeldAccounts, all: boolean): Promise<TaskList> {
  const errors: string[] = [];
  const lists = await Promise.all(
    accounts.all().map(async (account) => {
      try {
        const client = accounts.client(account);
        return await (all ? allContactChangeTasks(client) : contactChangeTasks(client, OPEN_STATES));
      } catch (error) {
        errors.push(`${account.nichandle}: ${(error as Error).message}`);
        return [];
      }
    }),
  );
  const tasks = uniqueBy(lists.flat(), (task) => task.id).sort((a, b) => b.id - a.id);
  return { tasks, errors };
}

export interface Answered {
  task: ContactChangeTask;
  by: OvhAccount;
}

/** The task, as seen by the first account we hold that is involved in it. */
async function findTask(id: number, accounts: HeldAccounts): Promise<Answered> {
  const withoutCredentials: string[] = [];
  for (const account of accounts.all()) {
    try {
      return { task: await contactChangeTask(accounts.client(account), id), by: account };
    } catch (error) {
      if (error instanceof MissingCredentialsError) withoutCredentials.push(...error.variables);
      else if (!isNotTheirs(error)) throw error;
    }
  }
  const unchecked = withoutCredentials.length > 0 ? `; accounts not checked for want of credentials: set ${withoutCredentials.join(', ')}` : '';
  throw new Error(`task #${id}: no account of the selection is involved in it${unchecked}`);
}

/** OVH's 403 "Invalid token" is about the e-mailed token, not the API credentials. */
function isInvalidToken(error: unknown): boolean {
  return error instanceof OvhCallError && error.status === 403 && /invalid token/i.test(error.ovhMessage ?? '');
}

class InvalidTokenError extends Error {
  constructor(id: number, tried: string[]) {
    super(
      `task #${id}: OVH answered "Invalid token" for ${tried.join(' and ')}. ` +
        'The token is the one-time code in the e-mail OVH sent about this task; each of the two accounts gets its own, ' +
        `and a used one is no longer valid. Copy it again from the latest e-mail, or send the e-mails again with "contacts resend ${id}".`,
    );
    this.name = 'InvalidTokenError';
  }
}

/**
 * Accepts or refuses a task as one of its two accounts: `as`, or else each one we hold in turn, since the token
 * tells OVH which side answers but not us.
 */
export async function answerTask(answer: 'accept' | 'refuse', id: number, token: string, as: string | undefined, accounts: HeldAccounts): Promise<Answered> {
  const { task } = await findTask(id, accounts);
  const sides = [task.fromAccount, task.toAccount];
  if (as && !sides.includes(as)) throw new Error(`task #${id} is validated by ${sides.join(' and ')}, not by ${as}`);
  const candidates = (as ? [as] : sides).flatMap((nichandle) => accounts.find(nichandle) ?? []);
  if (candidates.length === 0) {
    throw new Error(`task #${id}: the agency holds neither ${sides.join(' nor ')}; each of them answers from their own OVH account`);
  }
  const invalidFor: string[] = [];
  for (const account of candidates) {
    const client = accounts.client(account);
    try {
      await (answer === 'accept' ? acceptTask : refuseTask)(client, id, token);
    } catch (error) {
      if (!isInvalidToken(error)) throw error;
      invalidFor.push(account.nichandle);
      continue;
    }
    return { task: await contactChangeTask(client, id), by: account };
  }
  throw new InvalidTokenError(id, invalidFor);
}

/** Sends the validation e-mails of a task again, as the first account we hold involved in it. */
export async function resendTask(id: number, accounts: HeldAccounts): Promise<Answered> {
  const found = await findTask(id, accounts);
  await resendTaskEmails(accounts.client(found.by), id);
  return found;
}
