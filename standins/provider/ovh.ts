/**
 * The `ovh/ovh` 2.19.0 stand-in's table of kinds: where each resource lives in the OVH API (its route, from the
 * provider's calls in ovh/resource_*.go at v2.19.0) and what OVH fills in when it is ordered or created, with names
 * shaped like OVH's (`vps-1a2b3c4d.vps.ovh.net`, 32 hex digits for a Public Cloud project). What plans, replaces,
 * validates and imports how is not here: that is the provider facts table's (`provider-schema/facts.ts`).
 */
import { createHash, randomBytes, randomInt, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { credentialsDigest, type World, type WorldAccount } from './world';
import { DATA_SOURCE_FACTS } from '../../provider-schema/facts';
import { factError, NOT_FOUND, type DataSourceKind, type ResourceKind } from './engine';
import { ProviderError } from './protocol';
import { isObject, type ObjectValue, type Value } from './values';

const hex = (digits: number) =>
  randomBytes(Math.ceil(digits / 2))
    .toString('hex')
    .slice(0, digits);
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const text = (value: Value | undefined) => (typeof value === 'string' ? value : '');

/** The first element of a list attribute or block (`plan`, `flavor`), as an object. */
function first(value: Value | undefined): ObjectValue {
  return Array.isArray(value) && isObject(value[0]) ? value[0] : {};
}

/** A value of an order's plan configuration, e.g. the `zone` of a DNS zone order. */
function configuration(attributes: ObjectValue, label: string): string | undefined {
  const entries = first(attributes.plan).configuration;
  const entry = Array.isArray(entries) ? entries.find((item) => isObject(item) && item.label === label) : undefined;
  return isObject(entry) ? text(entry.value) : undefined;
}

/** What OVH answers about the order that created a service (`order` of the order resources). */
function order(description: string): ObjectValue {
  const orderId = randomInt(100_000_000, 999_999_999);
  return {
    date: now(),
    order_id: orderId,
    expiration_date: now(),
    details: [{ description, domain: '*', order_detail_id: orderId + 1, quantity: '1' }],
  };
}

const project = (attributes: ObjectValue) => `/cloud/project/${text(attributes.service_name)}`;

/** A DNS zone as OVH delivers it, by its name. */
function dnsZone(name: string): ObjectValue {
  return {
    id: name,
    name,
    name_servers: ['dns200.anycast.me', 'ns200.anycast.me'],
    dnssec_supported: true,
    has_dns_anycast: false,
    last_update: now(),
    urn: `urn:v1:eu:resource:dnsZone:${name}`,
  };
}

export const OVH_RESOURCES: Record<string, ResourceKind> = {
  ovh_domain_name: {
    route: (a) => `/domain/${text(a.domain_name)}`,
    billed: 'domain',
    created: (a) => ({ id: text(a.domain_name), resource_status: 'READY' }),
    // OVH adds a DNS zone to every domain order, for the same account ("to ease the order process, we chose to add a
    // DNS zone automatically when a domain name is ordered": ovh/docs, pages/web_cloud/domains/api_domain_order/guide.en-gb.md).
    comesWith: (a) => [{ route: `/domain/zone/${text(a.domain_name)}`, type: 'ovh_domain_zone', attributes: dnsZone(text(a.domain_name)) }],
  },
  ovh_domain_zone: {
    // The zone is named by the order's `zone` configuration; after that, by its id (the importer's).
    route: (a) => `/domain/zone/${text(a.name) || text(a.id) || configuration(a, 'zone') || ''}`,
    billed: 'service',
    created: (a) => dnsZone(configuration(a, 'zone') ?? ''),
  },
  ovh_domain_zone_record: {
    route: (a) => `/domain/zone/${text(a.zone)}/record/${text(a.id)}`,
    parent: (a) => `/domain/zone/${text(a.zone)}`,
    // ovh/resource_domain_zone_record.go: `ttl` is Optional with Default 0.
    defaults: { ttl: 0 },
    created: () => ({ id: String(randomInt(1_000_000_000, 9_999_999_999)) }),
  },
  ovh_domain_zone_redirection: {
    route: (a) => `/domain/zone/${text(a.zone)}/redirection/${text(a.id)}`,
    parent: (a) => `/domain/zone/${text(a.zone)}`,
    created: () => ({ id: String(randomInt(1_000_000, 9_999_999)) }),
  },
  ovh_vps: {
    route: (a) => `/vps/${text(a.service_name)}`,
    billed: 'service',
    created: (a) => {
      const name = `vps-${hex(8)}.vps.ovh.net`;
      return {
        id: name,
        service_name: name,
        name,
        display_name: name,
        state: 'running',
        cluster: `cluster_${randomInt(100, 999)}`,
        zone: `Region OpenStack: os-${text(configuration(a, 'vps_datacenter')).toLowerCase() || 'gra'}${randomInt(1, 9)}`,
        iam: { display_name: name, id: randomUUID(), tags: {}, urn: `urn:v1:eu:resource:vps:${name}` },
        order: order(`VPS ${text(first(a.plan).plan_code)}`),
      };
    },
  },
  ovh_hosting_privatedatabase: {
    route: (a) => `/hosting/privateDatabase/${text(a.service_name) || text(a.id)}`,
    billed: 'service',
    created: (a) => {
      const name = `ps${randomInt(10_000, 99_999)}-001`;
      return {
        id: name,
        service_name: name,
        display_name: name,
        datacenter: configuration(a, 'dc') ?? 'gra3',
        version: configuration(a, 'engine') ?? 'mysql_8.0',
        hostname: `${name}.private.sql.ovh.net`,
        state: 'started',
        urn: `urn:v1:eu:resource:webCloudDatabases:${name}`,
      };
    },
  },
  ovh_cloud_project: {
    route: (a) => `/cloud/project/${text(a.project_id) || text(a.id)}`,
    billed: 'service',
    created: (a) => {
      const id = hex(32);
      return {
        id,
        project_id: id,
        project_name: text(a.description) || id,
        status: 'ok',
        access: 'full',
        urn: `urn:v1:eu:resource:publicCloudProject:${id}`,
      };
    },
  },
  ovh_cloud_project_instance: {
    route: (a) => `${project(a)}/instance/${text(a.id)}`,
    parent: project,
    // `ssh_key.name` names a key the project has ("Existing SSH Keypair", where `ssh_key_create` adds one: ovh/
    // resource_cloud_project_instance.go and docs/resources/cloud_project_instance.md at v2.19.0); the provider sends
    // it as is to POST /cloud/project/{service_name}/region/{region}/instance, and OVH cannot build the instance
    // without it. A key registered without a region serves every region. (The error's wording is the stand-in's.)
    refusal: (a, world) => {
      const name = text(first(a.ssh_key).name);
      if (!name) return undefined;
      const registered = world
        .objects()
        .some(
          (o) =>
            o.type === 'ovh_cloud_project_ssh_key' &&
            o.route.startsWith(`${project(a)}/sshkey/`) &&
            o.attributes.name === name &&
            [undefined, null, '', text(a.region)].includes(o.attributes.region as string),
        );
      return registered
        ? undefined
        : `OVHcloud API error (status code 400): Client::BadRequest: "SSH key ${name} does not exist in project ${text(a.service_name)} for region ${text(a.region)}"`;
    },
    created: (a) => ({
      id: randomUUID(),
      flavor_id: text(first(a.flavor).flavor_id),
      flavor_name: 'b3-8',
      image_id: text(first(a.boot_from).image_id),
      status: 'ACTIVE',
      task_state: '',
      addresses: [{ ip: `51.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(1, 255)}`, version: 4 }],
      attached_volumes: [],
    }),
  },
  ovh_cloud_project_ssh_key: {
    route: (a) => `${project(a)}/sshkey/${text(a.id)}`,
    parent: project,
    created: (a) => ({
      id: Buffer.from(`${text(a.name)}@${text(a.region) || 'all'}`).toString('base64url'),
      finger_print: Array.from({ length: 16 }, () => hex(2)).join(':'),
      regions: text(a.region) ? [text(a.region)] : [],
    }),
  },
  ovh_cloud_project_storage_object_bucket_lifecycle_configuration: {
    route: (a) => `${project(a)}/region/${text(a.region_name)}/storage/${text(a.container_name)}/lifecycle`,
    parent: (a) => `${project(a)}/region/${text(a.region_name)}/storage/${text(a.container_name)}`,
    created: (a) => ({
      id: `${text(a.service_name)}/${text(a.region_name)}/${text(a.container_name)}`,
      rules: Array.isArray(a.rules)
        ? a.rules.map((rule, i) => (isObject(rule) ? { ...rule, id: text(rule.id) || `rule-${i}` } : rule))
        : [],
    }),
  },
  ovh_cloud_project_storage: {
    route: (a) => `${project(a)}/region/${text(a.region_name)}/storage/${text(a.name)}`,
    parent: project,
    // Read lists every object (key, version, size...) into the state, unless hide_objects (ovh/resource_cloud_project_storage.go).
    read: (merged) => (merged.hide_objects === true ? { ...merged, objects: null } : merged),
    created: (a) => ({
      id: text(a.name),
      region: text(a.region_name),
      created_at: now(),
      objects: [],
      objects_count: 0,
      objects_size: 0,
      owner_id: randomInt(100_000, 999_999),
      virtual_host: `https://${text(a.name)}.s3.${text(a.region_name).toLowerCase()}.io.cloud.ovh.net/`,
    }),
  },
  ovh_cloud_project_user: {
    route: (a) => `${project(a)}/user/${text(a.id)}`,
    parent: project,
    created: (a) => {
      const id = String(randomInt(100_000, 999_999));
      const roles = Array.isArray(a.role_names) ? a.role_names : [];
      return {
        id,
        username: `user-${hex(12)}`,
        password: randomBytes(24).toString('base64url'),
        status: 'ok',
        creation_date: now(),
        roles: roles.map((name) => ({ id: hex(24), name: text(name), description: text(name), permissions: [] })),
      };
    },
  },
  ovh_cloud_project_user_s3_credential: {
    route: (a) => `${project(a)}/user/${text(a.user_id)}/s3Credentials/${text(a.access_key_id) || text(a.id)}`,
    parent: (a) => `${project(a)}/user/${text(a.user_id)}`,
    created: () => {
      const access = hex(32);
      return { id: access, access_key_id: access, secret_access_key: hex(32), internal_user_id: String(randomInt(100_000, 999_999)) };
    },
  },
  ovh_cloud_project_user_s3_policy: {
    route: (a) => `${project(a)}/user/${text(a.user_id)}/policy`,
    parent: (a) => `${project(a)}/user/${text(a.user_id)}`,
    created: (a) => ({ id: `${text(a.service_name)}/${text(a.user_id)}` }),
  },
  ovh_email_domain_account: {
    route: (a) => `/email/domain/${text(a.domain)}/account/${text(a.account_name)}`,
    parent: (a) => `/email/domain/${text(a.domain)}`,
    created: (a) => ({
      id: `${text(a.account_name)}@${text(a.domain)}`,
      email: `${text(a.account_name)}@${text(a.domain)}`,
      description: '',
      is_blocked: false,
      size: 5_000_000_000,
    }),
  },
};

/**
 * The catalog the order data sources read (selected_price: the last price with the asked capacity, as the facts say): any plan code of any product, monthly, unless the world has a
 * `catalog.json` (`{"<product>": {"<plan code>": [{"duration", "pricingMode", "capacities", "price"}]}}`), which then
 * lists all there is for the products it names (a scenario removes a plan code from the catalog that way).
 */
interface CatalogPrice {
  duration: string;
  pricingMode: string;
  capacities: string[];
  price: number;
}

const DEFAULT_PRICES: CatalogPrice[] = [{ duration: 'P1M', pricingMode: 'default', capacities: ['installation', 'renew'], price: 5.99 }];

function catalogPrices(world: World, product: string, planCode: string, cartId: string): CatalogPrice[] {
  const file = path.join(world.dir, 'catalog.json');
  const catalog = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, CatalogPrice[]>>) : {};
  if (!catalog[product]) return DEFAULT_PRICES;
  const prices = catalog[product][planCode];
  if (!prices) throw factError(productPlanFailure('no plan has plan_code'), { cart_id: cartId, product });
  return prices;
}

/** The product plan data source's failure for `when` (its facts). */
function productPlanFailure(when: string) {
  return DATA_SOURCE_FACTS.ovh_order_cart_product_plan.failures.find((failure) => failure.when.startsWith(when))!.error;
}

function priceObject({ duration, pricingMode, capacities, price }: CatalogPrice): ObjectValue {
  return {
    capacities,
    description: `${pricingMode} ${duration}`,
    duration,
    interval: Number(/\d+/.exec(duration)?.[0] ?? 1),
    maximum_quantity: 1,
    maximum_repeat: 1,
    minimum_quantity: 1,
    minimum_repeat: 1,
    price: [{ currency_code: 'EUR', text: `${price.toFixed(2)} €`, value: price }],
    price_in_ucents: Math.round(price * 100_000_000),
    pricing_mode: pricingMode,
    pricing_type: 'rental',
  };
}

/** A stable id for a catalog entry, so that what reads it plans the same at every run. */
const catalogId = (...parts: string[]) => {
  const digest = createHash('sha1').update(parts.join('|')).digest('hex');
  return `${digest.slice(0, 8)}-${digest.slice(8, 12)}-4${digest.slice(13, 16)}-a${digest.slice(17, 20)}-${digest.slice(20, 32)}`;
};

/** A few Public Cloud flavors and images, in every region asked for: what the by-name look-ups find. */
const FLAVORS = [
  { name: 'b3-8', vcpus: 2, ram: 8, disk: 50 },
  { name: 'b3-16', vcpus: 4, ram: 16, disk: 100 },
  { name: 'd2-2', vcpus: 1, ram: 2, disk: 25 },
];
const IMAGES = ['Debian 12', 'Debian 13', 'Ubuntu 24.04'];

export const OVH_DATA_SOURCES: Record<string, DataSourceKind> = {
  ovh_cloud_project_flavors: {
    read: (config) => {
      const region = text(config.region) || 'GRA11';
      const flavors = FLAVORS.filter((flavor) => !text(config.name_filter) || flavor.name === text(config.name_filter)).map((flavor) => ({
        ...flavor,
        id: catalogId('flavor', flavor.name, region),
        region,
        available: true,
        type: 'ovh.ssd.eg',
        os_type: 'linux',
        quota: 20,
        inbound_bandwidth: 500,
        outbound_bandwidth: 500,
        capabilities: [],
        plan_codes: { hourly: `${flavor.name}.consumption`, monthly: `${flavor.name}.monthly.postpaid` },
      }));
      return { id: text(config.service_name), region, flavors };
    },
  },
  ovh_cloud_project_images: {
    read: (config) => {
      const region = text(config.region) || 'GRA11';
      const images = IMAGES.map((name) => ({
        id: catalogId('image', name, region),
        name,
        region,
        type: 'linux',
        status: 'active',
        visibility: 'public',
        user: name.split(' ')[0].toLowerCase(),
        min_disk: 0,
        min_ram: 0,
        size: 2.5,
        flavor_type: null,
        plan_code: null,
        tags: [],
        creation_date: '2025-01-01T00:00:00Z',
      }));
      return { id: text(config.service_name), region, os_type: text(config.os_type) || null, images };
    },
  },
  ovh_me: {
    read: (_config, { account }) => ({
      id: account?.nichandle ?? '',
      nichandle: account?.nichandle ?? '',
      ovh_subsidiary: 'FR',
      country: 'FR',
      currency: [{ code: 'EUR', symbol: 'EURO' }],
      language: 'fr_FR',
      state: 'complete',
      customer_code: String(randomInt(1000_0000, 9999_9999)),
    }),
  },
  // A new cart at every read, as the real data source creates one (POST /order/cart).
  ovh_order_cart: {
    read: () => {
      const id = randomUUID();
      return { id, cart_id: id, expire: new Date(Date.now() + 30 * 60_000).toISOString(), items: [], read_only: false };
    },
  },
  ovh_order_cart_product_plan: {
    read: (config, { world }) => {
      const cartId = text(config.cart_id);
      const prices = catalogPrices(world, text(config.product), text(config.plan_code), cartId).map(priceObject);
      // The last price with the asked capacity is the selected one.
      const selected = prices.filter((price) => (price.capacities as Value[]).includes(text(config.price_capacity))).slice(-1);
      if (selected.length === 0) throw factError(productPlanFailure('no plan has plan_code'), {});
      return {
        id: text(config.plan_code),
        product_name: text(config.plan_code),
        product_type: 'deliveryAndDurationSensitive',
        prices,
        selected_price: selected,
      };
    },
  },
  ovh_cloud_project: {
    read: (config, { world }) => {
      const route = `/cloud/project/${text(config.service_name)}`;
      const found = world.get(route);
      if (!found)
        throw factError(DATA_SOURCE_FACTS.ovh_cloud_project.failures[0].error, {
          service_name: text(config.service_name),
          apiError: NOT_FOUND,
        });
      const a = found.attributes;
      return {
        id: text(config.service_name),
        project_id: text(config.service_name),
        project_name: text(a.project_name) || text(a.description),
        description: text(a.description),
        status: text(a.status) || 'ok',
        access: 'full',
        plan_code: 'project.2018',
        creation_date: now(),
        unleash: false,
        manual_quota: false,
        iam: {
          display_name: text(a.description),
          id: randomUUID(),
          tags: {},
          urn: `urn:v1:eu:resource:publicCloudProject:${text(config.service_name)}`,
        },
      };
    },
  },
};

/**
 * Which account the provider configuration's credentials are (the real provider checks them with `GET /auth/details`
 * at configure, ovh/config.go: loadAndValidate); unknown credentials fail as they would there.
 */
export function ovhAccount(config: ObjectValue, world: World | undefined): WorldAccount {
  if (!world) throw new ProviderError('the ovh provider stand-in has no world: set OVH_IAC_STANDIN_WORLD');
  const credentials = {
    applicationKey: text(config.application_key),
    applicationSecret: text(config.application_secret),
    consumerKey: text(config.consumer_key),
  };
  const digest = credentialsDigest(credentials);
  const account = world.accounts().find((candidate) => candidate.credentials === digest);
  if (!account) {
    throw new ProviderError(
      'OVH client seems to be misconfigured: "OVHcloud API error (status code 403): Client::Forbidden::InvalidKey: \\"Invalid application key\\""',
    );
  }
  return account;
}
