/**
 * Who orders what, as real terraform does it: the procedure's accounts act through the provider aliases their
 * credentials configure, and the provider stand-in records which account each order came from.
 */
import { CLOUD_NIC, HOSTING_NIC } from './support';
import { Scenario } from './scenario';

const CLIENT_NIC = 'ac11111-ovh';
const client = {
  id: 'acme.be',
  name: 'Acme',
  size: 'large',
  nichandle: CLIENT_NIC,
  domains: [{ name: 'acme.be', records: [{ type: 'A', subdomain: '', target: '51.38.12.34' }] }],
  hosting: { vps: [{ name: 'web', plan: 'vps-2025-model1', datacenter: 'GRA', os: 'Debian 12' }] },
  cloudProject: { description: 'Acme production' },
  instances: [{ name: 'app', region: 'GRA11', flavor: 'b3-8', image: 'Debian 12' }],
};

let scenario: Scenario;
beforeAll(async () => {
  scenario = await Scenario.start({ 'acme.be.yaml': client });
  await scenario.synth();
  await scenario.apply('acme.be');
}, 180_000);
afterAll(() => scenario.close());

test("the domain is ordered by the client's account, hosting by cedricfrancoys, Public Cloud by yesbabylon", () => {
  const orders = scenario.records({ stack: 'acme.be', action: 'create' }).map(({ type, nichandle, account }) => [type, account, nichandle]);
  expect(orders).toEqual(
    expect.arrayContaining([
      ['ovh_domain_name', 'acme_be', CLIENT_NIC],
      ['ovh_vps', 'cedricfrancoys', HOSTING_NIC],
      ['ovh_cloud_project', 'yesbabylon', CLOUD_NIC],
    ]),
  );
  // The DNS zone comes with the domain's order, through the client's account: it is never ordered a second time.
  expect(
    scenario.records({ stack: 'acme.be', action: 'create', type: 'ovh_domain_zone' }).map(({ id, nichandle }) => [id, nichandle]),
  ).toEqual([['/domain/zone/acme.be', CLIENT_NIC]]);
  // No order read the catalog: no cart was made, at any plan.
  expect(scenario.records({ type: 'ovh_order_cart' })).toEqual([]);
  // The record names accounts, never their credentials.
  const record = JSON.stringify(scenario.records());
  for (const secret of scenario.harness.secrets()) expect(record).not.toContain(secret);
  // The zone's records are written through the account that operates the zone: the client, its admin from the start.
  expect(scenario.records({ stack: 'acme.be', action: 'create', type: 'ovh_domain_zone_record' }).map((entry) => entry.nichandle)).toEqual([
    CLIENT_NIC,
  ]);
});

test("the client's stack registers the agency's deploy key in the project it orders, before the instance that names it", () => {
  const created = scenario.records({ stack: 'acme.be', action: 'create' });
  const key = created.findIndex((entry) => entry.type === 'ovh_cloud_project_ssh_key');
  const instance = created.findIndex((entry) => entry.type === 'ovh_cloud_project_instance');
  expect(created[key]).toMatchObject({ nichandle: CLOUD_NIC, id: expect.stringMatching(/^\/cloud\/project\/[0-9a-f]{32}\/sshkey\//) });
  expect(instance).toBeGreaterThan(key);
  expect(scenario.records({ stack: 'acme.be', action: 'refuse' })).toEqual([]);
});

test("OVH knows each ordered service with its orderer as every contact, until the contacts tool asks for the procedure's", () => {
  const vps = [...scenario.ovhApi.services.keys()].find((route) => /^\/vps\/vps-[0-9a-f]{8}\.vps\.ovh\.net$/.test(route));
  expect(vps).toBeDefined();
  // The provisioner of the desired contacts asked, as the orderer (still admin), for the client to become admin and
  // tech: one task, since OVH opens one per new nichandle.
  const requests = scenario.ovhApi.tasks
    .filter((task) => task.route === vps)
    .map((task) => [task.askingAccount, task.contactTypes, task.toAccount]);
  expect(requests).toEqual([[HOSTING_NIC, ['contactAdmin', 'contactTech'], CLIENT_NIC]]);
  const project = [...scenario.ovhApi.services.keys()].find((route) => /^\/cloud\/project\/[0-9a-f]{32}$/.test(route));
  expect(project && scenario.ovhApi.contactsOf(project).billing).toBe(CLOUD_NIC);
});

test('every ordered service has an OVH-shaped name in the state, and the next plan is clean', async () => {
  const resources = (await scenario.state('acme.be')).values?.root_module?.resources ?? [];
  const value = (type: string, attribute: string) => resources.find((resource) => resource.type === type)?.values[attribute];
  expect(value('ovh_vps', 'service_name')).toMatch(/^vps-[0-9a-f]{8}\.vps\.ovh\.net$/);
  expect(value('ovh_cloud_project', 'project_id')).toMatch(/^[0-9a-f]{32}$/);
  expect((await scenario.plan('acme.be')).run.code).toBe(0);
}, 60_000);
