/**
 * OVH's contact rules, as pure functions: what differs between the desired and the current contacts of a service,
 * and for each difference, which account may request it, or what already covers or blocks it. Only the service's
 * own requests and tasks (the journal's) cover a change: a task carries a service name, not a service. An open task
 * nobody here asked for, on the service's name, blocks a change of its contacts: it may well be this service's.
 *
 * Who may request (OVH's contacts guide, see validation.ts): the admin changes all three contacts; the tech and the
 * billing contacts only hand their own over. It is decided on the CURRENT contacts, as OVH does.
 */
import type { Contacts, OvhAccount } from '../policy/plan';
import type { JournalEntry } from './journal';
import { CONTACT_TYPES, isOpen, type ContactChangeTask, type ContactType, type CurrentContacts } from './ovh-api';
import { taskValidation, validationOf, type ContactValidation } from './validation';

export type ChangeStatus =
  /** To request, with the credentials of `by`, allowed as the current `role` of the service. */
  | { kind: 'request'; by: OvhAccount; role: ContactType; validation: ContactValidation; unchecked?: string[] }
  /** A task of this service already moves this contact to the desired account: it only needs validating. */
  | { kind: 'pending'; tasks: ContactChangeTask[] }
  /** A request of this service for this contact got no answer: never sent again until its outcome is known. */
  | { kind: 'unknown'; entry: JournalEntry }
  /** The account that would request it has a request of unknown outcome on another service of the same name. */
  | { kind: 'waiting'; entry: JournalEntry }
  /**
   * Cannot be requested now, for `reason` (a task moving it elsewhere, an unpaid invoice, the service's status).
   * `recheckAs`: blocked by tasks no request of the journal made, which the account that would request the change
   * looks at again under its lock (those of a run at work meanwhile are known there).
   */
  | { kind: 'blocked'; reason: string; tasks: ContactChangeTask[]; recheckAs?: OvhAccount }
  /** No account we hold may request it: one of `who` must, from their own OVH account. */
  | { kind: 'manual'; who: string[] }
  /** Outcomes of `apply`. */
  | { kind: 'requested'; by: OvhAccount; tasks: ContactChangeTask[]; taskIds: number[] }
  | { kind: 'failed'; by: OvhAccount; error: string };

export interface ContactChange {
  contact: ContactType;
  from: string;
  to: string;
  status: ChangeStatus;
  /** This service's earlier tasks for this contact that ended without it: refused, expired, aborted, in error. */
  closed: ContactChangeTask[];
}

/** The accounts the agency holds, by nichandle. */
export interface Held {
  find(nichandle: string): OvhAccount | undefined;
}

export function differingContacts(desired: Contacts, current: CurrentContacts): ContactType[] {
  return CONTACT_TYPES.filter((type) => desired[type] !== current[type]);
}

/** The accounts whose task lists may hold a task about these differences: requesters, old and new holders. */
export function partiesTo(desired: Contacts, current: CurrentContacts): string[] {
  return [...new Set([current.admin, ...differingContacts(desired, current).flatMap((type) => [current[type], desired[type]])])];
}

/** The admin may request any change; otherwise only the current holder of a tech or billing contact hands it over. */
export function requester(contact: ContactType, current: CurrentContacts, held: Held): { by: OvhAccount; role: ContactType } | undefined {
  const admin = held.find(current.admin);
  if (admin) return { by: admin, role: 'admin' };
  const holder = contact === 'admin' ? undefined : held.find(current[contact]);
  return holder && { by: holder, role: contact };
}

const aboutContact = (task: ContactChangeTask, contact: ContactType) => task.contactTypes.includes(contact);
const covers = (entry: JournalEntry, contact: ContactType) => entry.changes.some((change) => change.contact === contact);

export interface ServiceHistory {
  /** The tasks of this service's requests, as OVH shows them now. */
  tasks: ContactChangeTask[];
  /** This service's requests of unknown outcome. */
  unresolved: JournalEntry[];
  /** Requests of unknown outcome on other services of the same name. */
  sameName: JournalEntry[];
  /** Open tasks on the service's name that no request of the journal made (the OVH manager, another tool). */
  foreign: ContactChangeTask[];
}

/** No change of a contact is requested while a task nobody here asked for changes it: the two would conflict. */
function foreignReason(tasks: ContactChangeTask[]): string {
  const moves = tasks.map((task) => `task #${task.id} moves it to ${task.toAccount}`).join(', ');
  const [{ id, serviceDomain }] = tasks;
  return (
    `${moves}, not requested by this tool (the OVH manager?; it may be about any service named ${serviceDomain}): ` +
    `nothing is requested while it is open; validate or refuse it ("contacts refuse ${id}"), or let it expire`
  );
}

export function reconcile(desired: Contacts, current: CurrentContacts, held: Held, history: ServiceHistory): ContactChange[] {
  return differingContacts(desired, current).map((contact) => {
    const change = { contact, from: current[contact], to: desired[contact] };
    const related = history.tasks.filter((task) => aboutContact(task, contact));
    const closed = related.filter((task) => !isOpen(task) && task.state !== 'done');
    const status = ((): ChangeStatus => {
      const open = related.filter(isOpen);
      const covering = open.filter((task) => task.toAccount === change.to);
      if (covering.length > 0) return { kind: 'pending', tasks: covering };
      if (open.length > 0) {
        const elsewhere = open.map((task) => `task #${task.id} moves it to ${task.toAccount}`).join(', ');
        return { kind: 'blocked', reason: `${elsewhere}; refuse it ("contacts refuse ${open[0].id}") or let it expire`, tasks: open };
      }
      const unknown = history.unresolved.find((entry) => covers(entry, contact));
      if (unknown) return { kind: 'unknown', entry: unknown };
      const allowed = requester(contact, current, held);
      const theirs = history.foreign.filter((task) => aboutContact(task, contact));
      if (theirs.length > 0) return { kind: 'blocked', reason: foreignReason(theirs), tasks: theirs, recheckAs: allowed?.by };
      if (!allowed) return { kind: 'manual', who: contact === 'admin' ? [current.admin] : [current.admin, current[contact]] };
      const busy = [...history.unresolved, ...history.sameName].find((entry) => entry.requestedBy === allowed.by.nichandle);
      if (busy) return { kind: 'waiting', entry: busy };
      return { kind: 'request', ...allowed, validation: validationOf(allowed.by.nichandle, change.to, [change.from]) };
    })();
    return { ...change, status, closed };
  });
}

/** Who validates what a change is waiting for. */
export function validationFor(change: ContactChange): ContactValidation | undefined {
  const { status } = change;
  if (status.kind === 'request') return status.validation;
  if ((status.kind === 'pending' || status.kind === 'requested') && status.tasks.length > 0) return taskValidation(status.tasks[0]);
  return undefined;
}
