/** `contacts plan`: reading every service's contacts through node-ovh and the stand-in, and saying what differs. */
import { DESIRED, Fixture, NIC, ROUTE, VPS_NAME } from './contacts-fixture';

let world: Fixture;
beforeEach(async () => {
  world = await Fixture.start();
});
afterEach(() => world.close());

test('in sync: every service checked, exit 0', async () => {
  const { code, out } = await world.run('plan');
  expect(out).toContain(`vps-staging (vps ${VPS_NAME}): in sync`);
  expect(out).toContain('project-yb-cloud (cloudProject 4f1c2a9e8d7b6c5a4f3e2d1c0b9a8f7e): in sync');
  expect(out).toContain('Summary: 4 in sync, 0 drift, 0 not ordered yet, 0 error(s)');
  expect(code).toBe(0);
  expect(world.changeRequests()).toBe(0);
});

test('--client agency checks the shared projects only', async () => {
  const { code, out } = await world.run('plan', '--client', 'agency');
  expect(out.split('\n')).toEqual(['agency', '  project-yb-cloud (cloudProject 4f1c2a9e8d7b6c5a4f3e2d1c0b9a8f7e): in sync', 'Summary: 1 in sync, 0 drift, 0 not ordered yet, 0 error(s)']);
  expect(code).toBe(0);
});

test('a freshly ordered VPS: the hosting account, still its admin, is the one to request every change', async () => {
  world.standin.addService(ROUTE.vps, { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
  const { code, out } = await world.run('plan', '--client', 'acme.test');
  expect(out).toContain(`vps-staging (vps ${VPS_NAME}): drift`);
  expect(out).toContain(`admin   ${NIC.hosting} → ${NIC.client}: to request by ${NIC.hosting} (cedricfrancoys, current admin)`);
  expect(out).toContain(`tech    ${NIC.hosting} → ${NIC.operator}: to request by ${NIC.hosting} (cedricfrancoys, current admin)`);
  expect(out).not.toMatch(/billing .*vps/);
  expect(code).toBe(2);
  expect(world.changeRequests()).toBe(0);
});

test('without the admin, the current tech hands tech over and an admin change is a manual step', async () => {
  // A third party became admin of the web hosting; the client is still its tech.
  world.standin.addService(ROUTE.web, { admin: NIC.operator, tech: NIC.hosting, billing: NIC.client });
  world.standin.addAccount('zz99999-ovh');
  const { code, out } = await world.run('plan', '--client', 'acme.test');
  expect(out).toContain(`admin   ${NIC.operator} → ${NIC.client}: manual: no account of the agency may request it; ${NIC.operator} (not an account of the agency) must`);
  expect(out).toContain(`tech    ${NIC.hosting} → ${NIC.client}: to request by ${NIC.hosting} (cedricfrancoys, current tech)`);
  expect(code).toBe(2);
});

test('billing is handed over by the current billing account when the admin is not ours, with the unpaid-bill condition', async () => {
  world.standin.addService(ROUTE.web, { admin: NIC.operator, tech: NIC.client, billing: NIC.hosting });
  const { out } = await world.run('plan', '--client', 'acme.test');
  expect(out).toContain(
    `billing ${NIC.hosting} → ${NIC.client}: to request by ${NIC.hosting} (cedricfrancoys, current billing); the old and the new billing accounts must have no unpaid bill`,
  );
});

test('a VPS not in the Terraform state yet is "not ordered yet": neither drift nor error', async () => {
  world.recordInState({});
  const { code, out } = await world.run('plan', '--client', 'acme.test');
  expect(out).toContain('vps-staging (vps): not ordered yet');
  expect(code).toBe(0);
});

test('--service and --service-name check one service under the name given', async () => {
  world.recordInState({});
  world.standin.addService('/vps/vps-given.vps.ovh.net', { ...DESIRED.vps, tech: NIC.client });
  const { code, out } = await world.run('plan', '--client', 'acme.test', '--service', 'vps-staging', '--service-name', 'vps-given.vps.ovh.net');
  expect(out.split('\n').filter((line) => line.startsWith('  '))).toHaveLength(2);
  expect(out).toContain(`tech    ${NIC.client} → ${NIC.operator}: to request by ${NIC.client} (acme_test, current admin)`);
  expect(code).toBe(2);
});

test('a domain whose owner is not one of the client\'s contacts is reported, never changed', async () => {
  world.standin.addService(ROUTE.domain, DESIRED.domain, 999);
  const { code, out } = await world.run('plan', '--client', 'acme.test');
  expect(out).toContain(`owner   contact 999 is not a contact of ${NIC.client}; only a trade changes the owner`);
  expect(code).toBe(2);
});

test('--json: one document with a summary and each service\'s desired and current contacts and changes', async () => {
  world.standin.addService(ROUTE.vps, { ...DESIRED.vps, tech: NIC.client });
  const { code, out } = await world.run('plan', '--client', 'acme.test', '--json');
  const document = JSON.parse(out);
  expect(code).toBe(2);
  expect(document).toMatchObject({ command: 'plan', exitCode: 2, summary: { inSync: 2, drift: 1, notOrdered: 0, errors: 0 } });
  expect(document.services.find((s: { service: string }) => s.service === 'vps-staging')).toEqual({
    stack: 'acme.test',
    service: 'vps-staging',
    kind: 'vps',
    serviceName: VPS_NAME,
    state: 'drift',
    desired: DESIRED.vps,
    current: { ...DESIRED.vps, tech: NIC.client },
    changes: [
      { contact: 'tech', from: NIC.client, to: NIC.operator, status: 'request', requestedBy: NIC.client, taskIds: [], who: [], error: null, condition: null },
    ],
    owner: null,
    error: null,
  });
});

test('a missing credential names the variable to set, and the run exits 1', async () => {
  delete world.env.TF_VAR_ovh_cedricfrancoys_application_secret;
  const { code, out } = await world.run('plan', '--client', 'acme.test');
  expect(out).toContain('no API credentials for OVH account "cedricfrancoys": set TF_VAR_ovh_cedricfrancoys_application_secret');
  expect(code).toBe(1);
});

test('wrong credentials are an error of the service, not drift', async () => {
  world.env.TF_VAR_ovh_acme_test_consumer_key = 'not-the-consumer-key';
  world.standin.addService(ROUTE.web, { ...DESIRED.web, admin: NIC.client });
  const { code, out } = await world.run('plan', '--client', 'acme.test', '--service', 'web-acme-test');
  expect(out).toContain('web-acme-test (webHosting acme.test): error:');
  expect(out).toContain('HTTP 403 "This credential does not exist"; check TF_VAR_ovh_acme_test_application_key, TF_VAR_ovh_acme_test_application_secret, TF_VAR_ovh_acme_test_consumer_key');
  expect(code).toBe(1);
});

test('a bad command line is refused with the usage and exit 1', async () => {
  const { code, err } = await world.run('plan', '--service-name', 'x');
  expect(err).toContain('plan: --service-name: needs --service');
  expect(err).toContain('Usage: npm run contacts');
  expect(code).toBe(1);
});
