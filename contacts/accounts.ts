/**
 * The OVH accounts the agency holds API credentials for (its internal accounts and every client's and product's
 * account), found by nichandle; any other nichandle, such as a third-party operator's, is one it does not hold.
 */
import type { OvhAccount } from '../policy/plan';
import type { OvhClient } from './ovh-client';

export class HeldAccounts {
  private readonly byNichandle = new Map<string, OvhAccount>();
  private readonly clients = new Map<string, OvhClient>();

  /** `connect` reads the account's credentials; it runs on the account's first call, so unused ones need none. */
  constructor(
    accounts: OvhAccount[],
    private readonly connect: (account: OvhAccount) => OvhClient,
  ) {
    for (const account of accounts) this.byNichandle.set(account.nichandle, account);
  }

  find(nichandle: string): OvhAccount | undefined {
    return this.byNichandle.get(nichandle);
  }

  all(): OvhAccount[] {
    return [...this.byNichandle.values()];
  }

  client(account: OvhAccount): OvhClient {
    let client = this.clients.get(account.key);
    if (!client) {
      client = this.connect(account);
      this.clients.set(account.key, client);
    }
    return client;
  }

  /** Who a nichandle is, for the engineer who must act on it. */
  describe(nichandle: string): string {
    const account = this.find(nichandle);
    if (!account) return `${nichandle} (not an account of the agency)`;
    return account.email ? `${nichandle} (${account.key}, mail to ${account.email})` : `${nichandle} (${account.key})`;
  }
}
