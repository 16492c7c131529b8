/**
 * What the contacts tool works on: every service of the selected stacks with its desired contacts, as the
 * procedure plans them, and the accounts the agency holds for those stacks.
 */
import type { FolderPlans } from '../policy/folder';
import { AGENCY_STACK } from '../policy/naming';
import type { Contacts, OvhAccount } from '../policy/plan';
import type { ServiceKind } from '../policy/service-kinds';
import { uniqueBy } from './collections';
import { plannedName } from './service-names';

export interface Target {
  /** The Terraform stack: the client id, or `agency`. */
  stack: string;
  /** The plan's service id, as in the stack's desired-contacts record. */
  service: string;
  kind: ServiceKind;
  /** The OVH service name when known before ordering; otherwise the Terraform state has it. */
  name?: string;
  desired: Contacts;
  /** The accounts we hold that should see the service, most likely first: who ordered it, then its desired contacts. */
  readers: OvhAccount[];
}

export interface Selection {
  targets: Target[];
  accounts: OvhAccount[];
}

/** The targets of the planned clients, plus the agency's shared projects when `withAgency`. */
export function selectTargets(plans: FolderPlans, withAgency: boolean): Selection {
  const { agency } = plans;
  const targets: Target[] = [];
  const accounts: OvhAccount[] = [agency.hosting, agency.cloud];

  if (withAgency) {
    for (const project of agency.sharedProjects) {
      targets.push({
        stack: AGENCY_STACK,
        service: project.serviceId,
        kind: 'cloudProject',
        name: project.id,
        desired: project.contacts,
        readers: [agency.cloud],
      });
    }
  }
  for (const plan of plans.clients) {
    accounts.push(...plan.accounts);
    for (const service of plan.services) {
      const desiredHolders = plan.accounts.filter((a) =>
        [service.contacts.admin, service.contacts.tech, service.contacts.billing].includes(a.nichandle),
      );
      targets.push({
        stack: plan.id,
        service: service.id,
        kind: service.kind,
        name: plannedName(service),
        desired: service.contacts,
        readers: uniqueBy([service.orderedBy, service.operatedBy, ...desiredHolders], 'key'),
      });
    }
  }
  return { targets, accounts: uniqueBy(accounts, 'key') };
}
