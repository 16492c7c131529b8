/**
 * Domains and their DNS zones: a domain ordered (`domain`) brings its zone (OVH's guide *Order a Domain Name*,
 * github:ovh/docs pages/web_cloud/domains/api_domain_order/guide.en-gb.md, "Cart Summary": a DNS zone is added to
 * every domain order); a zone alone can be ordered too (`dns`). A zone's records are created, read, changed and
 * deleted, then the zone is refreshed to publish them.
 *
 * Sources: [domain.json] OVH's API definition of `/domain` (`domain.zone.Zone`, `domain.zone.Record`,
 * `zone.NamedResolutionFieldTypeEnum`, `GET /domain/zone/{zoneName}/record?fieldType=&subDomain=`,
 * `POST /domain/zone/{zoneName}/refresh`, `.../terminate`, `.../confirmTermination`), the v2 definition of
 * `/v2/domain/name/{domainName}` (`domain.DomainName`: checksum, currentState, currentTasks, iam, resourceStatus,
 * targetSpec), as mirrored in github:UrielCh/api-ovh-node; the provider v2.19.0 (ovh/resource_domain_name.go and
 * _gen.go, ovh/resource_domain_zone.go, ovh/resource_domain_zone_record.go, ovh/types_domain_zone.go).
 */
import { createHash } from 'node:crypto';
import { serviceError } from '../contacts-model';
import { Answer, type Routes } from '../routes';
import type { World } from '../world';
import { terminationRoutes } from './account';
import type { OrderableProduct } from './orders';

export const domainRoute = (domain: string) => `/domain/${domain}`;
export const zoneRoute = (zone: string) => `/domain/zone/${zone}`;
const recordRoute = (zone: string, id: number | string) => `${zoneRoute(zone)}/record/${id}`;

/** OVH's own name servers, which a new zone is delegated to. */
const NAME_SERVERS = ['dns200.anycast.me', 'ns200.anycast.me'];

export interface ZoneRecord {
  id: number;
  zone: string;
  subDomain: string;
  fieldType: string;
  target: string;
  ttl: number;
}

interface DomainName {
  domainName: string;
  nameServers: { nameServer: string; ipv4: string | null; ipv6: string | null }[];
  checksum: string;
}

function checksum(domain: DomainName): string {
  return createHash('md5').update(JSON.stringify(domain.nameServers)).digest('hex');
}

/** [domain.json] `domain.zone.Zone`. */
export function createZone(world: World, zone: string): void {
  world.put(zoneRoute(zone), {
    name: zone,
    dnssecSupported: true,
    hasDnsAnycast: false,
    lastUpdate: world.now().toISOString(),
    nameServers: NAME_SERVERS,
    iam: { id: world.uuid(), urn: `urn:v1:eu:resource:dnsZone:${zone}` },
  });
}

/** A record OVH has in `zone` (its id given, as an existing record's is). */
export function createRecord(world: World, record: ZoneRecord): void {
  world.put(recordRoute(record.zone, record.id), { ...record, target: storedTarget(record.fieldType, record.target) });
}

/** The domain itself, as the v2 API keeps it. */
export function createDomain(world: World, domain: string): void {
  const named: DomainName = {
    domainName: domain,
    nameServers: NAME_SERVERS.map((nameServer) => ({ nameServer, ipv4: null, ipv6: null })),
    checksum: '',
  };
  named.checksum = checksum(named);
  world.put(domainRoute(domain), named);
}

/**
 * OVH keeps a TXT record's text as quoted character-strings: a target given without quotes comes back quoted (the
 * provider expects it: ovh/resource_domain_zone_record.go suppresses the difference between `"x"` and `x` for TXT).
 */
function storedTarget(fieldType: string, target: string): string {
  return fieldType === 'TXT' && !target.startsWith('"') ? `"${target}"` : target;
}

const FIELD_TYPES = [
  'A',
  'AAAA',
  'CAA',
  'CNAME',
  'DKIM',
  'DMARC',
  'DNAME',
  'LOC',
  'MX',
  'NAPTR',
  'NS',
  'PTR',
  'SPF',
  'SRV',
  'SSHFP',
  'TLSA',
  'TXT',
];

export const domainProduct: OrderableProduct = {
  product: 'domain',
  price: () => 9.99,
  check: (item) => (item.domain ? undefined : `Missing parameter: domain`),
  serviceName: (_world, item) => item.domain!,
  deliver: (world, detail, nichandle) => {
    createDomain(world, detail.domain);
    world.addService(domainRoute(detail.domain), nichandle);
    createZone(world, detail.domain);
    world.addService(zoneRoute(detail.domain), nichandle);
  },
};

export const zoneProduct: OrderableProduct = {
  product: 'dns',
  price: () => 0,
  check: (item) => (item.configurations.some((c) => c.label === 'zone') ? undefined : 'Missing configuration zone'),
  serviceName: (_world, item) => item.configurations.find((c) => c.label === 'zone')!.value,
  deliver: (world, detail, nichandle) => {
    createZone(world, detail.domain);
    world.addService(zoneRoute(detail.domain), nichandle);
  },
};

/** [v2 domain.json] `domain.DomainName`: what the resource reads (the provider keeps its own view of `targetSpec`). */
function domainNameView(world: World, domain: DomainName) {
  const nameServers = domain.nameServers.map((ns) => ({ ...ns, nameServerType: 'EXTERNAL' }));
  return {
    id: domain.domainName,
    checksum: domain.checksum,
    resourceStatus: 'READY',
    currentState: {
      name: domain.domainName,
      extension: domain.domainName.split('.').pop(),
      mainState: 'OK',
      protectionState: 'PROTECTED',
      suspensionState: 'NOT_SUSPENDED',
      additionalStates: [],
      dnsConfiguration: {
        configurationType: 'HOSTED',
        glueRecordIpv6supported: true,
        hostSupported: true,
        maxDns: 8,
        minDns: 2,
        nameServers,
      },
    },
    currentTasks: [],
    targetSpec: { dnsConfiguration: { nameServers: domain.nameServers } },
    iam: { id: world.uuid(), urn: `urn:v1:eu:resource:domain:${domain.domainName}` },
  };
}

export function domainRoutes(routes: Routes): void {
  routes
    // [v2 domain.json] GET /v2/domain/name/{domainName} → domain.DomainName
    .add('GET', '/v2/domain/name/{domainName}', ({ world, caller, params }) => {
      const route = domainRoute(params.domainName);
      return world.manage(route, caller) ?? domainNameView(world, world.object<DomainName>(route)!);
    })
    // [v2 domain.json] PUT /v2/domain/name/{domainName} {checksum, targetSpec} → domain.DomainName; a stale checksum is refused.
    .add('PUT', '/v2/domain/name/{domainName}', ({ world, caller, params, body }) => {
      const route = domainRoute(params.domainName);
      const refused = world.manage(route, caller);
      if (refused) return refused;
      const domain = world.object<DomainName>(route)!;
      if (body.checksum !== domain.checksum) return serviceError(409, 'The checksum does not match the current state: read it again');
      const spec = (body.targetSpec as { dnsConfiguration?: { nameServers?: DomainName['nameServers'] } } | undefined)?.dnsConfiguration;
      if (spec?.nameServers)
        domain.nameServers = spec.nameServers.map(({ nameServer, ipv4, ipv6 }) => ({ nameServer, ipv4: ipv4 ?? null, ipv6: ipv6 ?? null }));
      domain.checksum = checksum(domain);
      return domainNameView(world, domain);
    })
    // [domain.json] GET /domain/zone/{zoneName} → domain.zone.Zone
    .add('GET', '/domain/zone/{zoneName}', ({ world, caller, params }) => {
      const route = zoneRoute(params.zoneName);
      return world.manage(route, caller) ?? world.object(route);
    })
    // [domain.json] GET /domain/zone/{zoneName}/record?fieldType=&subDomain= → long[]
    .add('GET', '/domain/zone/{zoneName}/record', ({ world, caller, params, query }) => {
      const route = zoneRoute(params.zoneName);
      const refused = world.manage(route, caller);
      if (refused) return refused;
      return world
        .under<ZoneRecord>(`${route}/record`)
        .map(([, record]) => record)
        .filter(
          (r) =>
            (!query.has('fieldType') || r.fieldType === query.get('fieldType')) &&
            (!query.has('subDomain') || r.subDomain === query.get('subDomain')),
        )
        .map((r) => r.id);
    })
    // [domain.json] POST /domain/zone/{zoneName}/record {fieldType, subDomain?, target, ttl?} → domain.zone.Record
    .add('POST', '/domain/zone/{zoneName}/record', ({ world, caller, params, body }) => {
      const zone = params.zoneName;
      const refused = world.manage(zoneRoute(zone), caller);
      if (refused) return refused;
      const fieldType = String(body.fieldType ?? '');
      if (!FIELD_TYPES.includes(fieldType)) return serviceError(400, `Invalid value for fieldType: ${fieldType}`);
      if (typeof body.target !== 'string' || !body.target) return serviceError(400, 'Missing parameter: target');
      const ttl = typeof body.ttl === 'number' ? body.ttl : 0;
      if (ttl !== 0 && ttl < 60) return serviceError(400, `Invalid TTL ${ttl}: 0 (the zone's default) or at least 60`);
      const record: ZoneRecord = {
        id: world.nextId('record', 5138801),
        zone,
        subDomain: typeof body.subDomain === 'string' ? body.subDomain : '',
        fieldType,
        target: storedTarget(fieldType, body.target),
        ttl,
      };
      world.put(recordRoute(zone, record.id), record);
      return record;
    })
    // [domain.json] GET /domain/zone/{zoneName}/record/{id} → domain.zone.Record
    .add('GET', '/domain/zone/{zoneName}/record/{id}', ({ world, caller, params }) => {
      const refused = world.manage(zoneRoute(params.zoneName), caller);
      if (refused) return refused;
      return (
        world.object(recordRoute(params.zoneName, params.id)) ??
        serviceError(404, `The requested object (id = ${params.id}) does not exist`)
      );
    })
    // [domain.json] PUT /domain/zone/{zoneName}/record/{id} {subDomain?, target?, ttl?} → void: what is not sent stays.
    .add('PUT', '/domain/zone/{zoneName}/record/{id}', ({ world, caller, params, body }) => {
      const refused = world.manage(zoneRoute(params.zoneName), caller);
      if (refused) return refused;
      const record = world.object<ZoneRecord>(recordRoute(params.zoneName, params.id));
      if (!record) return serviceError(404, `The requested object (id = ${params.id}) does not exist`);
      if (typeof body.subDomain === 'string') record.subDomain = body.subDomain;
      if (typeof body.target === 'string') record.target = storedTarget(record.fieldType, body.target);
      if (typeof body.ttl === 'number') record.ttl = body.ttl;
      return null;
    })
    .add('DELETE', '/domain/zone/{zoneName}/record/{id}', ({ world, caller, params }) => {
      const refused = world.manage(zoneRoute(params.zoneName), caller);
      if (refused) return refused;
      const route = recordRoute(params.zoneName, params.id);
      if (!world.object(route)) return serviceError(404, `The requested object (id = ${params.id}) does not exist`);
      world.delete(route);
      return null;
    })
    // [domain.json] POST /domain/zone/{zoneName}/refresh → void: the zone's records go live.
    .add('POST', '/domain/zone/{zoneName}/refresh', ({ world, caller, params }) => {
      const route = zoneRoute(params.zoneName);
      const refused = world.manage(route, caller);
      if (refused) return refused;
      world.object<Record<string, unknown>>(route)!.lastUpdate = world.now().toISOString();
      return new Answer(200, null);
    });
  terminationRoutes(routes, '/domain/zone/{zoneName}');
}
