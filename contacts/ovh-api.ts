/**
 * The OVH API routes of contact management, typed, with zod schemas for exactly the fields the tool relies on.
 * Sources: OVH's API definitions as mirrored in github:UrielCh/api-ovh-node (commit edbd42e8,
 * code/gen/models/ovh-api/me.ts, vps.ts, domain.ts, ...): `nichandle.contactChange.Task`,
 * `nichandle.changeContact.TaskStateEnum`, `services.Service`, `service.StateEnum`, `debt.Balance`, `order.Price`.
 */
import * as z from 'zod';
import type { OvhClient } from './ovh-client';

export const CONTACT_TYPES = ['admin', 'tech', 'billing'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];

/** The API's name of each contact, in serviceInfos, changeContact and tasks alike (`nichandle.changeContact.ContactTypeEnum`). */
const API_FIELD = { admin: 'contactAdmin', tech: 'contactTech', billing: 'contactBilling' } as const satisfies Record<ContactType, string>;
const ApiContactType = z.enum(API_FIELD);
const fromApiField = (field: z.output<typeof ApiContactType>): ContactType => CONTACT_TYPES.find((type) => API_FIELD[type] === field)!;

export type CurrentContacts = Record<ContactType, string>;

/**
 * `service.StateEnum` as OVH's API publishes it now (https://eu.api.ovh.com/1.0/vps.json, with `autorenewInProgress`);
 * OVH changes the contacts of a service in good standing only.
 */
const SERVICE_STATUSES = ['ok', 'autorenewInProgress', 'expired', 'inCreation', 'unPaid', 'pendingDebt'] as const;
export const CHANGEABLE_STATUSES: readonly string[] = ['ok', 'autorenewInProgress'];

const ServiceInfos = z.object({
  contactAdmin: z.string().min(1),
  contactTech: z.string().min(1),
  contactBilling: z.string().min(1),
  status: z.enum(SERVICE_STATUSES).or(z.string()).nullish(),
});

export interface ServiceInfos {
  contacts: CurrentContacts;
  /** Never null by OVH's definition; a missing one is taken as good standing rather than blocking every change. */
  status: string;
}

export async function serviceInfos(client: OvhClient, route: string): Promise<ServiceInfos> {
  const infos = await client.get(`${route}/serviceInfos`, ServiceInfos);
  return { contacts: { admin: infos.contactAdmin, tech: infos.contactTech, billing: infos.contactBilling }, status: infos.status ?? 'ok' };
}

/** A task waits for someone until every validator accepted (or one refused, or it expired). */
export const OPEN_STATES = ['todo', 'checkValidity', 'validatingByCustomers', 'doing'] as const;
const TaskState = z.enum([...OPEN_STATES, 'done', 'refused', 'aborted', 'expired', 'error']);
type TaskState = z.output<typeof TaskState>;
export const isOpen = (task: { state: string }) => (OPEN_STATES as readonly string[]).includes(task.state);

const ContactChangeTask = z
  .object({
    id: z.number().int(),
    askingAccount: z.string().nullish(),
    fromAccount: z.string(),
    toAccount: z.string(),
    contactTypes: z.array(ApiContactType),
    serviceDomain: z.string().nullish(),
    state: TaskState,
    dateRequest: z.string(),
    dateDone: z.string().nullish(),
  })
  .transform((task) => ({ ...task, contactTypes: task.contactTypes.map(fromApiField) }));
export type ContactChangeTask = z.output<typeof ContactChangeTask>;

const TASKS = '/me/task/contactChange';
const TaskIds = z.array(z.number().int());

export function contactChangeTask(client: OvhClient, id: number): Promise<ContactChangeTask> {
  return client.get(`${TASKS}/${id}`, ContactChangeTask);
}

/** The ids of the tasks the account is involved in, filtered as OVH filters them (one state per call). */
export function contactChangeTaskIds(client: OvhClient, filter: { state?: TaskState; askingAccount?: string } = {}): Promise<number[]> {
  return client.get(TASKS, TaskIds, filter);
}

/** Asks OVH to move the given contacts of a service; OVH opens one task per new nichandle and answers their ids. */
export function changeContact(client: OvhClient, route: string, changes: Partial<CurrentContacts>): Promise<number[]> {
  const body = Object.fromEntries(Object.entries(changes).map(([type, nichandle]) => [API_FIELD[type as ContactType], nichandle]));
  return client.post(`${route}/changeContact`, body, TaskIds, 'once');
}

const Nothing = z.unknown();

/** A token is single-use: a call that may have reached OVH is reported, not repeated. */
export async function answerTask(client: OvhClient, answer: 'accept' | 'refuse', id: number, token: string): Promise<void> {
  await client.post(`${TASKS}/${id}/${answer}`, { token }, Nothing, 'once');
}

/** OVH sends a new e-mail with a new token to the calling account only. */
export async function resendTaskEmail(client: OvhClient, id: number): Promise<void> {
  await client.post(`${TASKS}/${id}/resendEmail`, {}, Nothing, 'idempotent');
}

const Price = z.object({ value: z.number(), text: z.string() });
const DebtBalance = z.object({ dueAmount: Price });

/** What the account owes: `dueAmount` of its debt balance. */
export async function dueAmount(client: OvhClient): Promise<z.output<typeof Price>> {
  return (await client.get('/me/debtAccount', DebtBalance)).dueAmount;
}

/** The id of the domain's owner (registrant): a contact of `/me/contact`, not a nichandle. */
export async function domainOwner(client: OvhClient, domain: string): Promise<string> {
  const { whoisOwner } = await client.get(`/domain/${domain}`, z.object({ whoisOwner: z.union([z.string(), z.number()]) }));
  return String(whoisOwner);
}

/** The ids of the contacts (owner data) an account holds. */
export async function accountContactIds(client: OvhClient): Promise<string[]> {
  return (await client.get('/me/contact', z.array(z.union([z.string(), z.number()])))).map(String);
}
