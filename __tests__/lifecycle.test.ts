/**
 * Nothing billed disappears by accident: protection on every billed resource, removal only through a reviewed
 * `decommission: true`, and existing services imported instead of ordered again.
 */
import * as path from 'node:path';
import { settingsFrom } from '../config/environment';
import { loadConfig } from '../config/load';
import { AgencyFile, ClientFile } from '../config/schema';
import { clientPlan } from '../policy/procedure';
import { agencyFile, desiredContacts, resourcesOf, standardClient, synthClient, type StackJson } from './support';

/** Every resource type the stacks create that OVH bills, or that holds the client's data. */
const BILLED_TYPES = [
  'ovh_domain_name',
  'ovh_domain_zone',
  'ovh_vps',
  'ovh_hosting_privatedatabase',
  'ovh_cloud_project',
  'ovh_cloud_project_instance',
  'ovh_cloud_project_storage',
  'ovh_email_domain_account',
];

const instance = { name: 'web', region: 'GRA11', flavorId: 'b2-7', imageId: 'debian-12' };
const everything = {
  ...standardClient,
  size: 'large',
  domains: [{ name: 'betterfinance.eu', records: [{ type: 'A', target: '192.0.2.1' }] }],
  hosting: {
    vps: [{ name: 'web', plan: 'vps-2025-model1' }],
    privateDatabases: [{ name: 'main', plan: 'private-sql-1024-instance' }],
    emailDomains: [{ domain: 'betterfinance.eu', mailboxes: [{ account: 'contact' }, { account: 'old' }] }],
  },
  instances: [instance],
  backups: [{ name: 'files' }],
};

const typesIn = (stack: StackJson) => Object.keys(stack.resource ?? {});

describe('protection', () => {
  const stack = synthClient(everything);

  test('every billed resource type is present and protected from destruction', () => {
    expect(typesIn(stack)).toEqual(expect.arrayContaining(BILLED_TYPES));
    for (const type of BILLED_TYPES) {
      for (const resource of resourcesOf(stack, type)) expect({ type, lifecycle: resource.lifecycle }).toEqual({ type, lifecycle: expect.objectContaining({ prevent_destroy: true }) });
    }
  });

  test('the Public Cloud project also has OVH’s own deletion protection', () => {
    expect(resourcesOf(stack, 'ovh_cloud_project')[0].deletion_protection).toBe(true);
  });
});

describe('decommissioning', () => {
  test('a service marked decommission leaves the stack, and the plan records it as intended', () => {
    const client = {
      ...everything,
      hosting: { ...everything.hosting, vps: [{ name: 'web', plan: 'vps-2025-model1', decommission: true }] },
      instances: [{ ...instance, decommission: true }],
    };
    const stack = synthClient(client);
    expect(resourcesOf(stack, 'ovh_vps')).toHaveLength(0);
    expect(resourcesOf(stack, 'ovh_cloud_project_instance')).toHaveLength(0);
    expect(desiredContacts(stack)['vps-web']).toBeUndefined();
    expect(resourcesOf(stack, 'ovh_hosting_privatedatabase')).toHaveLength(1);

    const plan = planOf(client);
    expect(plan.decommissioned).toEqual([
      { path: 'vps-web', description: 'VPS web' },
      { path: 'instance-web', description: 'instance web' },
    ]);
  });

  test('a domain marked decommission takes its DNS zone and records with it', () => {
    const client = { ...everything, domains: [{ ...everything.domains[0], decommission: true }] };
    const stack = synthClient(client);
    expect(resourcesOf(stack, 'ovh_domain_name')).toHaveLength(0);
    expect(resourcesOf(stack, 'ovh_domain_zone')).toHaveLength(0);
    expect(resourcesOf(stack, 'ovh_domain_zone_record')).toHaveLength(0);
    expect(planOf(client).decommissioned.map((d) => d.path)).toEqual(['domain-betterfinance-eu', 'zone-betterfinance-eu']);
  });

  test('one mailbox can go while the others stay', () => {
    const client = { ...everything, hosting: { ...everything.hosting, emailDomains: [{ domain: 'betterfinance.eu', mailboxes: [{ account: 'contact' }, { account: 'old', decommission: true }] }] } };
    expect(resourcesOf(synthClient(client), 'ovh_email_domain_account').map((m) => m.account_name)).toEqual(['contact']);
    expect(planOf(client).decommissioned).toEqual([{ path: 'email-betterfinance-eu-mailboxes/old', description: 'mailbox old@betterfinance.eu' }]);
  });

  test('a decommissioned client’s stack is emptied, and all of it is intended', () => {
    const client = { ...everything, decommission: true };
    const stack = synthClient(client);
    for (const type of BILLED_TYPES) expect(resourcesOf(stack, type)).toHaveLength(0);
    expect(planOf(client).decommissioned).toEqual([{ path: '', description: 'every service of Better Finance' }]);
  });
});

describe('onboarding existing services', () => {
  const client = {
    ...standardClient,
    domains: [{ name: 'betterfinance.eu', existing: true }],
    hosting: { vps: [{ name: 'web', plan: 'vps-2025-model1', existing: 'vps-1a2b3c4d.vps.ovh.net' }], privateDatabases: [{ name: 'db', plan: 'private-sql-1024-instance' }] },
    backups: [{ name: 'files', existing: true }],
  };
  const stack = synthClient(client);
  const imports = (stack as { import?: { to: string; id: string; provider: string }[] }).import ?? [];
  const importOf = (type: string) => imports.find((block) => block.to.startsWith(`${type}.`));

  test('are imported with OVH’s ids, through the account that orders them', () => {
    expect(importOf('ovh_domain_name')).toMatchObject({ id: 'betterfinance.eu', provider: 'ovh.betterfinance_eu' });
    expect(importOf('ovh_domain_zone')).toMatchObject({ id: 'betterfinance.eu', provider: 'ovh.cedricfrancoys' });
    expect(importOf('ovh_vps')).toMatchObject({ id: 'vps-1a2b3c4d.vps.ovh.net', provider: 'ovh.cedricfrancoys' });
    expect(importOf('ovh_cloud_project_storage')).toMatchObject({ id: `${agencyFile.backupSpace.projectId}/GRA/betterfinance-eu-files` });
    expect(importOf('ovh_hosting_privatedatabase')).toBeUndefined();
  });

  test('are not ordered: no plan, no subsidiary, no catalog lookup', () => {
    for (const type of ['ovh_domain_zone', 'ovh_vps']) {
      const [resource] = resourcesOf(stack, type);
      expect(resource.plan).toBeUndefined();
      expect(resource.ovh_subsidiary).toBeUndefined();
    }
    const catalog = resourcesOf(stack, 'ovh_order_cart_product_plan', 'data');
    expect(catalog.map((plan) => plan.product)).toEqual(['privateSQL']);
  });

  test('keep the procedure’s desired contacts, so the contacts tool brings them in line', () => {
    expect(desiredContacts(stack)['vps-web'].contacts).toEqual({ admin: 'bf12345-ovh', tech: 'bf12345-ovh', billing: 'cf10001-ovh' });
  });

  test('the example client shows it', () => {
    const examples = loadConfig(settingsFrom({}, path.resolve(__dirname, '..')).clientsDir, ['atelier-lumiere.be']);
    const plan = clientPlan(examples.agency, examples.clients[0].client);
    expect(plan.services.filter((service) => service.existing).map((service) => service.kind)).toEqual(['domain', 'dnsZone', 'vps']);
    expect(plan.backups[0].existing).toBe(true);
  });
});

function planOf(client: Record<string, unknown>) {
  return clientPlan(AgencyFile.parse(agencyFile), ClientFile.parse(client));
}
