/**
 * The plan of a client file, as plain tables: for each input file, the rows the procedure must plan (each service
 * with who orders it, who operates it and its desired contacts; what the file terminates; buckets and instances).
 * Accounts are shown by the agency's names: `cedricfrancoys` (hosting), `yesbabylon` (cloud), the client's id.
 */
import { planFolder } from '../policy/folder';
import type { ClientPlan } from '../policy/plan';
import { clientsFolder, standardClient } from './support';

const CLIENT = standardClient.nichandle; // bf12345-ovh, the account betterfinance.eu
const HOSTING = 'cf10001-ovh';
const CLOUD = 'yb20002-ovh';
const OPERATOR = 'op54321-ovh';
const SHOP = 'sh12345-ovh';

function planOf(file: Record<string, unknown>): ClientPlan {
  const client = { ...standardClient, ...file };
  return planFolder(clientsFolder({ [`${client.id}.yaml`]: client })).plans.clients[0];
}

/** One row per service: id, kind, ordered by, operated through, admin, tech, billing, existing. */
const serviceRows = (plan: ClientPlan) =>
  plan.services.map((s) => [
    s.id,
    s.kind,
    s.orderedBy.name,
    s.operatedBy.name,
    s.contacts.admin,
    s.contacts.tech,
    s.contacts.billing,
    s.existing ?? '',
  ]);

const vps = (name: string, more: object = {}) => ({ name, plan: 'vps-2025-model1', datacenter: 'GRA', os: 'Debian 12', ...more });
const database = { name: 'main', plan: 'private-sql-1024-instance', engine: 'mysql_8.0', datacenter: 'gra3' };
const instance = (name: string, more: object = {}) => ({ name, region: 'GRA11', flavor: 'b3-8', image: 'Debian 12', ...more });

test.each([
  {
    what: 'every hosting kind: domains through the client’s account, the rest through cedricfrancoys; the client admin, cedricfrancoys billing',
    file: {
      domains: [{ name: 'betterfinance.eu' }],
      hosting: {
        vps: [vps('web')],
        privateDatabases: [database],
        emailDomains: [{ domain: 'betterfinance.eu' }],
        webHostings: [{ domain: 'betterfinance.eu', plan: 'perso2014' }],
      },
    },
    rows: [
      ['domain-betterfinance-eu', 'domain', 'betterfinance.eu', 'betterfinance.eu', CLIENT, CLIENT, HOSTING, ''],
      ['zone-betterfinance-eu', 'dnsZone', 'betterfinance.eu', 'betterfinance.eu', CLIENT, CLIENT, HOSTING, ''],
      ['vps-web', 'vps', 'cedricfrancoys', 'cedricfrancoys', CLIENT, CLIENT, HOSTING, ''],
      ['db-main', 'privateDatabase', 'cedricfrancoys', 'cedricfrancoys', CLIENT, CLIENT, HOSTING, ''],
      ['email-betterfinance-eu', 'emailDomain', 'cedricfrancoys', 'betterfinance.eu', CLIENT, CLIENT, HOSTING, ''],
      ['web-betterfinance-eu', 'webHosting', 'cedricfrancoys', 'betterfinance.eu', CLIENT, CLIENT, HOSTING, ''],
    ],
  },
  {
    what: 'handed over: operated through the client; a zone that exists already was ordered through cedricfrancoys',
    file: {
      domains: [
        { name: 'betterfinance.eu', existing: true },
        { name: 'old.be', existing: true, handedOver: true },
        { name: 'nodns.be', dnsZone: false },
      ],
      hosting: { vps: [vps('web', { handedOver: true }), { name: 'kept', plan: 'vps-2025-model1', existing: 'vps-1a2b3c4d.vps.ovh.net' }] },
    },
    rows: [
      ['domain-betterfinance-eu', 'domain', 'betterfinance.eu', 'betterfinance.eu', CLIENT, CLIENT, HOSTING, 'betterfinance.eu'],
      ['zone-betterfinance-eu', 'dnsZone', 'cedricfrancoys', 'cedricfrancoys', CLIENT, CLIENT, HOSTING, 'betterfinance.eu'],
      ['domain-old-be', 'domain', 'betterfinance.eu', 'betterfinance.eu', CLIENT, CLIENT, HOSTING, 'old.be'],
      ['zone-old-be', 'dnsZone', 'cedricfrancoys', 'betterfinance.eu', CLIENT, CLIENT, HOSTING, 'old.be'],
      ['domain-nodns-be', 'domain', 'betterfinance.eu', 'betterfinance.eu', CLIENT, CLIENT, HOSTING, ''],
      ['vps-web', 'vps', 'cedricfrancoys', 'betterfinance.eu', CLIENT, CLIENT, HOSTING, ''],
      ['vps-kept', 'vps', 'cedricfrancoys', 'cedricfrancoys', CLIENT, CLIENT, HOSTING, 'vps-1a2b3c4d.vps.ovh.net'],
    ],
  },
  {
    what: 'overrides, the most specific winning: a tech operator client-wide, billing handed over on one service',
    file: {
      contacts: { tech: OPERATOR },
      hosting: { vps: [vps('web', { contacts: { billing: 'client' } }), vps('api', { contacts: { tech: 'client' } })] },
    },
    rows: [
      ['vps-web', 'vps', 'cedricfrancoys', 'cedricfrancoys', CLIENT, OPERATOR, CLIENT, ''],
      ['vps-api', 'vps', 'cedricfrancoys', 'cedricfrancoys', CLIENT, CLIENT, HOSTING, ''],
    ],
  },
  {
    what: 'an isolated product: its own account everywhere, its ids prefixed, its own overrides between the client’s and the service’s',
    file: {
      contacts: { tech: OPERATOR },
      domains: [{ name: 'betterfinance.eu', dnsZone: false }],
      products: [
        {
          id: 'shop',
          nichandle: SHOP,
          contacts: { billing: 'client' },
          domains: [{ name: 'shop.be', dnsZone: false }],
          hosting: { vps: [vps('web')] },
        },
      ],
    },
    rows: [
      ['domain-betterfinance-eu', 'domain', 'betterfinance.eu', 'betterfinance.eu', CLIENT, OPERATOR, HOSTING, ''],
      ['shop-domain-shop-be', 'domain', 'shop.betterfinance.eu', 'shop.betterfinance.eu', SHOP, OPERATOR, SHOP, ''],
      ['shop-vps-web', 'vps', 'cedricfrancoys', 'cedricfrancoys', SHOP, OPERATOR, SHOP, ''],
    ],
  },
  {
    what: 'a large client: its own project, ordered through yesbabylon, which stays its billing contact until handed over',
    file: { size: 'large', cloudProject: { handedOver: true } },
    rows: [['cloud-project', 'cloudProject', 'yesbabylon', 'betterfinance.eu', CLIENT, CLIENT, CLOUD, '']],
  },
])('$what', ({ file, rows }) => {
  expect(serviceRows(planOf(file))).toEqual(rows);
});

/** One row per removal: construct path, what it is, the accounts whose providers destroy it. */
const removalRows = (plan: ClientPlan) => plan.decommissioned.map((d) => [d.path, d.description, d.accounts.map((a) => a.name).join(' ')]);

test.each([
  {
    what: 'each marked entry, in file order; a terminated e-mail domain’s mailboxes go with it, a kept one’s one by one',
    file: {
      domains: [
        { name: 'gone.be', decommission: true },
        { name: 'nodns.be', dnsZone: false, decommission: true },
        { name: 'kept.be', dnsZone: false },
      ],
      hosting: {
        vps: [vps('web', { decommission: true, handedOver: true })],
        emailDomains: [
          { domain: 'gone.be', decommission: true, mailboxes: [{ account: 'a' }] },
          { domain: 'kept.be', mailboxes: [{ account: 'a' }, { account: 'b', decommission: true }] },
        ],
        webHostings: [{ domain: 'gone.be', plan: 'perso2014', decommission: true }],
      },
      instances: [instance('web', { decommission: true }), instance('api', { replace: true })],
      backups: [{ name: 'old', decommission: true }],
    },
    rows: [
      ['domain-gone-be', 'domain gone.be', 'betterfinance.eu'],
      ['zone-gone-be', 'DNS zone gone.be', 'betterfinance.eu'],
      ['domain-nodns-be', 'domain nodns.be', 'betterfinance.eu'],
      ['vps-web', 'VPS web', 'betterfinance.eu'],
      ['email-gone-be', 'e-mail domain gone.be', 'betterfinance.eu'],
      ['email-kept-be-mailboxes/b', 'mailbox b@kept.be', 'betterfinance.eu'],
      // Terraform holds nothing of a web hosting: no provider destroys it.
      ['web-gone-be', 'web hosting gone.be', ''],
      ['instance-web', 'instance web', 'yesbabylon'],
      ['backup-betterfinance-eu-old', 'backup bucket betterfinance-eu-old', 'yesbabylon'],
    ],
  },
  {
    what: 'a whole client: one removal of everything, with every account whose provider holds part of it',
    file: {
      decommission: true,
      domains: [{ name: 'betterfinance.eu' }],
      hosting: { vps: [vps('web')], webHostings: [{ domain: 'betterfinance.eu', plan: 'perso2014' }] },
      instances: [instance('web')],
    },
    rows: [['', 'every service of Better Finance', 'betterfinance.eu cedricfrancoys yesbabylon']],
  },
])('removals: $what', ({ file, rows }) => {
  expect(removalRows(planOf(file))).toEqual(rows);
});

test('what a removal or a replacement lets go, and nothing else', () => {
  const plan = planOf({ instances: [instance('web', { decommission: true }), instance('api', { replace: true }), instance('db')] });
  expect(plan.instances.map((i) => i.id)).toEqual(['instance-api', 'instance-db']);
  expect(plan.replaceable).toEqual([{ path: 'instance-api', description: 'instance api' }]);
});

/** One row per bucket: name, project, region, operated through, with its own S3 user. */
const backupRows = (plan: ClientPlan) =>
  plan.backups.map((b) => [
    b.bucket,
    typeof b.projectId === 'string' ? b.projectId : 'own project',
    b.region,
    b.operatedBy.name,
    b.credentials,
  ]);

test.each([
  {
    what: 'a standard client: in the backup space, through yesbabylon',
    file: { backups: [{ name: 'files' }, { name: 'old', existing: true }] },
    rows: [
      ['betterfinance-eu-files', '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'GRA', 'yesbabylon', true],
      ['betterfinance-eu-old', '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'GRA', 'yesbabylon', false],
    ],
  },
  {
    what: 'a large client: in its own project (ordered here, or existing), a bucket kept in the backup space where it was made',
    file: {
      size: 'large',
      cloudProject: { existing: 'ab'.repeat(16) },
      backups: [
        { name: 'files', region: 'SBG' },
        { name: 'kept', location: 'backupSpace' },
      ],
    },
    rows: [
      ['betterfinance-eu-files', 'ab'.repeat(16), 'SBG', 'yesbabylon', true],
      ['betterfinance-eu-kept', '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'GRA', 'yesbabylon', true],
    ],
  },
  {
    what: 'a large client’s project handed over: its buckets operated through the client',
    file: { size: 'large', cloudProject: { handedOver: true }, backups: [{ name: 'files' }] },
    rows: [['betterfinance-eu-files', 'own project', 'GRA', 'betterfinance.eu', true]],
  },
])('backups: $what', ({ file, rows }) => {
  expect(backupRows(planOf(file))).toEqual(rows);
});

test.each([
  {
    what: 'standard: the shared project’s key, registered by the agency’s stack',
    file: { instances: [instance('web')] },
    rows: [['instance-web', 'agency-deploy', true]],
    deployKey: false,
  },
  {
    what: 'large: its own project, where its own stack registers the deploy key',
    file: { size: 'large', instances: [instance('web')] },
    rows: [['instance-web', 'agency-deploy', true]],
    deployKey: true,
  },
  {
    what: 'a key of its own, registered by hand (the project gets the deploy key all the same)',
    file: { size: 'large', instances: [instance('web', { sshKey: 'mine' })] },
    rows: [['instance-web', 'mine', false]],
    deployKey: true,
  },
])('instances: $what', ({ file, rows, deployKey }) => {
  const plan = planOf(file);
  expect(plan.instances.map((i) => [i.id, i.sshKey, i.usesDeployKey])).toEqual(rows);
  expect(plan.deployKey !== undefined).toBe(deployKey);
});

test('the accounts a client’s stack names: its own, its products’, then the internal ones, each with its address', () => {
  const plan = planOf({ products: [{ id: 'shop', nichandle: SHOP }] });
  expect(plan.accounts.map((a) => [a.name, a.key, a.nichandle, a.email ?? ''])).toEqual([
    ['betterfinance.eu', 'betterfinance_eu', CLIENT, 'betterfinance.eu@cedricfrancoys.be'],
    ['shop.betterfinance.eu', 'shop_betterfinance_eu', SHOP, 'shop.betterfinance.eu@cedricfrancoys.be'],
    ['cedricfrancoys', 'cedricfrancoys', HOSTING, ''],
    ['yesbabylon', 'yesbabylon', CLOUD, ''],
  ]);
});
