/**
 * Every fact about a kind of OVH service, one row per kind: what it is called, where a client file declares it, where
 * the OVH API has it, who names it, how it comes to exist, what Terraform keeps of it. The plan, the constructs, the
 * contacts tool, the change review, the runbook and the inventory all read this table; none keeps a list of kinds.
 *
 * A `Record` keyed by kind: a kind added to `ServiceKind` without its row does not compile, nor does any table keyed by
 * kind elsewhere (the constructs' `SERVICE_CONSTRUCTS`). The order of the rows is the order in which the plan lists a
 * scope's services (so the order of the stacks' provider blocks, the inventory's rows and the runbook's steps).
 *
 * Sources: the API routes are OVH's published API definitions (eu.api.ovh.com/1.0/{domain,vps,hosting/privateDatabase,
 * hosting/web,email/domain,cloud}.json, e.g. as kept in github:UrielCh/api-ovh-node code/gen/models/ovh-api/), where
 * each service has `GET <route>/{serviceName}/serviceInfos` and `POST <route>/{serviceName}/changeContact`; the
 * resource types and their behaviour are the provider's (github:ovh/terraform-provider-ovh at v2.19.0, facts in
 * provider-schema/facts.ts).
 */
import type { ClientFile } from '../config/schema';
import type { FactResourceType } from '../provider-schema/facts';

export type ServiceKind = 'domain' | 'dnsZone' | 'vps' | 'privateDatabase' | 'emailDomain' | 'webHosting' | 'cloudProject';

/** The lists of `hosting` in a client file (or an isolated product's part of it). */
export type HostingList = keyof ClientFile['hosting'];

/** An entry of any `hosting` list. */
export type HostingEntry = ClientFile['hosting'][HostingList][number];

/** How a service of the kind comes to exist. */
export type Ordering =
  /** Its Terraform resource orders it, or imports it when it exists already. */
  | { readonly by: 'Terraform' }
  /** Terraform cannot order it: the engineer orders it in the OVH manager; `order` says what, for the runbook. */
  | { readonly by: 'hand'; readonly order: (service: { name: string; plan?: string }) => string }
  /** It comes with the order of a service of another kind, of the same name: never ordered on its own. */
  | { readonly by: 'another service'; readonly comesWith: ServiceKind };

export interface ServiceKindRow {
  /** Its name in the inventory's "kind" column. */
  readonly label: string;
  /** What one is called in a sentence: "private database", "e-mail domain". */
  readonly noun: string;
  /**
   * Where a client file (or an isolated product's part of it) lists them, the field that names each, and the start of
   * their construct ids (`policy/naming.ts` `serviceId`: `vps` in `vps-staging`); none for a kind the plan makes from
   * other settings (a large client's own project, `cloud-project`).
   */
  readonly entry?: {
    readonly list: readonly ['domains'] | readonly ['hosting', HostingList];
    readonly nameField: 'name' | 'domain';
    readonly idPrefix: string;
  };
  /** Its route in the OVH API, before the service's name. */
  readonly apiRoute: string;
  /**
   * OVH chooses the name of one Terraform orders (`vps-1a2b3c4d.vps.ovh.net`, a project id), which only the Terraform
   * state then knows; otherwise its name is the domain or the one the file gives.
   */
  readonly namedByOvh: boolean;
  readonly ordering: Ordering;
  /** What the stack keeps inside it, in resources of their own, operated through the same account. */
  readonly content?: 'records' | 'mailboxes';
  /**
   * Where the file marks one `handedOver: true` (why: `policy/contacts.ts` `operatingAccount`), as the runbook tells it;
   * none for a kind that is the client's from the start.
   */
  readonly handedOverEntry?: (name: string) => string;
  /** The Terraform resource type that orders or imports it; its provider facts are `resourceFacts(resource)`. */
  readonly resource?: FactResourceType;
}

const ROWS = {
  domain: {
    label: 'domain',
    noun: 'domain',
    entry: { list: ['domains'], nameField: 'name', idPrefix: 'domain' },
    apiRoute: '/domain',
    namedByOvh: false,
    ordering: { by: 'Terraform' },
    resource: 'ovh_domain_name',
  },
  dnsZone: {
    label: 'DNS zone',
    noun: 'DNS zone',
    entry: { list: ['domains'], nameField: 'name', idPrefix: 'zone' },
    apiRoute: '/domain/zone',
    namedByOvh: false,
    // OVH adds a DNS zone to every domain order (github:ovh/docs, pages/web_cloud/domains/api_domain_order/guide.en-gb.md,
    // "Cart Summary"). Earlier stacks ordered it as `ovh_domain_zone`, which a state may still hold: forgotten, never destroyed.
    ordering: { by: 'another service', comesWith: 'domain' },
    content: 'records',
    handedOverEntry: (name) => `the domains entry (for its DNS zone) ${name}`,
    resource: 'ovh_domain_zone',
  },
  vps: {
    label: 'VPS',
    noun: 'VPS',
    entry: { list: ['hosting', 'vps'], nameField: 'name', idPrefix: 'vps' },
    apiRoute: '/vps',
    namedByOvh: true,
    ordering: { by: 'Terraform' },
    handedOverEntry: (name) => `hosting.vps ${name}`,
    resource: 'ovh_vps',
  },
  privateDatabase: {
    label: 'private database',
    noun: 'private database',
    entry: { list: ['hosting', 'privateDatabases'], nameField: 'name', idPrefix: 'db' },
    apiRoute: '/hosting/privateDatabase',
    namedByOvh: true,
    ordering: { by: 'Terraform' },
    handedOverEntry: (name) => `hosting.privateDatabases ${name}`,
    resource: 'ovh_hosting_privatedatabase',
  },
  emailDomain: {
    label: 'e-mail',
    noun: 'e-mail domain',
    entry: { list: ['hosting', 'emailDomains'], nameField: 'domain', idPrefix: 'email' },
    apiRoute: '/email/domain',
    namedByOvh: false,
    // The provider has mailboxes (ovh_email_domain_account) but no resource for the e-mail offer itself, nor for web
    // hosting (github:ovh/terraform-provider-ovh v2.19.0, ovh/provider.go and ovh/provider_new.go list none).
    ordering: { by: 'hand', order: ({ name }) => `the e-mail offer of ${name}` },
    content: 'mailboxes',
  },
  webHosting: {
    label: 'web hosting',
    noun: 'web hosting',
    entry: { list: ['hosting', 'webHostings'], nameField: 'domain', idPrefix: 'web' },
    apiRoute: '/hosting/web',
    namedByOvh: false,
    ordering: { by: 'hand', order: ({ name, plan }) => `web hosting ${plan} for ${name}` },
  },
  cloudProject: {
    label: 'Public Cloud project',
    noun: 'Public Cloud project',
    apiRoute: '/cloud/project',
    namedByOvh: true,
    ordering: { by: 'Terraform' },
    handedOverEntry: () => 'cloudProject',
    resource: 'ovh_cloud_project',
  },
} as const satisfies { readonly [K in ServiceKind]: ServiceKindRow };

export const SERVICE_KINDS: { readonly [K in ServiceKind]: ServiceKindRow } = ROWS;

/** Where a client file lists the services of kind `K` (`['hosting', 'vps']`); never for a kind made from other settings. */
export type EntryListOf<K extends ServiceKind> = (typeof ROWS)[K] extends { readonly entry: { readonly list: infer L } } ? L : never;

/** The kinds a client file lists under `hosting`, in the order of the rows. */
export const HOSTING_KINDS = (Object.keys(ROWS) as ServiceKind[]).filter((kind) => SERVICE_KINDS[kind].entry?.list[0] === 'hosting');

/** Where a client file lists the services of `kind`; a kind made from other settings has no entry. */
export function fileEntry(kind: ServiceKind): NonNullable<ServiceKindRow['entry']> {
  const { entry } = SERVICE_KINDS[kind];
  if (!entry) throw new Error(`a ${SERVICE_KINDS[kind].noun} has no entry in a client file`);
  return entry;
}

/** The entries of a hosting kind in a client file's (or a product's) `hosting`. */
export function hostingEntries(hosting: ClientFile['hosting'], kind: ServiceKind): HostingEntry[] {
  const [, list] = fileEntry(kind).list;
  if (list === undefined) throw new Error(`a ${SERVICE_KINDS[kind].noun} is not listed under hosting`);
  return hosting[list];
}

/** The name an entry gives its service: its `name`, or its `domain`. */
export function entryName(kind: ServiceKind, item: object): string {
  return (item as Record<string, string>)[fileEntry(kind).nameField];
}

/** Where a service lives in the OVH API: `GET <route>/serviceInfos`, `POST <route>/changeContact`. */
export function apiRoute(kind: ServiceKind, serviceName: string): string {
  return `${SERVICE_KINDS[kind].apiRoute}/${serviceName}`;
}

/** Terraform cannot order it: it is declared only, and ordered by hand in the OVH manager. */
export function orderedByHand(kind: ServiceKind): boolean {
  return SERVICE_KINDS[kind].ordering.by === 'hand';
}

/**
 * Terraform holds something of it: its order (or import), or its content. A stack then needs the provider
 * configuration of the account that operates it, to change it and to destroy it.
 */
export function heldByTerraform(kind: ServiceKind): boolean {
  return !orderedByHand(kind) || SERVICE_KINDS[kind].content !== undefined;
}
