/**
 * Public Cloud projects: ordered (`cloud`, plan `project.2018`, free of charge), read, described, terminated; what a
 * project offers in each region (flavors and images, which the stacks look up by name); its SSH keys.
 *
 * Sources: [cloud.json] OVH's API definition of `/cloud` (`cloud.Project` with `project_id`, `description`,
 * `projectName`, `status`, `access`; `cloud.flavor.Flavor`; `cloud.image.Image`; `cloud.sshkey.SshKeyDetail`;
 * `POST /cloud/project/{serviceName}/terminate`, `.../confirmTermination {token}`), as mirrored in
 * github:UrielCh/api-ovh-node; OVH's guide *Order a Public Cloud project through the API* (github:ovh/docs
 * pages/public_cloud/compute/order-project-api); the provider v2.19.0 (ovh/resource_cloud_project.go: an ordered
 * project's id matches `^[0-9a-f]{12}4[0-9a-f]{19}$`; ovh/data_cloud_project*.go, ovh/resource_cloud_project_ssh_key*.go).
 */
import { createHash } from 'node:crypto';
import { serviceError } from '../contacts-model';
import type { Routes } from '../routes';
import type { World } from '../world';
import { terminationRoutes } from './account';
import type { OrderableProduct } from './orders';

export const projectRoute = (projectId: string) => `/cloud/project/${projectId}`;

/** A stable OpenStack-like id (a UUID) for a catalog entry. */
export function catalogId(...parts: string[]): string {
  const digest = createHash('sha1').update(parts.join('|')).digest('hex');
  return `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-a${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
}

/** What every region offers, at least; `offer` adds to it. */
const BASE_FLAVORS = [
  { name: 'b3-8', vcpus: 2, ram: 8000, disk: 50 },
  { name: 'b3-16', vcpus: 4, ram: 16000, disk: 100 },
  { name: 'd2-2', vcpus: 1, ram: 2000, disk: 25 },
];
const BASE_IMAGES = ['Debian 12', 'Debian 13', 'Ubuntu 24.04'];

export interface CatalogEntry {
  kind: 'flavor' | 'image';
  region: string;
  name: string;
  id: string;
}

/** The flavors and images of `region`: the base ones and those the world offers there. */
export function catalog(world: World, region: string, kind: CatalogEntry['kind']): CatalogEntry[] {
  const base = (kind === 'flavor' ? BASE_FLAVORS.map((f) => f.name) : BASE_IMAGES).map((name) => ({
    kind,
    region,
    name,
    id: catalogId(kind, name, region),
  }));
  const offered = Object.values(world.state.objects).filter(
    (object): object is CatalogEntry & Record<string, unknown> => object.catalog === kind && object.region === region,
  );
  return [...base, ...offered.map(({ region: r, name, id }) => ({ kind, region: r, name, id }))];
}

/** Adds a flavor or an image to a region's catalog (what the client files name exists at OVH). */
export function offer(world: World, entry: Omit<CatalogEntry, 'id'> & { id?: string }): void {
  const id = entry.id ?? catalogId(entry.kind, entry.name, entry.region);
  world.put(`/catalog/${entry.kind}/${entry.region}/${id}`, { catalog: entry.kind, region: entry.region, name: entry.name, id });
}

/** [cloud.json] `cloud.Project`. */
export function createProject(world: World, projectId: string, description?: string): void {
  world.put(projectRoute(projectId), {
    project_id: projectId,
    projectName: description ?? null,
    description: description ?? null,
    status: 'ok',
    access: 'full',
    creationDate: world.now().toISOString(),
    planCode: 'project.2018',
    iam: { id: world.uuid(), urn: `urn:v1:eu:resource:publicCloudProject:${projectId}` },
  });
}

export const cloudProjectProduct: OrderableProduct = {
  product: 'cloud',
  price: () => 0,
  namedAtDelivery: true,
  // A project id is a version-4 UUID without its dashes.
  serviceName: (world) => world.uuid().replace(/-/g, ''),
  deliver: (world, detail, nichandle) => {
    const description = detail.configurations.find((c) => c.label === 'description')?.value;
    createProject(world, detail.domain, description);
    world.addService(projectRoute(detail.domain), nichandle);
  },
};

function flavorView(entry: CatalogEntry) {
  const known = BASE_FLAVORS.find((f) => f.name === entry.name) ?? { vcpus: 2, ram: 8000, disk: 50 };
  return {
    id: entry.id,
    name: entry.name,
    region: entry.region,
    available: true,
    capabilities: [
      { name: 'resize', enabled: true },
      { name: 'snapshot', enabled: true },
      { name: 'volume', enabled: true },
      { name: 'failoverip', enabled: true },
    ],
    disk: known.disk,
    ram: known.ram,
    vcpus: known.vcpus,
    inboundBandwidth: 500,
    outboundBandwidth: 500,
    osType: 'linux',
    quota: 20,
    type: 'ovh.ssd.eg',
    planCodes: { hourly: `${entry.name}.consumption`, monthly: `${entry.name}.monthly.postpaid` },
  };
}

function imageView(entry: CatalogEntry) {
  return {
    id: entry.id,
    name: entry.name,
    region: entry.region,
    creationDate: '2025-06-01T00:00:00Z',
    flavorType: null,
    minDisk: 0,
    minRam: 0,
    planCode: null,
    size: 2.5,
    status: 'active',
    tags: [],
    type: 'linux',
    user: entry.name.split(' ')[0].toLowerCase(),
    visibility: 'public',
  };
}

/** The project, when the caller may manage it; else OVH's 404. */
export function project<T extends object = Record<string, unknown>>(
  world: World,
  caller: Parameters<World['manage']>[1],
  projectId: string,
) {
  const refused = world.manage(projectRoute(projectId), caller);
  return refused ?? (world.object<T>(projectRoute(projectId)) as T);
}

interface SshKey {
  id: string;
  name: string;
  publicKey: string;
  fingerPrint: string;
  regions: string[];
}

/** [cloud.json] `cloud.sshkey.SshKeyDetail`: a key registered in the project, under its name. */
export function createSshKey(world: World, projectId: string, name: string, publicKey: string, region?: string): SshKey {
  const key: SshKey = {
    id: Buffer.from(`${projectId}:${name}`).toString('base64url'),
    name,
    publicKey,
    fingerPrint: createHash('md5')
      .update(publicKey)
      .digest('hex')
      .replace(/(..)(?!$)/g, '$1:'),
    regions: region ? [region] : [],
  };
  world.put(`${projectRoute(projectId)}/sshkey/${key.id}`, key);
  return key;
}

export function cloudProjectRoutes(routes: Routes): void {
  routes
    // [cloud.json] GET /cloud/project/{serviceName} → cloud.Project
    .add('GET', '/cloud/project/{serviceName}', ({ world, caller, params }) => project(world, caller, params.serviceName))
    // [cloud.json] PUT /cloud/project/{serviceName} {description?, manualQuota?} → void
    .add('PUT', '/cloud/project/{serviceName}', ({ world, caller, params, body }) => {
      const found = project(world, caller, params.serviceName);
      if (!('project_id' in found)) return found;
      if (typeof body.description === 'string') found.description = body.description;
      return null;
    })

    // [cloud.json] GET /cloud/project/{serviceName}/flavor?region= → cloud.flavor.Flavor[]
    .add('GET', '/cloud/project/{serviceName}/flavor', ({ world, caller, params, query }) => {
      const found = project(world, caller, params.serviceName);
      if (!('project_id' in found)) return found;
      const region = query.get('region');
      if (!region) return serviceError(400, 'Missing parameter: region');
      return catalog(world, region, 'flavor').map(flavorView);
    })
    // [cloud.json] GET /cloud/project/{serviceName}/image?region=&osType=&flavorType= → cloud.image.Image[]
    .add('GET', '/cloud/project/{serviceName}/image', ({ world, caller, params, query }) => {
      const found = project(world, caller, params.serviceName);
      if (!('project_id' in found)) return found;
      const region = query.get('region');
      if (!region) return serviceError(400, 'Missing parameter: region');
      const osType = query.get('osType');
      return catalog(world, region, 'image')
        .map(imageView)
        .filter((image) => !osType || image.type === osType);
    })
    // [cloud.json] POST /cloud/project/{serviceName}/sshkey {name, publicKey, region?} → cloud.sshkey.SshKeyDetail
    .add('POST', '/cloud/project/{serviceName}/sshkey', ({ world, caller, params, body }) => {
      const found = project(world, caller, params.serviceName);
      if (!('project_id' in found)) return found;
      if (typeof body.name !== 'string' || !body.name) return serviceError(400, 'Missing parameter: name');
      if (typeof body.publicKey !== 'string' || !/^(ssh-(ed25519|rsa)|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+/.test(body.publicKey))
        return serviceError(400, 'Invalid public key');
      const route = projectRoute(params.serviceName);
      if (world.under<SshKey>(`${route}/sshkey`).some(([, key]) => key.name === body.name))
        return serviceError(409, `A key named ${body.name} already exists in this project`);
      return createSshKey(world, params.serviceName, body.name, body.publicKey, typeof body.region === 'string' ? body.region : undefined);
    })
    .add('GET', '/cloud/project/{serviceName}/sshkey', ({ world, caller, params }) => {
      const found = project(world, caller, params.serviceName);
      if (!('project_id' in found)) return found;
      return world.under<SshKey>(`${projectRoute(params.serviceName)}/sshkey`).map(([, key]) => key);
    })
    .add('GET', '/cloud/project/{serviceName}/sshkey/{keyId}', ({ world, caller, params }) => {
      const found = project(world, caller, params.serviceName);
      if (!('project_id' in found)) return found;
      return (
        world.object(`${projectRoute(params.serviceName)}/sshkey/${params.keyId}`) ??
        serviceError(404, `The requested object (keyId = ${params.keyId}) does not exist`)
      );
    })
    .add('DELETE', '/cloud/project/{serviceName}/sshkey/{keyId}', ({ world, caller, params }) => {
      const found = project(world, caller, params.serviceName);
      if (!('project_id' in found)) return found;
      const route = `${projectRoute(params.serviceName)}/sshkey/${params.keyId}`;
      if (!world.object(route)) return serviceError(404, `The requested object (keyId = ${params.keyId}) does not exist`);
      world.delete(route);
      return null;
    });
  terminationRoutes(routes, '/cloud/project/{serviceName}');
}
