/**
 * The contact-change tasks the held accounts can see, read once per run: every service of a client shares the same
 * few accounts. A task is read as any account involved in it.
 */
import type { OvhAccount } from '../policy/plan';
import type { HeldAccounts } from './accounts';
import { cached } from './collections';
import { contactChangeTask, contactChangeTaskIds, OPEN_STATES, type ContactChangeTask } from './ovh-api';

export class TaskBook {
  private readonly details = new Map<number, Promise<ContactChangeTask>>();
  private readonly openByAccount = new Map<string, Promise<ContactChangeTask[]>>();

  constructor(private readonly accounts: HeldAccounts) {}

  /** A task, read as `via` (an account involved in it). */
  task(id: number, via: OvhAccount): Promise<ContactChangeTask> {
    return cached(this.details, id, () => contactChangeTask(this.accounts.client(via), id));
  }

  /** The open tasks the account is involved in. */
  open(account: OvhAccount): Promise<ContactChangeTask[]> {
    return cached(this.openByAccount, account.key, () => {
      const client = this.accounts.client(account);
      return Promise.all(OPEN_STATES.map((state) => contactChangeTaskIds(client, { state }))).then((lists) =>
        Promise.all([...new Set(lists.flat())].map((id) => this.task(id, account))),
      );
    });
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
    this.details.delete(id);
    return this.task(id, via);
  }

  /** After a request as `account`, its open tasks are read again on next use. */
  forget(account: OvhAccount): void {
    this.openByAccount.delete(account.key);
  }
}
