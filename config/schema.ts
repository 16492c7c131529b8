/**
 * The shape of the data files in `clients/`: the agency's settings and one file per client.
 * Every object is strict, so a misspelt key is an error instead of a silently ignored setting.
 */
import { z } from 'zod';
import { AGENCY_STACK, bucketName } from '../policy/procedure';

/** An OVH account id; `whenMissing` says why it is needed. */
const nichandle = (whenMissing = 'is required: the OVH nichandle, like "xx11111-ovh"') =>
  z
    .string({ error: (issue) => (issue.input === undefined ? whenMissing : 'expected an OVH nichandle like "xx11111-ovh"') })
    .regex(/^[a-z]{2,4}[0-9]{1,8}-ovh$/, { error: 'expected an OVH nichandle like "xx11111-ovh" (lower case)' });
export const Nichandle = nichandle();

const hostnamePattern = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const DomainName = z.string().regex(hostnamePattern, { error: 'expected a lower-case domain name like "example.com"' });

/** A client id: lower case letters and digits, with single dots or dashes between them ("betterfinance.eu"). */
export const Slug = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]+([.-][a-z0-9]+)*$/, { error: 'expected a lower-case slug like "betterfinance.eu" (letters, digits, "." and "-")' })
  .refine((id) => id !== AGENCY_STACK, { error: `"${AGENCY_STACK}" is the name of the shared stack` });

const ProductId = z
  .string()
  .max(30)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'expected a lower-case product id like "eshop" (letters, digits and "-")' });

/** A short name used in Terraform ids and bucket names. */
const ResourceName = z
  .string()
  .max(40)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: 'expected a lower-case name like "web-1" (letters, digits and "-")' });

/**
 * Removing a billed service (or a whole client) is refused by the change review unless it is first marked
 * `decommission: true` in its file, in a reviewed pull request: then the stack no longer holds it, and the
 * next apply terminates it.
 */
const Decommission = z.boolean().default(false);

/**
 * Set once the service's contacts follow the procedure (`contacts plan` says in sync): from then on Terraform operates
 * it through its admin, the client, since the account that ordered it is only its billing contact and may no
 * longer read it. Until then, through the account that ordered it.
 */
const HandedOver = z.boolean().default(false);

/** OVH's name of a service that exists already: the stack imports it instead of ordering it. */
const ExistingServiceName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'expected the OVH service name of the existing service' });

/**
 * The two cases the procedure exists for, each one line:
 * `tech: xx11111-ovh` names a third-party operator; `billing: client` hands billing over to the client.
 */
export const ContactOverrides = z.strictObject({
  tech: Nichandle.optional(),
  billing: z.union([z.literal('client'), Nichandle]).optional(),
});

const DnsRecord = z.strictObject({
  type: z.enum(['A', 'AAAA', 'CAA', 'CNAME', 'DKIM', 'DMARC', 'LOC', 'MX', 'NAPTR', 'NS', 'PTR', 'SPF', 'SRV', 'SSHFP', 'TLSA', 'TXT']),
  /** Empty for the zone apex. */
  subdomain: z.string().regex(/^$|^[a-z0-9_*]([a-z0-9_.-]*[a-z0-9_])?$/, { error: 'expected a sub-domain like "www", or "" for the apex' }).default(''),
  target: z.string().min(1),
  ttl: z.number().int().min(60).max(86400).optional(),
});

const Domain = z
  .strictObject({
    name: DomainName,
    /** The DNS zone is a service of its own, ordered through the hosting account; `false` when DNS is hosted elsewhere. */
    dnsZone: z.boolean().default(true),
    records: z.array(DnsRecord).default([]),
    contacts: ContactOverrides.optional(),
    /** The domain (and its zone) already exist at OVH: import them, order nothing. */
    existing: z.boolean().default(false),
    /** For its DNS zone (the domain itself is the client's from the start). */
    handedOver: HandedOver,
    decommission: Decommission,
  })
  .refine((domain) => domain.dnsZone || domain.records.length === 0, {
    path: ['records'],
    error: 'records live in the OVH DNS zone of the domain: remove them or set dnsZone: true',
  });

const Vps = z.strictObject({
  name: ResourceName,
  /** The catalog plan code, e.g. "vps-2025-model1"; duration and pricing come from the catalog. */
  plan: z.string().min(1),
  datacenter: z.string().min(1).optional(),
  os: z.string().min(1).optional(),
  contacts: ContactOverrides.optional(),
  /** The service name of a VPS that exists already, e.g. "vps-1a2b3c4d.vps.ovh.net". */
  existing: ExistingServiceName.optional(),
  handedOver: HandedOver,
  decommission: Decommission,
});

const PrivateDatabase = z.strictObject({
  name: ResourceName,
  plan: z.string().min(1),
  engine: z.string().regex(/^(mysql|mariadb|postgresql|redis|mongodb)_[0-9.]+$/, { error: 'expected an engine like "mysql_8.0"' }).optional(),
  datacenter: z.string().min(1).optional(),
  contacts: ContactOverrides.optional(),
  /** The service name of a private database that exists already. */
  existing: ExistingServiceName.optional(),
  handedOver: HandedOver,
  decommission: Decommission,
});

const EmailDomain = z.strictObject({
  domain: DomainName,
  /** The mailboxes to create; the e-mail offer itself comes with the web hosting or an MX plan. */
  mailboxes: z
    .array(z.strictObject({ account: z.string().regex(/^[a-z0-9._-]+$/), size: z.number().int().positive().optional(), decommission: Decommission }))
    .default([]),
  contacts: ContactOverrides.optional(),
  decommission: Decommission,
});

const WebHosting = z.strictObject({
  /** The main domain of the hosting, e.g. "betterfinance.eu". */
  domain: DomainName,
  plan: z.string().min(1),
  contacts: ContactOverrides.optional(),
  decommission: Decommission,
});

const Hosting = z
  .strictObject({
    vps: z.array(Vps).default([]),
    privateDatabases: z.array(PrivateDatabase).default([]),
    emailDomains: z.array(EmailDomain).default([]),
    /** Declared so that the procedure lists it; Terraform cannot order web hosting. */
    webHostings: z.array(WebHosting).default([]),
  })
  .default({ vps: [], privateDatabases: [], emailDomains: [], webHostings: [] });

const Checkout = z.strictObject({
  repository: z.string().regex(/^(https:\/\/|git@)[^\s'"]+$/, { error: 'expected a git URL (https:// or git@)' }),
  path: z.string().regex(/^\/[A-Za-z0-9._/-]+$/, { error: 'expected an absolute path like "/var/www/site"' }),
  ref: z.string().regex(/^[A-Za-z0-9._/-]+$/).optional(),
});

const Instance = z.strictObject({
  name: ResourceName,
  region: z.string().min(1),
  flavorId: z.string().min(1),
  imageId: z.string().min(1),
  /** The name of an SSH key already registered in the project. */
  sshKey: z.string().min(1).optional(),
  billingPeriod: z.enum(['hourly', 'monthly']).default('hourly'),
  packages: z.array(z.string().regex(/^[a-z0-9][a-z0-9+.-]*$/)).default([]),
  checkouts: z.array(Checkout).default([]),
  decommission: Decommission,
});

const Backup = z.strictObject({
  name: ResourceName,
  /** Large clients only: standard clients' backups live in the region of the shared backup space. */
  region: z.string().min(1).optional(),
  /** The bucket exists already: import it with its user-less setup, order nothing. */
  existing: z.boolean().default(false),
  decommission: Decommission,
});

const Services = {
  domains: z.array(Domain).default([]),
  hosting: Hosting,
};

const Product = z.strictObject({
  id: ProductId,
  name: z.string().min(1).optional(),
  nichandle: nichandle('is required: an isolated product has its own OVH account; set its nichandle, like "xx11111-ovh"'),
  ...Services,
});

export const ClientFile = z
  .strictObject({
    id: Slug,
    name: z.string().min(1),
    size: z.enum(['standard', 'large']),
    nichandle: Nichandle,
    /** Client-wide contact overrides; a service's own `contacts` win over these. */
    contacts: ContactOverrides.optional(),
    ...Services,
    products: z.array(Product).default([]),
    /** Large clients only: their own Public Cloud project. */
    cloudProject: z
      .strictObject({
        description: z.string().min(1).max(100).optional(),
        /** The id of the client's project when it exists already. */
        existing: z.string().regex(/^[0-9a-f]{32}$/, { error: 'expected a Public Cloud project id (32 hex digits)' }).optional(),
        /** Once credited and its admin and tech moved to the client: operated through the client's account. */
        handedOver: HandedOver,
      })
      .optional(),
    instances: z.array(Instance).default([]),
    backups: z.array(Backup).default([]),
    /** Terminate everything the client has: its stack is emptied by the next apply. */
    decommission: Decommission,
  })
  .superRefine((client, ctx) => {
    client.backups.forEach((backup, i) => {
      const bucket = bucketName(client, backup.name);
      if (bucket.length > 63) ctx.addIssue({ code: 'custom', path: ['backups', i, 'name'], message: `makes the bucket name "${bucket}" longer than 63 characters` });
      // An import id must be known when planning: the project's id is, unless the project is being ordered.
      if (backup.existing && client.size === 'large' && !client.cloudProject?.existing) {
        ctx.addIssue({ code: 'custom', path: ['backups', i, 'existing'], message: 'needs the client’s existing project id (cloudProject.existing) to import the bucket' });
      }
    });
    if (client.size === 'large') return;
    const largeOnly = (path: (string | number)[]) =>
      ctx.addIssue({ code: 'custom', path, message: 'is only for large clients (size: large); a standard client uses the shared YB Cloud project' });
    if (client.cloudProject) largeOnly(['cloudProject']);
    client.backups.forEach((backup, i) => backup.region && largeOnly(['backups', i, 'region']));
  });

export const AgencyFile = z.strictObject({
  mailDomain: DomainName,
  ovh: z.strictObject({
    endpoint: z.enum(['ovh-eu', 'ovh-ca', 'ovh-us']),
    subsidiary: z.string().regex(/^[A-Z]{2,4}$/, { error: 'expected an OVH subsidiary like "FR"' }),
  }),
  accounts: z.strictObject({
    /** Orders every service but domains and Public Cloud; billing contact of the clients' services. */
    hosting: z.strictObject({ name: ResourceName, nichandle: Nichandle }),
    /** Orders Public Cloud; owns the shared project and the shared backup space. */
    cloud: z.strictObject({ name: ResourceName, nichandle: Nichandle }),
  }),
  sharedProject: z.strictObject({
    name: z.string().min(1),
    id: z.string().regex(/^[0-9a-f]{32}$/, { error: 'expected a Public Cloud project id (32 hex digits)' }),
  }),
  backupSpace: z.strictObject({
    projectId: z.string().regex(/^[0-9a-f]{32}$/, { error: 'expected a Public Cloud project id (32 hex digits)' }),
    region: z.string().min(1),
  }),
});

export type ClientFile = z.output<typeof ClientFile>;
export type AgencyFile = z.output<typeof AgencyFile>;
export type ContactOverrides = z.output<typeof ContactOverrides>;
export type ServiceSet = Pick<ClientFile, 'domains' | 'hosting'>;
export type DomainConfig = ClientFile['domains'][number];
export type InstanceConfig = ClientFile['instances'][number];
