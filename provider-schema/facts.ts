/**
 * INTERIM: the shape of the provider facts table that branch `facts` is writing (its `provider-schema/facts.ts`
 * replaces this file whole when merged), with only the entries the provider stand-in and the change review need
 * meanwhile. Each fact is from github:ovh/terraform-provider-ovh at tag v2.19.0 (file cited per type) or
 * github:hashicorp/terraform-plugin-sdk v2 (`helper/schema/schema.go`, the wording of ExactlyOneOf).
 */

export interface Validation {
  /** SDKv2's ExactlyOneOf: one, and only one, of `attributes` is set. */
  readonly rule: 'exactly one of';
  readonly attributes: readonly string[];
  readonly error: string;
}

export interface ImportFacts {
  readonly format: string;
  readonly pattern: RegExp;
  readonly badIdError: string;
  /** The attributes the importer sets from the id, in the order of the id's parts (pattern's capture groups). */
  readonly setsFromId: readonly string[];
}

export interface ResourceFacts {
  readonly source: string;
  readonly framework: boolean;
  readonly forcesReplacement: 'every argument' | readonly string[];
  /** Framework resources: computed attributes that keep their state on update (UseStateForUnknown). */
  readonly computedOnUpdate?: { readonly keepState: readonly string[] };
  readonly import?: ImportFacts;
  readonly validations: readonly Validation[];
  readonly deleteGuard?: { readonly attribute: string; readonly refusesWhen: unknown; readonly error: string };
  readonly readWhenGone: 'removes from state' | { readonly error: string };
}

const ORDER_REPLACES = ['plan', 'plan_option', 'ovh_subsidiary'] as const;

export const RESOURCE_FACTS = {
  ovh_cloud_project: {
    source: 'ovh/resource_cloud_project.go',
    framework: false,
    forcesReplacement: ORDER_REPLACES,
    import: { format: '<project id>', pattern: /^(.+)$/, badIdError: '', setsFromId: ['id'] },
    validations: [],
    deleteGuard: {
      attribute: 'deletion_protection',
      refusesWhen: true,
      error: 'cloud project %s is protected from deletion. Set deletion_protection to false before destroying',
    },
    readWhenGone: 'removes from state',
  },
  ovh_cloud_project_instance: {
    source: 'ovh/resource_cloud_project_instance.go',
    framework: false,
    forcesReplacement: 'every argument',
    validations: [{ rule: 'exactly one of', attributes: ['ssh_key', 'ssh_key_create'], error: '"ssh_key": one of `ssh_key,ssh_key_create` must be specified' }],
    readWhenGone: { error: 'calling Get /cloud/project/%s/instance/%s' },
  },
  ovh_cloud_project_storage: {
    source: 'ovh/resource_cloud_project_storage.go',
    framework: true,
    forcesReplacement: ['name', 'region_name'],
    import: {
      format: '<service_name>/<region_name>/<storage_name>',
      pattern: /^([^/]*)\/([^/]*)\/([^/]*)$/,
      badIdError: 'Given ID is malformed: ID must be formatted like the following: <service_name>/<region_name>/<storage_name>',
      setsFromId: ['service_name', 'region_name', 'name'],
    },
    validations: [],
    readWhenGone: 'removes from state',
  },
  ovh_cloud_project_user: {
    source: 'ovh/resource_cloud_project_user.go',
    framework: false,
    forcesReplacement: ['service_name', 'description', 'role_name', 'role_names'],
    validations: [],
    readWhenGone: 'removes from state',
  },
  ovh_cloud_project_user_s3_credential: {
    source: 'ovh/resource_cloud_project_user_s3_credential.go',
    framework: false,
    forcesReplacement: ['service_name', 'user_id'],
    validations: [],
    readWhenGone: 'removes from state',
  },
  ovh_cloud_project_user_s3_policy: {
    source: 'ovh/resource_cloud_project_user_s3_policy.go',
    framework: false,
    forcesReplacement: ['service_name', 'user_id'],
    validations: [],
    readWhenGone: 'removes from state',
  },
  ovh_domain_name: {
    source: 'ovh/resource_domain_name.go',
    framework: true,
    forcesReplacement: ['domain_name', 'ovh_subsidiary', 'plan', 'plan_option'],
    import: { format: '<domain name>', pattern: /^(.+)$/, badIdError: '', setsFromId: ['domain_name'] },
    validations: [],
    readWhenGone: { error: 'error reading domain %s' },
  },
  ovh_domain_zone: {
    source: 'ovh/resource_domain_zone.go',
    framework: false,
    forcesReplacement: ORDER_REPLACES,
    import: { format: '<zone name>', pattern: /^(.+)$/, badIdError: '', setsFromId: ['id'] },
    validations: [],
    readWhenGone: 'removes from state',
  },
  ovh_domain_zone_record: {
    source: 'ovh/resource_domain_zone_record.go',
    framework: false,
    forcesReplacement: ['zone', 'fieldtype'],
    import: { format: '<record id>.<zone>', pattern: /^([^.]*)\.(.+)$/, badIdError: 'Import Id is not OVH_ID.zone formatted', setsFromId: ['id', 'zone'] },
    validations: [],
    readWhenGone: 'removes from state',
  },
  ovh_domain_zone_redirection: {
    source: 'ovh/resource_domain_zone_redirection.go',
    framework: false,
    forcesReplacement: ['zone'],
    validations: [],
    readWhenGone: 'removes from state',
  },
  ovh_email_domain_account: {
    source: 'ovh/resource_email_domain_account.go',
    framework: true,
    forcesReplacement: ['domain', 'account_name'],
    validations: [],
    readWhenGone: { error: 'Error calling Get /email/domain/%s/account/%s' },
  },
  ovh_hosting_privatedatabase: {
    source: 'ovh/resource_hosting_privatedatabase.go',
    framework: false,
    forcesReplacement: ORDER_REPLACES,
    import: { format: '<service name>', pattern: /^(.+)$/, badIdError: '', setsFromId: ['service_name'] },
    validations: [],
    readWhenGone: 'removes from state',
  },
  ovh_vps: {
    source: 'ovh/resource_vps.go',
    framework: true,
    forcesReplacement: ['ovh_subsidiary', 'plan', 'plan_option'],
    import: { format: '<service name>', pattern: /^(.+)$/, badIdError: '', setsFromId: ['service_name', 'id'] },
    validations: [],
    readWhenGone: 'removes from state',
  },
  random_password: {
    source: 'github:hashicorp/terraform-provider-random v3.7.2, internal/provider/resource_password.go',
    framework: true,
    forcesReplacement: 'every argument',
    import: { format: '<password>', pattern: /^([\s\S]*)$/, badIdError: '', setsFromId: ['result'] },
    validations: [],
    readWhenGone: 'removes from state',
  },
} as const satisfies Record<string, ResourceFacts>;

export type ResourceType = keyof typeof RESOURCE_FACTS;

export function resourceFacts(type: string): ResourceFacts | undefined {
  return Object.hasOwn(RESOURCE_FACTS, type) ? RESOURCE_FACTS[type as ResourceType] : undefined;
}

/** Whether a change of `argument` (a dotted path, `plan` or `boot_from.image_id`) makes `type` replaced. */
export function forcesReplacement(type: string, argument: string): boolean {
  const facts = resourceFacts(type);
  if (!facts) return false;
  if (facts.forcesReplacement === 'every argument') return true;
  return facts.forcesReplacement.some((path) => argument === path || argument.startsWith(`${path}.`));
}
