/**
 * What the tool prints: text for engineers, JSON (`--json`) for CI, and the exit codes
 * (plan: 0 in sync, 2 drift, 1 error; apply: 0 everything requested or pending, 2 a change is blocked, manual or of
 * unknown outcome, 1 something failed; every other command: 0 done, 1 something failed).
 */
import type { HeldAccounts } from './accounts';
import type { ServiceReport, ServiceState } from './inspect';
import { UNKNOWN_OUTCOME_MS } from './journal';
import { isOpen, type ContactChangeTask } from './ovh-api';
import { validationFor, type ChangeStatus, type ContactChange } from './reconcile';
import type { TaskRow } from './tasks';
import { taskValidation, type ContactValidation } from './validation';

/**
 * OVH publishes no lifetime for a contact-change task (its guide and API definitions are silent); a task waiting
 * longer than this is flagged, so that it is validated or resent before it expires.
 */
export const OLD_TASK_DAYS = 7;

export function planExitCode(reports: ServiceReport[]): number {
  if (reports.some((r) => r.state === 'error')) return 1;
  return reports.some((r) => r.state === 'drift') ? 2 : 0;
}

const STUCK: ChangeStatus['kind'][] = ['blocked', 'manual', 'unknown', 'waiting'];

export function applyExitCode(reports: ServiceReport[]): number {
  const failed = reports.some(
    (r) => r.state === 'error' || r.changes.some((c) => c.status.kind === 'failed' || c.status.kind === 'request'),
  );
  if (failed) return 1;
  return reports.some((r) => r.changes.some((c) => STUCK.includes(c.status.kind))) ? 2 : 0;
}

function validationText(validation: ContactValidation, accounts: HeldAccounts): string {
  const who = validation.validators.map((n) => accounts.describe(n));
  const validated = who.length === 1 ? `confirmed by ${who[0]} alone` : `validated by ${who.join(' and ')}`;
  const informed = validation.informed.length > 0 ? `; ${validation.informed.join(', ')} only informed` : '';
  return `${validated}${informed}`;
}

function ageDays(task: ContactChangeTask, now: Date): number {
  return (now.getTime() - Date.parse(task.dateRequest)) / 86_400_000;
}

function age(dateRequest: string, now: Date): string {
  const minutes = Math.max(0, Math.round((now.getTime() - Date.parse(dateRequest)) / 60000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} d`;
}

function taskRef(task: ContactChangeTask, now: Date): string {
  const old =
    isOpen(task) && ageDays(task, now) > OLD_TASK_DAYS
      ? `, waiting for ${age(task.dateRequest, now)}: may expire soon, validate it or "contacts resend ${task.id}"`
      : '';
  return `#${task.id} (${task.state}, ${age(task.dateRequest, now)}${old})`;
}

function statusText(change: ContactChange, accounts: HeldAccounts, now: Date): string {
  const { status } = change;
  const validation = validationFor(change);
  const validated = validation ? `, ${validationText(validation, accounts)}` : '';
  switch (status.kind) {
    case 'request': {
      const unchecked = status.unchecked?.length
        ? `; unpaid invoices of ${status.unchecked.join(', ')} not checked (not an account of the agency)`
        : '';
      return `to request by ${status.by.nichandle} (${status.by.key}, current ${status.role})${validated}${unchecked}`;
    }
    case 'pending':
      return `pending: task ${status.tasks.map((t) => taskRef(t, now)).join(', ')}${validated}`;
    case 'unknown': {
      const { sentAt, requestedBy, outcome } = status.entry;
      const until =
        outcome.state === 'unknown' && outcome.ended
          ? 'the next run looks for its task, and requests it again if OVH has none (OVH opens the tasks within the request)'
          : `it is not sent again until its task shows up (apply and plan look for it) or ${UNKNOWN_OUTCOME_MS / 3600_000} h pass without one`;
      return `outcome unknown: the request sent at ${sentAt} as ${requestedBy} got no answer; ${until}`;
    }
    case 'waiting':
      return `waiting: the request sent at ${status.entry.sentAt} as ${status.entry.requestedBy} for ${status.entry.service} (same service name) has an unknown outcome; this one is requested once that is known`;
    case 'blocked':
      return `blocked: ${status.reason}`;
    case 'manual':
      return `manual: no account of the agency may request it; ${status.who.map((n) => accounts.describe(n)).join(' or ')} must, from their own OVH account`;
    case 'requested':
      return `requested by ${status.by.nichandle}: task ${status.taskIds.map((id) => `#${id}`).join(', ')}${validated}`;
    case 'failed':
      return `failed (as ${status.by.nichandle}): ${status.error}`;
  }
}

function closedText(change: ContactChange): string {
  if (change.closed.length === 0) return '';
  return ` (earlier: ${change.closed.map((t) => `task #${t.id} ${t.state}${t.dateDone ? ` on ${t.dateDone.slice(0, 10)}` : ''}`).join(', ')})`;
}

function changeLine(change: ContactChange, accounts: HeldAccounts, now: Date): string {
  return `${change.contact.padEnd(8)}${change.from} → ${change.to}: ${statusText(change, accounts, now)}${closedText(change)}`;
}

function foreignLine(task: ContactChangeTask, now: Date): string {
  const moves = `${task.contactTypes.join(',')} ${task.fromAccount} → ${task.toAccount}`;
  return `task    #${task.id} (${task.state}, ${age(task.dateRequest, now)}, asked by ${task.askingAccount ?? '?'}): ${moves}: not requested by this tool (the OVH manager?); it may be about any service named ${task.serviceDomain}`;
}

function serviceHeading(report: ServiceReport): string {
  const { service, kind } = report.target;
  const what = report.serviceName ? `${kind} ${report.serviceName}` : kind;
  const state: Record<ServiceState, string> = {
    'in-sync': 'in sync',
    drift: 'drift',
    'not-ordered': 'not ordered yet (not in the Terraform state)',
    error: `error: ${report.error}`,
  };
  const status = report.status && report.status !== 'ok' ? ` [${report.status}]` : '';
  return `${service} (${what})${status}: ${state[report.state]}`;
}

function ownerLine(owner: NonNullable<ServiceReport['owner']>): string {
  return `owner   contact ${owner.contactId} is not a contact of ${owner.expected}; only a trade changes the owner: order it in the OVH manager (report only)`;
}

function count(reports: ServiceReport[], state: ServiceState): number {
  return reports.filter((r) => r.state === state).length;
}

function summary(reports: ServiceReport[]) {
  return {
    inSync: count(reports, 'in-sync'),
    drift: count(reports, 'drift'),
    notOrdered: count(reports, 'not-ordered'),
    errors: count(reports, 'error'),
  };
}

export function planText(reports: ServiceReport[], accounts: HeldAccounts, now: Date): string[] {
  const lines: string[] = [];
  const stacks = new Map<string, ServiceReport[]>();
  for (const report of reports) stacks.set(report.target.stack, [...(stacks.get(report.target.stack) ?? []), report]);
  for (const [stack, services] of stacks) {
    lines.push(stack);
    for (const report of services) {
      lines.push(`  ${serviceHeading(report)}`);
      for (const change of report.changes) lines.push(`    ${changeLine(change, accounts, now)}`);
      if (report.owner) lines.push(`    ${ownerLine(report.owner)}`);
      for (const task of report.foreign) lines.push(`    ${foreignLine(task, now)}`);
    }
  }
  const s = summary(reports);
  lines.push(`Summary: ${s.inSync} in sync, ${s.drift} drift, ${s.notOrdered} not ordered yet, ${s.errors} error(s)`);
  return lines;
}

type Outcome = 'requested' | 'pending' | 'unknown' | 'blocked' | 'manual' | 'failed';
const OUTCOME_OF: Record<ChangeStatus['kind'], Outcome> = {
  request: 'failed', // apply handles every request; one left over would not have been done
  requested: 'requested',
  pending: 'pending',
  unknown: 'unknown',
  waiting: 'unknown',
  blocked: 'blocked',
  manual: 'manual',
  failed: 'failed',
};
const OUTCOME_TITLE: Record<Outcome, string> = {
  requested: 'Done: requested now (each task waits for the tokens OVH e-mails to its validators)',
  pending: 'Not done, already requested: waiting for validation',
  unknown: 'Not done, outcome unknown (never sent twice: apply looks for its task first)',
  blocked: 'Not done, blocked',
  manual: 'Not done, manual steps',
  failed: 'Not done, failed (run apply again once fixed: it never requests a change twice)',
};

/** The final report of `apply`: what was done and what was not, one line per contact or failed service. */
export function applyText(reports: ServiceReport[], accounts: HeldAccounts, now: Date): string[] {
  const groups: Record<Outcome, string[]> = { requested: [], pending: [], unknown: [], blocked: [], manual: [], failed: [] };
  const foreign: string[] = [];
  for (const report of reports) {
    const where = `${report.target.stack} ${report.target.service}`;
    if (report.state === 'error') groups.failed.push(`${where}: ${report.error}`);
    for (const change of report.changes) groups[OUTCOME_OF[change.status.kind]].push(`${where} ${changeLine(change, accounts, now)}`);
    if (report.owner) groups.manual.push(`${where} ${ownerLine(report.owner)}`);
    for (const task of report.foreign) foreign.push(`${where} ${foreignLine(task, now)}`);
  }
  const lines = (Object.keys(groups) as Outcome[]).flatMap((outcome) =>
    groups[outcome].length === 0 ? [] : [`${OUTCOME_TITLE[outcome]}:`, ...groups[outcome].map((line) => `  ${line}`)],
  );
  if (foreign.length > 0) lines.push('Other tasks on these service names:', ...foreign.map((line) => `  ${line}`));
  const s = summary(reports);
  lines.push(`Unchanged: ${s.inSync} service(s) in sync, ${s.notOrdered} not ordered yet`);
  return lines;
}

function changeJson(change: ContactChange) {
  const { status } = change;
  const validation = validationFor(change);
  return {
    contact: change.contact,
    from: change.from,
    to: change.to,
    status: status.kind,
    requestedBy: 'by' in status ? status.by.nichandle : null,
    taskIds: status.kind === 'requested' ? status.taskIds : 'tasks' in status ? status.tasks.map((t) => t.id) : [],
    validators: validation?.validators ?? [],
    informed: validation?.informed ?? [],
    who: status.kind === 'manual' ? status.who : [],
    reason: status.kind === 'blocked' ? status.reason : null,
    error: status.kind === 'failed' ? status.error : null,
    request:
      'entry' in status
        ? { id: status.entry.id, service: status.entry.service, requestedBy: status.entry.requestedBy, sentAt: status.entry.sentAt }
        : null,
    closedTasks: change.closed.map((t) => ({ id: t.id, state: t.state, dateDone: t.dateDone ?? null })),
  };
}

export function reportJson(command: 'plan' | 'apply', reports: ServiceReport[], exitCode: number, now: Date) {
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
      status: report.status ?? null,
      desired: report.target.desired,
      current: report.current ?? null,
      changes: report.changes.map(changeJson),
      foreignTasks: report.foreign.map((task) => taskJson({ task }, now)),
      owner: report.owner ?? null,
      error: report.error ?? null,
    })),
  };
}

export function taskText({ task, service }: TaskRow, now: Date, accounts: HeldAccounts): string {
  const whose = service
    ? `${service.stack} ${service.service}`
    : `not requested by this tool: any service named ${task.serviceDomain ?? '?'}`;
  const validation = isOpen(task) ? `; ${validationText(taskValidation(task), accounts)}` : '';
  return [
    `#${task.id}`.padEnd(8),
    taskRef(task, now)
      .replace(/^#\d+ /, '')
      .padEnd(20),
    `${task.serviceDomain ?? '?'} [${whose}]`,
    `${task.contactTypes.join(',')} ${task.fromAccount} → ${task.toAccount}`,
    `asked by ${task.askingAccount ?? '?'}${validation}`,
  ].join('  ');
}

export function taskJson({ task, service }: TaskRow, now: Date) {
  const validation = taskValidation(task);
  return {
    id: task.id,
    state: task.state,
    serviceName: task.serviceDomain ?? null,
    service: service ?? null,
    contacts: task.contactTypes,
    from: task.fromAccount,
    to: task.toAccount,
    askedBy: task.askingAccount ?? null,
    validators: validation.validators,
    informed: validation.informed,
    requested: task.dateRequest,
    done: task.dateDone ?? null,
    ageDays: Math.floor(ageDays(task, now)),
    old: isOpen(task) && ageDays(task, now) > OLD_TASK_DAYS,
  };
}
