/** OVH's contact rules as the tool applies them, without the API: who may request which change, who validates it. */
import type { JournalEntry } from '../contacts/journal';
import type { ContactChangeTask } from '../contacts/ovh-api';
import { reconcile, type ServiceHistory } from '../contacts/reconcile';
import { validationOf } from '../contacts/validation';
import type { OvhAccount } from '../policy/plan';

const account = (nichandle: string, key: string): OvhAccount => ({ name: key, key, nichandle, description: key });
const AGENCY = account('cf10001-ovh', 'cedricfrancoys');
const CLIENT = account('ac11111-ovh', 'acme_test');
const held = { find: (nichandle: string) => [AGENCY, CLIENT].find((a) => a.nichandle === nichandle) };
const OPERATOR = 'op54321-ovh';
const desired = { admin: CLIENT.nichandle, tech: OPERATOR, billing: AGENCY.nichandle };
const NOTHING: ServiceHistory = { tasks: [], unresolved: [], sameName: [], foreign: [] };

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

const entry = (overrides: Partial<JournalEntry>): JournalEntry => ({
  id: 'r1',
  stack: 'acme.test',
  service: 'vps-staging',
  kind: 'vps',
  route: '/vps/svc',
  serviceName: 'svc',
  requestedBy: CLIENT.nichandle,
  changes: [{ contact: 'tech', from: CLIENT.nichandle, to: OPERATOR }],
  sentAt: '2026-01-01T00:00:00Z',
  outcome: { state: 'unknown', since: '2026-01-01T00:00:01Z', detail: 'no answer', ended: false },
  ...overrides,
});

test('in sync: nothing to do', () => {
  expect(reconcile(desired, desired, held, NOTHING)).toEqual([]);
});

test('an admin we hold requests every change; validated by itself and the new account, the old one informed', () => {
  const changes = reconcile(desired, { admin: AGENCY.nichandle, tech: AGENCY.nichandle, billing: AGENCY.nichandle }, held, NOTHING);
  expect(changes.map((c) => [c.contact, c.status])).toEqual([
    [
      'admin',
      { kind: 'request', by: AGENCY, role: 'admin', validation: { validators: [AGENCY.nichandle, CLIENT.nichandle], informed: [] } },
    ],
    ['tech', { kind: 'request', by: AGENCY, role: 'admin', validation: { validators: [AGENCY.nichandle, OPERATOR], informed: [] } }],
  ]);
});

test("who validates, per case of OVH's 2025 guide", () => {
  // The admin names a new tech: admin and new tech; the old tech is informed.
  expect(validationOf('ad1-ovh', 'new1-ovh', ['old1-ovh'])).toEqual({ validators: ['ad1-ovh', 'new1-ovh'], informed: ['old1-ovh'] });
  // The admin takes tech back: the admin alone; the old tech is informed.
  expect(validationOf('ad1-ovh', 'ad1-ovh', ['old1-ovh'])).toEqual({ validators: ['ad1-ovh'], informed: ['old1-ovh'] });
  // The admin names a new admin: both.
  expect(validationOf('ad1-ovh', 'new1-ovh', ['ad1-ovh'])).toEqual({ validators: ['ad1-ovh', 'new1-ovh'], informed: [] });
  // The tech hands over to its successor: both.
  expect(validationOf('te1-ovh', 'new1-ovh', ['te1-ovh'])).toEqual({ validators: ['te1-ovh', 'new1-ovh'], informed: [] });
});

test('without the admin: tech and billing are handed over by their holders; the admin change is manual', () => {
  const current = { admin: OPERATOR, tech: CLIENT.nichandle, billing: CLIENT.nichandle };
  const changes = reconcile({ ...desired, tech: AGENCY.nichandle }, current, held, NOTHING);
  expect(changes.map((c) => [c.contact, c.status.kind, 'by' in c.status ? c.status.by : undefined])).toEqual([
    ['admin', 'manual', undefined],
    ['tech', 'request', CLIENT],
    ['billing', 'request', CLIENT],
  ]);
});

test('a third party holding tech, with an admin not ours either: admin or tech must do it', () => {
  const current = { admin: 'zz99999-ovh', tech: OPERATOR, billing: AGENCY.nichandle };
  const changes = reconcile({ ...desired, tech: CLIENT.nichandle }, current, held, NOTHING);
  expect(changes.map((c) => [c.contact, c.status])).toEqual([
    ['admin', { kind: 'manual', who: ['zz99999-ovh'] }],
    ['tech', { kind: 'manual', who: ['zz99999-ovh', OPERATOR] }],
  ]);
});

test("only the service's own tasks count: one to the desired account is pending, one elsewhere blocks, closed ones are history", () => {
  const current = { ...desired, tech: CLIENT.nichandle };
  const covering = task({ id: 2, state: 'validatingByCustomers' });
  expect(reconcile(desired, current, held, { ...NOTHING, tasks: [covering] })[0].status).toEqual({ kind: 'pending', tasks: [covering] });
  const elsewhere = task({ id: 4, toAccount: 'zz99999-ovh' });
  expect(reconcile(desired, current, held, { ...NOTHING, tasks: [elsewhere] })[0].status).toMatchObject({
    kind: 'blocked',
    tasks: [elsewhere],
  });
  const refused = task({ id: 5, state: 'refused' });
  const [change] = reconcile(desired, current, held, { ...NOTHING, tasks: [refused] });
  expect(change.status.kind).toBe('request');
  expect(change.closed).toEqual([refused]);
});

test('a request of unknown outcome is never asked again; another request as the same account on the same name waits', () => {
  const current = { ...desired, tech: CLIENT.nichandle };
  const lost = entry({});
  expect(reconcile(desired, current, held, { ...NOTHING, unresolved: [lost] })[0].status).toEqual({ kind: 'unknown', entry: lost });
  const zone = entry({ service: 'zone-svc' });
  expect(reconcile(desired, current, held, { ...NOTHING, sameName: [zone] })[0].status).toEqual({ kind: 'waiting', entry: zone });
  // Another account's request on the same name does not hold this one back.
  const theirs = entry({ requestedBy: AGENCY.nichandle });
  expect(reconcile(desired, current, held, { ...NOTHING, sameName: [theirs] })[0].status.kind).toBe('request');
});

test('an open task nobody here asked for blocks a change of its contact, whoever it moves it to; other contacts go ahead', () => {
  const current = { ...desired, admin: AGENCY.nichandle, tech: CLIENT.nichandle };
  for (const toAccount of ['zz99999-ovh', OPERATOR]) {
    const manager = task({ id: 77, toAccount, askingAccount: AGENCY.nichandle });
    const [admin, tech] = reconcile(desired, current, held, { ...NOTHING, foreign: [manager] });
    expect(admin.status.kind).toBe('request');
    expect(tech.status).toEqual({
      kind: 'blocked',
      reason:
        `task #77 moves it to ${toAccount}, not requested by this tool (the OVH manager?; it may be about any service named svc): ` +
        'nothing is requested while it is open; validate or refuse it ("contacts refuse 77"), or let it expire',
      tasks: [manager],
      // Under its lock, apply looks again as the account that would request it: the task may be another run's.
      recheckAs: AGENCY,
    });
  }
});
