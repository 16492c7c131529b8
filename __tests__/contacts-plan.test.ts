/** `contacts plan`: reading every service's contacts through node-ovh and the stand-in, and saying what differs. */
import * as fs from 'node:fs';
import * as path from 'node:path';
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
  expect(out.split('\n')).toEqual([
    'agency',
    '  project-yb-cloud (cloudProject 4f1c2a9e8d7b6c5a4f3e2d1c0b9a8f7e): in sync',
    'Summary: 1 in sync, 0 drift, 0 not ordered yet, 0 error(s)',
  ]);
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
  expect(out).toContain(
    `admin   ${NIC.operator} → ${NIC.client}: manual: no account of the agency may request it; ${NIC.operator} (not an account of the agency) must`,
  );
  expect(out).toContain(`tech    ${NIC.hosting} → ${NIC.client}: to request by ${NIC.hosting} (cedricfrancoys, current tech)`);
  expect(code).toBe(2);
});

test('billing is handed over by the current billing account when the admin is not ours: it and its successor validate', async () => {
  world.standin.addService(ROUTE.web, { admin: NIC.operator, tech: NIC.client, billing: NIC.hosting });
  const { out } = await world.run('plan', '--client', 'acme.test');
  expect(out).toContain(
    `billing ${NIC.hosting} → ${NIC.client}: to request by ${NIC.hosting} (cedricfrancoys, current billing), ` +
      `validated by ${NIC.hosting} (cedricfrancoys) and ${NIC.client} (acme_test, mail to acme.test@agency.test)`,
  );
});

test('the admin naming a new tech: the admin and the new tech validate, the old tech is only informed', async () => {
  world.standin.addService(ROUTE.vps, { ...DESIRED.vps, tech: NIC.hosting });
  const { out } = await world.run('plan', '--client', 'acme.test');
  expect(out).toContain(
    `tech    ${NIC.hosting} → ${NIC.operator}: to request by ${NIC.client} (acme_test, current admin), ` +
      `validated by ${NIC.client} (acme_test, mail to acme.test@agency.test) and ${NIC.operator} (not an account of the agency); ${NIC.hosting} only informed; ` +
      `unpaid invoices of ${NIC.operator} not checked (not an account of the agency)`,
  );
});

test('the admin taking tech back: confirmed by the admin alone', async () => {
  world.standin.addService(ROUTE.web, { ...DESIRED.web, tech: NIC.operator });
  const { out } = await world.run('plan', '--client', 'acme.test');
  expect(out).toContain(
    `tech    ${NIC.operator} → ${NIC.client}: to request by ${NIC.client} (acme_test, current admin), confirmed by ${NIC.client} (acme_test, mail to acme.test@agency.test) alone; ${NIC.operator} only informed`,
  );
});

test('an unpaid invoice on an account involved blocks the change, with the amount; nothing is sent', async () => {
  world.standin.accounts.get(NIC.hosting)!.debt = 42.5;
  world.standin.addService(ROUTE.web, { ...DESIRED.web, billing: NIC.hosting });
  for (const command of ['plan', 'apply']) {
    const { code, out } = await world.run(command, '--client', 'acme.test');
    expect(out).toContain(
      `billing ${NIC.hosting} → ${NIC.client}: blocked: unpaid invoices: ${NIC.hosting} owes 42.50 €; OVH allows no contact change while an account involved has one`,
    );
    expect(code).toBe(2);
  }
  expect(world.changeRequests()).toBe(0);
  expect(world.standin.calls.filter((call) => call.route === 'GET /me/debtAccount').length).toBeGreaterThan(0);
});

test.each(['expired', 'unPaid', 'inCreation', 'pendingDebt'] as const)(
  'a service %s at OVH is shown blocked, never requested',
  async (status) => {
    world.standin.addService(ROUTE.vps, { ...DESIRED.vps, tech: NIC.client }, undefined, status);
    const { code, out } = await world.run('apply', '--client', 'acme.test');
    expect(out).toContain(
      `vps-staging tech    ${NIC.client} → ${NIC.operator}: blocked: the service is ${status} at OVH, which changes the contacts of a service in good standing only`,
    );
    expect(code).toBe(2);
    expect(world.changeRequests()).toBe(0);
  },
);

test('a missing local state is an error naming the file, not "not ordered yet"', async () => {
  fs.rmSync(path.join(world.stateDir, 'acme.test.tfstate'));
  const { code, out } = await world.run('plan', '--client', 'acme.test');
  expect(out).toContain(
    `vps-staging (vps): error: no Terraform state at ${path.join(world.stateDir, 'acme.test.tfstate')}: apply the stack first`,
  );
  expect(out).toContain('domain-acme-test (domain acme.test): in sync');
  expect(code).toBe(1);
});

test('a key without the right to a route: the error names the route, the access rule to add and the variable', async () => {
  const rules = [
    { method: 'GET', path: '/me/*' },
    { method: 'GET', path: '/domain/*' },
    { method: 'GET', path: '/cloud/*' },
  ];
  world.standin.accounts.get(NIC.hosting)!.rules = rules;
  const { code, out } = await world.run('plan', '--client', 'acme.test', '--service', 'vps-staging');
  expect(out).toMatch(
    new RegExp(
      `vps-staging \\(vps ${VPS_NAME}\\): error: GET ${ROUTE.vps}/serviceInfos as ${NIC.hosting}: OVH refused it: HTTP 403 NOT_GRANTED_CALL "This call has not been granted" \\(OVH query id EU\\.ext-[^)]+\\); ` +
        'the API key of cedricfrancoys lacks the right GET /vps/\\*: create a consumer key whose access rules include it, and set TF_VAR_ovh_cedricfrancoys_consumer_key',
    ),
  );
  expect(out).not.toContain('not a contact');
  expect(code).toBe(1);
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
  const { code, out } = await world.run(
    'plan',
    '--client',
    'acme.test',
    '--service',
    'vps-staging',
    '--service-name',
    'vps-given.vps.ovh.net',
  );
  expect(out.split('\n').filter((line) => line.startsWith('  '))).toHaveLength(2);
  expect(out).toContain(`tech    ${NIC.client} → ${NIC.operator}: to request by ${NIC.client} (acme_test, current admin)`);
  expect(code).toBe(2);
});

test("a domain whose owner is not one of the client's contacts is reported, never changed", async () => {
  world.standin.addService(ROUTE.domain, DESIRED.domain, 999);
  const { code, out } = await world.run('plan', '--client', 'acme.test');
  expect(out).toContain(`owner   contact 999 is not a contact of ${NIC.client}; only a trade changes the owner`);
  expect(code).toBe(2);
});

test("--json: one document with a summary and each service's desired and current contacts and changes", async () => {
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
    status: 'ok',
    changes: [
      {
        contact: 'tech',
        from: NIC.client,
        to: NIC.operator,
        status: 'request',
        requestedBy: NIC.client,
        taskIds: [],
        validators: [NIC.client, NIC.operator],
        informed: [],
        who: [],
        reason: null,
        error: null,
        request: null,
        closedTasks: [],
      },
    ],
    foreignTasks: [],
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
  expect(out).toMatch(
    /HTTP 403 INVALID_CREDENTIAL "This credential is not valid" \(OVH query id EU\.ext-[^)]+\); check TF_VAR_ovh_acme_test_application_key, TF_VAR_ovh_acme_test_application_secret, TF_VAR_ovh_acme_test_consumer_key/,
  );
  expect(code).toBe(1);
});

test('a bad command line is refused with the usage and exit 1', async () => {
  const { code, err } = await world.run('plan', '--service-name', 'x');
  expect(err).toContain('plan: --service-name: needs --service');
  expect(err).toContain('Usage: npm run contacts');
  expect(code).toBe(1);
});
