/**
 * Private SQL databases: ordered (`privateSQL`, configurations `dc` and `engine`), read with their advanced
 * configuration, renamed, terminated.
 *
 * Sources: [hosting-privateDatabase.json] OVH's API definition of `/hosting/privateDatabase` (`hosting.PrivateDatabase
 * .Service`, `complexType.UnitAndValue`, `hosting.PrivateDatabase.Configuration` with its `details`,
 * `POST .../terminate`, `POST .../confirmTermination {token}`), as mirrored in github:UrielCh/api-ovh-node; the
 * provider v2.19.0 (ovh/resource_hosting_privatedatabase.go, ovh/types_hostingPrivatedatabase.go: it reads
 * `quotasize`, `quotaUsed` and `ram` without checking them, so OVH always sends them).
 */
import { serviceError } from '../contacts-model';
import type { Routes } from '../routes';
import type { World } from '../world';
import { terminationRoutes } from './account';
import type { OrderableProduct } from './orders';

export const privateDatabaseRoute = (serviceName: string) => `/hosting/privateDatabase/${serviceName}`;

const unit = (value: number, unitName: string) => ({ unit: unitName, value });

/** [hosting-privateDatabase.json] `hosting.PrivateDatabase.Service`, as OVH delivers one, with its configuration. */
export function createPrivateDatabase(
  world: World,
  name: string,
  { planCode = 'private-sql-1024-instance', engine = 'mysql_8.0', datacenter = 'gra3' } = {},
): void {
  const [type, version] = engine.split('_');
  const ram = Number(/(\d+)/.exec(planCode)?.[1] ?? 1024);
  world.put(privateDatabaseRoute(name), {
    serviceName: name,
    cpu: 1,
    datacenter,
    displayName: null,
    hostname: `${name}.private.sql.ovh.net`,
    hostnameFtp: `ftp.${name}.private.sql.ovh.net`,
    infrastructure: 'docker',
    offer: 'public',
    port: 35000 + world.nextId('sqlPort', 1),
    portFtp: 21,
    quotasize: unit(2 * ram, 'MB'),
    quotaUsed: unit(0, 'MB'),
    ram: unit(ram, 'MB'),
    server: `sqlprive-${world.hex(3)}.privatesql.ha.ovh.net`,
    state: 'started',
    type,
    version: engine,
    versionLabel: `${type} ${version}`,
    versionNumber: Number(version),
    iam: { id: world.uuid(), urn: `urn:v1:eu:resource:hostingPrivateDatabase:${name}` },
    config: { sql_mode: 'NO_ENGINE_SUBSTITUTION', max_connections: '100' },
  });
}

export const privateDatabaseProduct: OrderableProduct = {
  product: 'privateSQL',
  price: () => 8.99,
  check: (item) => {
    const labels = item.configurations.map((c) => c.label);
    const missing = ['dc', 'engine'].filter((label) => !labels.includes(label));
    return missing.length > 0 ? `Missing configuration ${missing.join(', ')} for ${item.planCode}` : undefined;
  },
  namedAtDelivery: true,
  // OVH names a private database after the account that orders it, numbered: `ab12345-001`.
  serviceName: (world, item) =>
    `${world.state.carts[item.cartId].nichandle!.replace(/-ovh$/, '')}-${String(world.nextId('privateDatabase', 1)).padStart(3, '0')}`,
  deliver: (world, detail, nichandle) => {
    const setting = (label: string) => detail.configurations.find((c) => c.label === label)?.value;
    createPrivateDatabase(world, detail.domain, { planCode: detail.planCode, engine: setting('engine'), datacenter: setting('dc') });
    world.addService(privateDatabaseRoute(detail.domain), nichandle);
  },
};

export function privateDatabaseRoutes(routes: Routes): void {
  routes
    // [hosting-privateDatabase.json] GET /hosting/privateDatabase/{serviceName} → hosting.PrivateDatabase.Service
    .add('GET', '/hosting/privateDatabase/{serviceName}', ({ world, caller, params }) => {
      const route = privateDatabaseRoute(params.serviceName);
      const refused = world.manage(route, caller);
      if (refused) return refused;
      const { config: _config, ...database } = world.object<Record<string, unknown>>(route)!;
      return database;
    })
    // [hosting-privateDatabase.json] PUT /hosting/privateDatabase/{serviceName} {displayName} → void
    .add('PUT', '/hosting/privateDatabase/{serviceName}', ({ world, caller, params, body }) => {
      const route = privateDatabaseRoute(params.serviceName);
      const refused = world.manage(route, caller);
      if (refused) return refused;
      if (body.displayName !== undefined) world.object<Record<string, unknown>>(route)!.displayName = body.displayName;
      return null;
    })
    // [hosting-privateDatabase.json] GET .../config → hosting.PrivateDatabase.Configuration {details: [{key, value, ...}], ...}
    .add('GET', '/hosting/privateDatabase/{serviceName}/config', ({ world, caller, params }) => {
      const route = privateDatabaseRoute(params.serviceName);
      const refused = world.manage(route, caller);
      if (refused) return refused;
      const config = world.object<{ config: Record<string, string> }>(route)!.config;
      return {
        details: Object.entries(config).map(([key, value]) => ({
          key,
          value,
          defaultValue: value,
          description: key,
          type: 'string',
          unit: null,
          availableValues: [],
        })),
        lastUpdate: world.now().toISOString(),
        status: 'applied',
        taskId: null,
      };
    })
    // [hosting-privateDatabase.json] POST .../config/update {parameters: [{key, value}]} → hosting.PrivateDatabase.Configuration
    .add('POST', '/hosting/privateDatabase/{serviceName}/config/update', ({ world, caller, params, body }) => {
      const route = privateDatabaseRoute(params.serviceName);
      const refused = world.manage(route, caller);
      if (refused) return refused;
      if (!Array.isArray(body.parameters)) return serviceError(400, 'Missing parameter: parameters');
      const config = world.object<{ config: Record<string, string> }>(route)!.config;
      for (const { key, value } of body.parameters as { key: string; value: unknown }[]) config[key] = String(value);
      return { details: [], lastUpdate: world.now().toISOString(), status: 'updating', taskId: world.nextId('task', 1) };
    });
  terminationRoutes(routes, '/hosting/privateDatabase/{serviceName}');
}
