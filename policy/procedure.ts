/**
 * The agency's procedure, in one place: which OVH account orders each service, which accounts
 * its contacts must be, where a client's Public Cloud resources and backups live, and which
 * account's credentials manage what is inside a service.
 *
 * It turns a validated client file into a plan of plain data; constructs only render that plan.
 */
import type { AgencyFile, ClientFile, ContactOverrides, ServiceSet } from '../config/schema';
import {
  backupId,
  bucketName,
  CLOUD_PROJECT_ID,
  instanceId,
  internalAddress,
  mailboxesId,
  productAccountName,
  serviceId,
  sharedProjectId,
  terraformKey,
} from './naming';
import { heldByTerraform, SERVICE_KINDS, type ServiceKind } from './service-kinds';

export interface OvhAccount {
  /** What the agency calls the account: `cedricfrancoys`, a client id, or `<product>.<client id>`. */
  name: string;
  /** Terraform-safe name of the account: its provider alias and the prefix of its credential variables. */
  key: string;
  nichandle: string;
  /** The agency's internal address that a client's or a product's account uses. */
  email?: string;
  description: string;
}

/** Nichandles; `owner` is set for domains only (the registrant, changed by a trade, never by this tool). */
export interface Contacts {
  owner?: string;
  admin: string;
  tech: string;
  billing: string;
}

interface ServiceBase {
  /** Unique within its stack; used for construct ids. */
  id: string;
  /** What the engineer calls it: the domain, or the name given in the client file. */
  name: string;
  orderedBy: OvhAccount;
  /**
   * The account Terraform operates the service and its content through: the one that ordered it until its contacts
   * are handed over (`handedOver: true` in the file), then its admin, since the orderer is left as billing contact
   * only and OVH lets a billing contact see nothing but bills.
   */
  managedBy: OvhAccount;
  contacts: Contacts;
  /** OVH's name of the service when it exists already: imported, never ordered. */
  existing?: string;
  /** Where the client file declares it, e.g. `['products', 0, 'hosting', 'vps', 1]`. */
  source: FieldPath;
}

/** A place in a client file: keys and list indexes. */
export type FieldPath = (string | number)[];

type ServiceOf<K extends ServiceKind, C> = ServiceBase & { kind: K; config: C };
type HostingConfig = ClientFile['hosting'];
type InstanceConfig = ClientFile['instances'][number];

export type Service =
  | ServiceOf<'domain', ClientFile['domains'][number]>
  | ServiceOf<'dnsZone', ClientFile['domains'][number]>
  | ServiceOf<'vps', HostingConfig['vps'][number]>
  | ServiceOf<'privateDatabase', HostingConfig['privateDatabases'][number]>
  | ServiceOf<'emailDomain', HostingConfig['emailDomains'][number]>
  | ServiceOf<'webHosting', HostingConfig['webHostings'][number]>
  | ServiceOf<'cloudProject', CloudProjectConfig>;

export interface CloudProjectConfig {
  /** Shown at OVH as the project's name; undefined keeps an existing project's own. */
  description?: string;
  /** OVH's protection from deletion; off only as the first step of a decommission. */
  deletionProtection: boolean;
}

export type CloudProjectService = Extract<Service, { kind: 'cloudProject' }>;

export interface PublicCloudPlacement {
  /** The project holding the client's instances and backups: the shared one, or the client's own (a service). */
  project: { shared: true; id: string; name: string } | { shared: false; service: CloudProjectService };
  managedBy: OvhAccount;
}

export interface PlannedInstance {
  id: string;
  config: InstanceConfig;
  /** The SSH key it is built with: the file's, else the agency's deploy key (`policy/claims.ts` refuses neither). */
  sshKey?: string;
  /** Its key is the agency's deploy key, which the stack owning the project registers; else one registered by hand. */
  usesDeployKey: boolean;
  source: FieldPath;
}

/** The agency's deploy key (agency.yaml `deployKey`), as registered in a project. */
export type DeployKey = NonNullable<AgencyFile['deployKey']>;

export interface BackupBucket {
  id: string;
  /** The S3 bucket: unique per client and backup, so that no two clients ever share one. */
  bucket: string;
  region: string;
  /** Where the bucket lives: the shared backup space, or the client's own project (by default, by the client's size). */
  projectId: string | { ownProject: true };
  managedBy: OvhAccount;
  /** The bucket exists already: imported, not created. */
  existing: boolean;
  /** An S3 user of its own, with keys and a bucket-only policy. */
  credentials: boolean;
  /** Days an overwritten or deleted version is kept. */
  keepOldVersionsDays: number;
  source: FieldPath;
}

/** Something the client file marks for termination: the construct path (under the stack) that may go. */
export interface Decommissioned {
  path: string;
  description: string;
  /**
   * The accounts whose provider destroys it: the stack keeps their provider configurations while it goes, since
   * Terraform destroys a resource through the provider configuration its state names.
   */
  accounts: OvhAccount[];
}

/** Something the client file lets be replaced (`replace: true`): the construct path (under the stack). */
export interface Replaceable {
  path: string;
  description: string;
}

export interface ClientPlan {
  client: ClientFile;
  account: OvhAccount;
  /** Every OVH account the client's services name: the client's, its products', the internal ones. */
  accounts: OvhAccount[];
  /** Every service the client's stack orders, imports or declares, with its desired contacts. */
  services: Service[];
  cloud: PublicCloudPlacement;
  instances: PlannedInstance[];
  /** The agency's deploy key, when the client's own project runs instances: the client's stack registers it there. */
  deployKey?: DeployKey;
  backups: BackupBucket[];
  decommissioned: Decommissioned[];
  replaceable: Replaceable[];
}

export interface SharedProject {
  /** Its service id in the agency stack, e.g. `project-yb-cloud`. */
  serviceId: string;
  /** The Public Cloud project id. */
  id: string;
  name: string;
  contacts: Contacts;
}

export interface AgencyPlan {
  hosting: OvhAccount;
  cloud: OvhAccount;
  /** The projects the agency shares between standard clients; their contacts stay with the cloud account. */
  sharedProjects: SharedProject[];
  /** The shared project, where standard clients' instances run. */
  instancesProject: string;
  /** The agency's deploy key, registered by the agency's stack in the shared project. */
  deployKey?: DeployKey;
}

function internalAccount(account: { name: string; nichandle: string }, role: string): OvhAccount {
  return { name: account.name, key: terraformKey(account.name), nichandle: account.nichandle, description: `internal account ${account.name} (${role})` };
}

export function agencyPlan(agency: AgencyFile): AgencyPlan {
  const cloud = internalAccount(agency.accounts.cloud, 'Public Cloud');
  const everyContact = { admin: cloud.nichandle, tech: cloud.nichandle, billing: cloud.nichandle };
  const shared = (id: string, name: string): SharedProject => ({
    serviceId: sharedProjectId(name),
    id,
    name,
    contacts: everyContact,
  });
  const sharedProjects = [shared(agency.sharedProject.id, agency.sharedProject.name)];
  if (agency.backupSpace.projectId !== agency.sharedProject.id) sharedProjects.push(shared(agency.backupSpace.projectId, 'shared backup space'));
  return {
    hosting: internalAccount(agency.accounts.hosting, 'orders hosting, billing contact'),
    cloud,
    sharedProjects,
    instancesProject: agency.sharedProject.id,
    deployKey: agency.deployKey,
  };
}

/**
 * The procedure's contact rule: owner, admin and tech are the service's own account (the client's, or the
 * isolated product's); billing is the internal account that pays. Overrides, from the widest (client-wide, then
 * product-wide) to the service's own, can name a third-party tech operator or hand billing over to the client;
 * `client` names the service's own account.
 */
export function desiredContacts(
  owner: OvhAccount,
  payer: OvhAccount,
  ...overrides: (ContactOverrides | undefined)[]
): Omit<Contacts, 'owner'> {
  const { tech, billing } = Object.assign({}, ...overrides) as ContactOverrides;
  const account = (chosen: string | undefined, otherwise: string) => (chosen === 'client' ? owner.nichandle : (chosen ?? otherwise));
  return { admin: owner.nichandle, tech: account(tech, owner.nichandle), billing: account(billing, payer.nichandle) };
}

export function clientPlan(agency: AgencyFile, client: ClientFile): ClientPlan {
  const { hosting: hostingAccount, cloud: cloudAccount } = agencyPlan(agency);
  const account: OvhAccount = {
    name: client.id,
    key: terraformKey(client.id),
    nichandle: client.nichandle,
    email: internalAddress(client.id, agency.mailDomain),
    description: `account of client ${client.name}`,
  };
  const productAccounts = client.products.map(
    (product): OvhAccount => ({
      name: productAccountName(product.id, client.id),
      key: terraformKey(productAccountName(product.id, client.id)),
      nichandle: product.nichandle,
      email: internalAddress(productAccountName(product.id, client.id), agency.mailDomain),
      description: `account of product ${product.name ?? product.id} of ${client.name}`,
    }),
  );
  const cloud = publicCloudPlacement(agency, client, account, cloudAccount);
  const plan = { client, account, accounts: [account, ...productAccounts, hostingAccount, cloudAccount], cloud };
  if (client.decommission) {
    // An empty stack, but for the provider configurations that destroy what its state holds: the next apply terminates
    // everything, and the change review knows it is intended.
    const whole = clientPlan(agency, { ...client, decommission: false });
    const description = `every service of ${client.name}`;
    return { ...plan, services: [], instances: [], backups: [], decommissioned: [{ path: '', description, accounts: destroyingAccounts(whole) }], replaceable: [] };
  }

  const decommissioned: Decommissioned[] = [];
  /** The items the file keeps; those marked `decommission: true` are recorded as intended removals. */
  const kept = <T extends { decommission: boolean }>(items: T[], removals: (item: T) => Decommissioned[]): T[] =>
    items.filter((item) => {
      if (item.decommission) decommissioned.push(...removals(item));
      return !item.decommission;
    });

  /** Services of the client itself or of one isolated product, each owned by that scope's account. */
  const servicesOf = (owner: OvhAccount, set: ServiceSet & { contacts?: ContactOverrides }, at: FieldPath, productId?: string): Service[] => {
    const scopeContacts = productId ? [client.contacts, set.contacts] : [client.contacts];
    const contactsFor = (override: ContactOverrides | undefined) => desiredContacts(owner, hostingAccount, ...scopeContacts, override);
    const hosted = (handedOver: boolean) => ({ orderedBy: hostingAccount, managedBy: handedOver ? owner : hostingAccount });
    // E-mail and web hosting offers are ordered by hand with the client in the order form's contact fields.
    const byHand = { orderedBy: hostingAccount, managedBy: owner };
    /**
     * OVH adds a DNS zone to every domain order (ovh/docs, pages/web_cloud/domains/api_domain_order/guide.en-gb.md,
     * "Cart Summary"), so a domain ordered here brings its zone, ordered through the client's account like the
     * domain, and the client is its admin from the start. A zone that exists already is operated through the hosting
     * account until its contacts follow the procedure (`handedOver`).
     */
    const zoneOf = (domain: ServiceSet['domains'][number]) => (domain.existing ? hosted(domain.handedOver) : { orderedBy: owner, managedBy: owner });
    const id = (kind: ServiceKind, name: string) => serviceId(SERVICE_KINDS[kind].idPrefix!, name, productId);
    const removal = (kind: ServiceKind, name: string, ...accounts: OvhAccount[]): Decommissioned => ({ path: id(kind, name), description: `${SERVICE_KINDS[kind].noun} ${name}`, accounts });
    /** The items the file keeps, each with its place in the file. */
    const keptAt = <T extends { decommission: boolean }>(list: string[], items: T[], removals: (item: T) => Decommissioned[]) =>
      items.flatMap((item, i) => (item.decommission ? (decommissioned.push(...removals(item)), []) : [{ item, source: [...at, ...list, i] }]));
    const { hosting } = set;
    return [
      ...keptAt(['domains'], set.domains, (d) => [removal('domain', d.name, owner), ...(d.dnsZone ? [removal('dnsZone', d.name, zoneOf(d).managedBy)] : [])]).flatMap(
        ({ item: domain, source }): Service[] => {
          const existing = domain.existing ? domain.name : undefined;
          return [
            // Domains are ordered by the client's own account, so the client's data is the owner from the start.
            {
              kind: 'domain',
              id: id('domain', domain.name),
              name: domain.name,
              orderedBy: owner,
              managedBy: owner,
              contacts: { owner: owner.nichandle, ...contactsFor(domain.contacts) },
              existing,
              source,
              config: domain,
            },
            ...(domain.dnsZone
              ? [{ kind: 'dnsZone' as const, id: id('dnsZone', domain.name), name: domain.name, ...zoneOf(domain), contacts: contactsFor(domain.contacts), existing, source, config: domain }]
              : []),
          ];
        },
      ),
      ...keptAt(['hosting', 'vps'], hosting.vps, (v) => [removal('vps', v.name, hosted(v.handedOver).managedBy)]).map(
        ({ item: vps, source }): Service => ({ kind: 'vps', id: id('vps', vps.name), name: vps.name, ...hosted(vps.handedOver), contacts: contactsFor(vps.contacts), existing: vps.existing, source, config: vps }),
      ),
      ...keptAt(['hosting', 'privateDatabases'], hosting.privateDatabases, (d) => [removal('privateDatabase', d.name, hosted(d.handedOver).managedBy)]).map(
        ({ item: db, source }): Service => ({ kind: 'privateDatabase', id: id('privateDatabase', db.name), name: db.name, ...hosted(db.handedOver), contacts: contactsFor(db.contacts), existing: db.existing, source, config: db }),
      ),
      ...keptAt(['hosting', 'emailDomains'], hosting.emailDomains, (m) => [removal('emailDomain', m.domain, owner)]).map(({ item: mail, source }): Service => {
        const emailId = id('emailDomain', mail.domain);
        const mailboxes = kept(mail.mailboxes, (box) => [{ path: `${mailboxesId(emailId)}/${box.account}`, description: `mailbox ${box.account}@${mail.domain}`, accounts: [owner] }]);
        return { kind: 'emailDomain', id: emailId, name: mail.domain, ...byHand, contacts: contactsFor(mail.contacts), source, config: { ...mail, mailboxes } };
      }),
      ...keptAt(['hosting', 'webHostings'], hosting.webHostings, (w) => [removal('webHosting', w.domain)]).map(
        ({ item: web, source }): Service => ({ kind: 'webHosting', id: id('webHosting', web.domain), name: web.domain, ...byHand, contacts: contactsFor(web.contacts), source, config: web }),
      ),
    ];
  };

  const services = [
    ...servicesOf(account, client, []),
    ...client.products.flatMap((product, i) => servicesOf(productAccounts[i], product, ['products', i], product.id)),
    ...(cloud.project.shared ? [] : [cloud.project.service]),
  ];
  const replaceable: Replaceable[] = [];
  const instances = client.instances.flatMap((config, i): PlannedInstance[] => {
    const id = instanceId(config.name);
    if (config.decommission) {
      decommissioned.push({ path: id, description: `instance ${config.name}`, accounts: [cloud.managedBy] });
      return [];
    }
    if (config.replace) replaceable.push({ path: id, description: `instance ${config.name}` });
    const sshKey = config.sshKey ?? agency.deployKey?.name;
    return [{ id, config, sshKey, usesDeployKey: sshKey !== undefined && sshKey === agency.deployKey?.name, source: ['instances', i] }];
  });
  const backups = client.backups.flatMap((backup, i): BackupBucket[] => {
    const bucket = bucketName(client.id, backup.name);
    // A bucket stays where it was made: `location` keeps a standard client's buckets in the backup space once it is large.
    const inBackupSpace = (backup.location ?? (cloud.project.shared ? 'backupSpace' : 'ownProject')) === 'backupSpace';
    const managedBy = inBackupSpace ? cloudAccount : cloud.managedBy;
    if (backup.decommission) {
      decommissioned.push({ path: backupId(bucket), description: `backup bucket ${bucket}`, accounts: [managedBy] });
      return [];
    }
    const ownProject = cloud.project.shared ? undefined : (cloud.project.service.existing ?? { ownProject: true as const });
    return [
      {
        id: backupId(bucket),
        bucket,
        region: inBackupSpace ? agency.backupSpace.region : (backup.region ?? agency.backupSpace.region),
        projectId: inBackupSpace || !ownProject ? agency.backupSpace.projectId : ownProject,
        managedBy,
        existing: backup.existing,
        credentials: backup.credentials ?? !backup.existing,
        keepOldVersionsDays: backup.keepOldVersionsDays,
        source: ['backups', i],
      },
    ];
  });
  // The agency's deploy key is registered in the client's own project by this client's stack, when instances run there.
  const deployKey = !cloud.project.shared && instances.length > 0 ? agency.deployKey : undefined;
  return { ...plan, services, instances, deployKey, backups, decommissioned, replaceable };
}

/** The accounts whose provider configurations hold what `plan` builds, and so destroy it. */
function destroyingAccounts(plan: ClientPlan): OvhAccount[] {
  const accounts = [
    ...plan.services.filter((service) => heldByTerraform(service.kind)).map((service) => service.managedBy),
    ...(plan.instances.length > 0 ? [plan.cloud.managedBy] : []),
    ...plan.backups.map((backup) => backup.managedBy),
    ...plan.decommissioned.flatMap((item) => item.accounts),
  ];
  return [...new Map(accounts.map((account) => [account.key, account])).values()];
}

/**
 * Standard clients live in the shared project, managed by the cloud account. A large client gets a project of
 * its own, ordered by the cloud account which stays its billing contact; the client becomes admin and tech, and
 * operates it once handed over.
 */
function publicCloudPlacement(agency: AgencyFile, client: ClientFile, account: OvhAccount, cloudAccount: OvhAccount): PublicCloudPlacement {
  if (client.size === 'standard') {
    return { project: { shared: true, id: agency.sharedProject.id, name: agency.sharedProject.name }, managedBy: cloudAccount };
  }
  const service: CloudProjectService = {
    kind: 'cloudProject',
    id: CLOUD_PROJECT_ID,
    name: `${client.name} (${client.id})`,
    orderedBy: cloudAccount,
    managedBy: client.cloudProject?.handedOver ? account : cloudAccount,
    contacts: desiredContacts(account, cloudAccount, client.contacts, client.cloudProject?.contacts),
    existing: client.cloudProject?.existing,
    source: client.cloudProject ? ['cloudProject'] : ['size'],
    // An existing project keeps the description OVH shows (its displayed name) unless the file sets one.
    config: {
      description: client.cloudProject?.description ?? (client.cloudProject?.existing ? undefined : `${client.name} (${client.id})`),
      deletionProtection: client.cloudProject?.deletionProtection ?? true,
    },
  };
  return { project: { shared: false, service }, managedBy: service.managedBy };
}
