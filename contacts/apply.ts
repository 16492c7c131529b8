/**
 * Requests the changes `inspect` found, each with the credentials of the account allowed to make it, one
 * changeContact call per requesting account and service, under that account's lock on the service name, recorded
 * in the journal before it leaves and after it is answered. Never twice: a request whose answer was lost is looked
 * for among the tasks; not found, its outcome stays unknown and it is not sent again until it is known (inspect.ts
 * settles it: its tasks found, or none at all once OVH's end of the exchange was over).
 */
import { apiRoute } from '../policy/service-kinds';
import type { OvhAccount } from '../policy/plan';
import { uniqueBy } from './collections';
import { inspect, traceOf, type Inspector, type ServiceReport, type Trace } from './inspect';
import { newEntry, taskIdsOf, type EntryOutcome, type JournalEntry } from './journal';
import { takeLock, type LockTiming } from './lock';
import { changeContact, type ContactChangeTask } from './ovh-api';
import { OvhCallError } from './ovh-client';
import type { ChangeStatus, ContactChange } from './reconcile';
import { backoffDelay, timersOf, type RetryPolicy } from './retry';
import type { ContactsStore } from './store';
import type { Target } from './targets';

export interface Applier extends Inspector {
  store: ContactsStore;
  policy: RetryPolicy;
  lockTiming?: LockTiming;
}

type Request = ContactChange & { status: Extract<ChangeStatus, { kind: 'request' }> };
const isRequest = (change: ContactChange): change is Request => change.status.kind === 'request';

/**
 * The accounts whose lock the changes need: the requester of each change to request, and the asking account of a
 * request seen unresolved, which may be another run's still in flight, or of a task seen as no request's, which may
 * be one another run has not recorded yet: under the lock it is known.
 */
function lockHolders(report: ServiceReport, applier: Applier): OvhAccount[] {
  const accounts = report.changes.flatMap(({ status }) => {
    if (status.kind === 'request') return [status.by];
    if (status.kind === 'blocked') return status.recheckAs ?? [];
    if (status.kind === 'unknown' || status.kind === 'waiting') return applier.accounts.find(status.entry.requestedBy) ?? [];
    return [];
  });
  return uniqueBy(accounts, 'key');
}

/** Plans the service, then requests what it needs. */
export async function applyService(target: Target, applier: Applier): Promise<ServiceReport> {
  const report = await inspect(target, { ...applier, record: true });
  return report.state === 'drift' ? applyReport(report, applier) : report;
}

async function applyReport(report: ServiceReport, applier: Applier): Promise<ServiceReport> {
  const { serviceName } = report;
  const requesters = lockHolders(report, applier);
  if (!serviceName || requesters.length === 0) return report;
  const outcomes = new Map<ContactChange['contact'], ChangeStatus>();
  let latest = report;
  try {
    for (const account of requesters) {
      const lock = await takeLock(applier.store, `${account.nichandle}@${serviceName}`, applier.lockTiming);
      try {
        // Under the lock, look again: another run or provisioner may have requested it meanwhile.
        const fresh = await inspect(report.target, { ...applier, record: true }, true);
        const group = fresh.changes.filter(isRequest).filter((change) => change.status.by.key === account.key);
        if (group.length > 0) for (const [contact, status] of await request(group, fresh, account, applier)) outcomes.set(contact, status);
        latest = fresh;
      } finally {
        await lock.release();
      }
    }
  } catch (error) {
    return { ...latest, state: 'error', error: error instanceof Error ? error.message : String(error) };
  }
  return { ...latest, changes: latest.changes.map((change) => ({ ...change, status: outcomes.get(change.contact) ?? change.status })) };
}

/** One changeContact call for the changes of `group`, which all have `account` as requester. */
async function request(
  group: Request[],
  report: ServiceReport,
  account: OvhAccount,
  applier: Applier,
): Promise<Map<ContactChange['contact'], ChangeStatus>> {
  const { target, serviceName } = report as ServiceReport & { serviceName: string };
  const { journal, now } = applier;
  const sentAt = now();
  const entry = newEntry(
    {
      stack: target.stack,
      service: target.service,
      kind: target.kind,
      route: apiRoute(target.kind, serviceName),
      serviceName,
      requestedBy: account.nichandle,
      changes: group.map(({ contact, from, to }) => ({ contact, from, to })),
    },
    sentAt,
    await applier.accounts.client(account).ovhTime(sentAt),
  );
  await journal.save(entry);
  const outcome = await send(entry, account, applier);
  await journal.save({ ...entry, outcome });
  applier.tasks.forget(account);

  const statuses = new Map<ContactChange['contact'], ChangeStatus>();
  if (outcome.state === 'answered') {
    // One task per new account: each task's contact types tell which changes it carries.
    const tasks = await Promise.all(outcome.taskIds.map((id) => applier.tasks.fresh(id, account))).catch(() => [] as ContactChangeTask[]);
    for (const change of group) {
      const mine = tasks.filter((task) => task.contactTypes.includes(change.contact));
      statuses.set(change.contact, {
        kind: 'requested',
        by: account,
        tasks: mine,
        taskIds: mine.length > 0 ? mine.map((task) => task.id) : outcome.taskIds,
      });
    }
  } else {
    const saved: JournalEntry = { ...entry, outcome };
    for (const change of group) {
      statuses.set(
        change.contact,
        outcome.state === 'unknown'
          ? { kind: 'unknown', entry: saved }
          : { kind: 'failed', by: account, error: outcome.state === 'failed' ? outcome.error : 'not sent' },
      );
    }
  }
  return statuses;
}

/**
 * Sends the request and tells what became of it. A server error may or may not have been processed, and a lost
 * answer may be processed late: the tasks the request would have opened are looked for before anything else. A
 * server error with no task at all is tried again at once; a lost answer is left to the next run to conclude.
 */
async function send(entry: JournalEntry, account: OvhAccount, applier: Applier): Promise<EntryOutcome> {
  const { policy, now } = applier;
  const timers = timersOf(policy);
  const client = applier.accounts.client(account);
  const at = () => now().toISOString();
  const body = Object.fromEntries(entry.changes.map((change) => [change.contact, change.to]));
  const claimed = new Set((await applier.journal.entries(entry.stack)).flatMap(taskIdsOf));
  let lastError = '';
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      const taskIds = await changeContact(client, entry.route, body);
      if (taskIds.length === 0)
        return {
          state: 'failed',
          at: at(),
          error: `POST ${entry.route}/changeContact as ${account.nichandle}: OVH answered an empty list of tasks: nothing was requested`,
        };
      return { state: 'answered', at: at(), taskIds, found: false };
    } catch (error) {
      if (!(error instanceof OvhCallError) || error.outcome !== 'uncertain')
        return { state: 'failed', at: at(), error: (error as Error).message };
      lastError = error.message;
      const lost = !error.answered;
      // A lost answer may be processed a little later: look a few times before calling its outcome unknown.
      let trace: Trace | undefined;
      for (let look = 1; look <= (lost ? policy.attempts : 1); look++) {
        trace = await traceOf(entry, claimed, applier).catch(() => undefined);
        if (trace?.kind === 'found') return { state: 'answered', at: at(), taskIds: trace.taskIds, found: true };
        if (lost) await timers.sleep(backoffDelay(policy, look));
      }
      if (lost || trace?.kind !== 'none') return { state: 'unknown', since: at(), detail: error.message, ended: error.ended };
      // OVH answered with a server error and opened no task: it did not take the request; try again.
      await timers.sleep(backoffDelay(policy, attempt));
    }
  }
  return { state: 'failed', at: at(), error: `${lastError}; no task appeared after ${policy.attempts} attempt(s)` };
}
