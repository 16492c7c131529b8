/**
 * What the procedure asks of every Public Cloud instance it builds.
 */
import type { AgencyFile, ClientFile } from '../config/schema';
import { instanceId } from './naming';
import { settingsOf, type Decommissioned, type PlannedInstance, type PublicCloudPlacement, type Replaceable } from './plan';

/**
 * Every git checkout's `.git` is closed to other users, so that the web server, which runs as another user, cannot
 * serve the repository's history: the command that follows each clone, always, with no way to turn it off.
 */
export function closeGitFolder(checkoutPath: string): string[] {
  return ['chmod', '-R', 'o-rx', `${checkoutPath}/.git`];
}

/**
 * A client's instances, in its project (`cloud`), each built with its own SSH key or, by default, the agency's deploy
 * key; with those the file terminates (`decommission: true`) or lets be rebuilt (`replace: true`).
 */
export function plannedInstances(
  agency: AgencyFile,
  client: ClientFile,
  cloud: PublicCloudPlacement,
): { instances: PlannedInstance[]; removed: Decommissioned[]; replaceable: Replaceable[] } {
  const removed: Decommissioned[] = [];
  const replaceable: Replaceable[] = [];
  const instances = client.instances.flatMap((config, i): PlannedInstance[] => {
    const id = instanceId(config.name);
    if (config.decommission) {
      removed.push({ path: id, description: `instance ${config.name}`, accounts: [cloud.operatedBy] });
      return [];
    }
    if (config.replace) replaceable.push({ path: id, description: `instance ${config.name}` });
    const sshKey = config.sshKey ?? agency.deployKey?.name;
    const settings = settingsOf(config, 'sshKey', 'replace');
    const usesDeployKey = sshKey !== undefined && sshKey === agency.deployKey?.name;
    return [{ id, settings, sshKey, usesDeployKey, source: ['instances', i] }];
  });
  return { instances, removed, replaceable };
}
