/** OVH's contact rules as the tool applies them, without the API: who may request which change. */
import type { ContactChangeTask } from '../contacts/ovh-api';
import { reconcile } from '../contacts/reconcile';
import type { OvhAccount } from '../policy/procedure';

const account = (nichandle: string, key: string): OvhAccount => ({ name: key, key, nichandle, description: key });
const AGENCY = account('cf10001-ovh', 'cedricfrancoys');
const CLIENT = account('ac11111-ovh', 'acme_test');
const held = (nichandle: string) => [AGENCY, CLIENT].find((a) => a.nichandle === nichandle);
const OPERATOR = 'op54321-ovh';
const desired = { admin: CLIENT.nichandle, tech: OPERATOR, billing: AGENCY.nichandle };

const task = (overrides: Partial<ContactChangeTask>): ContactChangeTask => ({
  id: 1,
  askingAccount: CLIENT.nichandle,
  fromAccount: CLIENT.nichandle,
  toAccount: OPERATOR,
  contactTypes: ['tech'],
  serviceDomain: 'svc',
  state: 'todo',
  dateRequest: '2026-01-01T00:00:00Z',
  ...overrides,
});

test('in sync: nothing to do', () => {
  expect(reconcile(desired, desired, 'svc', held, [])).toEqual([]);
});

test('an admin we hold requests every change', () => {
  const changes = reconcile(desired, { admin: AGENCY.nichandle, tech: AGENCY.nichandle, billing: AGENCY.nichandle }, 'svc', held, []);
  expect(changes.map((c) => [c.contact, c.status])).toEqual([
    ['admin', { kind: 'request', by: AGENCY, role: 'admin' }],
    ['tech', { kind: 'request', by: AGENCY, role: 'admin' }],
  ]);
});

test('without the admin: tech and billing are handed over by their holders; the admin change is manual', () => {
  const current = { admin: OPERATOR, tech: CLIENT.nichandle, billing: CLIENT.nichandle };
  const changes = reconcile({ ...desired, tech: AGENCY.nichandle }, current, 'svc', held, []);
  expect(changes.map((c) => [c.contact, c.status])).toEqual([
    ['admin', { kind: 'manual', who: [OPERATOR] }],
    ['tech', { kind: 'request', by: CLIENT, role: 'tech' }],
    ['billing', { kind: 'request', by: CLIENT, role: 'billing' }],
  ]);
});

test('a third party holding tech, with an admin not ours either: admin or tech must do it', () => {
  const current = { admin: 'zz99999-ovh', tech: OPERATOR, billing: AGENCY.nichandle };
  const changes = reconcile({ ...desired, tech: CLIENT.nichandle }, current, 'svc', held, []);
  expect(changes.map((c) => [c.contact, c.status])).toEqual([
    ['admin', { kind: 'manual', who: ['zz99999-ovh'] }],
    ['tech', { kind: 'manual', who: ['zz99999-ovh', OPERATOR] }],
  ]);
});

test('an open task to the desired account is pending; one to another account blocks; closed and other services\' tasks do not count', () => {
  const current = { ...desired, tech: CLIENT.nichandle };
  const covering = task({ id: 2, state: 'validatingByCustomers' });
  expect(reconcile(desired, current, 'svc', held, [covering, task({ id: 3, serviceDomain: 'other' })])[0].status).toEqual({ kind: 'pending', tasks: [covering] });
  const elsewhere = task({ id: 4, toAccount: 'zz99999-ovh' });
  expect(reconcile(desired, current, 'svc', held, [elsewhere])[0].status).toEqual({ kind: 'conflict', tasks: [elsewhere] });
  expect(reconcile(desired, current, 'svc', held, [task({ id: 5, state: 'refused' })])[0].status.kind).toBe('request');
});
