/**
 * Public Cloud instances: created through an operation (`POST .../region/{regionName}/instance` answers a
 * `cloud.Operation`, whose `resourceId` is the instance once completed), read by region, deleted by the older route
 * without region.
 *
 * Sources: [cloud.json] OVH's API definition of `/cloud` (`cloud.instance.CreateInput`, `cloud.Operation` and
 * `cloud.OperationStatusEnum`, `cloud.instance.InstanceList`, `cloud.instance.InstanceStatusEnum`;
 * `DELETE /cloud/project/{serviceName}/instance/{instanceId}`), as exported in github:ovh/ovhcloud-cli
 * internal/assets/api-schemas/cloud.json (commit 05c2be06) and github:UrielCh/api-ovh-node; the provider v2.19.0
 * (ovh/resource_cloud_project_instance.go, ovh/types_cloud.go `waitForCloudProjectOperation`,
 * ovh/types_cloud_project_instance.go `waitForCloudProjectInstance`).
 */
import { serviceError } from '../contacts-model';
import type { ApiRequest, Routes } from '../routes';
import type { World } from '../world';
import { catalog, project, projectRoute } from './cloud-project';

interface Instance {
  id: string;
  name: string;
  region: string;
  flavorId: string;
  flavorName: string;
  imageId: string | null;
  sshKey: string;
  status: string;
  userData: string | null;
  addresses: { ip: string; type: 'public'; version: number }[];
}

interface Operation {
  id: string;
  action: string;
  status: 'completed' | 'in-error' | 'in-progress' | 'created';
  resourceId: string | null;
  regions: string[];
  createdAt: string;
  completedAt: string | null;
}

/** Instances of a project are kept under it, by id, whatever their region (the delete route has none). */
const instanceRoute = (projectId: string, id: string) => `${projectRoute(projectId)}/instance/${id}`;
const operationRoute = (projectId: string, id: string) => `${projectRoute(projectId)}/operation/${id}`;

/** Why OVH refuses the instance as asked, if it does (before any operation starts). */
function refusal(world: World, projectId: string, region: string, body: Record<string, unknown>): string | undefined {
  const flavorId = (body.flavor as { id?: unknown } | undefined)?.id;
  const imageId = (body.bootFrom as { imageId?: unknown } | undefined)?.imageId;
  const keyName = (body.sshKey as { name?: unknown } | undefined)?.name;
  if (typeof body.name !== 'string' || !body.name) return 'Missing parameter: name';
  if (!catalog(world, region, 'flavor').some((flavor) => flavor.id === flavorId))
    return `Flavor ${String(flavorId)} does not exist in region ${region}`;
  if (!catalog(world, region, 'image').some((image) => image.id === imageId))
    return `Image ${String(imageId)} does not exist in region ${region}`;
  if (body.sshKeyCreate === undefined) {
    const keys = world.under<{ name: string }>(`${projectRoute(projectId)}/sshkey`).map(([, key]) => key.name);
    if (typeof keyName !== 'string' || !keys.includes(keyName)) return `SSH key ${String(keyName)} does not exist in this project`;
  }
  return undefined;
}

function view(instance: Instance) {
  const { userData: _userData, ...visible } = instance;
  return { ...visible, availabilityZone: null, attachedVolumes: [], taskState: '', regionType: 'region', login: null };
}

function instanceOf({ world, caller, params }: ApiRequest): Instance | ReturnType<typeof serviceError> {
  const refused = world.manage(projectRoute(params.serviceName), caller);
  if (refused) return refused;
  return (
    world.object<Instance>(instanceRoute(params.serviceName, params.instanceId)) ??
    serviceError(404, `Instance ${params.instanceId} not found`)
  );
}

export function cloudInstanceRoutes(routes: Routes): void {
  routes
    // [cloud.json] POST /cloud/project/{serviceName}/region/{regionName}/instance cloud.instance.CreateInput → cloud.Operation
    .add('POST', '/cloud/project/{serviceName}/region/{regionName}/instance', ({ world, caller, params, body }) => {
      const found = project(world, caller, params.serviceName);
      if (!('project_id' in found)) return found;
      const problem = refusal(world, params.serviceName, params.regionName, body);
      if (problem) return serviceError(400, problem);
      const flavorId = String((body.flavor as { id: string }).id);
      const instance: Instance = {
        id: world.uuid(),
        name: String(body.name),
        region: params.regionName,
        flavorId,
        flavorName: catalog(world, params.regionName, 'flavor').find((f) => f.id === flavorId)!.name,
        imageId: String((body.bootFrom as { imageId: string }).imageId),
        sshKey: String((body.sshKey as { name?: string } | undefined)?.name ?? (body.sshKeyCreate as { name: string }).name),
        status: 'ACTIVE',
        userData: typeof body.userData === 'string' ? body.userData : null,
        addresses: [{ ip: `51.91.${world.nextId('ipByte', 10) % 250}.${world.nextId('ipHost', 10) % 250}`, type: 'public', version: 4 }],
      };
      world.put(instanceRoute(params.serviceName, instance.id), instance);
      const now = world.now().toISOString();
      const operation: Operation = {
        id: world.uuid(),
        action: 'instance#create',
        status: 'completed',
        resourceId: instance.id,
        regions: [params.regionName],
        createdAt: now,
        completedAt: now,
      };
      world.put(operationRoute(params.serviceName, operation.id), operation);
      return { ...operation, status: 'created', resourceId: null, completedAt: null, progress: 0, startedAt: null, subOperations: [] };
    })
    // [cloud.json] GET /cloud/project/{serviceName}/operation/{operationId} → cloud.Operation
    .add('GET', '/cloud/project/{serviceName}/operation/{operationId}', ({ world, caller, params }) => {
      const found = project(world, caller, params.serviceName);
      if (!('project_id' in found)) return found;
      const operation = world.object<Operation>(operationRoute(params.serviceName, params.operationId));
      if (!operation) return serviceError(404, `Operation ${params.operationId} not found`);
      return { ...operation, progress: 100, startedAt: operation.createdAt, subOperations: [] };
    })
    // [cloud.json] GET /cloud/project/{serviceName}/region/{regionName}/instance/{instanceId} → cloud.instance.InstanceList
    .add('GET', '/cloud/project/{serviceName}/region/{regionName}/instance/{instanceId}', (request) => {
      const instance = instanceOf(request);
      if (!('id' in instance)) return instance;
      return instance.region === request.params.regionName
        ? view(instance)
        : serviceError(404, `Instance ${request.params.instanceId} not found`);
    })
    // [cloud.json] DELETE /cloud/project/{serviceName}/instance/{instanceId} → void
    .add('DELETE', '/cloud/project/{serviceName}/instance/{instanceId}', (request) => {
      const instance = instanceOf(request);
      if (!('id' in instance)) return instance;
      request.world.delete(instanceRoute(request.params.serviceName, instance.id));
      return null;
    });
}
