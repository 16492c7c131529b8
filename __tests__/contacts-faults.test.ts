/** Faults of the API: 500, 429 and timeouts are retried with backoff, then reported with the route and the status. */
import { backoffDelay } from '../contacts/retry';
import { FAST_RETRY, Fixture, NIC, ROUTE, VPS_NAME } from './contacts-fixture';

let world: Fixture;
beforeEach(async () => {
  world = await Fixture.start();
});
afterEach(() => world.close());

const attemptsAt = (route: string) => world.standin.calls.filter((call) => call.route === route).length;
const VPS_INFOS = `GET ${ROUTE.vps}/serviceInfos`;

test.each([
  ['500', () => world.standin.failNext(2, 500, /serviceInfos$/)],
  ['429', () => world.standin.failNext(2, 429, /serviceInfos$/)],
  ['a timeout', () => world.standin.stallNext(2, 1000, /serviceInfos$/)],
])('%s twice, then an answer: the run succeeds', async (_fault, inject) => {
  inject();
  const { code, out } = await world.run('plan', '--client', 'acme.test', '--service', 'vps-staging');
  expect(out).toContain(`vps-staging (vps ${VPS_NAME}): in sync`);
  expect(code).toBe(0);
  expect(attemptsAt(VPS_INFOS)).toBe(3);
});

test('a 500 on every attempt: a clear error naming the route and the status, the other services still handled', async () => {
  world.standin.failNext(99, 500, new RegExp(`${VPS_NAME}/serviceInfos$`));
  const { code, out } = await world.run('plan', '--client', 'acme.test');
  expect(out).toContain(
    `vps-staging (vps ${VPS_NAME}): error: GET ${ROUTE.vps}/serviceInfos as ${NIC.hosting}: still failing after 3 attempt(s): HTTP 500 "Internal server error"`,
  );
  expect(out).toContain('Summary: 2 in sync, 0 drift, 0 not ordered yet, 1 error(s)');
  expect(code).toBe(1);
  expect(attemptsAt(VPS_INFOS)).toBe(FAST_RETRY.attempts);
});

test('apply when changeContact keeps failing: the final report says what was done and what was not', async () => {
  world.standin.addService(ROUTE.vps, { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
  world.standin.addService(ROUTE.web, { admin: NIC.client, tech: NIC.client, billing: NIC.hosting });
  world.standin.failNext(FAST_RETRY.attempts, 503, /vps.*changeContact$/);
  const { code, out } = await world.run('apply', '--client', 'acme.test');
  expect(code).toBe(1);
  expect(out).toMatch(/Done: requested now.*:\n {2}acme.test web-acme-test billing .*requested by ac11111-ovh: task #1001/);
  expect(out).toContain('Not done, failed (run apply again once fixed: it never requests a change twice):');
  expect(out).toContain(`acme.test vps-staging admin   ${NIC.hosting} → ${NIC.client}: failed (as ${NIC.hosting}): POST ${ROUTE.vps}/changeContact as ${NIC.hosting}: still failing after 3 attempt(s): HTTP 503`);

  // Once OVH is back, a second run requests only what is missing.
  const again = await world.run('apply', '--client', 'acme.test');
  expect(again.code).toBe(0);
  expect(world.standin.tasks.map((task) => task.contactTypes[0])).toEqual(['contactBilling', 'contactAdmin', 'contactTech']);
});

test('accept is not repeated after an answer that may have been lost: the token may be spent', async () => {
  world.standin.addService(ROUTE.vps, { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
  await world.run('apply', '--client', 'acme.test');
  const [task] = world.standin.tasks;
  world.standin.failNext(1, 502, /accept$/);
  const { code, err } = await world.run('accept', String(task.id), '--token', task.tokens.from);
  expect(code).toBe(1);
  expect(err).toContain(`POST /me/task/contactChange/${task.id}/accept as ${NIC.hosting}: HTTP 502 "Internal server error"; it may or may not have been taken into account`);
  expect(attemptsAt(`POST /me/task/contactChange/${task.id}/accept`)).toBe(1);
});

test('backoff: exponential ceilings, capped, with jitter', () => {
  const policy = { attempts: 6, firstDelayMs: 100, maxDelayMs: 500, timeoutMs: 1000 };
  expect([1, 2, 3, 4].map((failures) => backoffDelay(policy, failures, () => 1))).toEqual([100, 200, 400, 500]);
  expect(backoffDelay(policy, 3, () => 0.5)).toBe(200);
});
