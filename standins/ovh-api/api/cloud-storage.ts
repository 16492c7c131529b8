/**
 * Object storage (S3) buckets of a Public Cloud project, by region: created, read (with their objects), changed,
 * emptied and deleted; and each bucket's lifecycle configuration.
 *
 * Sources: [cloud.json] OVH's API definition of `/cloud` (`cloud.StorageContainerCreation`, `cloud.StorageContainer`,
 * `cloud.StorageContainerUpdate`, `cloud.StorageObjectList`, `cloud.StorageObjectDeleteBulk`,
 * `cloud.StorageLifecycleConfiguration` and `cloud.storage.LifecycleRule`), as exported in github:ovh/ovhcloud-cli
 * internal/assets/api-schemas/cloud.json (commit 05c2be06); the provider v2.19.0 (ovh/resource_cloud_project_storage.go
 * and _gen.go, ovh/resource_cloud_project_storage_object_bucket_lifecycle_configuration.go and _gen.go).
 */
import { serviceError } from '../contacts-model';
import type { ApiRequest, Routes } from '../routes';
import type { World } from '../world';
import { project, projectRoute } from './cloud-project';

export interface StoredObject {
  key: string;
  versionId: string;
  etag: string;
  size: number;
  isLatest: boolean;
  isDeleteMarker: boolean;
  lastModified: string;
  storageClass: string;
}

interface Bucket {
  name: string;
  region: string;
  createdAt: string;
  ownerId: number;
  encryption: { sseAlgorithm: string };
  versioning: { status: string };
  objectLock: { status: string; rule?: unknown };
  replication: { rules: unknown[] };
  tags: Record<string, string>;
  objects: StoredObject[];
}

/** The object storage regions, as the API names them (`GRA`, `SBG`...: upper case). */
const REGION = /^[A-Z]{2,4}[0-9]*$/;

export const bucketRoute = (projectId: string, region: string, name: string) =>
  `${projectRoute(projectId)}/region/${region}/storage/${name}`;

/** [cloud.json] `cloud.StorageContainer` kept as created; `objects` as `cloud.StorageObjectList`. */
export function createBucket(world: World, projectId: string, region: string, name: string, objects: StoredObject[] = []): void {
  const bucket: Bucket = {
    name,
    region,
    createdAt: world.now().toISOString(),
    ownerId: world.nextId('storageOwner', 1001),
    encryption: { sseAlgorithm: 'plaintext' },
    versioning: { status: 'disabled' },
    objectLock: { status: 'disabled' },
    replication: { rules: [] },
    tags: {},
    objects,
  };
  world.put(bucketRoute(projectId, region, name), bucket);
}

function view(bucket: Bucket) {
  const latest = bucket.objects.filter((o) => o.isLatest && !o.isDeleteMarker);
  return {
    ...bucket,
    objects: latest.map(({ key, etag, size, isLatest, isDeleteMarker, lastModified, storageClass, versionId }) => ({
      key,
      etag,
      size,
      isLatest,
      isDeleteMarker,
      lastModified,
      storageClass,
      versionId,
    })),
    objectsCount: latest.length,
    objectsSize: latest.reduce((sum, o) => sum + o.size, 0),
    virtualHost: `https://${bucket.name}.s3.${bucket.region.toLowerCase()}.io.cloud.ovh.net/`,
  };
}

function bucketOf({ world, caller, params }: ApiRequest): Bucket | ReturnType<typeof serviceError> {
  const refused = world.manage(projectRoute(params.serviceName), caller);
  if (refused) return refused;
  const bucket = world.object<Bucket>(bucketRoute(params.serviceName, params.regionName, params.name));
  return bucket ?? serviceError(404, `Storage ${params.name} not found in region ${params.regionName}`);
}

/** The writable settings of a bucket (`cloud.StorageContainerUpdate`), as sent. */
function applySettings(bucket: Bucket, body: Record<string, unknown>): string | undefined {
  const encryption = body.encryption as { sseAlgorithm?: string | null } | undefined;
  if (encryption?.sseAlgorithm) {
    if (!['AES256', 'plaintext'].includes(encryption.sseAlgorithm)) return `Invalid sseAlgorithm ${encryption.sseAlgorithm}`;
    bucket.encryption = { sseAlgorithm: encryption.sseAlgorithm };
  }
  const versioning = body.versioning as { status?: string | null } | undefined;
  if (versioning?.status) {
    if (!['enabled', 'disabled', 'suspended'].includes(versioning.status)) return `Invalid versioning status ${versioning.status}`;
    if (versioning.status === 'disabled' && bucket.versioning.status !== 'disabled')
      return 'Versioning cannot be disabled once enabled: suspend it';
    bucket.versioning = { status: versioning.status };
  }
  if (body.tags && typeof body.tags === 'object') bucket.tags = body.tags as Record<string, string>;
  return undefined;
}

export function cloudStorageRoutes(routes: Routes): void {
  routes
    // [cloud.json] POST /cloud/project/{serviceName}/region/{regionName}/storage cloud.StorageContainerCreation → cloud.StorageContainer
    .add('POST', '/cloud/project/{serviceName}/region/{regionName}/storage', ({ world, caller, params, body }) => {
      const found = project(world, caller, params.serviceName);
      if (!('project_id' in found)) return found;
      if (!REGION.test(params.regionName)) return serviceError(400, `Invalid region ${params.regionName}`);
      const name = body.name;
      if (typeof name !== 'string' || !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name))
        return serviceError(400, `Invalid bucket name ${String(name)}`);
      // S3 bucket names are unique in a region, across every project.
      if (world.under(`/cloud/project`).some(([route]) => route.endsWith(`/region/${params.regionName}/storage/${name}`)))
        return serviceError(409, `BucketAlreadyExists: ${name}`);
      createBucket(world, params.serviceName, params.regionName, name);
      const bucket = world.object<Bucket>(bucketRoute(params.serviceName, params.regionName, name))!;
      const problem = applySettings(bucket, body);
      if (problem) {
        world.delete(bucketRoute(params.serviceName, params.regionName, name));
        return serviceError(400, problem);
      }
      return view(bucket);
    })
    // [cloud.json] GET .../storage/{name}?limit=&marker=&prefix=&noObjects= → cloud.StorageContainer
    .add('GET', '/cloud/project/{serviceName}/region/{regionName}/storage/{name}', (request) => {
      const bucket = bucketOf(request);
      return 'name' in bucket ? view(bucket) : bucket;
    })
    // [cloud.json] PUT .../storage/{name} cloud.StorageContainerUpdate → cloud.StorageContainer
    .add('PUT', '/cloud/project/{serviceName}/region/{regionName}/storage/{name}', (request) => {
      const bucket = bucketOf(request);
      if (!('name' in bucket)) return bucket;
      const problem = applySettings(bucket, request.body);
      return problem ? serviceError(400, problem) : view(bucket);
    })
    // [cloud.json] DELETE .../storage/{name} → void; only an empty bucket goes (S3's BucketNotEmpty).
    .add('DELETE', '/cloud/project/{serviceName}/region/{regionName}/storage/{name}', (request) => {
      const bucket = bucketOf(request);
      if (!('name' in bucket)) return bucket;
      if (bucket.objects.length > 0) return serviceError(409, 'BucketNotEmpty: the bucket you tried to delete is not empty');
      const route = bucketRoute(request.params.serviceName, request.params.regionName, request.params.name);
      request.world.delete(route);
      request.world.delete(`${route}/lifecycle`);
      return null;
    })
    // [cloud.json] GET .../storage/{name}/object?withVersions= → cloud.StorageObjectList[]
    .add('GET', '/cloud/project/{serviceName}/region/{regionName}/storage/{name}/object', (request) => {
      const bucket = bucketOf(request);
      if (!('name' in bucket)) return bucket;
      const all = request.query.get('withVersions') === 'true';
      return bucket.objects.filter((o) => all || (o.isLatest && !o.isDeleteMarker));
    })
    // [cloud.json] POST .../storage/{name}/bulkDeleteObjects {objects: [{key, versionId?}]} → cloud.StorageObjectDeleteBulkResponse
    .add('POST', '/cloud/project/{serviceName}/region/{regionName}/storage/{name}/bulkDeleteObjects', (request) => {
      const bucket = bucketOf(request);
      if (!('name' in bucket)) return bucket;
      const wanted = Array.isArray(request.body.objects) ? (request.body.objects as { key: string; versionId?: string }[]) : [];
      const deleted = bucket.objects.filter((o) => wanted.some((w) => w.key === o.key && (w.versionId ?? '') === o.versionId));
      bucket.objects = bucket.objects.filter((o) => !deleted.includes(o));
      return { deleted: deleted.map(({ key, versionId }) => ({ key, versionId, wasADeleteMarker: false })), errors: [] };
    })
    // [cloud.json] GET/PUT/DELETE .../storage/{name}/lifecycle → cloud.StorageLifecycleConfiguration
    .add('GET', '/cloud/project/{serviceName}/region/{regionName}/storage/{name}/lifecycle', (request) => {
      const bucket = bucketOf(request);
      if (!('name' in bucket)) return bucket;
      const route = `${bucketRoute(request.params.serviceName, request.params.regionName, request.params.name)}/lifecycle`;
      const configuration = request.world.object<{ rules: { id: string }[] }>(route);
      if (!configuration) return serviceError(404, `No lifecycle configuration for ${request.params.name}`);
      // OVH lists the rules by id, whatever order they were given in (the provider reorders them: its
      // reorderRulesByID, ovh/resource_cloud_project_storage_object_bucket_lifecycle_configuration.go).
      return { rules: [...configuration.rules].sort((a, b) => a.id.localeCompare(b.id)) };
    })
    .add('PUT', '/cloud/project/{serviceName}/region/{regionName}/storage/{name}/lifecycle', (request) => {
      const bucket = bucketOf(request);
      if (!('name' in bucket)) return bucket;
      const rules = request.body.rules;
      if (!Array.isArray(rules) || rules.length === 0) return serviceError(400, 'Missing parameter: rules');
      const stored = (rules as Record<string, unknown>[]).map((rule) => {
        if (rule.status !== 'enabled' && rule.status !== 'disabled') return undefined;
        // OVH names a rule it is not given a name for; and leaves out what the rule does not set.
        const kept = Object.fromEntries(Object.entries(rule).filter(([, value]) => value !== null && value !== undefined));
        return { ...kept, id: typeof rule.id === 'string' && rule.id ? rule.id : `rule-${request.world.hex(4)}` };
      });
      if (stored.includes(undefined)) return serviceError(400, 'Each rule needs a status: enabled or disabled');
      const configuration = { rules: stored };
      request.world.put(
        `${bucketRoute(request.params.serviceName, request.params.regionName, request.params.name)}/lifecycle`,
        configuration,
      );
      return configuration;
    })
    .add('DELETE', '/cloud/project/{serviceName}/region/{regionName}/storage/{name}/lifecycle', (request) => {
      const bucket = bucketOf(request);
      if (!('name' in bucket)) return bucket;
      const route = `${bucketRoute(request.params.serviceName, request.params.regionName, request.params.name)}/lifecycle`;
      if (!request.world.object(route)) return serviceError(404, `No lifecycle configuration for ${request.params.name}`);
      request.world.delete(route);
      return null;
    });
}
