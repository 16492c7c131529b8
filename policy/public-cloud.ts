/**
 * Where a client's Public Cloud resources and backups live, by its size: a standard client's in the agency's shared
 * project ("YB Cloud") and backup space, operated through the cloud account; a large client's in a project of its
 * own, ordered through the cloud account, credited by the agency, then handed over to the client.
 */
import type { AgencyFile, ClientFile } from '../config/schema';
import { bucketLocation } from './client-size';
import { desiredContacts, operatingAccount } from './contacts';
import { backupId, bucketName, CLOUD_PROJECT_ID } from './naming';
import type { Decommissioned, OvhAccount, PlannedBackup, PublicCloudPlacement, ServiceOf } from './plan';

/** The agency's PayPal account that credits a large client's new Public Cloud project, before it is handed over. */
export const PROJECT_CREDIT = { amount: '10 EUR', paypal: 'paypal@yesbabylon.com' };

/**
 * The project of a client's instances and backups. A large client's is a service of its own, ordered by the cloud
 * account, which stays its billing contact; the client becomes admin and tech.
 */
export function publicCloudPlacement(
  agency: AgencyFile,
  client: ClientFile,
  account: OvhAccount,
  cloudAccount: OvhAccount,
): PublicCloudPlacement {
  if (client.size === 'standard') {
    return { project: { shared: true, id: agency.sharedProject.id, name: agency.sharedProject.name }, operatedBy: cloudAccount };
  }
  const service: ServiceOf<'cloudProject'> = {
    kind: 'cloudProject',
    id: CLOUD_PROJECT_ID,
    name: `${client.name} (${client.id})`,
    orderedBy: cloudAccount,
    operatedBy: operatingAccount(cloudAccount, account, client.cloudProject?.handedOver ?? false),
    contacts: desiredContacts(account, cloudAccount, client.contacts, client.cloudProject?.contacts),
    existing: client.cloudProject?.existing,
    source: client.cloudProject ? ['cloudProject'] : ['size'],
    // An existing project keeps the description OVH shows (its displayed name) unless the file sets one.
    settings: {
      description: client.cloudProject?.description ?? (client.cloudProject?.existing ? undefined : `${client.name} (${client.id})`),
      deletionProtection: client.cloudProject?.deletionProtection ?? true,
    },
  };
  return { project: { shared: false, service }, operatedBy: service.operatedBy };
}

/**
 * A client's backup buckets, each isolated: in the backup space (a standard client's, by default), operated through
 * the cloud account, or in the client's own project. A bucket stays where it was made: `location` keeps a standard
 * client's buckets in the backup space once it is large.
 */
export function plannedBackups(
  agency: AgencyFile,
  client: ClientFile,
  cloud: PublicCloudPlacement,
  cloudAccount: OvhAccount,
): { backups: PlannedBackup[]; removed: Decommissioned[] } {
  const removed: Decommissioned[] = [];
  const ownProject = cloud.project.shared ? undefined : (cloud.project.service.existing ?? { ownProject: true as const });
  const backups = client.backups.flatMap((backup, i): PlannedBackup[] => {
    const bucket = bucketName(client.id, backup.name);
    const inBackupSpace = bucketLocation(client.size, backup.location) === 'backupSpace';
    const operatedBy = inBackupSpace ? cloudAccount : cloud.operatedBy;
    if (backup.decommission) {
      removed.push({ path: backupId(bucket), description: `backup bucket ${bucket}`, accounts: [operatedBy] });
      return [];
    }
    return [
      {
        id: backupId(bucket),
        bucket,
        region: inBackupSpace ? agency.backupSpace.region : (backup.region ?? agency.backupSpace.region),
        projectId: inBackupSpace || !ownProject ? agency.backupSpace.projectId : ownProject,
        operatedBy,
        existing: backup.existing,
        credentials: backup.credentials ?? !backup.existing,
        keepOldVersionsDays: backup.keepOldVersionsDays,
        source: ['backups', i],
      },
    ];
  });
  return { backups, removed };
}
