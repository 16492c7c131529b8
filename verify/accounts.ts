/**
 * The OVH accounts a run of verify acts as, and what already exists at OVH before it: both from the client files,
 * through the policy. Every account gets dummy credentials from the OVH API stand-in, known to the provider
 * stand-in's world by their digest; every service the files mark `existing` (and those only ordered by hand: web
 * hostings, e-mail offers; and the agency's shared projects) is put into the world and into the OVH API stand-in
 * with the contacts the files ask for, as if the engineer had ordered them and handed them over; so are the DNS records
 * the files adopt by their OVH id, and the mailboxes they mark existing.
 */
import type { ApiCredentials } from '../config/credentials';
import type { LoadedConfig } from '../config/load';
import { selectTargets } from '../contacts/targets';
import { agencyPlan, clientPlan } from '../policy/procedure';
import type { ClientPlan, Contacts, OvhAccount, Service } from '../policy/plan';
import { apiRoute, orderedByHand, SERVICE_KINDS } from '../policy/service-kinds';
import type { FactResourceType } from '../provider-schema/facts';
import type { OvhStandin } from '../standins/ovh-api/server';
import { OVH_RESOURCES } from '../standins/provider/ovh';
import { credentialsDigest, type World, type WorldAccount, type WorldObject } from '../standins/provider/world';
import type { ObjectValue } from '../standins/provider/values';

export interface HeldAccount {
  account: OvhAccount;
  credentials: ApiCredentials;
  /** Its `/me/contact` id: the owner of the domains it registers. */
  contactId: number;
}

/** Every account the agency and the clients' plans name, once each, by key. */
export function accountsOf(config: LoadedConfig): OvhAccount[] {
  return selectTargets(config, false).accounts;
}

/** Registers each account with the OVH API stand-in (which makes its credentials) and returns them. */
export function registerAccounts(config: LoadedConfig, ovhApi: OvhStandin): HeldAccount[] {
  const held = accountsOf(config).map((account, i) => {
    const contactId = 1001 + i;
    const credentials = ovhApi.addAccount(account.nichandle, { contactIds: [contactId] });
    return { account, credentials, contactId };
  });
  registerContacts(config, ovhApi);
  return held;
}

/**
 * The other nichandles the files name as contacts (a third-party operator's) exist at OVH too, though the agency
 * holds no credentials for them.
 */
export function registerContacts(config: LoadedConfig, ovhApi: OvhStandin): void {
  const named = config.clients.flatMap(({ client }) =>
    clientPlan(config.agency, client).services.flatMap(({ contacts }) => [contacts.admin, contacts.tech, contacts.billing]),
  );
  for (const nichandle of new Set(named)) if (!ovhApi.accounts.has(nichandle)) ovhApi.addAccount(nichandle);
}

export function worldAccounts(held: HeldAccount[]): WorldAccount[] {
  return held.map(({ account, credentials, contactId }) => ({
    key: account.key,
    nichandle: account.nichandle,
    credentials: credentialsDigest(credentials),
    contactIds: [contactId],
  }));
}

/** What OVH has of an existing service, by the resource type that imports it: what its importer and Read find. */
const EXISTING_OBJECTS: Partial<Record<FactResourceType, (name: string) => ObjectValue>> = {
  ovh_domain_name: (name) => ({ id: name, domain_name: name }),
  ovh_domain_zone: (name) => ({ id: name, name }),
  ovh_vps: (name) => ({ id: name, service_name: name, name, display_name: name, state: 'running' }),
  ovh_hosting_privatedatabase: (name) => ({ id: name, service_name: name, display_name: name, state: 'started' }),
  ovh_cloud_project: (name) => ({ id: name, project_id: name, description: name, project_name: name, status: 'ok' }),
};

/** What the provider stand-in keeps of an existing service: the attributes its importer and Read would find. */
function existingObject(service: Service, name: string): Pick<WorldObject, 'route' | 'type' | 'attributes'> | undefined {
  const route = apiRoute(service.kind, name);
  const { resource, content } = SERVICE_KINDS[service.kind];
  if (resource) {
    const attributes = EXISTING_OBJECTS[resource];
    if (!attributes) throw new Error(`verify/accounts.ts has no existing ${resource} for the stand-in: add it to EXISTING_OBJECTS`);
    return { route, type: resource, attributes: attributes(name) };
  }
  // No resource manages an offer ordered by hand; an e-mail offer's mailboxes need it to exist.
  return content === 'mailboxes' ? { route, type: 'email_domain', attributes: { domain: name } } : undefined;
}

/** The services that exist before Terraform runs: marked `existing`, or ordered by hand. */
function existingServices(plan: ClientPlan): { service: Service; name: string }[] {
  return plan.services.flatMap((service) => {
    const name = service.existing ?? (orderedByHand(service.kind) ? service.name : undefined);
    return name ? [{ service, name }] : [];
  });
}

/** Puts what exists already into the world and the OVH API stand-in. */
export function seedExisting(config: LoadedConfig, held: HeldAccount[], world: World, ovhApi: OvhStandin): void {
  const contactIdOf = (account: OvhAccount) => held.find((h) => h.account.key === account.key)?.contactId;
  const tellOvh = (route: string, contacts: Contacts, owner?: number) =>
    ovhApi.addService(route, { admin: contacts.admin, tech: contacts.tech, billing: contacts.billing }, owner);
  // At the route the provider stand-in reads it from.
  const putObject = (type: FactResourceType, account: OvhAccount, attributes: ObjectValue) =>
    world.put({ route: OVH_RESOURCES[type].route!(attributes), type, account: account.key, attributes });

  const agency = agencyPlan(config.agency);
  for (const project of agency.sharedProjects) {
    const route = apiRoute('cloudProject', project.id);
    world.put({
      route,
      type: 'ovh_cloud_project',
      account: agency.cloud.key,
      attributes: { id: project.id, project_id: project.id, description: project.name, project_name: project.name, status: 'ok' },
    });
    tellOvh(route, project.contacts);
  }
  for (const { client } of config.clients) {
    const plan = clientPlan(config.agency, client);
    for (const { service, name } of existingServices(plan)) {
      const object = existingObject(service, name);
      if (object) world.put({ ...object, account: service.orderedBy.key });
      tellOvh(apiRoute(service.kind, name), service.contacts, service.kind === 'domain' ? contactIdOf(service.orderedBy) : undefined);
    }
    // Records and mailboxes the files adopt or leave as they are exist in their zone and e-mail domain.
    for (const service of plan.services) {
      if (service.kind === 'dnsZone' && service.existing) {
        for (const record of service.config.records.filter((r) => r.existing !== undefined)) {
          const attributes = {
            id: String(record.existing),
            zone: service.name,
            subdomain: record.subdomain,
            fieldtype: record.type,
            target: record.target,
            ttl: record.ttl ?? 0,
          };
          putObject('ovh_domain_zone_record', service.operatedBy, attributes);
        }
      }
      if (service.kind === 'emailDomain') {
        for (const { account } of service.config.mailboxes.filter((mailbox) => mailbox.existing)) {
          const attributes = {
            id: `${account}@${service.name}`,
            domain: service.name,
            account_name: account,
            email: `${account}@${service.name}`,
            description: '',
            is_blocked: false,
            size: 5_000_000_000,
          };
          putObject('ovh_email_domain_account', service.operatedBy, attributes);
        }
      }
    }
    for (const backup of plan.backups.filter((b) => b.existing)) {
      const projectId = typeof backup.projectId === 'string' ? backup.projectId : undefined;
      if (!projectId) continue; // in a project this run orders: it cannot exist yet
      // It holds backups already: OVH lists them with the bucket.
      putObject('ovh_cloud_project_storage', backup.operatedBy, {
        id: backup.bucket,
        name: backup.bucket,
        region_name: backup.region,
        service_name: projectId,
        region: backup.region,
        objects: [
          {
            key: 'backup-1.tar.gz',
            etag: 'e0',
            size: 1024,
            storage_class: 'STANDARD',
            is_latest: true,
            is_delete_marker: false,
            version_id: 'v1',
            last_modified: '2025-01-01T00:00:00Z',
          },
        ],
      });
    }
  }
}
