/**
 * The agency's procedure as a plan: which OVH account orders each service, which accounts its contacts must be, which
 * account Terraform operates it through, where a client's Public Cloud resources and backups live. It turns a
 * validated client file into plain data (`policy/plan.ts`); the stacks only render it.
 *
 * The rules it applies live beside it, one concern each: the service kinds (`service-kinds.ts`), the contact rules
 * (`contacts.ts`), Public Cloud and backups (`public-cloud.ts`), instances (`instances.ts`), names (`naming.ts`).
 */
import type { FieldPath } from '../config/files';
import type { AgencyFile, ClientFile, ContactOverrides, ServiceSet } from '../config/schema';
import { desiredContacts, operatingAccount } from './contacts';
import { plannedInstances } from './instances';
import { internalAddress, mailboxesId, productAccountName, serviceId, sharedProjectId, terraformKey } from './naming';
import {
  settingsOf,
  type AgencyPlan,
  type ClientPlan,
  type Decommissioned,
  type OvhAccount,
  type Service,
  type SharedProject,
} from './plan';
import { plannedBackups, publicCloudPlacement } from './public-cloud';
import {
  entryName,
  fileEntry,
  heldByTerraform,
  HOSTING_KINDS,
  hostingEntries,
  orderedByHand,
  SERVICE_KINDS,
  type HostingEntry,
  type ServiceKind,
} from './service-kinds';

/** The agency's two internal accounts: one orders hosting and pays for it, the other orders Public Cloud. */
function internalAccounts(agency: AgencyFile): { hosting: OvhAccount; cloud: OvhAccount } {
  const internal = (account: { name: string; nichandle: string }, role: string): OvhAccount => ({
    name: account.name,
    key: terraformKey(account.name),
    nichandle: account.nichandle,
    description: `internal account ${account.name} (${role})`,
  });
  return {
    hosting: internal(agency.accounts.hosting, 'orders hosting, billing contact'),
    cloud: internal(agency.accounts.cloud, 'Public Cloud'),
  };
}

/** What the agency shares between standard clients: the YB Cloud project and the backup space, the cloud account's. */
export function agencyPlan(agency: AgencyFile): AgencyPlan {
  const { hosting, cloud } = internalAccounts(agency);
  const everyContact = { admin: cloud.nichandle, tech: cloud.nichandle, billing: cloud.nichandle };
  const shared = (id: string, name: string): SharedProject => ({ serviceId: sharedProjectId(name), id, name, contacts: everyContact });
  const sharedProjects = [shared(agency.sharedProject.id, agency.sharedProject.name)];
  if (agency.backupSpace.projectId !== agency.sharedProject.id)
    sharedProjects.push(shared(agency.backupSpace.projectId, 'shared backup space'));
  return {
    endpoint: agency.ovh.endpoint,
    hosting,
    cloud,
    sharedProjects,
    instancesProject: agency.sharedProject.id,
    deployKey: agency.deployKey,
  };
}

/**
 * A client's plan, in steps: its accounts; the services of the client itself and of each isolated product; its
 * Public Cloud project; its instances; its backups. Each step keeps what the file keeps and records what it
 * terminates (`decommission: true`), in file order.
 */
export function clientPlan(agency: AgencyFile, client: ClientFile): ClientPlan {
  const internal = internalAccounts(agency);
  const scopes = scopesOf(agency, client, internal.hosting);
  const account = scopes[0].owner;
  const cloud = publicCloudPlacement(agency, client, account, internal.cloud);
  const zonesLeft = scopes.flatMap((scope) =>
    scope.entries.domains.filter((domain) => domain.decommission && domain.dnsZone).map((domain) => domain.name),
  );
  const plan = {
    id: client.id,
    name: client.name,
    size: client.size,
    terminated: client.decommission,
    zonesLeft,
    account,
    accounts: [...scopes.map((scope) => scope.owner), internal.hosting, internal.cloud],
    cloud,
  };
  if (client.decommission) {
    // An empty stack, but for the provider configurations that destroy what its state holds: the next apply terminates
    // everything, and the change review knows it is intended.
    const whole = clientPlan(agency, { ...client, decommission: false });
    const description = `every service of ${client.name}`;
    const decommissioned = [{ path: '', description, accounts: destroyingAccounts(whole) }];
    return { ...plan, services: [], instances: [], backups: [], decommissioned, replaceable: [], formerHolders: [] };
  }
  const scoped = scopes.map((scope) => [domainServices(scope), ...HOSTING_KINDS.map((kind) => hostingServices(scope, kind))]).flat();
  const services = [...scoped.flatMap((step) => step.services), ...(cloud.project.shared ? [] : [cloud.project.service])];
  const { instances, removed: instancesRemoved, replaceable } = plannedInstances(agency, client, cloud);
  const { backups, removed: backupsRemoved } = plannedBackups(agency, client, cloud, internal.cloud);
  // The agency's deploy key is registered in the client's own project by this client's stack, when instances run there.
  const deployKey = !cloud.project.shared && instances.length > 0 ? agency.deployKey : undefined;
  const decommissioned = [...scoped.flatMap((step) => step.removed), ...instancesRemoved, ...backupsRemoved];
  // Earlier stacks ordered or imported each DNS zone through the hosting account (`service-kinds.ts`, the dnsZone row).
  const formerHolders = services.some((service) => service.kind === 'dnsZone') ? [internal.hosting] : [];
  return { ...plan, services, instances, deployKey, backups, decommissioned, replaceable, formerHolders };
}

/** The client itself, or one of its isolated products: an OVH account of its own, its entries, its contact overrides. */
interface Scope {
  owner: OvhAccount;
  /** The internal account that orders hosting, and pays for every service. */
  hosting: OvhAccount;
  entries: ServiceSet;
  /** The overrides wider than a service's own: the client's, then the product's. */
  overrides: (ContactOverrides | undefined)[];
  /** Where the scope sits in the file: `[]`, or `['products', 0]`. */
  at: FieldPath;
  productId?: string;
}

function scopesOf(agency: AgencyFile, client: ClientFile, hosting: OvhAccount): Scope[] {
  // A client's or a product's own account, with its internal address.
  const ownAccount = (name: string, nichandle: string, description: string): OvhAccount => ({
    name,
    key: terraformKey(name),
    nichandle,
    email: internalAddress(name, agency.mailDomain),
    description,
  });
  const account = ownAccount(client.id, client.nichandle, `account of client ${client.name}`);
  const products = client.products.map((product, i): Scope => {
    const name = productAccountName(product.id, client.id);
    const owner = ownAccount(name, product.nichandle, `account of product ${product.name ?? product.id} of ${client.name}`);
    return { owner, hosting, entries: product, overrides: [client.contacts, product.contacts], at: ['products', i], productId: product.id };
  });
  return [{ owner: account, hosting, entries: client, overrides: [client.contacts], at: [] }, ...products];
}

/** What a step plans: the services the file keeps, and what it terminates. */
interface Step {
  services: Service[];
  removed: Decommissioned[];
}

/** The entries the file keeps, each with its place in the file; `removals` says what terminating one removes. */
function keptEntries<T extends { decommission: boolean }>(items: T[], at: FieldPath, removals: (item: T) => Decommissioned[]) {
  return {
    kept: items.flatMap((item, i) => (item.decommission ? [] : [{ item, source: [...at, i] }])),
    removed: items.flatMap((item) => (item.decommission ? removals(item) : [])),
  };
}

const idIn = (scope: Scope, kind: ServiceKind, name: string) => serviceId(fileEntry(kind).idPrefix, name, scope.productId);
const contactsIn = (scope: Scope, override: ContactOverrides | undefined) =>
  desiredContacts(scope.owner, scope.hosting, ...scope.overrides, override);

/** What terminating a service removes from the stack, and the accounts whose providers destroy it. */
function removal(scope: Scope, kind: ServiceKind, name: string, operatedBy: OvhAccount): Decommissioned {
  return {
    path: idIn(scope, kind, name),
    description: `${SERVICE_KINDS[kind].noun} ${name}`,
    accounts: heldByTerraform(kind) ? [operatedBy] : [],
  };
}

/**
 * Domains, ordered through the scope's own account, so the client's data is the owner from the start; and the DNS
 * zone each order brings (`service-kinds.ts`), the client's as well. A zone that exists already was ordered through
 * the hosting account, and is operated through it until handed over.
 */
function domainServices(scope: Scope): Step {
  const { owner, hosting } = scope;
  const zoneAccounts = (domain: ServiceSet['domains'][number]) => {
    const orderedBy = domain.existing ? hosting : owner;
    return { orderedBy, operatedBy: operatingAccount(orderedBy, owner, domain.handedOver) };
  };
  const { kept, removed } = keptEntries(scope.entries.domains, [...scope.at, 'domains'], (domain) => [
    removal(scope, 'domain', domain.name, owner),
    ...(domain.dnsZone ? [removal(scope, 'dnsZone', domain.name, zoneAccounts(domain).operatedBy)] : []),
  ]);
  const services = kept.flatMap(({ item: domain, source }): Service[] => {
    const existing = domain.existing ? domain.name : undefined;
    const contacts = contactsIn(scope, domain.contacts);
    const common = { name: domain.name, contacts, existing, source, settings: settingsOf(domain) };
    const ordered: Service = {
      kind: 'domain',
      id: idIn(scope, 'domain', domain.name),
      orderedBy: owner,
      operatedBy: owner,
      ...common,
      contacts: { owner: owner.nichandle, ...contacts },
    };
    const zone: Service = { kind: 'dnsZone', id: idIn(scope, 'dnsZone', domain.name), ...zoneAccounts(domain), ...common };
    return domain.dnsZone ? [ordered, zone] : [ordered];
  });
  return { services, removed };
}

/**
 * The scope's services of one hosting kind, each ordered through the hosting account: by Terraform, operated through
 * it until handed over; or by hand, with the client in the order form, so the client's from the start.
 */
function hostingServices(scope: Scope, kind: ServiceKind): Step {
  const byHand = orderedByHand(kind);
  const orderedBy = scope.hosting;
  const operatedBy = (item: HostingEntry) => operatingAccount(orderedBy, scope.owner, byHand || ('handedOver' in item && item.handedOver));
  const entries = hostingEntries(scope.entries.hosting, kind);
  const { kept, removed } = keptEntries(entries, [...scope.at, ...fileEntry(kind).list], (item) => [
    removal(scope, kind, entryName(kind, item), operatedBy(item)),
  ]);
  const services = kept.map(({ item, source }): Service => {
    const name = entryName(kind, item);
    const id = idIn(scope, kind, name);
    const content = keptContent(kind, id, item, operatedBy(item));
    removed.push(...content.removed);
    const existing = 'existing' in item ? item.existing : undefined;
    const contacts = contactsIn(scope, item.contacts);
    // The kind and the entry it was read from go together (`policy/service-kinds.ts` `entry`).
    return {
      kind,
      id,
      name,
      orderedBy,
      operatedBy: operatedBy(item),
      contacts,
      existing,
      source,
      settings: settingsOf(content.entry),
    } as Service;
  });
  return { services, removed };
}

/** A service's entry without the content the file terminates (an e-mail domain's mailboxes), and what that removes. */
function keptContent(
  kind: ServiceKind,
  id: string,
  item: HostingEntry,
  operatedBy: OvhAccount,
): { entry: HostingEntry; removed: Decommissioned[] } {
  if (SERVICE_KINDS[kind].content !== 'mailboxes' || !('mailboxes' in item)) return { entry: item, removed: [] };
  const { kept, removed } = keptEntries(item.mailboxes, [], (box) => [
    { path: `${mailboxesId(id)}/${box.account}`, description: `mailbox ${box.account}@${item.domain}`, accounts: [operatedBy] },
  ]);
  return { entry: { ...item, mailboxes: kept.map(({ item: box }) => box) }, removed };
}

/** The accounts whose provider configurations hold what `plan` builds, and so destroy it. */
function destroyingAccounts(plan: ClientPlan): OvhAccount[] {
  const accounts = [
    ...plan.services.filter((service) => heldByTerraform(service.kind)).map((service) => service.operatedBy),
    ...(plan.instances.length > 0 ? [plan.cloud.operatedBy] : []),
    ...plan.backups.map((backup) => backup.operatedBy),
    ...plan.decommissioned.flatMap((item) => item.accounts),
    ...plan.formerHolders,
  ];
  return [...new Map(accounts.map((account) => [account.key, account])).values()];
}
