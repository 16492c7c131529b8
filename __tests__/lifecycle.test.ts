/**
 * Nothing billed disappears by accident: protection on every billed resource, removal only through a reviewed
 * `decommission: true`, and existing services imported instead of ordered again.
 */
import * as path from 'node:path';
import { settingsFrom } from '../core/environment';
import { planFolder } from '../policy/folder';
import { AgencyFile, ClientFile } from '../config/schema';
import { clientPlan } from '../policy/procedure';
import { agencyFile, desiredContacts, resourcesOf, standardClient, synthClient, type StackJson } from './support';

/** Every resource type the stacks create that OVH bills, or that holds the client's data. */
const BILLED_TYPES = [
  'ovh_domain_name',
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
  domains: [{ name: 'betterfinance.eu', records: [{ type: 'A', target: '51.38.12.1' }] }],
  hosting: {
    vps: [{ name: 'web', plan: 'vps-2025-model1', datacenter: 'GRA', os: 'Debian 12' }],
    privateDatabases: [{ name: 'main', plan: 'private-sql-1024-instance', engine: 'mysql_8.0', datacenter: 'gra3' }],
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
      for (const resource of resourcesOf(stack, type))
        expect({ type, lifecycle: resource.lifecycle }).toEqual({ type, lifecycle: expect.objectContaining({ prevent_destroy: true }) });
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
      hosting: { ...everything.hosting, vps: [{ ...everything.hosting.vps[0], decommission: true }] },
      instances: [{ ...instance, decommission: true }],
    };
    const stack = synthClient(client);
    expect(resourcesOf(stack, 'ovh_vps')).toHaveLength(0);
    expect(resourcesOf(stack, 'ovh_cloud_project_instance')).toHaveLength(0);
    expect(desiredContacts(stack)['vps-web']).toBeUndefined();
    expect(resourcesOf(stack, 'ovh_hosting_privatedatabase')).toHaveLength(1);

    const plan = planOf(client);
    expect(plan.decommissioned).toEqual([
      { path: 'vps-web', description: 'VPS web', accounts: [expect.objectContaining({ key: 'cedricfrancoys' })] },
      { path: 'instance-web', description: 'instance web', accounts: [expect.objectContaining({ key: 'yesbabylon' })] },
    ]);
  });

  test('a domain marked decommission takes its DNS zone and records with it', () => {
    const client = { ...everything, domains: [{ ...everything.domains[0], decommission: true }] };
    const stack = synthClient(client);
    expect(resourcesOf(stack, 'ovh_domain_name')).toHaveLength(0);
    expect(resourcesOf(stack, 'ovh_domain_zone_record')).toHaveLength(0);
    expect(planOf(client).decommissioned.map((d) => d.path)).toEqual(['domain-betterfinance-eu', 'zone-betterfinance-eu']);
  });

  test('one mailbox can go while the others stay', () => {
    const client = {
      ...everything,
      hosting: {
        ...everything.hosting,
        emailDomains: [{ domain: 'betterfinance.eu', mailboxes: [{ account: 'contact' }, { account: 'old', decommission: true }] }],
      },
    };
    expect(resourcesOf(synthClient(client), 'ovh_email_domain_account').map((m) => m.account_name)).toEqual(['contact']);
    expect(planOf(client).decommissioned).toEqual([
      {
        path: 'email-betterfinance-eu-mailboxes/old',
        description: 'mailbox old@betterfinance.eu',
        accounts: [expect.objectContaining({ key: 'betterfinance_eu' })],
      },
    ]);
  });

  test('a decommissioned client’s stack is emptied, and all of it is intended', () => {
    const client = { ...everything, cloudProject: { deletionProtection: false }, decommission: true };
    const stack = synthClient(client);
    for (const type of BILLED_TYPES) expect(resourcesOf(stack, type)).toHaveLength(0);
    expect(planOf(client).decommissioned).toEqual([
      { path: '', description: 'every service of Better Finance', accounts: expect.any(Array) },
    ]);
  });

  test('an emptied stack keeps the provider configuration of every account its state may hold objects of', () => {
    // Terraform destroys a resource through the provider configuration its state names: without it, the apply fails.
    const stack = synthClient({ ...everything, cloudProject: { deletionProtection: false }, decommission: true });
    expect(stack.provider!.ovh.map((provider) => provider.alias).sort()).toEqual(['betterfinance_eu', 'cedricfrancoys', 'yesbabylon']);
    // Likewise for the only VPS operated through cedricfrancoys, while it goes.
    const alone = synthClient({ ...standardClient, hosting: { vps: [{ ...everything.hosting.vps[0], decommission: true }] } });
    expect(alone.provider!.ovh.map((provider) => provider.alias)).toEqual(['cedricfrancoys']);
  });

  test('a large client is decommissioned in two reviewed steps: its project’s deletion protection off first', () => {
    expect(() => synthClient({ ...everything, decommission: true })).toThrow(
      /decommission: would terminate the client’s own Public Cloud project, which is protected from deletion: first set cloudProject\.deletionProtection: false/,
    );
    const stepOne = synthClient({ ...everything, cloudProject: { deletionProtection: false } });
    expect(resourcesOf(stepOne, 'ovh_cloud_project')[0]).toMatchObject({
      deletion_protection: false,
      lifecycle: expect.objectContaining({ prevent_destroy: true }),
    });
  });
});

describe('onboarding existing services', () => {
  const client = {
    ...standardClient,
    domains: [
      {
        name: 'betterfinance.eu',
        existing: true,
        records: [
          { type: 'A', subdomain: '', target: '51.38.12.1', existing: 5138712 },
          { type: 'A', subdomain: 'www', target: '51.38.12.1' },
        ],
      },
    ],
    hosting: {
      vps: [{ name: 'web', plan: 'vps-2025-model1', existing: 'vps-1a2b3c4d.vps.ovh.net' }],
      privateDatabases: [{ name: 'db', plan: 'private-sql-1024-instance', engine: 'mysql_8.0', datacenter: 'gra3' }],
      emailDomains: [{ domain: 'betterfinance.eu', mailboxes: [{ account: 'contact', existing: true }, { account: 'new' }] }],
    },
    backups: [{ name: 'files', existing: true }],
  };
  const stack = synthClient(client);
  const imports = (stack as { import?: { to: string; id: string; provider: string }[] }).import ?? [];
  const importOf = (type: string) => imports.find((block) => block.to.startsWith(`${type}.`));

  test('are imported with OVH’s ids, through the account that orders them', () => {
    expect(importOf('ovh_domain_name')).toMatchObject({ id: 'betterfinance.eu', provider: 'ovh.betterfinance_eu' });
    expect(importOf('ovh_vps')).toMatchObject({ id: 'vps-1a2b3c4d.vps.ovh.net', provider: 'ovh.cedricfrancoys' });
    expect(importOf('ovh_cloud_project_storage')).toMatchObject({ id: `${agencyFile.backupSpace.projectId}/GRA/betterfinance-eu-files` });
    expect(importOf('ovh_hosting_privatedatabase')).toBeUndefined();
  });

  test('are not ordered: no plan, no subsidiary; and keep the name OVH shows unless the file sets one', () => {
    const [vps] = resourcesOf(stack, 'ovh_vps');
    expect(vps.plan).toBeUndefined();
    expect(vps.ovh_subsidiary).toBeUndefined();
    expect(vps.display_name).toBeUndefined();
    const named = synthClient({ ...client, hosting: { vps: [{ ...client.hosting.vps[0], displayName: 'Site web' }] } });
    expect(resourcesOf(named, 'ovh_vps')[0].display_name).toBe('Site web');
    // An ordered one is named after the file's entry.
    expect(resourcesOf(stack, 'ovh_hosting_privatedatabase')[0].display_name).toBe('db');
  });

  test('an existing project keeps the description OVH shows unless the file sets one', () => {
    const project = (cloudProject: object) =>
      resourcesOf(synthClient({ ...standardClient, size: 'large', cloudProject }), 'ovh_cloud_project')[0];
    expect(project({ existing: 'c0ffee00c0ffee00c0ffee00c0ffee00' }).description).toBeUndefined();
    expect(project({ existing: 'c0ffee00c0ffee00c0ffee00c0ffee00', description: 'Production' }).description).toBe('Production');
    expect(project({}).description).toBe('Better Finance (betterfinance.eu)');
  });

  test('existing DNS records are adopted by their OVH id, the others created', () => {
    const records = imports.filter((block) => block.to.startsWith('ovh_domain_zone_record.'));
    expect(records).toEqual([expect.objectContaining({ id: '5138712.betterfinance.eu', provider: 'ovh.cedricfrancoys' })]);
    expect(resourcesOf(stack, 'ovh_domain_zone_record')).toHaveLength(2);
  });

  test('an existing mailbox is left as it is (the provider cannot import one), the new ones created', () => {
    expect(resourcesOf(stack, 'ovh_email_domain_account').map((mailbox) => mailbox.account_name)).toEqual(['new']);
  });

  test('an existing bucket gets no new user or keys, unless the file asks for them', () => {
    expect(resourcesOf(stack, 'ovh_cloud_project_user')).toEqual([]);
    expect(resourcesOf(stack, 'ovh_cloud_project_user_s3_credential')).toEqual([]);
    const asked = synthClient({ ...client, backups: [{ name: 'files', existing: true, credentials: true }] });
    expect(resourcesOf(asked, 'ovh_cloud_project_user_s3_credential')).toHaveLength(1);
  });

  test('keep the procedure’s desired contacts, so the contacts tool brings them in line', () => {
    expect(desiredContacts(stack)['vps-web'].contacts).toEqual({ admin: 'bf12345-ovh', tech: 'bf12345-ovh', billing: 'cf10001-ovh' });
  });

  test('the example client shows it', () => {
    const [plan] = planFolder(settingsFrom({}, path.resolve(__dirname, '..')).clientsDir, ['atelier-lumiere.be']).plans.clients;
    expect(plan.services.filter((service) => service.existing).map((service) => service.kind)).toEqual(['domain', 'dnsZone', 'vps']);
    expect(plan.services.find((service) => service.kind === 'dnsZone')!.operatedBy.key).toBe('atelier_lumiere_be');
    expect(plan.backups[0].existing).toBe(true);
  });
});

function planOf(client: Record<string, unknown>) {
  return clientPlan(AgencyFile.parse(agencyFile), ClientFile.parse(client));
}
