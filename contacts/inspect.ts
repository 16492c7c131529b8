/**
 * Reads one service at OVH and compares it with its desired contacts: the read-only half of the tool.
 */
import { apiRoute } from '../policy/ovh-services';
import type { OvhAccount } from '../policy/procedure';
import type { HeldAccounts } from './accounts';
import type { OpenTasks } from './open-tasks';
import { accountContactIds, currentContacts, domainOwner, type CurrentContacts } from './ovh-api';
import { isNotTheirs } from './ovh-client';
import { partiesTo, reconcile, type ContactChange } from './reconcile';
import type { ServiceNames } from './service-names';
import type { Target } from './targets';

export type ServiceState = 'in-sync' | 'drift' | 'not-ordered' | 'error';

export interface ServiceReport {
  target: Target;
  state: ServiceState;
  serviceName?: string;
  current?: CurrentContacts;
  changes: ContactChange[];
  /** A domain whose owner (registrant) is not one of the client's contacts: only a trade changes it. */
  owner?: { contactId: string; expected: string };
  error?: string;
}

export interface Inspector {
  accounts: HeldAccounts;
  names: ServiceNames;
  tasks: OpenTasks;
}

export async function inspect(target: Target, { accounts, names, tasks }: Inspector): Promise<ServiceReport> {
  let serviceName: string | undefined;
  try {
    serviceName = await names.of(target);
    if (!serviceName) return { target, state: 'not-ordered', changes: [] };
    const { current, reader } = await readContacts(target, apiRoute(target.kind, serviceName), accounts);
    const open = await tasks.involving(partiesTo(target.desired, current));
    const changes = reconcile(target.desired, current, serviceName, (nichandle) => accounts.find(nichandle), open);
    const owner = await ownerDrift(target, serviceName, reader, accounts);
    const state = changes.length > 0 || owner ? 'drift' : 'in-sync';
    return { target, state, serviceName, current, changes, owner };
  } catch (error) {
    return { target, state: 'error', serviceName, changes: [], error: error instanceof Error ? error.message : String(error) };
  }
}

/** Any of the service's contacts may read it, and which accounts those are is what we are about to learn. */
async function readContacts(target: Target, route: string, accounts: HeldAccounts): Promise<{ current: CurrentContacts; reader: OvhAccount }> {
  const refusals: string[] = [];
  for (const reader of target.readers) {
    try {
      return { current: await currentContacts(accounts.client(reader), route), reader };
    } catch (error) {
      if (!isNotTheirs(error)) throw error;
      refusals.push(`${reader.nichandle}: ${error.message}`);
    }
  }
  throw new Error(`${route}: no account of the agency may read it (not delivered yet, or none is among its contacts any more): ${refusals.join('; ')}`);
}

async function ownerDrift(target: Target, domain: string, reader: OvhAccount, accounts: HeldAccounts): Promise<ServiceReport['owner']> {
  const expected = target.desired.owner;
  const ownerAccount = expected ? accounts.find(expected) : undefined;
  if (!expected || !ownerAccount) return undefined;
  const [contactId, ownersContacts] = await Promise.all([domainOwner(accounts.client(reader), domain), accountContactIds(accounts.client(ownerAccount))]);
  return ownersContacts.includes(contactId) ? undefined : { contactId, expected };
}
