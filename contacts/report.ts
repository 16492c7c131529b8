/**
 * What the tool prints: text for engineers, JSON (`--json`) for CI, and the exit codes
 * (plan: 0 in sync, 2 drift, 1 error; every other command: 0 done, 1 something failed).
 */
import type { HeldAccounts } from './accounts';
import { groupBy } from './collections';
import type { ServiceReport, ServiceState } from './inspect';
import type { ContactChangeTask } from './ovh-api';
import type { ChangeStatus, ContactChange } from './reconcile';

export function planExitCode(reports: ServiceReport[]): number {
  if (reports.some((r) => r.state === 'error')) return 1;
  return reports.some((r) => r.state === 'drift') ? 2 : 0;
}

export function applyExitCode(reports: ServiceReport[]): number {
  const failed = reports.some((r) => r.state === 'error' || r.changes.some((c) => c.status.kind === 'failed'));
  return failed ? 1 : 0;
}

const BILLING_CONDITION = 'the old and the new billing accounts must have no unpaid bill';

/** OVH e-mails a token to the old and to the new account of the contact; both must accept. */
function validators(change: ContactChange, accounts: HeldAccounts): string {
  return `validated by ${accounts.describe(change.from)} and ${accounts.describe(change.to)}`;
}

const taskRefs = (ids: number[]) => ids.map((id) => `#${id}`).join(', ');

function statusText(change: ContactChange, accounts: HeldAccounts): string {
  const { status } = change;
  switch (status.kind) {
    case 'request':
      return `to request by ${status.by.nichandle} (${status.by.key}, current ${status.role})`;
    case 'pending':
      return `pending: task ${status.tasks.map((t) => `#${t.id} (${t.state})`).join(', ')}, ${validators(change, accounts)}`;
    case 'conflict':
      return `blocked: open task ${status.tasks.map((t) => `#${t.id} moves it to ${t.toAccount}`).join(', ')}; refuse it ("contacts refuse <id> --token T") or let it expire`;
    case 'manual':
      return `manual: no account of the agency may request it; ${status.who.map((n) => accounts.describe(n)).join(' or ')} must, from their own OVH account`;
    case 'requested':
      return `requested by ${status.by.nichandle}: task ${taskRefs(status.taskIds)}, ${validators(change, accounts)}`;
    case 'failed':
      return `failed (as ${status.by.nichandle}): ${status.error}`;
  }
}

function changeLine(change: ContactChange, accounts: HeldAccounts): string {
  const condition = change.contact === 'billing' && ['request', 'requested'].includes(change.status.kind) ? `; ${BILLING_CONDITION}` : '';
  return `${change.contact.padEnd(8)}${change.from} → ${change.to}: ${statusText(change, accounts)}${condition}`;
}

function serviceHeading(report: ServiceReport): string {
  const { service, kind } = report.target;
  const what = report.serviceName ? `${kind} ${report.serviceName}` : kind;
  const state: Record<ServiceState, string> = {
    'in-sync': 'in sync',
    drift: 'drift',
    'not-ordered': 'not ordered yet (no service name in the Terraform state)',
    error: `error: ${report.error}`,
  };
  return `${service} (${what}): ${state[report.state]}`;
}

function ownerLine(owner: NonNullable<ServiceReport['owner']>): string {
  return `owner   contact ${owner.contactId} is not a contact of ${owner.expected}; only a trade changes the owner: order it in the OVH manager (report only)`;
}

function count(reports: ServiceReport[], state: ServiceState): number {
  return reports.filter((r) => r.state === state).length;
}

function summary(reports: ServiceReport[]) {
  return { inSync: count(reports, 'in-sync'), drift: count(reports, 'drift'), notOrdered: count(reports, 'not-ordered'), errors: count(reports, 'error') };
}

export function planText(reports: ServiceReport[], accounts: HeldAccounts): string[] {
  const lines: string[] = [];
  for (const [stack, services] of groupBy(reports, (report) => report.target.stack)) {
    lines.push(stack);
    for (const report of services) {
      lines.push(`  ${serviceHeading(report)}`);
      for (const change of report.changes) lines.push(`    ${changeLine(change, accounts)}`);
      if (report.owner) lines.push(`    ${ownerLine(report.owner)}`);
    }
  }
  const s = summary(reports);
  lines.push(`Summary: ${s.inSync} in sync, ${s.drift} drift, ${s.notOrdered} not ordered yet, ${s.errors} error(s)`);
  return lines;
}

type Outcome = 'requested' | 'pending' | 'manual' | 'failed';
const OUTCOME_OF: Record<ChangeStatus['kind'], Outcome> = {
  request: 'failed', // apply handles every request; one left over would not have been done
  requested: 'requested',
  pending: 'pending',
  conflict: 'manual',
  manual: 'manual',
  failed: 'failed',
};
const OUTCOME_TITLE: Record<Outcome, string> = {
  requested: 'Done: requested now (each task waits for the tokens e-mailed to its two accounts)',
  pending: 'Not done, already requested: waiting for validation',
  manual: 'Not done, manual steps',
  failed: 'Not done, failed (run apply again once fixed: it never requests a change twice)',
};

/** The final report of `apply`: what was done and what was not, one line per contact or failed service. */
export function applyText(reports: ServiceReport[], accounts: HeldAccounts): string[] {
  const groups: Record<Outcome, string[]> = { requested: [], pending: [], manual: [], failed: [] };
  for (const report of reports) {
    const where = `${report.target.stack} ${report.target.service}`;
    if (report.state === 'error') groups.failed.push(`${where}: ${report.error}`);
    for (const change of report.changes) groups[OUTCOME_OF[change.status.kind]].push(`${where} ${changeLine(change, accounts)}`);
    if (report.owner) groups.manual.push(`${where} ${ownerLine(report.owner)}`);
  }
  const lines = (Object.keys(groups) as Outcome[]).flatMap((outcome) =>
    groups[outcome].length === 0 ? [] : [`${OUTCOME_TITLE[outcome]}:`, ...groups[outcome].map((line) => `  ${line}`)],
  );
  const s = summary(reports);
  lines.push(`Unchanged: ${s.inSync} service(s) in sync, ${s.notOrdered} not ordered yet`);
  return lines;
}

function changeJson(change: ContactChange) {
  const { status } = change;
  return {
    contact: change.contact,
    from: change.from,
    to: change.to,
    status: status.kind,
    requestedBy: 'by' in status ? status.by.nichandle : null,
    taskIds: 'tasks' in status ? status.tasks.map((t) => t.id) : 'taskIds' in status ? status.taskIds : [],
    who: status.kind === 'manual' ? status.who : [],
    error: status.kind === 'failed' ? status.error : null,
    condition: change.contact === 'billing' ? BILLING_CONDITION : null,
  };
}

export function reportJson(command: 'plan' | 'apply', reports: ServiceReport[], exitCode: number) {
  return {
    command,
    exitCode,
    summary: summary(reports),
    services: reports.map((report) => ({
      stack: report.target.stack,
      service: report.target.service,
      kind: report.target.kind,
      serviceName: report.serviceName ?? null,
      state: report.state,
      desired: report.target.desired,
      current: report.current ?? null,
      changes: report.changes.map(changeJson),
      owner: report.owner ?? null,
      error: report.error ?? null,
    })),
  };
}

function ageMinutes(dateRequest: string, now: Date): number {
  return Math.max(0, Math.round((now.getTime() - Date.parse(dateRequest)) / 60000));
}

function age(dateRequest: string, now: Date): string {
  const minutes = ageMinutes(dateRequest, now);
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} d`;
}

export function taskText(task: ContactChangeTask, now: Date): string {
  return [
    `#${task.id}`.padEnd(8),
    task.state.padEnd(22),
    (task.serviceDomain ?? '?').padEnd(28),
    task.contactTypes.join(',').padEnd(8),
    `${task.fromAccount} → ${task.toAccount}`.padEnd(28),
    `asked by ${task.askingAccount ?? '?'}, ${age(task.dateRequest, now)} ago`,
  ].join(' ');
}

export function taskJson(task: ContactChangeTask, now: Date) {
  return {
    id: task.id,
    state: task.state,
    service: task.serviceDomain ?? null,
    contacts: task.contactTypes,
    from: task.fromAccount,
    to: task.toAccount,
    askedBy: task.askingAccount ?? null,
    requested: task.dateRequest,
    ageMinutes: ageMinutes(task.dateRequest, now),
  };
}
