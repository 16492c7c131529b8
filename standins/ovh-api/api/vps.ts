/**
 * VPS: ordered (`vps`, configurations `vps_datacenter` and `vps_os`), read, renamed, terminated.
 *
 * Sources: [vps.json] OVH's API definition of `/vps` (`vps.VPS`, `vps.Model`, `vps.VpsStateEnum`,
 * `POST /vps/{serviceName}/terminate`, `POST /vps/{serviceName}/confirmTermination {token}`), as mirrored in
 * github:UrielCh/api-ovh-node; the provider v2.19.0 (ovh/resource_vps.go, ovh/resource_vps_gen.go). The order's
 * configurations, as OVH's VPS order guide names them (github:ovh/docs, pages/bare_metal_cloud/virtual_private_servers/
 * order-vps-api): `vps_datacenter`, `vps_os`.
 */
import { serviceError } from '../contacts-model';
import type { Routes } from '../routes';
import type { World } from '../world';
import { terminationRoutes } from './account';
import type { OrderableProduct } from './orders';

export const vpsRoute = (serviceName: string) => `/vps/${serviceName}`;

/** The VPS's model, from its plan code (`vps-2025-model1`: model1 of the 2025 range). */
function model(planCode: string, datacenter: string) {
  const size = Number(/model(\d+)/.exec(planCode)?.[1] ?? 1);
  return {
    availableOptions: [],
    datacenter: [datacenter],
    disk: 40 * size,
    maximumAdditionnalIp: 16,
    memory: 2048 * size,
    name: planCode,
    offer: `VPS ${planCode}`,
    vcore: size,
    version: '2019v1',
  };
}

/** [vps.json] `vps.VPS`, as OVH delivers one. */
export function createVps(world: World, name: string, { planCode = 'vps-2025-model1', datacenter = 'GRA' } = {}): void {
  const vpsModel = model(planCode, datacenter);
  world.put(vpsRoute(name), {
    cluster: `${datacenter.toLowerCase()}-vps-${world.nextId('cluster', 10)}`,
    displayName: name,
    iam: { id: world.uuid(), urn: `urn:v1:eu:resource:vps:${name}`, displayName: name, tags: {} },
    keymap: null,
    memoryLimit: vpsModel.memory,
    model: vpsModel,
    monitoringIpBlocks: [],
    name,
    netbootMode: 'local',
    offerType: 'ssd',
    slaMonitoring: false,
    state: 'running',
    vcore: vpsModel.vcore,
    zone: `Region OpenStack: os-${datacenter.toLowerCase()}`,
  });
}

export const vpsProduct: OrderableProduct = {
  product: 'vps',
  price: () => 5.99,
  check: (item) => {
    const labels = item.configurations.map((c) => c.label);
    const missing = ['vps_datacenter', 'vps_os'].filter((label) => !labels.includes(label));
    return missing.length > 0 ? `Missing configuration ${missing.join(', ')} for ${item.planCode}` : undefined;
  },
  namedAtDelivery: true,
  serviceName: (world) => `vps-${world.hex(4)}.vps.ovh.net`,
  deliver: (world, detail, nichandle) => {
    const datacenter = detail.configurations.find((c) => c.label === 'vps_datacenter')?.value;
    createVps(world, detail.domain, { planCode: detail.planCode, datacenter });
    world.addService(vpsRoute(detail.domain), nichandle);
  },
};

export function vpsRoutes(routes: Routes): void {
  routes
    // [vps.json] GET /vps/{serviceName} → vps.VPS
    .add('GET', '/vps/{serviceName}', ({ world, caller, params }) => {
      const route = vpsRoute(params.serviceName);
      return world.manage(route, caller) ?? world.object(route);
    })
    // [vps.json] PUT /vps/{serviceName} vps.VPS (displayName, netbootMode, slaMonitoring, keymap writable) → void
    .add('PUT', '/vps/{serviceName}', ({ world, caller, params, body }) => {
      const route = vpsRoute(params.serviceName);
      const refused = world.manage(route, caller);
      if (refused) return refused;
      const vps = world.object<Record<string, unknown>>(route)!;
      if (body.netbootMode !== undefined && !['local', 'rescue'].includes(String(body.netbootMode)))
        return serviceError(400, `Invalid value for netbootMode: ${String(body.netbootMode)}`);
      for (const field of ['displayName', 'netbootMode', 'slaMonitoring', 'keymap'])
        if (body[field] !== undefined) vps[field] = body[field];
      return null;
    });
  terminationRoutes(routes, '/vps/{serviceName}');
}
