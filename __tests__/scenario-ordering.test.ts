/**
 * Who orders what, as real terraform and the real provider do it: the procedure's accounts act through the provider
 * aliases their credentials configure, and the OVH API stand-in sees which account each call came from.
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
});
afterAll(() => scenario.close());

test("the domain is ordered by the client's account, hosting by cedricfrancoys, Public Cloud by yesbabylon", () => {
  const orders = scenario.calls(/^POST \/order\/cart\/[^/]+\/[a-zA-Z]+$/).filter(([route]) => !/\/(assign|checkout)$/.test(route));
  expect(orders.map(([route, by]) => [route.split('/').pop(), by]).sort()).toEqual(
    [
      ['cloud', CLOUD_NIC],
      ['domain', CLIENT_NIC],
      ['vps', HOSTING_NIC],
    ].sort(),
  );
  // Each paid with its account's own default payment method, once.
  expect(
    scenario
      .calls(/^POST \/me\/order\/\d+\/pay$/)
      .map(([, by]) => by)
      .sort(),
  ).toEqual([CLIENT_NIC, CLOUD_NIC, HOSTING_NIC].sort());
  // The DNS zone comes with the domain's order, through the client's account: it is never ordered a second time, and
  // no plan read the catalog (a cart is made by an order only).
  expect(scenario.calls(/^POST \/order\/cart$/)).toHaveLength(3);
  expect(scenario.calls(/\/order\/cart\/[^/]+\/dns$|^GET \/order\/cart/)).toEqual([]);
  expect(scenario.ovhApi.contactsOf('/domain/zone/acme.be').admin).toBe(CLIENT_NIC);
  // The zone's records are written through the account that operates the zone: the client, its admin from the start.
  expect(scenario.calls(/^POST \/domain\/zone\/acme\.be\/record$/)).toEqual([['POST /domain/zone/acme.be/record', CLIENT_NIC]]);
});

test("the client's stack registers the agency's deploy key in the project it orders, before the instance that names it", () => {
  const cloud = scenario.calls(/^POST \/cloud\/project\/[0-9a-f]{32}\/(sshkey|region\/[^/]+\/instance)$/);
  expect(cloud.map(([route, by]) => [route.replace(/[0-9a-f]{32}/, '<project>'), by])).toEqual([
    ['POST /cloud/project/<project>/sshkey', CLOUD_NIC],
    ['POST /cloud/project/<project>/region/GRA11/instance', CLOUD_NIC],
  ]);
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
});
