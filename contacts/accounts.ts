/**
 * The OVH accounts the agency holds API credentials for (its internal accounts and every client's and product's
 * account), found by nichandle; any other nichandle, such as a third-party operator's, is one it does not hold.
 */
import { credentialsFromEnv } from '../core/credentials';
import type { OvhAccount } from '../policy/plan';
import { OvhClient, type ApiClock, type ApiLocation } from './ovh-client';
import type { RetryPolicy } from './retry';

/** Where and how every held account reaches the API; each account's credentials are read from `env`. */
export interface ApiAccess {
  env: NodeJS.ProcessEnv;
  location: ApiLocation;
  policy: RetryPolicy;
  /** OVH's clock, read once per run and shared by every account's client. */
  clock: ApiClock;
}

export class HeldAccounts {
  private readonly byNichandle = new Map<string, OvhAccount>();
  private readonly clients = new Map<string, OvhClient>();

  /** An account's credentials are read on its first call, so unused ones need none. */
  constructor(
    accounts: OvhAccount[],
    private readonly access: ApiAccess,
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
      const { env, location, policy, clock } = this.access;
      client = new OvhClient(account, credentialsFromEnv(account.key, env), location, policy, clock);
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
