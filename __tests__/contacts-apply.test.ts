/** `contacts apply`: requesting each change as the account allowed to, once, and saying who must validate it. */
import { DESIRED, Fixture, NIC, ROUTE } from './contacts-fixture';

let world: Fixture;
beforeEach(async () => {
  world = await Fixture.start();
});
afterEach(() => world.close());

const openTasks = () => world.standin.tasks.filter((task) => task.state === 'todo');

test('apply opens one task per changed contact, once: a second apply finds them pending and requests nothing', async () => {
  world.standin.addService(ROUTE.vps, { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
  const first = await world.run('apply', '--client', 'acme.test');
  expect(first.code).toBe(0);
  expect(world.changeRequests()).toBe(1);
  expect(openTasks().map((t) => [t.askingAccount, t.contactTypes, t.fromAccount, t.toAccount])).toEqual([
    [NIC.hosting, ['contactAdmin'], NIC.hosting, NIC.client],
    [NIC.hosting, ['contactTech'], NIC.hosting, NIC.operator],
  ]);
  const [admin, tech] = openTasks();
  expect(first.out).toContain('Done: requested now');
  expect(first.out).toContain(
    `acme.test vps-staging admin   ${NIC.hosting} → ${NIC.client}: requested by ${NIC.hosting}: task #${admin.id}, ` +
      `validated by ${NIC.hosting} (cedricfrancoys) and ${NIC.client} (acme_test, mail to acme.test@agency.test)`,
  );
  expect(first.out).toContain(`task #${tech.id}, validated by ${NIC.hosting} (cedricfrancoys) and ${NIC.operator} (not an account of the agency)`);
  expect(first.out).toContain('Unchanged: 2 service(s) in sync, 0 not ordered yet');

  const second = await world.run('apply', '--client', 'acme.test');
  expect(second.code).toBe(0);
  expect(world.changeRequests()).toBe(1);
  expect(openTasks()).toHaveLength(2);
  expect(second.out).toContain('Not done, already requested: waiting for validation');
  expect(second.out).toContain(`admin   ${NIC.hosting} → ${NIC.client}: pending: task #${admin.id} (todo)`);

  const plan = await world.run('plan', '--client', 'acme.test');
  expect(plan.out).toContain(`pending: task #${tech.id} (todo)`);
  expect(plan.code).toBe(2);
});

test('a third-party tech operator: the client, as admin, names them', async () => {
  world.standin.addService(ROUTE.vps, { ...DESIRED.vps, tech: NIC.client });
  const { code, out } = await world.run('apply', '--client', 'acme.test', '--json');
  expect(code).toBe(0);
  const [task] = openTasks();
  expect(task).toMatchObject({ askingAccount: NIC.client, contactTypes: ['contactTech'], fromAccount: NIC.client, toAccount: NIC.operator });
  const vps = JSON.parse(out).services.find((s: { service: string }) => s.service === 'vps-staging');
  expect(vps.changes).toEqual([
    { contact: 'tech', from: NIC.client, to: NIC.operator, status: 'requested', requestedBy: NIC.client, taskIds: [task.id], who: [], error: null, condition: null },
  ]);
});

test('billing handed over to the client: the client, as admin, requests it', async () => {
  world.standin.addService(ROUTE.web, { ...DESIRED.web, billing: NIC.hosting });
  const { code, out } = await world.run('apply', '--client', 'acme.test');
  expect(code).toBe(0);
  expect(openTasks().map((t) => [t.askingAccount, t.contactTypes, t.fromAccount, t.toAccount])).toEqual([
    [NIC.client, ['contactBilling'], NIC.hosting, NIC.client],
  ]);
  expect(out).toContain('the old and the new billing accounts must have no unpaid bill');
});

test('an unpaid bill: OVH refuses the billing change; the failure is reported, the other changes are still made', async () => {
  world.standin.accounts.get(NIC.hosting)!.unpaidBill = true;
  world.standin.addService(ROUTE.web, { ...DESIRED.web, billing: NIC.hosting });
  world.standin.addService(ROUTE.vps, { ...DESIRED.vps, tech: NIC.client });
  const { code, out } = await world.run('apply', '--client', 'acme.test');
  expect(code).toBe(1);
  expect(out).toContain('Not done, failed');
  expect(out).toContain(`acme.test web-acme-test billing ${NIC.hosting} → ${NIC.client}: failed (as ${NIC.client}): POST /hosting/web/acme.test/changeContact as ${NIC.client}: OVH refused it: HTTP 403 "The billing contacts must have no unpaid bill: ${NIC.hosting} has one"`);
  expect(openTasks().map((t) => t.contactTypes)).toEqual([['contactTech']]);
});

test('an open task moving the contact elsewhere blocks a new request', async () => {
  world.standin.addService(ROUTE.vps, { ...DESIRED.vps, tech: NIC.client });
  world.standin.addAccount('zz99999-ovh');
  world.standin.tasks.push({
    id: 77,
    askingAccount: NIC.client,
    fromAccount: NIC.client,
    toAccount: 'zz99999-ovh',
    contactTypes: ['contactTech'],
    serviceDomain: ROUTE.vps.split('/')[2],
    state: 'todo',
    dateRequest: new Date().toISOString(),
    route: ROUTE.vps,
    tokens: { from: 'f77', to: 't77' },
    accepted: { from: false, to: false },
    emailsSent: 1,
  });
  const { code, out } = await world.run('apply', '--client', 'acme.test');
  expect(out).toContain('blocked: open task #77 moves it to zz99999-ovh; refuse it');
  expect(world.changeRequests()).toBe(0);
  expect(code).toBe(0);
});

test('an answer lost after OVH opened the tasks: the retry finds them and opens none twice', async () => {
  world.standin.addService(ROUTE.vps, { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
  world.standin.stallNext(1, 1000, /changeContact$/);
  const { code, out } = await world.run('apply', '--client', 'acme.test', '--service', 'vps-staging');
  expect(code).toBe(0);
  expect(world.changeRequests()).toBe(1);
  expect(openTasks()).toHaveLength(2);
  expect(out).toContain(`requested by ${NIC.hosting}: task #${openTasks()[0].id}`);
});
