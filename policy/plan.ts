/**
 * The plan of a client, and of what the agency shares: plain data, made by `policy/procedure.ts` from a validated
 * file, which the stacks render and the tools (contacts, runbook, inventory, review) read.
 */
import type { FieldPath } from '../config/files';
import type { AgencyFile, ClientFile, DomainConfig, InstanceConfig } from '../config/schema';
import type { EntryListOf, HostingList, ServiceKind } from './service-kinds';

export interface OvhAccount {
  /** What the agency calls the account: `cedricfrancoys`, a client id, or `<product>.<client id>`. */
  readonly name: string;
  /** Terraform-safe name of the account: its provider alias and the prefix of its credential variables. */
  readonly key: string;
  readonly nichandle: string;
  /** The agency's internal address that a client's or a product's account uses. */
  readonly email?: string;
  readonly description: string;
}

/** Nichandles; `owner` is set for domains only (the registrant, changed by a trade, never by this tool). */
export interface Contacts {
  readonly owner?: string;
  readonly admin: string;
  readonly tech: string;
  readonly billing: string;
}

interface ServiceBase {
  /** Unique within its stack; used for construct ids. */
  readonly id: string;
  /** What the engineer calls it: the domain, or the name given in the client file. */
  readonly name: string;
  readonly orderedBy: OvhAccount;
  /** The account Terraform operates it and its content through (`policy/contacts.ts` `operatingAccount`). */
  readonly operatedBy: OvhAccount;
  readonly contacts: Contacts;
  /** OVH's name of the service when it exists already: imported, never ordered. */
  readonly existing?: string;
  /** Where the client file declares it, e.g. `['products', 0, 'hosting', 'vps', 1]`. */
  readonly source: Readonly<FieldPath>;
}

export interface CloudProjectSettings {
  /** Shown at OVH as the project's name; undefined keeps an existing project's own. */
  readonly description?: string;
  /** OVH's protection from deletion; off only as the first step of a decommission. */
  readonly deletionProtection: boolean;
}

/** `T`, and everything in it, readonly. */
type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/**
 * The fields of a file entry the plan reads into its own terms (accounts, contacts, import, termination) and never
 * hands on: `policy/procedure.ts` leaves them out of the settings.
 */
export const PLANNED_AWAY = ['contacts', 'handedOver', 'decommission', 'existing'] as const;

/** A file entry's settings as the plan hands them on: readonly, without what the plan reads into its own terms. */
export type Settings<T> = T extends unknown
  ? { readonly [K in Exclude<keyof T, (typeof PLANNED_AWAY)[number]>]: DeepReadonly<T[K]> }
  : never;

/** `entry`'s settings: the entry without `PLANNED_AWAY`'s fields, nor the `also` fields the plan reads. */
export function settingsOf<T extends object, X extends keyof Settings<T> = never>(entry: T, ...also: X[]): Without<Settings<T>, X> {
  const away: readonly PropertyKey[] = [...PLANNED_AWAY, ...also];
  return Object.fromEntries(Object.entries(entry).filter(([key]) => !away.includes(key))) as Without<Settings<T>, X>;
}

/** Each of `T`'s types without the `X` fields. */
type Without<T, X extends PropertyKey> = T extends unknown ? Omit<T, X> : never;

/** A domain's settings, its DNS zone's too: its records among them. */
export type DomainSettings = Settings<DomainConfig>;

/** A service's settings: its entry in the client file's (`policy/service-kinds.ts` `entry`), or what the plan makes. */
type SettingsOf<K extends ServiceKind> = K extends 'cloudProject'
  ? CloudProjectSettings
  : EntryListOf<K> extends readonly ['domains']
    ? DomainSettings
    : EntryListOf<K> extends readonly ['hosting', infer L extends HostingList]
      ? Settings<ClientFile['hosting'][L][number]>
      : never;

export type ServiceOf<K extends ServiceKind> = ServiceBase & { readonly kind: K; readonly settings: SettingsOf<K> };

/** One service of any kind: `service.kind` tells which (and the type of `service.settings`). */
export type Service = { [K in ServiceKind]: ServiceOf<K> }[ServiceKind];

export interface PublicCloudPlacement {
  /** The project holding the client's instances and backups: the shared one, or the client's own (a service). */
  readonly project:
    | { readonly shared: true; readonly id: string; readonly name: string }
    | { readonly shared: false; readonly service: ServiceOf<'cloudProject'> };
  readonly operatedBy: OvhAccount;
}

/** An instance's settings: its entry's, but for its SSH key (planned) and its replacement (`replaceable`). */
export type InstanceSettings = Omit<Settings<InstanceConfig>, 'sshKey' | 'replace'>;

export interface PlannedInstance {
  readonly id: string;
  readonly settings: InstanceSettings;
  /** The SSH key it is built with: the file's, else the agency's deploy key (`policy/claims.ts` refuses neither). */
  readonly sshKey?: string;
  /** Its key is the agency's deploy key, which the stack owning the project registers; else one registered by hand. */
  readonly usesDeployKey: boolean;
  readonly source: Readonly<FieldPath>;
}

/** The agency's deploy key (agency.yaml `deployKey`), as registered in a project. */
export type AgencyDeployKey = NonNullable<AgencyFile['deployKey']>;

export interface PlannedBackup {
  readonly id: string;
  /** The S3 bucket: unique per client and backup, so that no two clients ever share one. */
  readonly bucket: string;
  readonly region: string;
  /** Where the bucket lives: the shared backup space, or the client's own project (by default, by the client's size). */
  readonly projectId: string | { readonly ownProject: true };
  readonly operatedBy: OvhAccount;
  /** The bucket exists already: imported, not created. */
  readonly existing: boolean;
  /** An S3 user of its own, with keys and a bucket-only policy. */
  readonly credentials: boolean;
  /** Days an overwritten or deleted version is kept. */
  readonly keepOldVersionsDays: number;
  readonly source: Readonly<FieldPath>;
}

/** Something the client file marks for termination: the construct path (under the stack) that may go. */
export interface Decommissioned {
  readonly path: string;
  readonly description: string;
  /**
   * The accounts whose provider destroys it: the stack keeps their provider configurations while it goes, since
   * Terraform destroys a resource through the provider configuration its state names.
   */
  readonly accounts: readonly OvhAccount[];
}

/** Something the client file lets be replaced (`replace: true`): the construct path (under the stack). */
export interface Replaceable {
  readonly path: string;
  readonly description: string;
}

export interface ClientPlan {
  /** The client's id: its file's and its stack's name. */
  readonly id: string;
  /** What the agency calls the client. */
  readonly name: string;
  readonly size: ClientFile['size'];
  /** The whole client is terminated (`decommission: true`): the next apply empties its stack. */
  readonly terminated: boolean;
  /** Domains the file terminates whose DNS zone came with their order: Terraform never ordered the zone, so it stays. */
  readonly zonesLeft: readonly string[];
  readonly account: OvhAccount;
  /** Every OVH account the client's services name: the client's, its products', the internal ones. */
  readonly accounts: readonly OvhAccount[];
  /** Every service the client's stack orders, imports or declares, with its desired contacts. */
  readonly services: readonly Service[];
  readonly cloud: PublicCloudPlacement;
  readonly instances: readonly PlannedInstance[];
  /** The agency's deploy key, when the client's own project runs instances: the client's stack registers it there. */
  readonly deployKey?: AgencyDeployKey;
  readonly backups: readonly PlannedBackup[];
  readonly decommissioned: readonly Decommissioned[];
  readonly replaceable: readonly Replaceable[];
  /**
   * Accounts an earlier version of the stack held resources through that it now forgets (`removed` blocks: a DNS zone
   * ordered as `ovh_domain_zone` through the hosting account, before zones came with their domain). Terraform reads a
   * forgotten resource's provider configuration from the state, so the stack keeps it.
   */
  readonly formerHolders: readonly OvhAccount[];
}

export interface SharedProject {
  /** Its service id in the agency stack, e.g. `project-yb-cloud`. */
  readonly serviceId: string;
  /** The Public Cloud project id. */
  readonly id: string;
  readonly name: string;
  readonly contacts: Contacts;
}

/** The OVH API every stack's providers reach by default (agency.yaml `ovh.endpoint`). */
export type OvhEndpoint = AgencyFile['ovh']['endpoint'];

export interface AgencyPlan {
  readonly endpoint: OvhEndpoint;
  readonly hosting: OvhAccount;
  readonly cloud: OvhAccount;
  /** The projects the agency shares between standard clients; their contacts stay with the cloud account. */
  readonly sharedProjects: readonly SharedProject[];
  /** The shared project, where standard clients' instances run. */
  readonly instancesProject: string;
  /** The agency's deploy key, registered by the agency's stack in the shared project. */
  readonly deployKey?: AgencyDeployKey;
}
