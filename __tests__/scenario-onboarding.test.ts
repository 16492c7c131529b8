/**
 * Services that exist at OVH before the tool: imported by real terraform (through the provider's importers, with
 * the id formats they accept), then planned clean, without duplicates (records adopted by their OVH id, existing
 * mailboxes left as they are) and without overwriting what OVH shows (names) or making new keys for a bucket; and a
 * change of desired contacts reaching OVH from the right account through the provisioner terraform runs.
 */
import { BACKUP_PROJECT } from './support';
import { Scenario } from './scenario';

const CLIENT_NIC = 'ol22222-ovh';
const OPERATOR_NIC = 'op54321-ovh';
const VPS_NAME = 'vps-0badc0de.vps.ovh.net';
const RECORD_ID = 5138712;
const client = (vpsContacts?: object) => ({
  id: 'olden.be',
  name: 'Olden',
  size: 'standard',
  nichandle: CLIENT_NIC,
  domains: [
    {
      name: 'olden.be',
      existing: true,
      handedOver: true,
      records: [
        { type: 'A', subdomain: '', target: '51.91.40.12', existing: RECORD_ID },
        { type: 'CNAME', subdomain: 'www', target: 'olden.be.' },
      ],
    },
  ],
  hosting: {
    vps: [
      { name: 'web', plan: 'vps-2025-model1', existing: VPS_NAME, handedOver: true, ...(vpsContacts ? { contacts: vpsContacts } : {}) },
    ],
    emailDomains: [{ domain: 'olden.be', mailboxes: [{ account: 'contact', existing: true }, { account: 'info' }] }],
  },
  backups: [{ name: 'site', existing: true }],
});

let scenario: Scenario;
beforeAll(async () => {
  scenario = await Scenario.start({ 'olden.be.yaml': client() });
  await scenario.synth();
});
afterAll(() => scenario.close());

test('existing services are imported, by the accounts that operate them, and the next plan is clean', async () => {
  const first = await scenario.plan('olden.be', { json: true });
  expect(first.run.code).toBe(2);
  const imported = (first.json?.resource_changes ?? [])
    .filter((change) => change.change.importing)
    .map((change) => [change.type, change.change.importing!.id]);
  expect(imported).toEqual(
    expect.arrayContaining([
      ['ovh_domain_name', 'olden.be'],
      ['ovh_vps', VPS_NAME],
      ['ovh_cloud_project_storage', `${BACKUP_PROJECT}/GRA/olden-be-site`],
      ['ovh_domain_zone_record', `${RECORD_ID}.olden.be`],
    ]),
  );
  // Nothing that exists is ordered again: no VPS, no DNS zone (it came with the domain).
  const planned = (type: string) =>
    (first.json?.resource_changes ?? []).filter((change) => change.type === type && change.change.actions.includes('create'));
  expect(planned('ovh_vps')).toEqual([]);
  expect(planned('ovh_domain_zone')).toEqual([]);

  await scenario.apply('olden.be');
  // Read by their importers through the accounts that operate them: the client's, once handed over.
  for (const route of [`GET /vps/${VPS_NAME}`, 'GET /v2/domain/name/olden.be', `GET /domain/zone/olden.be/record/${RECORD_ID}`])
    expect(scenario.calls(new RegExp(`^${route.replace(/[.]/g, '\\.')}$`))[0]).toEqual([route, CLIENT_NIC]);
  expect(scenario.calls(/^POST \/order\/cart\/[^/]+\/(vps|domain|dns)$/)).toEqual([]);
  expect((await scenario.plan('olden.be')).run.code).toBe(0);
});

test('no duplicates: the adopted record and the existing mailbox are not created again, only what is new', () => {
  const { world } = scenario.ovhApi;
  expect(scenario.calls(/^POST \/domain\/zone\/olden\.be\/record$/)).toHaveLength(1);
  const records = world.under<{ fieldType: string }>('/domain/zone/olden.be/record').map(([, record]) => record.fieldType);
  expect(records.sort()).toEqual(['A', 'CNAME']);
  expect(scenario.calls(/^POST \/email\/domain\/olden\.be\/account$/)).toHaveLength(1);
  expect(
    world
      .under('/email/domain/olden.be/account')
      .map(([route]) => route)
      .sort(),
  ).toEqual(['/email/domain/olden.be/account/contact', '/email/domain/olden.be/account/info']);
  expect(scenario.calls(/^POST \/order\/cart$/)).toEqual([]);
});

test('imports keep what OVH shows: the VPS is not renamed, and the existing bucket gets no new user or keys', async () => {
  expect(scenario.calls(/^PUT \/vps\//)).toEqual([]);
  const resources = (await scenario.state('olden.be')).values?.root_module?.resources ?? [];
  expect(resources.find((resource) => resource.type === 'ovh_vps')?.values.display_name).toBe(VPS_NAME);
  expect(scenario.calls(/\/user$|\/s3Credentials$/)).toEqual([]);
  // Its old versions now expire, and its objects stay out of the state.
  expect(scenario.calls(/^PUT \/cloud\/project\/[^/]+\/region\/GRA\/storage\/olden-be-site\/lifecycle$/)).toHaveLength(1);
  expect(resources.find((resource) => resource.type === 'ovh_cloud_project_storage')?.values).toMatchObject({
    hide_objects: true,
    objects: null,
  });
});

test("a changed desired contact replaces its record, and OVH receives the changeContact from the service's admin", async () => {
  const before = scenario.ovhApi.calls.length;
  scenario.write({ 'olden.be.yaml': client({ tech: OPERATOR_NIC }) });
  await scenario.synth();
  const plan = await scenario.plan('olden.be', { json: true });
  expect(plan.run.code).toBe(2);
  const replaced = (plan.json?.resource_changes ?? [])
    .filter((change) => change.change.actions.includes('delete'))
    .map((change) => [change.type, change.change.actions]);
  expect(replaced).toEqual([['terraform_data', ['delete', 'create']]]);

  await scenario.apply('olden.be');
  const requests = scenario.ovhApi.calls.slice(before).filter((call) => call.route.endsWith('/changeContact'));
  // The client's account is the VPS's admin: the one OVH lets name a new tech contact.
  expect(requests).toEqual([{ route: `POST /vps/${VPS_NAME}/changeContact`, by: CLIENT_NIC }]);
  const task = scenario.ovhApi.tasks.find((t) => t.route === `/vps/${VPS_NAME}`)!;
  expect([task.askingAccount, task.fromAccount, task.toAccount, task.contactTypes]).toEqual([
    CLIENT_NIC,
    CLIENT_NIC,
    OPERATOR_NIC,
    ['contactTech'],
  ]);
});
