/**
 * Each rule of the agency's procedure, asserted on the synthesized Terraform of a client.
 */
import { parse } from 'yaml';
import {
  BACKUP_PROJECT,
  CLOUD_NIC,
  desiredContacts,
  HOSTING_NIC,
  referencedResource,
  resourcesOf,
  SHARED_PROJECT,
  standardClient,
  synthClient,
  type StackJson,
} from './support';

const CLIENT_NIC = standardClient.nichandle;
const everyHostingService = {
  ...standardClient,
  domains: [{ name: 'betterfinance.eu', records: [{ type: 'A', subdomain: 'www', target: '51.38.12.10' }] }],
  hosting: {
    vps: [{ name: 'web', plan: 'vps-2025-model1', datacenter: 'GRA', os: 'Debian 12' }],
    privateDatabases: [{ name: 'main', plan: 'private-sql-1024-instance', engine: 'mysql_8.0', datacenter: 'gra3' }],
    emailDomains: [{ domain: 'betterfinance.eu', mailboxes: [{ account: 'contact' }] }],
    webHostings: [{ domain: 'betterfinance.eu', plan: 'perso2014' }],
  },
};

/** The provider alias a resource is bound to, e.g. `cedricfrancoys` for `ovh.cedricfrancoys`. */
const aliasOf = (resource: Record<string, unknown> | undefined) => String(resource?.provider).replace(/^ovh\./, '');

describe('ordering account', () => {
  const stack = synthClient(everyHostingService);

  test('a domain is ordered through the client’s own account', () => {
    const [domain] = resourcesOf(stack, 'ovh_domain_name');
    expect(domain.domain_name).toBe('betterfinance.eu');
    expect(aliasOf(domain)).toBe('betterfinance_eu');
  });

  test.each(['ovh_vps', 'ovh_hosting_privatedatabase'])('%s is ordered through cedricfrancoys', (type) => {
    const ordered = resourcesOf(stack, type);
    expect(ordered).toHaveLength(1);
    expect(aliasOf(ordered[0])).toBe('cedricfrancoys');
  });

  test('the DNS zone is never ordered: it comes with the domain’s order, and the client is its admin from the start', () => {
    expect(resourcesOf(stack, 'ovh_domain_zone')).toEqual([]);
    const zone = desiredContacts(stack)['zone-betterfinance-eu'];
    expect(zone).toMatchObject({
      kind: 'dnsZone',
      service_name: 'betterfinance.eu',
      contacts: { admin: CLIENT_NIC, tech: CLIENT_NIC, billing: HOSTING_NIC },
    });
    // A state from before that ordered or imported the zone forgets it, and never terminates it.
    expect((stack as { removed?: unknown[] }).removed).toEqual([
      { from: expect.stringMatching(/^ovh_domain_zone\.zone-betterfinance-eu_order_/), lifecycle: { destroy: false } },
    ]);
  });

  test('each provider alias is bound to its own account’s sensitive credential variables', () => {
    const providers = stack.provider!.ovh;
    expect(providers.map((p) => p.alias).sort()).toEqual(['betterfinance_eu', 'cedricfrancoys']);
    for (const provider of providers) {
      // The agency's endpoint, through a variable that verify points at its stand-in.
      expect(provider.endpoint).toBe('${var.ovh_endpoint}');
      expect(provider.application_key).toBe(`\${var.ovh_${provider.alias}_application_key}`);
      expect(provider.application_secret).toBe(`\${var.ovh_${provider.alias}_application_secret}`);
      expect(provider.consumer_key).toBe(`\${var.ovh_${provider.alias}_consumer_key}`);
    }
    const { ovh_endpoint: endpoint, ...credentials } = stack.variable!;
    expect(endpoint).toMatchObject({ type: 'string', default: 'ovh-eu', nullable: false });
    for (const variable of Object.values(credentials)) expect(variable.sensitive).toBe(true);
  });

  test('an order takes its plan code and configuration from the client file, a month at default pricing, no catalog look-up', () => {
    const [vps] = resourcesOf(stack, 'ovh_vps');
    expect(vps.plan).toEqual([
      {
        plan_code: 'vps-2025-model1',
        duration: 'P1M',
        pricing_mode: 'default',
        configuration: [
          { label: 'vps_datacenter', value: 'GRA' },
          { label: 'vps_os', value: 'Debian 12' },
        ],
      },
    ]);
    const [database] = resourcesOf(stack, 'ovh_hosting_privatedatabase');
    expect(database.plan).toEqual({
      plan_code: 'private-sql-1024-instance',
      duration: 'P1M',
      pricing_mode: 'default',
      configuration: [
        { label: 'dc', value: 'gra3' },
        { label: 'engine', value: 'mysql_8.0' },
      ],
    });
    // No cart is created at each plan, and a plan code leaving the catalog fails nothing.
    expect(stack.data?.ovh_order_cart).toBeUndefined();
    expect(stack.data?.ovh_order_cart_product_plan).toBeUndefined();
  });

  test('orders are placed in the ordering account’s own subsidiary, and their plan is read once, when ordering', () => {
    for (const type of ['ovh_domain_name', 'ovh_vps', 'ovh_hosting_privatedatabase']) {
      for (const order of resourcesOf(stack, type)) {
        expect(order.ovh_subsidiary).toBeUndefined();
        // A VPS also keeps do_not_send_password as ordered: v2.19.0 never reads it back (constructs/services/vps.ts).
        const once = ['plan', 'plan_option', 'ovh_subsidiary', ...(type === 'ovh_vps' ? ['do_not_send_password'] : [])];
        expect(order.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: once });
      }
    }
  });

  test('web hosting is declared, not ordered: only its desired contacts appear', () => {
    expect(desiredContacts(stack)['web-betterfinance-eu']).toMatchObject({
      kind: 'webHosting',
      api_route: '/hosting/web/betterfinance.eu',
    });
    expect(Object.keys(stack.resource!).filter((type) => type.includes('hosting_web'))).toEqual([]);
  });
});

describe('desired contacts', () => {
  test('every service: owner/admin/tech are the client, billing is cedricfrancoys', () => {
    const contacts = desiredContacts(synthClient(everyHostingService));
    expect(Object.keys(contacts).sort()).toEqual([
      'db-main',
      'domain-betterfinance-eu',
      'email-betterfinance-eu',
      'vps-web',
      'web-betterfinance-eu',
      'zone-betterfinance-eu',
    ]);
    for (const record of Object.values(contacts)) {
      expect(record.client).toBe('betterfinance.eu');
      expect(record.contacts).toMatchObject({ admin: CLIENT_NIC, tech: CLIENT_NIC, billing: HOSTING_NIC });
    }
    expect(contacts['domain-betterfinance-eu'].contacts.owner).toBe(CLIENT_NIC);
  });

  test('a record names the ordered service by reference, so the plan shows the real service name', () => {
    const stack = synthClient(everyHostingService);
    const vps = desiredContacts(stack)['vps-web'];
    expect(vps.api_route).toMatch(/^\/vps\/\$\{ovh_vps\..*\.service_name\}$/);
    expect(referencedResource(stack, vps.service_name)).toBe(resourcesOf(stack, 'ovh_vps')[0]);
  });

  test('a third-party operator as tech of one service is one line, and touches no other service', () => {
    const contacts = desiredContacts(
      synthClient({
        ...everyHostingService,
        hosting: { vps: [{ ...everyHostingService.hosting.vps[0], contacts: { tech: 'op54321-ovh' } }] },
      }),
    );
    expect(contacts['vps-web'].contacts).toEqual({ admin: CLIENT_NIC, tech: 'op54321-ovh', billing: HOSTING_NIC });
    expect(contacts['domain-betterfinance-eu'].contacts.tech).toBe(CLIENT_NIC);
  });

  test('billing handed over to the client is one line, for every service', () => {
    const contacts = desiredContacts(synthClient({ ...everyHostingService, contacts: { billing: 'client' } }));
    for (const record of Object.values(contacts)) expect(record.contacts.billing).toBe(CLIENT_NIC);
  });

  test('a service’s own override wins over the client-wide one', () => {
    const contacts = desiredContacts(
      synthClient({
        ...standardClient,
        contacts: { tech: 'op54321-ovh' },
        domains: [{ name: 'betterfinance.eu', dnsZone: false, contacts: { tech: 'zz99999-ovh' } }],
        hosting: { vps: [{ name: 'web', plan: 'vps-2025-model1', datacenter: 'GRA', os: 'Debian 12' }] },
      }),
    );
    expect(contacts['domain-betterfinance-eu'].contacts.tech).toBe('zz99999-ovh');
    expect(contacts['vps-web'].contacts.tech).toBe('op54321-ovh');
  });
});

describe('contact overrides at every level: client, isolated product, project, service', () => {
  const OPERATOR = 'op54321-ovh';
  const PRODUCT_NIC = 'sh11111-ovh';
  const contacts = desiredContacts(
    synthClient({
      ...standardClient,
      size: 'large',
      contacts: { billing: 'client' },
      cloudProject: { contacts: { tech: 'pj22222-ovh' } },
      domains: [{ name: 'betterfinance.eu', dnsZone: false }],
      products: [
        {
          id: 'shop',
          nichandle: PRODUCT_NIC,
          contacts: { tech: OPERATOR },
          domains: [{ name: 'bf-shop.eu', dnsZone: false }],
          hosting: {
            vps: [
              { name: 'shop', plan: 'vps-2025-model2', datacenter: 'GRA', os: 'Debian 12' },
              { name: 'admin', plan: 'vps-2025-model1', datacenter: 'GRA', os: 'Debian 12', contacts: { tech: 'client' } },
            ],
          },
        },
      ],
    }),
  );

  test('a product-wide third-party operator is one line, for every service of the product and none of the client', () => {
    expect(contacts['shop-domain-bf-shop-eu'].contacts.tech).toBe(OPERATOR);
    expect(contacts['shop-vps-shop'].contacts.tech).toBe(OPERATOR);
    expect(contacts['domain-betterfinance-eu'].contacts.tech).toBe(CLIENT_NIC);
  });

  test('a service’s own override wins over its product’s; "client" names the service’s own account', () => {
    expect(contacts['shop-vps-admin'].contacts).toEqual({ admin: PRODUCT_NIC, tech: PRODUCT_NIC, billing: PRODUCT_NIC });
  });

  test('the client-wide billing handover reaches the product’s services, billed to the product’s own account', () => {
    expect(contacts['shop-vps-shop'].contacts.billing).toBe(PRODUCT_NIC);
    expect(contacts['domain-betterfinance-eu'].contacts.billing).toBe(CLIENT_NIC);
  });

  test('a large client’s project has overrides of its own, over the client-wide ones', () => {
    expect(contacts['cloud-project'].contacts).toEqual({ admin: CLIENT_NIC, tech: 'pj22222-ovh', billing: CLIENT_NIC });
  });
});

describe('isolated products', () => {
  const stack = synthClient({
    id: 'imoov.solutions',
    name: 'Imoov',
    size: 'large',
    nichandle: 'im67890-ovh',
    domains: [{ name: 'imoov.solutions', dnsZone: false }],
    products: [
      {
        id: 'eshop',
        nichandle: 'es24680-ovh',
        domains: [{ name: 'imoov.shop', dnsZone: false }],
        hosting: { vps: [{ name: 'shop', plan: 'vps-2025-model2', datacenter: 'SBG', os: 'Debian 12' }] },
      },
    ],
  });

  test('a product’s domain is ordered through the product’s own account, not the client’s', () => {
    const domains = Object.fromEntries(resourcesOf(stack, 'ovh_domain_name').map((d) => [d.domain_name, aliasOf(d)]));
    expect(domains).toEqual({ 'imoov.solutions': 'imoov_solutions', 'imoov.shop': 'eshop_imoov_solutions' });
  });

  test('a product’s services have the product’s account as owner, admin and tech', () => {
    const contacts = desiredContacts(stack);
    expect(contacts['eshop-domain-imoov-shop'].contacts).toEqual({
      owner: 'es24680-ovh',
      admin: 'es24680-ovh',
      tech: 'es24680-ovh',
      billing: HOSTING_NIC,
    });
    expect(contacts['eshop-vps-shop'].contacts).toEqual({ admin: 'es24680-ovh', tech: 'es24680-ovh', billing: HOSTING_NIC });
    expect(aliasOf(resourcesOf(stack, 'ovh_vps')[0])).toBe('cedricfrancoys');
  });

  test('the product’s credentials are variables of its own', () => {
    expect(Object.keys(stack.variable!)).toEqual(
      expect.arrayContaining(['ovh_eshop_imoov_solutions_application_key', 'ovh_eshop_imoov_solutions_consumer_key']),
    );
  });
});

const instance = {
  name: 'web-1',
  region: 'GRA11',
  flavorId: 'b2-7',
  imageId: 'debian-12',
  checkouts: [
    { repository: 'https://github.com/example/site.git', path: '/var/www/site', ref: 'main' },
    { repository: 'https://github.com/example/admin.git', path: '/srv/admin' },
  ],
};

describe('Public Cloud', () => {
  test('standard client: its instances go into the shared YB Cloud project, through yesbabylon; no project is ordered', () => {
    const stack = synthClient({ ...standardClient, instances: [instance] });
    const [server] = resourcesOf(stack, 'ovh_cloud_project_instance');
    expect(server.service_name).toBe(SHARED_PROJECT);
    expect(aliasOf(server)).toBe('yesbabylon');
    expect(resourcesOf(stack, 'ovh_cloud_project')).toHaveLength(0);
    // The agency's stack registers the deploy key in the shared project; instances name it by default.
    expect(server.ssh_key).toEqual({ name: 'agency-deploy' });
    expect(resourcesOf(stack, 'ovh_cloud_project_ssh_key')).toEqual([]);
  });

  describe('large client', () => {
    const stack = synthClient({ ...standardClient, size: 'large', instances: [instance] });
    const [project] = resourcesOf(stack, 'ovh_cloud_project');

    test('gets its own project, ordered through yesbabylon and protected from deletion', () => {
      expect(aliasOf(project)).toBe('yesbabylon');
      expect(project.deletion_protection).toBe(true);
      expect(project.lifecycle).toEqual({ prevent_destroy: true, ignore_changes: ['plan', 'plan_option', 'ovh_subsidiary'] });
      expect(project.plan).toEqual({ plan_code: 'project.2018', duration: 'P1M', pricing_mode: 'default', configuration: [] });
    });

    test('registers the agency’s deploy key in that project, which its instances name and wait for', () => {
      const [key] = resourcesOf(stack, 'ovh_cloud_project_ssh_key');
      expect(key).toMatchObject({ name: 'agency-deploy', public_key: expect.stringMatching(/^ssh-ed25519 /) });
      expect(referencedResource(stack, key.service_name)).toBe(project);
      const [server] = resourcesOf(stack, 'ovh_cloud_project_instance');
      expect(referencedResource(stack, (server.ssh_key as { name: string }).name)).toBe(key);
    });

    test('its project’s admin and tech are the client, billing stays with yesbabylon', () => {
      expect(desiredContacts(stack)['cloud-project'].contacts).toEqual({ admin: CLIENT_NIC, tech: CLIENT_NIC, billing: CLOUD_NIC });
    });

    test('its instances go into that project, operated through yesbabylon until the project is handed over', () => {
      const [server] = resourcesOf(stack, 'ovh_cloud_project_instance');
      expect(referencedResource(stack, server.service_name)).toBe(project);
      expect(aliasOf(server)).toBe('yesbabylon');
    });

    test('once handed over, the project and its instances are operated through the client’s account', () => {
      const handedOver = synthClient({ ...standardClient, size: 'large', cloudProject: { handedOver: true }, instances: [instance] });
      const [own] = resourcesOf(handedOver, 'ovh_cloud_project');
      expect(aliasOf(own)).toBe('betterfinance_eu');
      expect(aliasOf(resourcesOf(handedOver, 'ovh_cloud_project_instance')[0])).toBe('betterfinance_eu');
    });
  });

  test('a client without Public Cloud needs no yesbabylon credentials', () => {
    const stack = synthClient(standardClient);
    expect(Object.keys(stack.variable ?? {}).some((name) => name.includes('yesbabylon'))).toBe(false);
  });
});

describe('git checkouts', () => {
  const userData = (stack: StackJson) => {
    const text = String(resourcesOf(stack, 'ovh_cloud_project_instance')[0].user_data);
    expect(text.startsWith('#cloud-config\n')).toBe(true);
    return parse(text) as { packages?: string[]; runcmd?: string[][] };
  };

  test('every checkout’s .git is closed to others right after it is cloned', () => {
    const config = userData(synthClient({ ...standardClient, instances: [instance] }));
    expect(config.packages).toContain('git');
    const commands = config.runcmd!.map((command) => command.join(' '));
    for (const { path } of instance.checkouts) {
      const clone = commands.findIndex((command) => command.startsWith('git clone') && command.endsWith(` ${path}`));
      expect(clone).toBeGreaterThanOrEqual(0);
      expect(commands[clone + 1]).toBe(`chmod -R o-rx ${path}/.git`);
    }
    expect(commands).toContain('git clone --branch main -- https://github.com/example/site.git /var/www/site');
  });

  test('an instance without git gets no git and no chmod', () => {
    const config = userData(synthClient({ ...standardClient, instances: [{ ...instance, checkouts: [], packages: ['nginx'] }] }));
    expect(config.packages).toEqual(['nginx']);
    expect(config.runcmd).toBeUndefined();
  });
});

describe('backups', () => {
  const s3Policy = (stack: StackJson) => JSON.parse(String(resourcesOf(stack, 'ovh_cloud_project_user_s3_policy')[0].policy));

  test('standard client: an isolated bucket in the shared backup space, with its own user limited to that bucket', () => {
    const stack = synthClient({ ...standardClient, backups: [{ name: 'files' }] });
    const [bucket] = resourcesOf(stack, 'ovh_cloud_project_storage');
    expect(bucket).toMatchObject({ name: 'betterfinance-eu-files', service_name: BACKUP_PROJECT, region_name: 'GRA' });
    expect(aliasOf(bucket)).toBe('yesbabylon');

    const [user] = resourcesOf(stack, 'ovh_cloud_project_user');
    const [policy] = resourcesOf(stack, 'ovh_cloud_project_user_s3_policy');
    const [credential] = resourcesOf(stack, 'ovh_cloud_project_user_s3_credential');
    expect(referencedResource(stack, policy.user_id)).toBe(user);
    expect(referencedResource(stack, credential.user_id)).toBe(user);

    const resources = s3Policy(stack).Statement.flatMap((statement: { Resource: string[] }) => statement.Resource);
    expect(resources.sort()).toEqual(['arn:aws:s3:::betterfinance-eu-files', 'arn:aws:s3:::betterfinance-eu-files/*']);
  });

  test('two clients never share a bucket or a user', () => {
    const other = synthClient({ ...standardClient, id: 'other.be', nichandle: 'ot11111-ovh', backups: [{ name: 'files' }] });
    expect(resourcesOf(other, 'ovh_cloud_project_storage')[0].name).toBe('other-be-files');
    expect(JSON.stringify(s3Policy(other))).not.toContain('betterfinance');
  });

  test('large client: the bucket lives in its own project, in the region it chose', () => {
    const stack = synthClient({ ...standardClient, size: 'large', backups: [{ name: 'db', region: 'SBG' }] });
    const [bucket] = resourcesOf(stack, 'ovh_cloud_project_storage');
    expect(referencedResource(stack, bucket.service_name)).toBe(resourcesOf(stack, 'ovh_cloud_project')[0]);
    expect(bucket.region_name).toBe('SBG');
    expect(aliasOf(bucket)).toBe('yesbabylon');
  });
});

describe('DNS records and mailboxes', () => {
  const stack = synthClient(everyHostingService);

  test('records go into the zone the domain’s order brings, once ordered, through the client: the zone’s admin', () => {
    const [record] = resourcesOf(stack, 'ovh_domain_zone_record');
    expect(record).toMatchObject({ zone: 'betterfinance.eu', subdomain: 'www', fieldtype: 'A', target: '51.38.12.10' });
    expect(aliasOf(record)).toBe('betterfinance_eu');
    expect(record.depends_on).toEqual([expect.stringMatching(/^ovh_domain_name\./)]);
  });

  test('an existing zone is operated through cedricfrancoys until handed over, then through the client, its new admin', () => {
    const existing = { ...everyHostingService.domains[0], existing: true };
    const before = synthClient({ ...everyHostingService, domains: [existing] });
    expect(aliasOf(resourcesOf(before, 'ovh_domain_zone_record')[0])).toBe('cedricfrancoys');
    const handedOver = synthClient({ ...everyHostingService, domains: [{ ...existing, handedOver: true }] });
    expect(aliasOf(resourcesOf(handedOver, 'ovh_domain_zone_record')[0])).toBe('betterfinance_eu');
  });

  test('a handed-over VPS is operated through the client, the others through cedricfrancoys', () => {
    const vps = [
      { name: 'new', plan: 'vps-2025-model1', datacenter: 'GRA', os: 'Debian 12' },
      { name: 'old', plan: 'vps-2025-model1', datacenter: 'GRA', os: 'Debian 12', handedOver: true },
    ];
    const aliases = resourcesOf(synthClient({ ...standardClient, hosting: { vps } }), 'ovh_vps').map((v) => [v.display_name, aliasOf(v)]);
    expect(aliases).toEqual([
      ['new', 'cedricfrancoys'],
      ['old', 'betterfinance_eu'],
    ]);
  });

  test('a mailbox gets a random initial password that lives in the state only', () => {
    const [mailbox] = resourcesOf(stack, 'ovh_email_domain_account');
    expect(mailbox).toMatchObject({ domain: 'betterfinance.eu', account_name: 'contact' });
    expect(mailbox.password).toMatch(/^\$\{random_password\..*\.result\}$/);
    expect(mailbox.lifecycle).toEqual({ ignore_changes: ['password'], prevent_destroy: true });
    expect(stack.output!.mailbox_passwords_betterfinance_eu.sensitive).toBe(true);
  });
});
