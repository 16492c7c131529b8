/**
 * Reads one service at OVH and compares it with its desired contacts: the read-only half of the tool. The
 * service's own requests come from the journal, their tasks from OVH; the preconditions OVH sets (the service's
 * status, no unpaid invoice) are checked before anything would be requested.
 */
import { apiRoute } from '../policy/service-kinds';
import type { OvhAccount } from '../policy/plan';
import type { HeldAccounts } from './accounts';
import { isUnresolved, noTaskMeansUnprocessed, taskIdsOf, type EntryOutcome, type Journal, type JournalEntry } from './journal';
import {
  accountContactIds,
  CHANGEABLE_STATUSES,
  domainOwner,
  dueAmount,
  serviceInfos,
  type ContactChangeTask,
  type CurrentContacts,
} from './ovh-api';
import { RunCache } from './collections';
import { isNotTheirs } from './ovh-client';
import { differingContacts, partiesTo, reconcile, type ContactChange } from './reconcile';
import type { ServiceNames } from './service-names';
import type { Target } from './targets';
import type { TaskBook } from './task-book';

export type ServiceState = 'in-sync' | 'drift' | 'not-ordered' | 'error';

export interface ServiceReport {
  target: Target;
  state: ServiceState;
  serviceName?: string;
  current?: CurrentContacts;
  /** OVH's `serviceInfos.status`. */
  status?: string;
  changes: ContactChange[];
  /** Open tasks on a service of this name that no request of the journal made (the OVH manager, another tool). */
  foreign: ContactChangeTask[];
  /** A domain whose owner (registrant) is not one of the client's contacts: only a trade changes it. */
  owner?: { contactId: string; expected: string };
  error?: string;
}

/** What is read of each account, once per run: what it owes, and its contacts (a domain's owner is one of them). */
export class AccountReads {
  private readonly due = new RunCache<string, Awaited<ReturnType<typeof dueAmount>>>();
  private readonly contacts = new RunCache<string, string[]>();

  constructor(private readonly accounts: HeldAccounts) {}

  dueAmount(account: OvhAccount): ReturnType<typeof dueAmount> {
    return this.due.known(account.key) ?? this.due.keep(account.key, dueAmount(this.accounts.client(account)));
  }

  contactIds(account: OvhAccount): Promise<string[]> {
    return this.contacts.known(account.key) ?? this.contacts.keep(account.key, accountContactIds(this.accounts.client(account)));
  }
}

/** What time it is by the machine's clock: an inspector's `now` unless a test gives its own. */
export const machineNow = (): Date => new Date();

export interface Inspector {
  accounts: HeldAccounts;
  names: ServiceNames;
  tasks: TaskBook;
  journal: Journal;
  accountReads: AccountReads;
  now: () => Date;
  /** Whether what is learnt (the tasks of a request whose answer was lost) is written into the journal: apply does. */
  record: boolean;
}

export async function inspect(target: Target, inspector: Inspector, fresh = false): Promise<ServiceReport> {
  const { accounts } = inspector;
  let serviceName: string | undefined;
  try {
    serviceName = await inspector.names.of(target);
    if (!serviceName) return { target, state: 'not-ordered', changes: [], foreign: [] };
    const route = apiRoute(target.kind, serviceName);
    const { infos, reader } = await readService(target, route, accounts);
    const current = infos.contacts;
    // The open tasks first, the journal after: a task of this tool seen here was recorded, at least as `sending`.
    const openOnName = await openTasksOn(partiesTo(target.desired, current), serviceName, inspector);
    const entries = await settle(await inspector.journal.entries(target.stack, fresh), serviceName, inspector);
    // Only requests about contacts that still differ matter; the others are history.
    const differing = differingContacts(target.desired, current);
    const mine = entries.filter(
      (entry) =>
        entry.service === target.service &&
        entry.serviceName === serviceName &&
        entry.changes.some((change) => differing.includes(change.contact)),
    );
    const tasks = await Promise.all(
      mine.flatMap((entry) => taskIdsOf(entry).map((id) => inspector.tasks.task(id, viaOf(entry, reader, accounts)))),
    );
    const now = inspector.now();
    const claimed = new Set(entries.flatMap(taskIdsOf));
    const foreign = openOnName.filter((task) => !claimed.has(task.id));
    const history = {
      tasks,
      unresolved: mine.filter((entry) => isUnresolved(entry, now)),
      sameName: entries.filter(
        (entry) => entry.serviceName === serviceName && entry.service !== target.service && isUnresolved(entry, now),
      ),
      foreign,
    };
    const reconciled = reconcile(target.desired, current, accounts, history);
    const changes = await Promise.all(reconciled.map((change) => checkPreconditions(change, infos.status, inspector)));
    const owner = await ownerDrift(target, serviceName, reader, inspector);
    const state = changes.length > 0 || owner ? 'drift' : 'in-sync';
    return { target, state, serviceName, current, status: infos.status, changes, foreign, owner };
  } catch (error) {
    return { target, state: 'error', serviceName, changes: [], foreign: [], error: error instanceof Error ? error.message : String(error) };
  }
}

/** A request's tasks are read as the account that asked for them, when held, or else as the service's reader. */
function viaOf(entry: JournalEntry, reader: OvhAccount, accounts: HeldAccounts): OvhAccount {
  return accounts.find(entry.requestedBy) ?? reader;
}

/** Any of the service's contacts may read it, and which accounts those are is what we are about to learn. */
async function readService(target: Target, route: string, accounts: HeldAccounts) {
  const refusals: string[] = [];
  for (const reader of target.readers) {
    try {
      return { infos: await serviceInfos(accounts.client(reader), route), reader };
    } catch (error) {
      if (!isNotTheirs(error)) throw error;
      refusals.push(`${reader.nichandle}: ${error.message}`);
    }
  }
  throw new Error(
    `${route}: no account of the agency may read it (not delivered yet, or none is among its contacts any more): ${refusals.join('; ')}`,
  );
}

/** Allowed to ask: now, the service's status and the balances of the accounts involved decide whether OVH would accept. */
async function checkPreconditions(change: ContactChange, status: string, { accounts, accountReads }: Inspector): Promise<ContactChange> {
  if (change.status.kind !== 'request') return change;
  const blocked = (reason: string): ContactChange => ({ ...change, status: { kind: 'blocked', reason, tasks: [] } });
  if (!CHANGEABLE_STATUSES.includes(status))
    return blocked(`the service is ${status} at OVH, which changes the contacts of a service in good standing only`);
  const involved = [...new Set([change.status.by.nichandle, change.from, change.to])];
  const unchecked: string[] = [];
  for (const nichandle of involved) {
    const account = accounts.find(nichandle);
    if (!account) {
      unchecked.push(nichandle);
      continue;
    }
    const due = await accountReads.dueAmount(account);
    if (due.value > 0)
      return blocked(`unpaid invoices: ${nichandle} owes ${due.text}; OVH allows no contact change while an account involved has one`);
  }
  return { ...change, status: { ...change.status, unchecked } };
}

/**
 * Requests of unknown outcome are looked for among the tasks their account asked for: a task on the same service
 * name, asked by the same account after the request left, moving the same contacts to the same accounts, that no
 * other request of the journal claims. While one such request is unresolved, no other is sent as that account on
 * that name (see reconcile's `waiting`), so what is found can only be its own. OVH opens a request's tasks within
 * the request: when its end of the exchange was over and a later run finds no task of it at all, OVH did not
 * process it, and it is requested again.
 */
async function settle(entries: JournalEntry[], serviceName: string, inspector: Inspector): Promise<JournalEntry[]> {
  const now = inspector.now();
  const open = entries.filter((entry) => entry.serviceName === serviceName && isUnresolved(entry, now));
  if (open.length === 0) return entries;
  const claimed = new Set(entries.flatMap(taskIdsOf));
  const settled = new Map<string, JournalEntry>();
  for (const entry of open) {
    const trace = await traceOf(entry, claimed, inspector);
    let outcome: EntryOutcome;
    if (trace.kind === 'found') {
      outcome = { state: 'answered', at: now.toISOString(), taskIds: trace.taskIds, found: true };
      trace.taskIds.forEach((id) => claimed.add(id));
    } else if (trace.kind === 'none' && noTaskMeansUnprocessed(entry, inspector.journal)) {
      const lost = entry.outcome.state === 'unknown' ? ` (${entry.outcome.detail})` : '';
      const error = `not received: its answer was lost${lost}, and OVH, which opens a request's tasks within the request, has none of it`;
      outcome = { state: 'failed', at: now.toISOString(), error };
    } else continue;
    settled.set(entry.id, { ...entry, outcome });
    if (inspector.record) await inspector.journal.save({ ...entry, outcome });
  }
  return entries.map((entry) => settled.get(entry.id) ?? entry);
}

/**
 * How much earlier than the request, by OVH's clock, its task may be dated: node-ovh counts the difference between
 * OVH's clock and the machine's in whole seconds, read once per run. A request recorded without its time by OVH's
 * clock is compared with the machine's, which may differ from OVH's by a few minutes.
 */
const OVH_CLOCK_MARGIN_MS = 60_000;
const MACHINE_CLOCK_MARGIN_MS = 5 * 60_000;

/** The earliest a task of the request may be dated, by OVH's clock. */
function earliestTaskDate(entry: JournalEntry): number {
  return entry.ovhSentAt ? Date.parse(entry.ovhSentAt) - OVH_CLOCK_MARGIN_MS : Date.parse(entry.sentAt) - MACHINE_CLOCK_MARGIN_MS;
}

/** What OVH's task list shows of a request: its tasks; no task on its service name about its contacts; or neither. */
export type Trace = { kind: 'found'; taskIds: number[] } | { kind: 'none' } | { kind: 'unclear' };

export async function traceOf(
  entry: JournalEntry,
  claimed: ReadonlySet<number>,
  { accounts, tasks }: Pick<Inspector, 'accounts' | 'tasks'>,
): Promise<Trace> {
  const account = accounts.find(entry.requestedBy);
  if (!account) return { kind: 'unclear' };
  const related = (await tasks.askedBy(account, claimed)).filter(
    (task) =>
      task.serviceDomain === entry.serviceName &&
      (task.askingAccount ?? entry.requestedBy) === entry.requestedBy &&
      Date.parse(task.dateRequest) >= earliestTaskDate(entry) &&
      task.contactTypes.some((contact) => entry.changes.some((change) => change.contact === contact)),
  );
  if (related.length === 0) return { kind: 'none' };
  const candidates = related.filter((task) =>
    task.contactTypes.every((contact) => entry.changes.some((change) => change.contact === contact && change.to === task.toAccount)),
  );
  const covered = new Set(candidates.flatMap((task) => task.contactTypes));
  return entry.changes.every((change) => covered.has(change.contact))
    ? { kind: 'found', taskIds: candidates.map((task) => task.id) }
    : { kind: 'unclear' };
}

/**
 * The open tasks on this service name that the accounts involved see. Those the journal does not know are shown as
 * they are, never attributed, and block a change of the contacts they move.
 */
async function openTasksOn(parties: string[], serviceName: string, { accounts, tasks }: Inspector): Promise<ContactChangeTask[]> {
  const held = parties.flatMap((nichandle) => accounts.find(nichandle) ?? []);
  const lists = await Promise.all(held.map((account) => tasks.open(account)));
  const onName = new Map<number, ContactChangeTask>();
  for (const task of lists.flat()) if (task.serviceDomain === serviceName) onName.set(task.id, task);
  return [...onName.values()].sort((a, b) => a.id - b.id);
}

async function ownerDrift(
  target: Target,
  domain: string,
  reader: OvhAccount,
  { accounts, accountReads }: Inspector,
): Promise<ServiceReport['owner']> {
  const expected = target.desired.owner;
  const ownerAccount = expected ? accounts.find(expected) : undefined;
  if (!expected || !ownerAccount) return undefined;
  const [contactId, ownersContacts] = await Promise.all([
    domainOwner(accounts.client(reader), domain),
    accountReads.contactIds(ownerAccount),
  ]);
  return ownersContacts.includes(contactId) ? undefined : { contactId, expected };
}
