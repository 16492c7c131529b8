/** `contacts apply`: requesting each change once, as the account allowed to, each tied to its own service by the journal. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Task } from '../standins/ovh-api/server';
import { nodeOvhClient } from '../contacts/ovh-client';
import { DESIRED, Fixture, NIC, ROUTE } from './contacts-fixture';

let world: Fixture;
beforeEach(async () => {
  world = await Fixture.start();
});
afterEach(() => world.close());

const openTasks = () => world.standin.tasks.filter((task) => task.state === 'todo');
const summary = (tasks: Task[]) => tasks.map((t) => [t.askingAccount, t.contactTypes, t.fromAccount, t.toAccount]);

test('apply opens one task per new account, once: a second apply finds them pending and requests nothing', async () => {
  world.standin.addService(ROUTE.vps, { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
  const first = await world.run('apply', '--client', 'acme.test');
  expect(first.code).toBe(0);
  expect(world.changeRequests()).toBe(1);
  expect(summary(openTasks())).toEqual([
    [NIC.hosting, ['contactAdmin'], NIC.hosting, NIC.client],
    [NIC.hosting, ['contactTech'], NIC.hosting, NIC.operator],
  ]);
  const [admin, tech] = openTasks();
  expect(first.out).toContain('Done: requested now');
  expect(first.out).toContain(
    `acme.test vps-staging admin   ${NIC.hosting} → ${NIC.client}: requested by ${NIC.hosting}: task #${admin.id}, ` +
      `validated by ${NIC.hosting} (cedricfrancoys) and ${NIC.client} (acme_test, mail to acme.test@agency.test)`,
  );
  expect(first.out).toContain(
    `task #${tech.id}, validated by ${NIC.hosting} (cedricfrancoys) and ${NIC.operator} (not an account of the agency)`,
  );
  expect(first.out).toContain('Unchanged: 2 service(s) in sync, 0 not ordered yet');

  const second = await world.run('apply', '--client', 'acme.test');
  expect(second.code).toBe(0);
  expect(world.changeRequests()).toBe(1);
  expect(openTasks()).toHaveLength(2);
  expect(second.out).toContain('Not done, already requested: waiting for validation');
  expect(second.out).toContain(`admin   ${NIC.hosting} → ${NIC.client}: pending: task #${admin.id} (todo, 0 min)`);

  const plan = await world.run('plan', '--client', 'acme.test');
  expect(plan.out).toContain(`pending: task #${tech.id} (todo, 0 min)`);
  expect(plan.code).toBe(2);
});

test('two contacts moving to the same account: one task carries both', async () => {
  world.standin.addService(ROUTE.web, { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
  const { code, out } = await world.run('apply', '--client', 'acme.test', '--service', 'web-acme-test');
  expect(code).toBe(0);
  expect(summary(openTasks())).toEqual([[NIC.hosting, ['contactAdmin', 'contactTech', 'contactBilling'], NIC.hosting, NIC.client]]);
  const [task] = openTasks();
  for (const contact of ['admin  ', 'tech   ', 'billing'])
    expect(out).toContain(`${contact} ${NIC.hosting} → ${NIC.client}: requested by ${NIC.hosting}: task #${task.id},`);
});

test('a third-party tech operator: the client, as admin, names them', async () => {
  world.standin.addService(ROUTE.vps, { ...DESIRED.vps, tech: NIC.client });
  const { code, out } = await world.run('apply', '--client', 'acme.test', '--json');
  expect(code).toBe(0);
  const [task] = openTasks();
  expect(task).toMatchObject({
    askingAccount: NIC.client,
    contactTypes: ['contactTech'],
    fromAccount: NIC.client,
    toAccount: NIC.operator,
  });
  const vps = JSON.parse(out).services.find((s: { service: string }) => s.service === 'vps-staging');
  expect(vps.changes).toEqual([
    expect.objectContaining({
      contact: 'tech',
      status: 'requested',
      requestedBy: NIC.client,
      taskIds: [task.id],
      validators: [NIC.client, NIC.operator],
      informed: [],
    }),
  ]);
});

test('the journal ties each request to its service, beside the state', async () => {
  world.standin.addService(ROUTE.vps, { ...DESIRED.vps, tech: NIC.client });
  await world.run('apply', '--client', 'acme.test');
  const dir = path.join(world.stateDir, 'acme.test.contacts-journal');
  const [file] = fs.readdirSync(dir);
  const entry = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
  expect(entry).toMatchObject({
    stack: 'acme.test',
    service: 'vps-staging',
    route: ROUTE.vps,
    requestedBy: NIC.client,
    changes: [{ contact: 'tech', from: NIC.client, to: NIC.operator }],
    outcome: { state: 'answered', taskIds: [openTasks()[0].id], found: false },
  });
  expect(fs.readdirSync(path.join(world.stateDir, 'contacts-locks'))).toEqual([]);
});

test('an open task moving the contact elsewhere, of this service, blocks a new request; apply exits 2', async () => {
  world.standin.addService(ROUTE.vps, { ...DESIRED.vps, tech: NIC.client });
  world.standin.addAccount('zz99999-ovh');
  await world.run('apply', '--client', 'acme.test');
  // The file now wants another tech, while the task to the operator waits.
  fs.writeFileSync(
    path.join(world.env.OVH_IAC_CLIENTS_DIR!, 'acme.test.yaml'),
    fs
      .readFileSync(path.join(world.env.OVH_IAC_CLIENTS_DIR!, 'acme.test.yaml'), 'utf8')
      .replace(`tech: ${NIC.operator}`, 'tech: zz99999-ovh'),
  );
  const [task] = openTasks();
  const { code, out } = await world.run('apply', '--client', 'acme.test');
  expect(out).toContain(`blocked: task #${task.id} moves it to ${NIC.operator}; refuse it ("contacts refuse ${task.id}") or let it expire`);
  expect(world.changeRequests()).toBe(1);
  expect(code).toBe(2);
});

test("an open task the journal does not know (made in OVH's manager) blocks that contact: shown, never taken for this service's, nothing requested", async () => {
  world.standin.addService(ROUTE.vps, { ...DESIRED.vps, admin: NIC.hosting, tech: NIC.client });
  // Someone asked for another tech in the OVH manager.
  world.standin.addAccount('zz99999-ovh');
  const [manager] = world.standin.requestInManager(NIC.hosting, ROUTE.vps, { tech: 'zz99999-ovh' });
  const name = ROUTE.vps.split('/')[2];
  const blocked =
    `tech    ${NIC.client} → ${NIC.operator}: blocked: task #${manager} moves it to zz99999-ovh, not requested by this tool ` +
    `(the OVH manager?; it may be about any service named ${name}): nothing is requested while it is open; ` +
    `validate or refuse it ("contacts refuse ${manager}"), or let it expire`;
  const plan = await world.run('plan', '--client', 'acme.test');
  expect(plan.out).toContain(`admin   ${NIC.hosting} → ${NIC.client}: to request by ${NIC.hosting}`);
  expect(plan.out).toContain(blocked);
  expect(plan.out).toContain(
    `task    #${manager} (todo, 0 min, asked by ${NIC.hosting}): tech ${NIC.client} → zz99999-ovh: not requested by this tool (the OVH manager?); it may be about any service named ${name}`,
  );
  expect(plan.code).toBe(2);

  // apply requests the admin change alone; the tech waits for the manager's task.
  const apply = await world.run('apply', '--client', 'acme.test');
  expect(apply.out).toContain(`Not done, blocked:\n  acme.test vps-staging ${blocked}`);
  expect(world.standin.tasks.filter((task) => task.id !== manager).map((task) => task.contactTypes)).toEqual([['contactAdmin']]);
  expect(apply.code).toBe(2);

  // Once it is refused, the change is requested.
  world.stdin = world.standin.tokenOf(manager, NIC.hosting);
  expect((await world.run('refuse', String(manager))).code).toBe(0);
  const again = await world.run('apply', '--client', 'acme.test');
  expect(again.out).toContain(`tech    ${NIC.client} → ${NIC.operator}: requested by ${NIC.hosting}`);
  expect(again.code).toBe(0);
});

test('apply exits 2 while a change is manual: Terraform keeps the record tainted and runs it again', async () => {
  world.standin.addService(ROUTE.web, { ...DESIRED.web, admin: NIC.operator });
  const { code, out } = await world.run('apply', '--client', 'acme.test');
  expect(out).toContain('Not done, manual steps:');
  expect(code).toBe(2);
});

describe('with another run at work on the same name', () => {
  let zoneWorld: Fixture;
  beforeEach(async () => {
    zoneWorld = await Fixture.start({ withZone: true });
  });
  afterEach(() => zoneWorld.close());

  test('apply waits for its lock, then decides on what that run recorded', async () => {
    const everything = { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting };
    zoneWorld.standin.addService(ROUTE.zone, everything);
    zoneWorld.standin.addService(ROUTE.web, everything);
    // Another run holds cf10001-ovh's lock on acme.test and is sending the zone's request.
    const lock = path.join(zoneWorld.stateDir, 'contacts-locks', `${NIC.hosting}@acme.test.lock`);
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }));
    const journal = path.join(zoneWorld.stateDir, 'acme.test.contacts-journal');
    fs.mkdirSync(journal, { recursive: true });
    const entry = {
      id: 'other-run',
      stack: 'acme.test',
      service: 'zone-acme-test',
      kind: 'dnsZone',
      route: ROUTE.zone,
      serviceName: 'acme.test',
      requestedBy: NIC.hosting,
      changes: [
        { contact: 'admin', from: NIC.hosting, to: NIC.client },
        { contact: 'tech', from: NIC.hosting, to: NIC.client },
      ],
      sentAt: new Date().toISOString(),
      outcome: { state: 'sending' },
    };
    fs.writeFileSync(path.join(journal, 'other-run.json'), JSON.stringify(entry));

    // The machine's clock, told when the run pauses because it found the lock held.
    let waitingForLock!: () => void;
    const waiting = new Promise<void>((resolve) => (waitingForLock = resolve));
    zoneWorld.lockTiming = {
      ...zoneWorld.lockTiming,
      clock: {
        now: () => Date.now(),
        sleep: (ms) => {
          waitingForLock();
          return new Promise((resolve) => setTimeout(resolve, ms));
        },
      },
    };
    const web = zoneWorld.run('apply', '--client', 'acme.test', '--service', 'web-acme-test');
    await waiting;
    expect(zoneWorld.changeRequests(ROUTE.web)).toBe(0);
    // The other run's request is answered; it records it and lets go of the lock.
    const hosting = zoneWorld.credentials.get('cedricfrancoys')!;
    const url = new URL(zoneWorld.standin.url);
    const ids = (await nodeOvhClient({ host: url.hostname, port: Number(url.port), basePath: url.pathname }, hosting).requestPromised(
      'POST',
      `${ROUTE.zone}/changeContact`,
      { contactAdmin: NIC.client, contactTech: NIC.client },
    )) as number[];
    fs.writeFileSync(
      path.join(journal, 'other-run.json'),
      JSON.stringify({ ...entry, outcome: { state: 'answered', at: new Date().toISOString(), taskIds: ids, found: false } }),
    );
    fs.rmSync(lock);

    const { code, out } = await web;
    expect(code).toBe(0);
    expect(zoneWorld.changeRequests(ROUTE.web)).toBe(1);
    const webTask = zoneWorld.standin.tasks.find((task) => task.route === ROUTE.web)!;
    expect(out).toContain(`web-acme-test admin   ${NIC.hosting} → ${NIC.client}: requested by ${NIC.hosting}: task #${webTask.id}`);
    expect(webTask.id).not.toBe(ids[0]);
  });
});
