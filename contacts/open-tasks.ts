/**
 * The open contact-change tasks each account is involved in, read once per run and account:
 * every service of a client shares the same few accounts.
 */
import type { OvhAccount } from '../policy/procedure';
import type { HeldAccounts } from './accounts';
import { uniqueBy } from './collections';
import { contactChangeTasks, OPEN_STATES, type ContactChangeTask } from './ovh-api';

export class OpenTasks {
  private readonly cache = new Map<string, Promise<ContactChangeTask[]>>();

  constructor(private readonly accounts: HeldAccounts) {}

  of(account: OvhAccount): Promise<ContactChangeTask[]> {
    let tasks = this.cache.get(account.key);
    if (!tasks) {
      const reading = contactChangeTasks(this.accounts.client(account), OPEN_STATES);
      // A failed read is not kept: the next service asks again.
      reading.catch(() => this.cache.get(account.key) === reading && this.cache.delete(account.key));
      this.cache.set(account.key, reading);
      tasks = reading;
    }
    return tasks;
  }

  /** Reads the account's tasks again on next use: after it requested a change. */
  forget(account: OvhAccount): void {
    this.cache.delete(account.key);
  }

  /** The open tasks of all the accounts we hold among `nichandles`, each task once. */
  async involving(nichandles: string[]): Promise<ContactChangeTask[]> {
    const held = [...new Set(nichandles)].flatMap((nichandle) => this.accounts.find(nichandle) ?? []);
    const lists = await Promise.all(held.map((account) => this.of(account)));
    return uniqueBy(lists.flat(), (task) => task.id);
  }
}
