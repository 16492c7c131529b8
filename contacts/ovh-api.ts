/**
 * The OVH API routes of contact management, typed, with zod schemas for exactly the fields the tool relies on.
 */
import { z } from 'zod';
import type { OvhClient } from './ovh-client';

export const CONTACT_TYPES = ['admin', 'tech', 'billing'] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];

/** The API's name of each contact, in serviceInfos, changeContact and tasks alike. */
const API_FIELD = { admin: 'contactAdmin', tech: 'contactTech', billing: 'contactBilling' } as const satisfies Record<ContactType, string>;
const ApiContactType = z.enum(API_FIELD);
const fromApiField = (field: z.output<typeof ApiContactType>): ContactType => CONTACT_TYPES.find((type) => API_FIELD[type] === field)!;

export type CurrentContacts = Record<ContactType, string>;

const ServiceInfos = z.object({ contactAdmin: z.string().min(1), contactTech: z.string().min(1), contactBilling: z.string().min(1) });

export async function currentContacts(client: OvhClient, route: string): Promise<CurrentContacts> {
  const infos = await client.get(`${route}/serviceInfos`, ServiceInfos);
  return { admin: infos.contactAdmin, tech: infos.contactTech, billing: infos.contactBilling };
}

/** A task stays open until both accounts accepted (or one refused, or it expired). */
export const OPEN_STATES = ['todo', 'checkValidity', 'validatingByCustomers', 'doing'] as const;
const TaskState = z.enum([...OPEN_STATES, 'done', 'refused', 'aborted', 'expired', 'error']);
type TaskState = z.output<typeof TaskState>;

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
  })
  .transform((task) => ({ ...task, contactTypes: task.contactTypes.map(fromApiField) }));
export type ContactChangeTask = z.output<typeof ContactChangeTask>;

const TASKS = '/me/task/contactChange';
const TaskIds = z.array(z.number().int());

export function contactChangeTask(client: OvhClient, id: number): Promise<ContactChangeTask> {
  return client.get(`${TASKS}/${id}`, ContactChangeTask);
}

/** The tasks the account is involved in, in the given states (the API filters on one state per call). */
export async function contactChangeTasks(client: OvhClient, states: readonly TaskState[]): Promise<ContactChangeTask[]> {
  const ids = (await Promise.all(states.map((state) => client.get(TASKS, TaskIds, { state })))).flat();
  return Promise.all([...new Set(ids)].map((id) => contactChangeTask(client, id)));
}

export function allContactChangeTasks(client: OvhClient): Promise<ContactChangeTask[]> {
  return contactChangeTasks(client, TaskState.options);
}

/**
 * Asks OVH to move the given contacts of a service; OVH opens one task per contact. `tookEffect` finds those
 * tasks when an attempt failed after it may have reached OVH, so that a retry never opens them twice.
 */
export async function changeContact(
  client: OvhClient,
  route: string,
  changes: Partial<CurrentContacts>,
  tookEffect: () => Promise<number[] | undefined>,
): Promise<number[]> {
  const body = Object.fromEntries(Object.entries(changes).map(([type, nichandle]) => [API_FIELD[type as ContactType], nichandle]));
  return client.post(`${route}/changeContact`, body, TaskIds, tookEffect);
}

const Nothing = z.unknown();

/** A token is single-use: a call that may have reached OVH is reported, not repeated. */
export async function acceptTask(client: OvhClient, id: number, token: string): Promise<void> {
  await client.post(`${TASKS}/${id}/accept`, { token }, Nothing, 'never');
}

export async function refuseTask(client: OvhClient, id: number, token: string): Promise<void> {
  await client.post(`${TASKS}/${id}/refuse`, { token }, Nothing, 'never');
}

export async function resendTaskEmails(client: OvhClient, id: number): Promise<void> {
  await client.post(`${TASKS}/${id}/resendEmail`, {}, Nothing, 'freely');
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
