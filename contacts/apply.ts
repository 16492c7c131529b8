/**
 * Requests the changes `inspect` found, each with the credentials of the account allowed to make it: one
 * changeContact call per requesting account and service, never one that an open task already covers.
 */
import { apiRoute } from '../policy/ovh-services';
import type { HeldAccounts } from './accounts';
import { groupBy } from './collections';
import type { ServiceReport } from './inspect';
import type { OpenTasks } from './open-tasks';
import { changeContact, contactChangeTask } from './ovh-api';
import { covers, type ChangeStatus, type ContactChange } from './reconcile';

type Request = ContactChange & { status: Extract<ChangeStatus, { kind: 'request' }> };

export async function applyReport(report: ServiceReport, accounts: HeldAccounts, tasks: OpenTasks): Promise<ServiceReport> {
  const { serviceName } = report;
  const requests = report.changes.filter((change): change is Request => change.status.kind === 'request');
  if (!serviceName || requests.length === 0) return report;

  const outcomes = new Map<ContactChange, ChangeStatus>();
  const service = { route: apiRoute(report.target.kind, serviceName), serviceName };
  for (const group of groupBy(requests, (request) => request.status.by.key).values()) {
    for (const [change, status] of await requestGroup(group, service, accounts, tasks)) outcomes.set(change, status);
  }
  return { ...report, changes: report.changes.map((change) => ({ ...change, status: outcomes.get(change) ?? change.status })) };
}

/** One changeContact call for the changes of `group`, which all have the same requesting account. */
async function requestGroup(
  group: Request[],
  { route, serviceName }: { route: string; serviceName: string },
  accounts: HeldAccounts,
  tasks: OpenTasks,
): Promise<[ContactChange, ChangeStatus][]> {
  const { by } = group[0].status;
  try {
    const client = accounts.client(by);
    // After an attempt that may have reached OVH, its tasks are looked for before anything is asked again.
    const alreadyOpened = async () => {
      tasks.forget(by);
      const open = await tasks.of(by);
      const found = group.map((change) => open.find((task) => covers(task, serviceName, change.contact, change.to)));
      return found.every((task) => task !== undefined) ? found.map((task) => task.id) : undefined;
    };
    const ids = await changeContact(client, route, Object.fromEntries(group.map((change) => [change.contact, change.to])), alreadyOpened);
    tasks.forget(by);
    // OVH opens one task per contact; their details say which is which. Without them, the ids still tell what was done.
    const opened = await Promise.all(ids.map((id) => contactChangeTask(client, id))).catch(() => undefined);
    const idsFor = (change: Request) => opened?.filter((task) => task.contactTypes.includes(change.contact)).map((task) => task.id) ?? ids;
    return group.map((change) => [change, { kind: 'requested', by, taskIds: idsFor(change) }]);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return group.map((change) => [change, { kind: 'failed', by, error: message }]);
  }
}
