/**
 * The OVH accounts a run of verify acts as, and what exists at OVH before it: both from the client files, through the
 * policy. Every account gets credentials from the OVH API stand-in; every service the files mark `existing` (and those
 * only ordered by hand: web hostings, e-mail offers; and the agency's shared projects) is put into the stand-in, with
 * the contacts the files ask for once handed over, else with the account that ordered it as every contact; so are the DNS records the
 * files adopt by their OVH id, the mailboxes and buckets they mark existing, the SSH keys they name, and the flavors and
 * images their instances name, in their regions.
 */
import type { ApiCredentials } from '../core/credentials';
import { selectTargets } from '../contacts';
import type { FolderPlans } from '../policy/folder';
import type { ClientPlan, Contacts, OvhAccount } from '../policy/plan';
import { apiRoute, orderedByHand } from '../policy/service-kinds';
import { createSshKey, offer, projectRoute } from '../standins/ovh-api/api/cloud-project';
import { createBucket } from '../standins/ovh-api/api/cloud-storage';
import { createRecord } from '../standins/ovh-api/api/domains';
import { createMailbox } from '../standins/ovh-api/api/email';
import type { OvhStandin } from '../standins/ovh-api/server';

export interface HeldAccount {
  account: OvhAccount;
  credentials: ApiCredentials;
  /** Its `/me/contact` id: the owner of the domains it registers. */
  contactId: number;
}

/** Every account the agency and the clients' plans name, once each, by key. */
export function accountsOf(plans: FolderPlans): OvhAccount[] {
  return selectTargets(plans, false).accounts;
}

/** Registers each account with the OVH API stand-in (which makes its credentials) and returns them. */
export function registerAccounts(plans: FolderPlans, ovhApi: OvhStandin): HeldAccount[] {
  const held = accountsOf(plans).map((account, i) => {
    const contactId = 1001 + i;
    const credentials = ovhApi.addAccount(account.nichandle, { contactIds: [contactId] });
    return { account, credentials, contactId };
  });
  registerContacts(plans, ovhApi);
  return held;
}

/**
 * The other nichandles the files name as contacts (a third-party operator's) exist at OVH too, though the agency
 * holds no credentials for them.
 */
export function registerContacts(plans: FolderPlans, ovhApi: OvhStandin): void {
  const named = plans.clients.flatMap((plan) => plan.services.flatMap(({ contacts }) => [contacts.admin, contacts.tech, contacts.billing]));
  for (const nichandle of new Set(named)) if (!ovhApi.accounts.has(nichandle)) ovhApi.addAccount(nichandle);
}

/** The services that exist before Terraform runs: marked `existing`, or ordered by hand. */
function existingServices(plan: ClientPlan) {
  return plan.services.flatMap((service) => {
    const name = service.existing ?? (orderedByHand(service.kind) ? service.name : undefined);
    return name ? [{ service, name }] : [];
  });
}

/** Puts what exists already into the OVH API stand-in. */
export function seedExisting(plans: FolderPlans, held: HeldAccount[], ovhApi: OvhStandin): void {
  const { world } = ovhApi;
  const contactIdOf = (account: OvhAccount) => held.find((h) => h.account.key === account.key)?.contactId;
  const exists = (route: string, contacts: Contacts, owner?: number) =>
    ovhApi.addService(route, { admin: contacts.admin, tech: contacts.tech, billing: contacts.billing }, owner);

  for (const project of plans.agency.sharedProjects) {
    exists(apiRoute('cloudProject', project.id), project.contacts);
    Object.assign(world.object<Record<string, unknown>>(projectRoute(project.id))!, {
      description: project.name,
      projectName: project.name,
    });
  }
  for (const plan of plans.clients) {
    for (const { service, name } of existingServices(plan)) {
      // Handed over, it has the contacts the file asks for; before, the account that ordered it is each of them, as OVH
      // sets them at the order: the account Terraform operates it through is then the one that may.
      const { operatedBy } = service;
      const handedOver = [service.contacts.admin, service.contacts.tech].includes(operatedBy.nichandle);
      const contacts = handedOver
        ? service.contacts
        : { admin: operatedBy.nichandle, tech: operatedBy.nichandle, billing: operatedBy.nichandle };
      exists(apiRoute(service.kind, name), contacts, service.kind === 'domain' ? contactIdOf(service.orderedBy) : undefined);
    }
    // Records and mailboxes the files adopt or leave as they are exist in their zone and e-mail domain.
    for (const service of plan.services) {
      if (service.kind === 'dnsZone' && service.existing) {
        for (const record of service.settings.records.filter((r) => r.existing !== undefined))
          createRecord(world, {
            id: record.existing!,
            zone: service.name,
            subDomain: record.subdomain,
            fieldType: record.type,
            target: record.target,
            ttl: record.ttl ?? 0,
          });
      }
      if (service.kind === 'emailDomain') {
        for (const { account } of service.settings.mailboxes.filter((mailbox) => mailbox.existing))
          createMailbox(world, service.name, account, world.hex(12));
      }
    }
    for (const backup of plan.backups.filter((b) => b.existing)) {
      if (typeof backup.projectId !== 'string') continue; // in a project this run orders: it cannot exist yet
      // It holds backups already.
      const lastModified = '2025-01-01T00:00:00Z';
      createBucket(world, backup.projectId, backup.region, backup.bucket, [
        {
          key: 'backup-1.tar.gz',
          versionId: 'v1',
          etag: 'e0',
          size: 1024,
          isLatest: true,
          isDeleteMarker: false,
          lastModified,
          storageClass: 'STANDARD',
        },
      ]);
    }
    offerWhatInstancesName(ovhApi, plan);
  }
}

/**
 * The flavors and images the files' instances name, in their regions, and the SSH keys they name in their projects
 * (registered by hand, as the README says): OVH has them. A project this run orders gets its keys when it exists.
 */
function offerWhatInstancesName(ovhApi: OvhStandin, plan: ClientPlan): void {
  const { project } = plan.cloud;
  for (const { settings: config, sshKey, usesDeployKey } of plan.instances) {
    const { region } = config;
    if (config.flavor) offer(ovhApi.world, { kind: 'flavor', region, name: config.flavor });
    if (config.flavorId)
      offer(ovhApi.world, { kind: 'flavor', region, name: `flavor ${config.flavorId.slice(0, 8)}`, id: config.flavorId });
    if (config.image) offer(ovhApi.world, { kind: 'image', region, name: config.image });
    if (config.imageId) offer(ovhApi.world, { kind: 'image', region, name: `image ${config.imageId.slice(0, 8)}`, id: config.imageId });
    const projectId = project.shared ? project.id : project.service.existing;
    if (sshKey && !usesDeployKey && projectId && ovhApi.world.object(projectRoute(projectId)))
      createSshKey(
        ovhApi.world,
        projectId,
        sshKey,
        `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${Buffer.from(sshKey).toString('base64')} registered-by-hand`,
      );
  }
}
