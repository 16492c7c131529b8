/**
 * OVH's contact rules, as pure functions: what differs between the desired and the current contacts of a
 * service, and for each difference, which account may request it, or the open task that already covers it.
 *
 * The rules (OVH guide "Managing the contacts of your services"): the admin may change all three contacts;
 * the tech may only hand tech over; the billing may only hand billing over (both billing accounts must then
 * have no unpaid bill). Who may request is decided on the CURRENT contacts, as OVH does.
 */
import type { Contacts, OvhAccount } from '../policy/procedure';
import { CONTACT_TYPES, OPEN_STATES, type ContactChangeTask, type ContactType, type CurrentContacts } from './ovh-api';

export type ChangeStatus =
  /** To request, with the credentials of `by`, allowed as the current `role` of the service. */
  | { kind: 'request'; by: OvhAccount; role: ContactType }
  /** An open task already moves this contact to the desired account: it only needs validating. */
  | { kind: 'pending'; tasks: ContactChangeTask[] }
  /** An open task moves this contact to another account: it must be refused (or expire) first. */
  | { kind: 'conflict'; tasks: ContactChangeTask[] }
  /** No account we hold may request it: one of `who` must, from their own OVH account. */
  | { kind: 'manual'; who: string[] }
  /** Outcomes of `apply`. */
  | { kind: 'requested'; by: OvhAccount; taskIds: number[] }
  | { kind: 'failed'; by: OvhAccount; error: string };

export interface ContactChange {
  contact: ContactType;
  from: string;
  to: string;
  status: ChangeStatus;
}

type Held = (nichandle: string) => OvhAccount | undefined;

function differingContacts(desired: Contacts, current: CurrentContacts): ContactType[] {
  return CONTACT_TYPES.filter((type) => desired[type] !== current[type]);
}

/** The accounts whose task lists may hold a task about these differences: requesters, old and new holders. */
export function partiesTo(desired: Contacts, current: CurrentContacts): string[] {
  return [current.admin, ...differingContacts(desired, current).flatMap((type) => [current[type], desired[type]])];
}

/** The admin may request any change; otherwise only the current holder of a tech or billing contact hands it over. */
function requester(contact: ContactType, current: CurrentContacts, held: Held): { by: OvhAccount; role: ContactType } | undefined {
  const admin = held(current.admin);
  if (admin) return { by: admin, role: 'admin' };
  const holder = contact === 'admin' ? undefined : held(current[contact]);
  return holder && { by: holder, role: contact };
}

const isOpen = (task: ContactChangeTask) => (OPEN_STATES as readonly string[]).includes(task.state);

function aboutContact(task: ContactChangeTask, serviceName: string, contact: ContactType): boolean {
  return isOpen(task) && task.serviceDomain === serviceName && task.contactTypes.includes(contact);
}

/** An open task that already moves `contact` of the service to `to`. */
export function covers(task: ContactChangeTask, serviceName: string, contact: ContactType, to: string): boolean {
  return aboutContact(task, serviceName, contact) && task.toAccount === to;
}

export function reconcile(desired: Contacts, current: CurrentContacts, serviceName: string, held: Held, openTasks: ContactChangeTask[]): ContactChange[] {
  return differingContacts(desired, current).map((contact) => {
    const change = { contact, from: current[contact], to: desired[contact] };
    const related = openTasks.filter((task) => aboutContact(task, serviceName, contact));
    const covering = related.filter((task) => covers(task, serviceName, contact, change.to));
    if (covering.length > 0) return { ...change, status: { kind: 'pending', tasks: covering } };
    if (related.length > 0) return { ...change, status: { kind: 'conflict', tasks: related } };
    const allowed = requester(contact, current, held);
    if (allowed) return { ...change, status: { kind: 'request', ...allowed } };
    const who = contact === 'admin' ? [current.admin] : [current.admin, current[contact]];
    return { ...change, status: { kind: 'manual', who } };
  });
}
