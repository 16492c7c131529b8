/**
 * Faults of the API and of the world: 429, 5xx and HTML errors, lost answers, requests processed late, runs in
 * parallel, a domain named "auth...". Every service is requested exactly once, each with its own task.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { backoffDelay } from '../contacts/retry';
import { FAST_RETRY, Fixture, NIC, PATIENT_RETRY, ROUTE, VPS_NAME } from './contacts-fixture';

let world: Fixture;
afterEach(() => world.close());

const attemptsAt = (route: string) => world.standin.calls.filter((call) => call.route === route).length;
const VPS_INFOS = `GET ${ROUTE.vps}/serviceInfos`;
const everything = { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting };
const journalEntries = () => {
  const dir = path.join(world.stateDir, 'acme.test.contacts-journal');
  return fs.readdirSync(dir).map((file) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')));
};

describe('reads', () => {
  beforeEach(async () => {
    world = await Fixture.start();
    // Lost answers are among the faults: the short deadline they are lost by (a test without one sets PATIENT_RETRY).
    world.retry = FAST_RETRY;
  });

  test.each([
    ['500', () => world.standin.failNext(2, 500, /serviceInfos$/)],
    ['429', () => world.standin.failNext(2, 429, /serviceInfos$/)],
    ['an HTML 502', () => world.standin.failNext(2, 502, /serviceInfos$/, { html: true })],
    ['a timeout', () => world.standin.stallNext(2, 1000, /serviceInfos$/)],
    ['a cut connection', () => world.standin.dropNext(2, /serviceInfos$/)],
  ])('%s twice, then an answer: the run succeeds', async (_fault, inject) => {
    inject();
    const { code, out } = await world.run('plan', '--client', 'acme.test', '--service', 'vps-staging');
    expect(out).toContain(`vps-staging (vps ${VPS_NAME}): in sync`);
    expect(code).toBe(0);
    expect(attemptsAt(VPS_INFOS)).toBe(3);
  });

  test('a 500 on every attempt: a clear error naming the route, the status and the query id; the other services still handled', async () => {
    world.standin.failNext(99, 500, new RegExp(`${VPS_NAME}/serviceInfos$`));
    const { code, out } = await world.run('plan', '--client', 'acme.test');
    expect(out).toMatch(
      new RegExp(
        `vps-staging \\(vps ${VPS_NAME}\\): error: GET ${ROUTE.vps}/serviceInfos as ${NIC.hosting}: still failing after 3 attempt\\(s\\): HTTP 500 "Internal server error" \\(OVH query id EU\\.ext-1\\.[0-9a-f.]+\\)`,
      ),
    );
    expect(out).toContain('Summary: 2 in sync, 0 drift, 0 not ordered yet, 1 error(s)');
    expect(code).toBe(1);
    expect(attemptsAt(VPS_INFOS)).toBe(FAST_RETRY.attempts);
  });

  test('no API at all: each error says what was not read, and the connection failure that stopped it', async () => {
    world.retry = PATIENT_RETRY;
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    world.env.OVH_IAC_API_URL = `https://127.0.0.1:${port}/1.0`;
    const why =
      "not sent: OVH's clock, which every signed call needs, could not be read: " +
      `GET /auth/time still failing after 3 attempt(s): connection failure with 127.0.0.1:${port} (ECONNREFUSED)`;
    const plan = await world.run('plan', '--client', 'acme.test', '--service', 'vps-staging');
    expect(plan.out).toContain(`vps-staging (vps ${VPS_NAME}): error: GET ${ROUTE.vps}/serviceInfos as ${NIC.hosting}: ${why}`);
    const tasks = await world.run('tasks', '--client', 'agency');
    expect(tasks.out).toBe(`Nothing read: the tasks of ${NIC.hosting}, ${NIC.cloud} could not be read (see the errors).`);
    expect(tasks.err).toContain(`contacts tasks: ${NIC.hosting}: GET /me/task/contactChange as ${NIC.hosting}: ${why}`);
  });

  test('an HTML error page keeps its status', async () => {
    world.standin.failNext(99, 502, /serviceInfos$/, { html: true });
    const { out } = await world.run('plan', '--client', 'acme.test', '--service', 'vps-staging');
    expect(out).toContain(`still failing after 3 attempt(s): HTTP 502 an HTML page instead of OVH's JSON (a proxy or gateway answered)`);
  });
});

describe('requests', () => {
  beforeEach(async () => {
    world = await Fixture.start({ withZone: true });
    // Lost answers are among the faults: the short deadline they are lost by (a test without one sets PATIENT_RETRY).
    world.retry = FAST_RETRY;
  });

  test('changeContact failing with 503 until the attempts run out: reported; the next apply requests only what is missing', async () => {
    world.standin.addService(ROUTE.vps, everything);
    world.standin.addService(ROUTE.web, { ...everything, admin: NIC.client, tech: NIC.client });
    world.standin.failNext(FAST_RETRY.attempts, 503, /vps.*changeContact$/);
    const { code, out } = await world.run('apply', '--client', 'acme.test');
    expect(code).toBe(1);
    expect(out).toMatch(/Done: requested now.*:\n {2}acme.test web-acme-test billing .*requested by ac11111-ovh: task #1001/);
    expect(out).toContain('Not done, failed (run apply again once fixed: it never requests a change twice):');
    expect(out).toContain(
      `acme.test vps-staging admin   ${NIC.hosting} → ${NIC.client}: failed (as ${NIC.hosting}): POST ${ROUTE.vps}/changeContact as ${NIC.hosting}: HTTP 503`,
    );

    const again = await world.run('apply', '--client', 'acme.test');
    expect(again.code).toBe(0);
    expect(world.standin.tasks.map((task) => task.contactTypes)).toEqual([['contactBilling'], ['contactAdmin'], ['contactTech']]);
  });

  test.each([
    ['429', () => world.standin.failNext(2, 429, /changeContact$/)],
    ['an HTML 502 answered without processing', () => world.standin.failNext(2, 502, /changeContact$/, { html: true })],
  ])('%s on changeContact: tried again, one task', async (_fault, inject) => {
    world.standin.addService(ROUTE.web, { ...everything, admin: NIC.client, tech: NIC.client });
    inject();
    const { code } = await world.run('apply', '--client', 'acme.test');
    expect(code).toBe(0);
    expect(world.standin.tasks).toHaveLength(1);
  });

  test.each([
    ['an answer lost after OVH opened the tasks', () => world.standin.stallNext(1, 1000, /changeContact$/)],
    ['a connection cut after OVH opened the tasks', () => world.standin.dropNext(1, /changeContact$/)],
  ])('%s: the tasks are found, none opened twice', async (_fault, inject) => {
    world.standin.addService(ROUTE.vps, everything);
    inject();
    const { code, out } = await world.run('apply', '--client', 'acme.test', '--service', 'vps-staging');
    expect(code).toBe(0);
    expect(world.changeRequests()).toBe(1);
    expect(world.standin.tasks).toHaveLength(2);
    expect(out).toContain(`requested by ${NIC.hosting}: task #${world.standin.tasks[0].id}`);
  });

  test("the machine's clock 10 minutes ahead of OVH's: the tasks of a lost answer are found by OVH's time, none opened twice", async () => {
    world.retry = PATIENT_RETRY;
    world.standin.setClockOffset(-10 * 60_000);
    world.standin.addService(ROUTE.vps, everything);
    world.standin.dropNext(1, /changeContact$/);
    const { code, out } = await world.run('apply', '--client', 'acme.test', '--service', 'vps-staging');
    expect(out).toContain(`requested by ${NIC.hosting}: task #${world.standin.tasks[0].id}`);
    expect(code).toBe(0);
    expect(world.changeRequests()).toBe(1);
    const [request] = journalEntries();
    expect(request.outcome).toMatchObject({ state: 'answered', found: true });
    // The request is dated by both clocks: the machine's, and OVH's, by which OVH dates its tasks.
    expect(Date.parse(request.sentAt) - Date.parse(request.ovhSentAt)).toBeCloseTo(10 * 60_000, -4);
  });

  test('a request cut before OVH processed it: unknown; the next run finds no task of it and requests it again, once', async () => {
    world.retry = PATIENT_RETRY;
    world.standin.addService(ROUTE.vps, everything);
    world.standin.dropNext(1, /changeContact$/, { processed: false });
    const args = ['apply', '--client', 'acme.test', '--service', 'vps-staging'];
    const first = await world.run(...args);
    expect(first.out).toContain(
      `admin   ${NIC.hosting} → ${NIC.client}: outcome unknown: the request sent at ${journalEntries()[0].sentAt} as ${NIC.hosting} got no answer; ` +
        'the next run looks for its task, and requests it again if OVH has none (OVH opens the tasks within the request)',
    );
    expect(first.code).toBe(2);
    expect(world.standin.tasks).toHaveLength(0);

    expect((await world.run('tasks', '--client', 'acme.test')).out).toContain(
      'outcome unknown, no task found yet (the next apply requests it again if OVH still has none)',
    );
    const plan = await world.run('plan', '--client', 'acme.test', '--service', 'vps-staging');
    expect(plan.out).toContain(`admin   ${NIC.hosting} → ${NIC.client}: to request by ${NIC.hosting}`);
    const second = await world.run(...args);
    expect(second.out).toContain(`admin   ${NIC.hosting} → ${NIC.client}: requested by ${NIC.hosting}: task #${world.standin.tasks[0].id}`);
    expect(second.code).toBe(0);
    expect(world.changeRequests()).toBe(2);
    expect(world.standin.tasks.map((task) => task.contactTypes)).toEqual([['contactAdmin'], ['contactTech']]);
    expect(journalEntries().map((entry) => [entry.outcome.state, entry.outcome.error])).toEqual(
      expect.arrayContaining([
        ['failed', expect.stringMatching(/^not received: its answer was lost \(POST .*ECONNRESET.*\), and OVH, .* has none of it$/)],
        ['answered', undefined],
      ]),
    );

    const third = await world.run(...args);
    expect(third.out).toContain(`pending: task #${world.standin.tasks[0].id}`);
    expect(world.changeRequests()).toBe(2);
  });

  test('a request processed after its deadline: outcome unknown, never sent again; found by the next run', async () => {
    world.standin.addService(ROUTE.vps, everything);
    world.standin.holdNext(1, /changeContact$/);
    const first = await world.run('apply', '--client', 'acme.test', '--service', 'vps-staging');
    expect(first.out).toContain('Not done, outcome unknown');
    expect(first.out).toContain(`admin   ${NIC.hosting} → ${NIC.client}: outcome unknown: the request sent at`);
    expect(first.code).toBe(2);
    expect(world.standin.tasks).toHaveLength(0);

    // Before it is processed, neither plan nor apply sends it again.
    expect((await world.run('apply', '--client', 'acme.test', '--service', 'vps-staging')).code).toBe(2);
    expect((await world.run('tasks', '--client', 'acme.test')).out).toMatch(
      /Request \S+ \(acme.test vps-staging, as cf10001-ovh, sent .*\): outcome unknown, no task found yet/,
    );

    world.standin.processHeld();
    const second = await world.run('apply', '--client', 'acme.test', '--service', 'vps-staging');
    expect(second.out).toContain(`admin   ${NIC.hosting} → ${NIC.client}: pending: task #${world.standin.tasks[0].id}`);
    expect(second.code).toBe(0);
    expect(world.changeRequests()).toBe(1);
    expect(world.standin.tasks).toHaveLength(2);
  });

  test("services of one name: a lost answer on the zone is not found in the web hosting's task, and waits", async () => {
    world.standin.addService(ROUTE.zone, { ...everything, billing: NIC.hosting });
    world.standin.addService(ROUTE.web, everything);
    world.standin.holdNext(1, new RegExp(`${ROUTE.zone}/changeContact$`));
    const first = await world.run('apply', '--client', 'acme.test');
    // The zone's request was lost; the web hosting's, by the same account on the same name, waits for it.
    expect(first.out).toContain('zone-acme-test admin   cf10001-ovh → ac11111-ovh: outcome unknown');
    expect(first.out).toMatch(
      /web-acme-test admin +cf10001-ovh → ac11111-ovh: waiting: the request sent at .* as cf10001-ovh for zone-acme-test \(same service name\)/,
    );
    expect(world.changeRequests(ROUTE.web)).toBe(0);
    expect(first.code).toBe(2);

    world.standin.processHeld();
    const second = await world.run('apply', '--client', 'acme.test');
    expect(second.code).toBe(0);
    expect(world.changeRequests(ROUTE.zone)).toBe(1);
    expect(world.changeRequests(ROUTE.web)).toBe(1);
    const zoneTasks = world.standin.tasks.filter((task) => task.route === ROUTE.zone).map((task) => task.id);
    const webTasks = world.standin.tasks.filter((task) => task.route === ROUTE.web).map((task) => task.id);
    expect(second.out).toContain(`zone-acme-test admin   cf10001-ovh → ac11111-ovh: pending: task #${zoneTasks[0]} `);
    expect(second.out).toContain(`web-acme-test admin   cf10001-ovh → ac11111-ovh: requested by cf10001-ovh: task #${webTasks[0]}`);
  });

  test('parallel runs, as Terraform runs the provisioners: each service requested once, with its own tasks', async () => {
    // No fault here: on a busy machine, eight runs at once must not see a call's answer as lost.
    world.retry = PATIENT_RETRY;
    world.standin.addService(ROUTE.zone, { ...everything, billing: NIC.hosting });
    world.standin.addService(ROUTE.web, everything);
    world.standin.addService(ROUTE.vps, everything);
    world.standin.addService(ROUTE.domain, { ...everything, admin: NIC.client });
    const services = ['domain-acme-test', 'zone-acme-test', 'web-acme-test', 'vps-staging'];
    const runs = await Promise.all(
      [...services, ...services].map((service) => world.run('apply', '--client', 'acme.test', '--service', service)),
    );
    expect(runs.map((run) => (run.code === 0 ? 0 : run.out + run.err))).toEqual(runs.map(() => 0));
    for (const route of [ROUTE.zone, ROUTE.web, ROUTE.vps, ROUTE.domain]) expect(world.changeRequests(route)).toBe(1);
    const plan = await world.run('plan', '--client', 'acme.test', '--json');
    const pending = JSON.parse(plan.out).services.flatMap((s: { service: string; changes: { status: string; taskIds: number[] }[] }) =>
      s.changes.map((c) => [s.service, c.status, c.taskIds]),
    );
    for (const [service, status, ids] of pending) {
      expect(status).toBe('pending');
      const routes = world.standin.tasks.filter((task) => ids.includes(task.id)).map((task) => task.route);
      expect(new Set(routes)).toEqual(
        new Set([
          { 'domain-acme-test': ROUTE.domain, 'zone-acme-test': ROUTE.zone, 'web-acme-test': ROUTE.web, 'vps-staging': ROUTE.vps }[
            service as string
          ],
        ]),
      );
    }
  });

  test('a domain named "auth...": every call is signed', async () => {
    const route = '/domain/authentique.test';
    world.standin.addService(route, { admin: NIC.client, tech: NIC.hosting, billing: NIC.hosting }, 501);
    const plan = await world.run('plan', '--client', 'acme.test', '--service', 'domain-acme-test', '--service-name', 'authentique.test');
    expect(plan.out).toContain(`tech    ${NIC.hosting} → ${NIC.client}: to request by ${NIC.client}`);
    const apply = await world.run('apply', '--client', 'acme.test', '--service', 'domain-acme-test', '--service-name', 'authentique.test');
    expect(apply.code).toBe(0);
    expect(world.standin.tasks.map((task) => [task.serviceDomain, task.contactTypes])).toEqual([['authentique.test', ['contactTech']]]);
    expect(world.standin.rejected).toEqual([]);
    expect(world.standin.calls.map((call) => call.route)).toEqual(
      expect.arrayContaining([`GET ${route}/serviceInfos`, `GET ${route}`, `POST ${route}/changeContact`]),
    );
  });
});

test('backoff: exponential ceilings, capped, with jitter', () => {
  const policy = { attempts: 6, firstDelayMs: 100, maxDelayMs: 500, timeoutMs: 1000 };
  expect([1, 2, 3, 4].map((failures) => backoffDelay(policy, failures, () => 1))).toEqual([100, 200, 400, 500]);
  expect(backoffDelay(policy, 3, () => 0.5)).toBe(200);
});
