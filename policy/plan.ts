/**
 * The plan of a client, and of what the agency shares: plain data, made by `policy/procedure.ts` from a validated
 * file, which the stacks render and the tools (contacts, runbook, inventory, review) read.
 */
import type { FieldPath } from '../config/files';
import type { AgencyFile, ClientFile, DomainConfig, InstanceConfig } from '../config/schema';
import type { EntryListOf, HostingList, ServiceKind } from './service-kinds';

export interface OvhAccount {
  /** What the agency calls the account: `cedricfrancoys`, a client id, or `<product>.<client id>`. */
  name: string;
  /** Terraform-safe name of the account: its provider alias and the prefix of its credential variables. */
  key: string;
  nichandle: string;
  /** The agency's internal address that a client's or a product's account uses. */
  email?: string;
  description: string;
}

/** Nichandles; `owner` is set for domains only (the registrant, changed by a trade, never by this tool). */
export interface Contacts {
  owner?: string;
  admin: string;
  tech: string;
  billing: string;
}

interface ServiceBase {
  /** Unique within its stack; used for construct ids. */
  id: string;
  /** What the engineer calls it: the domain, or the name given in the client file. */
  name: string;
  orderedBy: OvhAccount;
  /** The account Terraform operates it and its content through (`policy/contacts.ts` `operatingAccount`). */
  operatedBy: OvhAccount;
  contacts: Contacts;
  /** OVH's name of the service when it exists already: imported, never ordered. */
  existing?: string;
  /** Where the client file declares it, e.g. `['products', 0, 'hosting', 'vps', 1]`. */
  source: FieldPath;
}

export interface CloudProjectConfig {
  /** Shown at OVH as the project's name; undefined keeps an existing project's own. */
  description?: string;
  /** OVH's protection from deletion; off only as the first step of a decommission. */
  deletionProtection: boolean;
}

/** A service's settings: its entry in the client file (`policy/service-kinds.ts` `entry`), or what the plan makes. */
type ConfigOf<K extends ServiceKind> = K extends 'cloudProject'
  ? CloudProjectConfig
  : EntryListOf<K> extends readonly ['domains']
    ? DomainConfig
    : EntryListOf<K> extends readonly ['hosting', infer L extends HostingList]
      ? ClientFile['hosting'][L][number]
      : never;

export type ServiceOf<K extends ServiceKind> = ServiceBase & { kind: K; config: ConfigOf<K> };

/** One service of any kind: `service.kind` tells which (and the type of `service.config`). */
export type Service = { [K in ServiceKind]: ServiceOf<K> }[ServiceKind];

export interface PublicCloudPlacement {
  /** The project holding the client's instances and backups: the shared one, or the client's own (a service). */
  project: { shared: true; id: string; name: string } | { shared: false; service: ServiceOf<'cloudProject'> };
  operatedBy: OvhAccount;
}

export interface PlannedInstance {
  id: string;
  config: InstanceConfig;
  /** The SSH key it is built with: the file's, else the agency's deploy key (`policy/claims.ts` refuses neither). */
  sshKey?: string;
  /** Its key is the agency's deploy key, which the stack owning the project registers; else one registered by hand. */
  usesDeployKey: boolean;
  source: FieldPath;
}

/** The agency's deploy key (agency.yaml `deployKey`), as registered in a project. */
export type AgencyDeployKey = NonNullable<AgencyFile['deployKey']>;

export interface PlannedBackup {
  id: string;
  /** The S3 bucket: unique per client and backup, so that no two clients ever share one. */
  bucket: string;
  region: string;
  /** Where the bucket lives: the shared backup space, or the client's own project (by default, by the client's size). */
  projectId: string | { ownProject: true };
  operatedBy: OvhAccount;
  /** The bucket exists already: imported, not created. */
  existing: boolean;
  /** An S3 user of its own, with keys and a bucket-only policy. */
  credentials: boolean;
  /** Days an overwritten or deleted version is kept. */
  keepOldVersionsDays: number;
  source: FieldPath;
}

/** Something the client file marks for termination: the construct path (under the stack) that may go. */
export interface Decommissioned {
  path: string;
  description: string;
  /**
   * The accounts whose provider destroys it: the stack keeps their provider configurations while it goes, since
   * Terraform destroys a resource through the provider configuration its state names.
   */
  accounts: OvhAccount[];
}

/** Something the client file lets be replaced (`replace: true`): the construct path (under the stack). */
export interface Replaceable {
  path: string;
  description: string;
}

export interface ClientPlan {
  client: ClientFile;
  account: OvhAccount;
  /** Every OVH account the client's services name: the client's, its products', the internal ones. */
  accounts: OvhAccount[];
  /** Every service the client's stack orders, imports or declares, with its desired contacts. */
  services: Service[];
  cloud: PublicCloudPlacement;
  instances: PlannedInstance[];
  /** The agency's deploy key, when the client's own project runs instances: the client's stack registers it there. */
  deployKey?: AgencyDeployKey;
  backups: PlannedBackup[];
  decommissioned: Decommissioned[];
  replaceable: Replaceable[];
  /**
   * Accounts an earlier version of the stack held resources through that it now forgets (`removed` blocks: a DNS zone
   * ordered as `ovh_domain_zone` through the hosting account, before zones came with their domain). Terraform reads a
   * forgotten resource's provider configuration from the state, so the stack keeps it.
   */
  formerHolders: OvhAccount[];
}

export interface SharedProject {
  /** Its service id in the agency stack, e.g. `project-yb-cloud`. */
  serviceId: string;
  /** The Public Cloud project id. */
  id: string;
  name: string;
  contacts: Contacts;
}

/** The OVH API every stack's providers reach by default (agency.yaml `ovh.endpoint`). */
export type OvhEndpoint = AgencyFile['ovh']['endpoint'];

export interface AgencyPlan {
  endpoint: OvhEndpoint;
  hosting: OvhAccount;
  cloud: OvhAccount;
  /** The projects the agency shares between standard clients; their contacts stay with the cloud account. */
  sharedProjects: SharedProject[];
  /** The shared project, where standard clients' instances run. */
  instancesProject: string;
  /** The agency's deploy key, registered by the agency's stack in the shared project. */
  deployKey?: AgencyDeployKey;
}
