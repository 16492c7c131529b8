/**
 * The contact-change tasks the held accounts can see, read once per run: every service of a client shares the same
 * few accounts. A task is read as any account involved in it.
 */
import type { OvhAccount } from '../policy/plan';
import type { HeldAccounts } from './accounts';
import { RunCache } from './collections';
import { contactChangeTask, contactChangeTaskIds, OPEN_STATES, type ContactChangeTask } from './ovh-api';

export class TaskBook {
  private readonly details = new RunCache<number, ContactChangeTask>();
  private readonly openByAccount = new RunCache<string, ContactChangeTask[]>();

  constructor(private readonly accounts: HeldAccounts) {}

  /** A task, read as `via` (an account involved in it). */
  task(id: number, via: OvhAccount): Promise<ContactChangeTask> {
    return this.details.known(id) ?? this.details.keep(id, contactChangeTask(this.accounts.client(via), id));
  }

  /** The open tasks the account is involved in. */
  open(account: OvhAccount): Promise<ContactChangeTask[]> {
    return this.openByAccount.known(account.key) ?? this.openByAccount.keep(account.key, this.readOpen(account));
  }

  private async readOpen(account: OvhAccount): Promise<ContactChangeTask[]> {
    const client = this.accounts.client(account);
    const lists = await Promise.all(OPEN_STATES.map((state) => contactChangeTaskIds(client, { state })));
    return Promise.all([...new Set(lists.flat())].map((id) => this.task(id, account)));
  }

  /**
   * Every task the account asked for, in any state, but `except`: to find the tasks of a request whose answer was
   * lost. The list is read afresh; a task already read is not, as what identifies it (service, accounts, contacts,
   * date) never changes.
   */
  async askedBy(account: OvhAccount, except: ReadonlySet<number>): Promise<ContactChangeTask[]> {
    const ids = await contactChangeTaskIds(this.accounts.client(account), { askingAccount: account.nichandle });
    return Promise.all(ids.filter((id) => !except.has(id)).map((id) => this.task(id, account)));
  }

  /** Reads a task again: after its state may have changed. */
  fresh(id: number, via: OvhAccount): Promise<ContactChangeTask> {
    this.details.forget(id);
    return this.task(id, via);
  }

  /** After a request as `account`, its open tasks are read again on next use. */
  forget(account: OvhAccount): void {
    this.openByAccount.forget(account.key);
  }
}
