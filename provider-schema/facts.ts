/**
 * What the pinned Terraform providers do, per resource and data source type the stacks use: which changes replace,
 * what plan-time validation refuses (in the provider's own words), what import accepts, when delete refuses and what
 * a read does once the object is gone at OVH. The provider stand-in (Terraform in the loop) and the change review
 * both read this table; neither keeps a copy.
 *
 * Where the facts come from. Every entry cites the file(s) it was read from:
 * - ovh/ovh 2.19.0: github.com/ovh/terraform-provider-ovh at tag v2.19.0, `ovh/*.go` (the code wins over `docs/`).
 *   The provider muxes an SDKv2 provider (`ovh/provider.go`) and a plugin-framework one (`ovh/provider_new.go`,
 *   schemas in `*_gen.go`); `framework` says which one serves a type, because the two plan differently.
 * - hashicorp/random 3.7.2: github.com/hashicorp/terraform-provider-random at tag v3.7.2.
 * - Behaviour that comes from the libraries rather than the provider, cited as such: terraform-plugin-sdk v2.36.1
 *   (`helper/schema/*.go`), terraform-plugin-framework v1.14.0 (`internal/fwserver/*.go`, `resource/schema/*`),
 *   terraform-plugin-framework-validators v0.17.0, go-ovh v1.7.0 (the versions ovh 2.19.0's go.mod pins).
 *
 * How SDKv2 and the framework plan, in short (the stand-in must reproduce both):
 * - SDKv2 (helper/schema/schema.go `diffString`, `diffList`, `diffSet`, `finalizeDiff`): `ForceNew` on an attribute
 *   replaces when its value changes, or becomes unknown. On a list or set *block*, `ForceNew` only sees the number
 *   of blocks: a change inside a block is planned as an update unless the nested attribute is itself `ForceNew`
 *   (hashicorp/terraform-plugin-sdk#1314). In a set, a changed element is one element removed and one added, so each
 *   nested `ForceNew` attribute holding a value in either of them forces the replacement. An optional+computed
 *   attribute left out of the configuration keeps its state: no change at all. A resource without Update that gets
 *   an update planned fails at apply (helper/schema/resource.go `Apply`: "doesn't support update").
 *   Computed attributes keep their state on update; all of them are unknown at create.
 * - Framework (internal/fwserver/server_planresourcechange.go): when anything changes, every computed attribute that
 *   the configuration leaves null becomes unknown ("known after apply"), at any depth, unless a default or a plan
 *   modifier (`UseStateForUnknown`) gives it a value; then `RequiresReplace` modifiers compare plan and state, so an
 *   attribute turned unknown that way replaces too. `RequiresReplaceIfConfigured` only when the configuration sets it.
 *
 * Updating for a new pinned version: check out the new tag, and for each type here re-read the files it cites (the
 * resource's schema, Create/Read/Update/Delete, ImportState, ModifyPlan/CustomizeDiff); compare `ForceNew`,
 * `RequiresReplace*`, `UseStateForUnknown`, `ExactlyOneOf`/`ConflictsWith`/validators and their messages, the
 * importer's split of the id, Delete's guards and Read's handling of 404. Regenerate `ovh.json` from
 * `terraform providers schema -json` where a connected machine can; `__tests__/provider-facts.test.ts` then checks
 * that every path named here still exists and that every type of the schemas has facts.
 *
 * Messages: `{name}` marks what the provider fills in at run time: `{value}` the configured value (framework
 * validators print strings quoted, `"x"`), `{path}` the attribute path as the framework prints it (`rules[0].status`),
 * `{id}` the resource id, `{endpoint}` the API route, `{apiError}` go-ovh's error text (see `OVH_API_ERROR`).
 */

/** A diagnostic as Terraform shows it: `Error: <summary>`, then the detail. */
export interface Diagnostic {
  readonly summary: string;
  readonly detail?: string;
}

/**
 * How go-ovh v1.7.0 prints an API error (`ovh/error.go`, `APIError.Error`): the class and the query id only when the
 * API sent them, the message quoted as Go's `%q` does.
 */
export const OVH_API_ERROR = 'OVHcloud API error (status code {code}): {class}: "{message}" (X-OVH-Query-Id: {queryId})';

/**
 * When a change of the argument at `path` plans a replacement:
 * - `changed`: its planned value differs from the state's, or is unknown (SDKv2 `ForceNew` on an attribute,
 *   framework `RequiresReplace`). A framework optional+computed attribute left out of the configuration turns unknown
 *   whenever anything else changes, and so replaces.
 * - `changed while set`: the same, but only when the configuration sets a value (framework
 *   `RequiresReplaceIfConfigured`; SDKv2 `ForceNew` on an optional+computed attribute, which keeps its state when
 *   left out). A value later added where the state has none (an imported service) does replace.
 * - `block added or removed`: SDKv2 `ForceNew` on a list or set block: only a change of the number of blocks.
 * - `changed unless only null-valued keys differ`: random's `RequiresReplaceIfValuesNotNull` (keepers).
 * - `changed unless "" becomes null`: random's `RequiresReplaceUnlessEmptyStringToNull` (override_special).
 * - `removed while enabled`: the storage's ModifyPlan: object lock left out of the configuration while the state
 *   says `status = "enabled"` (object lock cannot be turned off on a bucket).
 */
export type ReplacementTrigger =
  | 'changed'
  | 'changed while set'
  | 'block added or removed'
  | 'changed unless only null-valued keys differ'
  | 'changed unless "" becomes null'
  | 'removed while enabled';

export interface ReplacingArgument {
  /** Dotted argument path without indexes: `plan`, `plan.plan_code`, `boot_from`. */
  readonly path: string;
  readonly when: ReplacementTrigger;
}

/** A plan-time validation, with the provider's (or its library's) wording of the error. */
export type PlanValidation =
  | {
      /** SDKv2 `ExactlyOneOf`; the SDK reports it on the attribute that declares it. */
      readonly kind: 'exactly one of';
      readonly paths: readonly string[];
      readonly reportedAt: string;
      readonly noneSet: Diagnostic;
      readonly severalSet: Diagnostic;
    }
  | {
      readonly kind: 'one of values';
      readonly path: string;
      readonly values: readonly string[];
      /** The provider lower-cases the value before comparing (and in its message). */
      readonly ignoresCase?: true;
      readonly error: Diagnostic;
    }
  | { readonly kind: 'matches'; readonly path: string; readonly pattern: RegExp; readonly error: Diagnostic }
  | { readonly kind: 'number'; readonly path: string; readonly accepts: (value: number) => boolean; readonly error: Diagnostic }
  | {
      /** A rule across attributes, stated in words. */
      readonly kind: 'across attributes';
      readonly path: string;
      readonly rule: string;
      readonly error: Diagnostic;
    };

export interface ImportFacts {
  /** The id as the provider's docs write it. */
  readonly format: string;
  /** Accepts exactly the ids the importer accepts (it may still find no object: see `readWhenGone`). */
  readonly pattern: RegExp;
  /** The importer's error for an id `pattern` refuses; undefined when it accepts every id. */
  readonly badIdError?: Diagnostic;
  /** The attributes the importer writes from the id. */
  readonly setsFromId: readonly string[];
  /** Attributes the importer sets to a bcrypt hash of the id (Go's bcrypt.DefaultCost, 10); not in `stateFromId`. */
  readonly hashedFromId?: readonly string[];
  /** The state the importer writes before Terraform reads the object, for an id `pattern` accepts. */
  readonly stateFromId: (id: string) => Readonly<Record<string, unknown>>;
}

/** How an order resource places its order (`ovh/order.go` `orderCreate`, `orderDelete`). */
export interface OrderFacts {
  /** The cart product, `POST /order/cart/{cartId}/{product}`. */
  readonly product: string;
  /** What Create does and what it waits for. */
  readonly flow: string;
  /** How the new service's name is found. */
  readonly serviceName: string;
  /** What Delete does. */
  readonly termination: string;
}

export interface ComputedOnUpdate {
  /** Computed attributes that keep their state on update (`UseStateForUnknown`). */
  readonly keepsState: readonly string[];
  /** Computed attributes planned unknown on update when the configuration leaves them null. */
  readonly becomesUnknown: readonly string[];
  /** Computed attributes the provider plans itself (a default, or a plan modifier deriving them). */
  readonly setByPlan?: readonly string[];
}

export interface ResourceFacts {
  /** The provider file(s) the facts come from, at the pinned tag. */
  readonly source: string;
  /** Plugin-framework resource (true) or SDKv2 (false): they plan computed attributes differently. */
  readonly framework: boolean;
  /** `every argument`: any change of any argument, at any depth, replaces. */
  readonly forcesReplacement: 'every argument' | readonly ReplacingArgument[];
  /** A change that replaces nothing is applied in place, or the resource has no update and apply fails. */
  readonly update: 'in place' | { readonly unsupported: Diagnostic };
  /** Framework resources only: SDKv2 keeps computed values on update. */
  readonly computedOnUpdate?: ComputedOnUpdate;
  /** Undefined when `terraform import` is refused (`notImportable` says how). */
  readonly import?: ImportFacts;
  readonly validations: readonly PlanValidation[];
  readonly deleteGuard?: { readonly attribute: string; readonly refusesWhen: unknown; readonly error: Diagnostic };
  /** What Read does when OVH answers 404. */
  readonly readWhenGone: 'removes from state' | 'keeps state' | { readonly error: Diagnostic };
  readonly order?: OrderFacts;
  /** Facts a user relies on that fit no field above. */
  readonly notes?: readonly string[];
}

export interface DataSourceFacts {
  readonly source: string;
  readonly framework: boolean;
  /** The API calls of a read. */
  readonly reads: string;
  readonly computed: readonly string[];
  /** A new order cart is created at every read (every plan and refresh). */
  readonly createsCart: boolean;
  readonly failures: readonly { readonly when: string; readonly error: Diagnostic }[];
  readonly validations: readonly PlanValidation[];
}

/** How each provider refuses to import a type without an importer. */
export const NOT_IMPORTABLE = {
  /** helper/schema/provider.go `ImportState` (terraform-plugin-sdk v2.36.1). */
  sdk: { summary: "resource {type} doesn't support import" },
  /** internal/fwserver/server_importresourcestate.go (terraform-plugin-framework v1.14.0). */
  framework: {
    summary: 'Resource Import Not Implemented',
    detail: 'This resource does not support import. Please contact the provider developer for additional information.',
  },
} as const satisfies Record<string, Diagnostic>;

/** helper/schema/resource.go `Apply` (terraform-plugin-sdk v2.36.1), for an update planned on a resource without Update. */
const SDK_NO_UPDATE: Diagnostic = { summary: "doesn't support update" };

/** ovh/helpers/helpers.go `ValidateSubsidiary`: the value is lower-cased, then looked up; Go prints the list as `[a b]`. */
const SUBSIDIARIES = [
  'asia',
  'au',
  'ca',
  'cz',
  'de',
  'es',
  'eu',
  'fi',
  'fr',
  'gb',
  'ie',
  'it',
  'lt',
  'ma',
  'nl',
  'pl',
  'pt',
  'qc',
  'sg',
  'sn',
  'tn',
  'us',
  'we',
  'ws',
] as const;

/** ovh/helpers/helpers.go `ValidateStringEnum`, reported by the SDK as the diagnostic's summary (schema.go `validateFunc`). */
function sdkEnum(path: string, values: readonly string[], ignoresCase?: true): PlanValidation {
  const error = { summary: `Value {value} is not among valid values ([${values.join(' ')}])` };
  return ignoresCase ? { kind: 'one of values', path, values, ignoresCase, error } : { kind: 'one of values', path, values, error };
}

/** stringvalidator.OneOf (framework-validators v0.17.0 `stringvalidator/one_of.go`, `helpers/validatordiag/diag.go`). */
function frameworkEnum(path: string, values: readonly string[]): PlanValidation {
  const list = values.map((value) => JSON.stringify(value)).join(' ');
  return {
    kind: 'one of values',
    path,
    values,
    error: { summary: 'Invalid Attribute Value Match', detail: `Attribute {path} value must be one of: [${list}], got: {value}` },
  };
}

/** `ovh_subsidiary` and the deprecated `payment_mean` of the SDKv2 order resources (ovh/order.go `genericOrderSchema`). */
const SDK_ORDER_VALIDATIONS = [
  sdkEnum('ovh_subsidiary', SUBSIDIARIES, true),
  sdkEnum('payment_mean', ['default-payment-mean', 'fidelity', 'ovh-account'], true),
] as const satisfies readonly PlanValidation[];

/** ovh/order.go `genericOrderSchema`: every argument ForceNew, the two lists as blocks. */
const SDK_ORDER_REPLACEMENT = [
  { path: 'ovh_subsidiary', when: 'changed while set' },
  { path: 'payment_mean', when: 'changed' },
  { path: 'plan', when: 'block added or removed' },
  { path: 'plan_option', when: 'block added or removed' },
] as const satisfies readonly ReplacingArgument[];

/** ovh/order_resource_gen.go `OrderResourceSchema`, merged into the framework order resources. */
const FRAMEWORK_ORDER_REPLACEMENT = [
  { path: 'ovh_subsidiary', when: 'changed' },
  { path: 'plan', when: 'changed while set' },
  { path: 'plan.plan_code', when: 'changed' },
  { path: 'plan.configuration.label', when: 'changed' },
  { path: 'plan.configuration.value', when: 'changed' },
] as const satisfies readonly ReplacingArgument[];

/** ovh/order.go `orderCreate`, shared by every order resource. */
const ORDER_FLOW =
  "POST /order/cart in ovh_subsidiary (upper-cased; when empty, the ordering account's GET /me ovhSubsidiary), assigned to the account; " +
  'POST the plan (quantity 1) as an item, each plan.configuration as an item configuration, each plan_option; ' +
  'pay with GET /me/payment/method?default=true (a free cart with none: the fidelity account; else "no default payment found"); ' +
  'POST /order/cart/{cartId}/checkout, then wait until GET /me/order/{orderId}/status is "delivered"';

const TERMINATE_BY_EMAIL =
  'then reads the termination e-mail (GET /me/notification/email/history, up to 30 minutes) and confirms with its token';

/** The SDKv2 importer that writes the id into one attribute and accepts any id. */
function anyIdInto(attribute: string, format: string): ImportFacts {
  return { format, pattern: /^[\s\S]*$/, setsFromId: [attribute], stateFromId: (id) => ({ id, [attribute]: id }) };
}

/** Go's strings.SplitN(id, sep, n). */
function splitN(id: string, separator: string, n: number): string[] {
  const parts = id.split(separator);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(separator)];
}

export const RESOURCE_FACTS = {
  ovh_cloud_project: {
    source: 'ovh/resource_cloud_project.go, ovh/order.go, ovh/types_cloud_project.go',
    framework: false,
    forcesReplacement: SDK_ORDER_REPLACEMENT,
    update: 'in place',
    import: anyIdInto('project_id', '<project id>'),
    validations: SDK_ORDER_VALIDATIONS,
    deleteGuard: {
      attribute: 'deletion_protection',
      refusesWhen: true,
      error: { summary: 'cloud project {id} is protected from deletion. Set deletion_protection to false before destroying' },
    },
    readWhenGone: 'removes from state',
    order: {
      product: 'cloud',
      flow: `${ORDER_FLOW}; then waits up to 10 minutes for GET /cloud/project/{id}`,
      serviceName: "the order detail whose domain matches ^[0-9a-f]{12}4[0-9a-f]{19}$ (on ovh-us: the detail operations' resource name)",
      termination: `POST /cloud/project/{id}/terminate (404 or 460: nothing to do), ${TERMINATE_BY_EMAIL} (POST /cloud/project/{id}/confirmTermination)`,
    },
    notes: [
      'deletion_protection is checked in the state, so turning it off and destroying take two applies (ovh/resource_cloud_project.go resourceCloudProjectDelete).',
      'Update PUTs only description; a configured description overwrites the one OVH shows, imported projects included (types_cloud_project.go CloudProjectUpdateOpts).',
      'A plan, plan_option or ovh_subsidiary added to an imported project replaces it: the importer sets none of them.',
    ],
  },

  ovh_cloud_project_instance: {
    source: 'ovh/resource_cloud_project_instance.go',
    framework: false,
    forcesReplacement: [
      { path: 'service_name', when: 'changed' },
      { path: 'region', when: 'changed' },
      { path: 'billing_period', when: 'changed' },
      { path: 'bulk', when: 'changed' },
      { path: 'name', when: 'changed' },
      { path: 'availability_zone', when: 'changed while set' },
      { path: 'user_data', when: 'changed' },
      { path: 'auto_backup', when: 'block added or removed' },
      { path: 'auto_backup.cron', when: 'changed' },
      { path: 'auto_backup.rotation', when: 'changed' },
      { path: 'boot_from', when: 'block added or removed' },
      { path: 'flavor', when: 'block added or removed' },
      { path: 'group', when: 'block added or removed' },
      { path: 'network', when: 'block added or removed' },
      { path: 'network.private', when: 'block added or removed' },
      { path: 'network.private.floating_ip', when: 'block added or removed' },
      { path: 'network.private.floating_ip_create', when: 'block added or removed' },
      { path: 'network.private.gateway', when: 'block added or removed' },
      { path: 'network.private.gateway_create', when: 'block added or removed' },
      { path: 'network.private.ip', when: 'changed' },
      { path: 'network.private.network', when: 'block added or removed' },
      { path: 'network.private.network_create', when: 'block added or removed' },
      { path: 'network.private.network_create.subnet', when: 'block added or removed' },
      { path: 'ssh_key', when: 'block added or removed' },
      { path: 'ssh_key_create', when: 'block added or removed' },
    ],
    update: { unsupported: SDK_NO_UPDATE },
    validations: [
      {
        kind: 'exactly one of',
        paths: ['ssh_key', 'ssh_key_create'],
        reportedAt: 'ssh_key',
        // helper/schema/schema.go validateExactlyOneAttribute and `validate`: the keys sorted, joined by commas.
        noneSet: { summary: 'Invalid combination of arguments', detail: '"ssh_key": one of `ssh_key,ssh_key_create` must be specified' },
        severalSet: {
          summary: 'Invalid combination of arguments',
          detail: '"ssh_key": only one of `ssh_key,ssh_key_create` can be specified, but `ssh_key,ssh_key_create` were specified.',
        },
      },
      sdkEnum('billing_period', ['monthly', 'hourly']),
      sdkEnum('network.private.gateway_create.model', ['s', 'm', 'l']),
    ],
    readWhenGone: { error: { summary: 'Error calling Get /cloud/project/{service_name}/region/{region}/instance/{id}:\n\t "{apiError}"' } },
    notes: [
      'Only top-level arguments and the nested ones listed are ForceNew: changing flavor.flavor_id, boot_from.image_id, ssh_key.name, ssh_key_create.*, group.group_id or network.public plans an in-place update, which fails at apply ("doesn\'t support update"); per terraform-plugin-sdk#1314 the new values are still written to the state, so the next plan is clean while the instance is unchanged.',
      'There is no importer; cloud-init (user_data) runs at first boot only, and a user_data change replaces the instance.',
      'Delete: DELETE /cloud/project/{service_name}/instance/{id}, then a 20-second wait.',
    ],
  },

  ovh_cloud_project_ssh_key: {
    source: 'ovh/resource_cloud_project_ssh_key.go, ovh/resource_cloud_project_ssh_key_gen.go',
    framework: true,
    forcesReplacement: 'every argument',
    update: { unsupported: { summary: 'not implemented', detail: 'this func should never be called' } },
    computedOnUpdate: { keepsState: [], becomesUnknown: ['finger_print', 'id', 'region', 'regions'] },
    validations: [],
    readWhenGone: { error: { summary: 'Error calling Get /cloud/project/{service_name}/sshkey/{id}', detail: '{apiError}' } },
    notes: [
      'service_name is optional but not computed: left out, Create falls back to OVH_CLOUD_PROJECT_SERVICE and writes it to the state where the plan had null, which Terraform refuses; always set it.',
      'The key lives in the project (POST /cloud/project/{service_name}/sshkey {name, publicKey, region}); instances name it in ssh_key.name.',
    ],
  },

  ovh_cloud_project_storage: {
    source: 'ovh/resource_cloud_project_storage.go, ovh/resource_cloud_project_storage_gen.go',
    framework: true,
    forcesReplacement: [
      { path: 'name', when: 'changed' },
      { path: 'region_name', when: 'changed' },
      { path: 'object_lock.status', when: 'changed while set' },
      { path: 'object_lock', when: 'removed while enabled' },
    ],
    update: 'in place',
    computedOnUpdate: {
      keepsState: [],
      becomesUnknown: [
        'created_at',
        'encryption',
        'id',
        'limit',
        'marker',
        'object_lock',
        'objects',
        'objects_count',
        'objects_size',
        'owner_id',
        'prefix',
        'region',
        'replication',
        'tags',
        'versioning',
        'virtual_host',
      ],
    },
    import: {
      format: '<service_name>/<region_name>/<name>',
      pattern: /^[^/]*\/[^/]*\/[^/]*$/,
      badIdError: {
        summary: 'Given ID is malformed',
        detail: 'ID must be formatted like the following: <service_name>/<region_name>/<storage_name>',
      },
      setsFromId: ['service_name', 'region_name', 'name'],
      stateFromId: (id) => {
        const [service_name, region_name, name] = id.split('/');
        return { service_name, region_name, name };
      },
    },
    validations: [
      frameworkEnum('encryption.sse_algorithm', ['AES256', 'plaintext']),
      frameworkEnum('replication.rules.delete_marker_replication', ['disabled', 'enabled']),
      frameworkEnum('replication.rules.destination.storage_class', [
        'DEEP_ARCHIVE',
        'GLACIER',
        'GLACIER_IR',
        'HIGH_PERF',
        'INTELLIGENT_TIERING',
        'ONEZONE_IA',
        'STANDARD',
        'STANDARD_IA',
      ]),
      frameworkEnum('replication.rules.status', ['disabled', 'enabled']),
      frameworkEnum('object_lock.rule.mode', ['compliance', 'governance']),
      frameworkEnum('object_lock.status', ['disabled', 'enabled']),
      frameworkEnum('versioning.status', ['disabled', 'enabled', 'suspended']),
    ],
    readWhenGone: 'removes from state',
    notes: [
      'service_name is updated in place: Update PUTs to the bucket in the old project but stores the new service_name, the next refresh gets 404 and drops the bucket from the state, and the following apply creates an empty bucket in the new project; the old one is left unmanaged.',
      'hide_objects = true makes Read and Update store objects as null (Create does not check it); otherwise every object key and version is in the state.',
      'Delete empties the bucket first, every version included (GET .../object?withVersions=true, POST .../bulkDeleteObjects), then deletes it; a 404 on delete counts as deleted.',
      'A change of object_lock.status, or removing object_lock while enabled, also warns ("Enabling/Disabling/Removing Object Lock - Bucket Replacement Required").',
    ],
  },

  ovh_cloud_project_storage_object_bucket_lifecycle_configuration: {
    source:
      'ovh/resource_cloud_project_storage_object_bucket_lifecycle_configuration.go, ovh/resource_cloud_project_storage_object_bucket_lifecycle_configuration_gen.go',
    framework: true,
    forcesReplacement: [
      { path: 'service_name', when: 'changed' },
      { path: 'region_name', when: 'changed' },
      { path: 'container_name', when: 'changed' },
    ],
    update: 'in place',
    computedOnUpdate: { keepsState: [], becomesUnknown: ['id', 'service_name', 'rules.id'] },
    import: {
      format: '<service_name>/<region_name>/<container_name>',
      pattern: /^[^/]*\/[^/]*\/[^/]*$/,
      badIdError: { summary: 'Given ID is malformed', detail: 'ID must be formatted like: <service_name>/<region_name>/<container_name>' },
      setsFromId: ['service_name', 'region_name', 'container_name'],
      stateFromId: (id) => {
        const [service_name, region_name, container_name] = id.split('/');
        return { service_name, region_name, container_name };
      },
    },
    validations: [
      frameworkEnum('rules.status', ['enabled', 'disabled']),
      frameworkEnum('rules.transitions.storage_class', ['DEEP_ARCHIVE', 'GLACIER_IR', 'STANDARD', 'STANDARD_IA']),
      {
        kind: 'matches',
        path: 'rules.expiration.date',
        pattern: /^\d{4}-\d{2}-\d{2}$/,
        // stringvalidator.RegexMatches with a message: the value is printed unquoted.
        error: { summary: 'Invalid Attribute Value Match', detail: 'Attribute {path} must be a date in YYYY-MM-DD format, got: {value}' },
      },
      {
        kind: 'matches',
        path: 'rules.transitions.date',
        pattern: /^\d{4}-\d{2}-\d{2}$/,
        error: { summary: 'Invalid Attribute Value Match', detail: 'Attribute {path} must be a date in YYYY-MM-DD format, got: {value}' },
      },
    ],
    readWhenGone: 'removes from state',
    notes: [
      'Create and Update PUT the whole rule list to /cloud/project/{service_name}/region/{region_name}/storage/{container_name}/lifecycle; Delete DELETEs it (404 counts as deleted).',
      'Set service_name: left out, it turns unknown on every rule change and, being RequiresReplace, replaces the configuration.',
    ],
  },

  ovh_cloud_project_user: {
    source: 'ovh/resource_cloud_project_user.go',
    framework: false,
    forcesReplacement: [
      { path: 'service_name', when: 'changed' },
      { path: 'description', when: 'changed' },
    ],
    update: 'in place',
    import: {
      format: '<service_name>/<user id>',
      // strings.SplitN(id, "/", 2); without OVH_CLOUD_PROJECT_SERVICE in the environment both parts are required.
      pattern: /^[^/]+\/[\s\S]+$/,
      badIdError: { summary: 'Import Id is not service_name/id formatted' },
      setsFromId: ['service_name'],
      stateFromId: (id) => {
        const [service_name, userId] = splitN(id, '/', 2);
        return { id: userId, service_name };
      },
    },
    validations: [],
    readWhenGone: 'removes from state',
    notes: [
      'password is set at creation only; changing password_reset regenerates it. Roles are checked at apply: role "{role}" does not exist.',
    ],
  },

  ovh_cloud_project_user_s3_credential: {
    source: 'ovh/resource_cloud_project_user_s3_credential.go',
    framework: false,
    forcesReplacement: 'every argument',
    update: { unsupported: SDK_NO_UPDATE },
    import: {
      format: '<service_name>/<user_id>/<access_key_id>',
      pattern: /^[^/]+\/[^/]+\/[\s\S]+$/,
      badIdError: { summary: 'Import Id is not service_name/user_id/access_key formatted' },
      setsFromId: ['service_name', 'user_id'],
      stateFromId: (id) => {
        const [service_name, user_id, access] = splitN(id, '/', 3);
        return { id: access, service_name, user_id };
      },
    },
    validations: [],
    readWhenGone: { error: { summary: '{apiError}' } },
    notes: ['Read POSTs .../s3Credentials/{access}/secret and returns the API error as it is: a deleted key fails every plan.'],
  },

  ovh_cloud_project_user_s3_policy: {
    source: 'ovh/resource_cloud_project_user_s3_policy.go',
    framework: false,
    forcesReplacement: [
      { path: 'service_name', when: 'changed' },
      { path: 'user_id', when: 'changed' },
    ],
    update: 'in place',
    import: {
      format: '<service_name>/<user_id>',
      pattern: /^[^/]+\/[\s\S]+$/,
      badIdError: { summary: 'import ID is not service_name/user_id formatted. Got {id}' },
      setsFromId: ['service_name', 'user_id'],
      stateFromId: (id) => {
        const [service_name, user_id] = splitN(id, '/', 2);
        return { id: `${encodeURIComponent(service_name)}/${encodeURIComponent(user_id)}`, service_name, user_id };
      },
    },
    validations: [],
    readWhenGone: 'removes from state',
    notes: [
      'policy differences that are equal as JSON are suppressed; Delete does not delete, it POSTs the empty policy {"Statement":[]}.',
    ],
  },

  ovh_domain_name: {
    source: 'ovh/resource_domain_name.go, ovh/resource_domain_name_gen.go, ovh/order_resource_gen.go',
    framework: true,
    forcesReplacement: [{ path: 'domain_name', when: 'changed' }, ...FRAMEWORK_ORDER_REPLACEMENT],
    update: 'in place',
    computedOnUpdate: {
      keepsState: [
        'target_spec.dns_configuration',
        'target_spec.dns_configuration.name_servers',
        'target_spec.dns_configuration.name_servers.ipv4',
        'target_spec.dns_configuration.name_servers.ipv6',
        'target_spec.dns_configuration.name_servers.name_server',
      ],
      becomesUnknown: [
        'checksum',
        'current_state',
        'current_tasks',
        'iam',
        'id',
        'order',
        'resource_status',
        'target_spec',
        'plan.configuration',
      ],
    },
    import: {
      format: '<domain name>',
      pattern: /^[\s\S]*$/,
      setsFromId: ['domain_name'],
      stateFromId: (id) => ({ domain_name: id }),
    },
    validations: [],
    readWhenGone: { error: { summary: 'Error calling Get /v2/domain/name/{domain_name}', detail: '{apiError}' } },
    order: {
      product: 'domain',
      flow: `${ORDER_FLOW}; without a plan it orders plan_code = the public suffix of domain_name, duration P1Y, pricing_mode create-default; then PUTs target_spec when set`,
      serviceName: 'domain_name',
      termination: `GET the service id, POST /services/{serviceId}/terminate (404 or 460: nothing to do), ${TERMINATE_BY_EMAIL} (POST /services/{serviceId}/terminate/confirm)`,
    },
    notes: ['OVH adds a DNS zone to every domain order (ovh/docs pages/web_cloud/domains/api_domain_order, "Cart Summary").'],
  },

  ovh_domain_zone: {
    source: 'ovh/resource_domain_zone.go, ovh/order.go',
    framework: false,
    forcesReplacement: SDK_ORDER_REPLACEMENT,
    update: { unsupported: SDK_NO_UPDATE },
    import: anyIdInto('name', '<zone name>'),
    validations: SDK_ORDER_VALIDATIONS,
    readWhenGone: 'removes from state',
    order: {
      product: 'dns',
      flow: `${ORDER_FLOW}; the plan's configurations "zone" (the zone name) and "template" are the docs' required ones`,
      serviceName: "the order detail whose extension's plan code is plan.0.plan_code (ovh/order.go serviceNameFromOrder)",
      termination: `POST /domain/zone/{name}/terminate (404 or 460: nothing to do), ${TERMINATE_BY_EMAIL} (POST /domain/zone/{name}/confirmTermination)`,
    },
    notes: [
      'No Update: a changed plan.duration, plan.pricing_mode, plan.plan_code or plan.configuration (one plan block before and after) is planned as an in-place update and fails at apply ("doesn\'t support update").',
    ],
  },

  ovh_domain_zone_record: {
    source: 'ovh/resource_domain_zone_record.go',
    framework: false,
    forcesReplacement: [
      { path: 'zone', when: 'changed' },
      { path: 'fieldtype', when: 'changed' },
    ],
    update: 'in place',
    import: {
      format: '<record id>.<zone>',
      // strings.SplitN(id, ".", 2) must give two parts: the id is what precedes the first dot.
      pattern: /^[^.]*\.[\s\S]*$/,
      badIdError: { summary: 'Import Id is not OVH_ID.zone formatted' },
      setsFromId: ['zone'],
      stateFromId: (id) => {
        const [record, zone] = splitN(id, '.', 2);
        return { id: record, zone };
      },
    },
    validations: [
      {
        kind: 'number',
        path: 'ttl',
        accepts: (ttl) => ttl === 0 || ttl >= 60,
        error: { summary: '"ttl" must be either equal to 0 or, greater than or equal to 60, got: {value}' },
      },
    ],
    readWhenGone: 'removes from state',
    notes: [
      'A TXT target that OVH returns quoted ("x" for x) is no change. Each create, update and delete POSTs /domain/zone/{zone}/refresh.',
      "The record ids of an existing zone: GET /domain/zone/{zone}/record?fieldType=&subDomain= (the id is OVH's, not Terraform's).",
    ],
  },

  ovh_domain_zone_redirection: {
    source: 'ovh/resource_domain_zone_redirection.go',
    framework: false,
    forcesReplacement: [{ path: 'subdomain', when: 'changed' }],
    update: 'in place',
    validations: [],
    readWhenGone: 'removes from state',
    notes: ["zone is not ForceNew: a changed zone is an update PUT to the new zone's route."],
  },

  ovh_email_domain_account: {
    source: 'ovh/resource_email_domain_account.go, ovh/resource_email_domain_account_gen.go',
    framework: true,
    forcesReplacement: [
      { path: 'domain', when: 'changed' },
      { path: 'account_name', when: 'changed' },
    ],
    update: 'in place',
    computedOnUpdate: { keepsState: [], becomesUnknown: ['description', 'email', 'id', 'is_blocked', 'size'] },
    validations: [],
    readWhenGone: { error: { summary: 'Error calling Get /email/domain/{domain}/account/{account_name}', detail: '{apiError}' } },
    notes: [
      'Not importable: an existing mailbox can only be left unmanaged or created anew.',
      'password is never read back; a changed password POSTs .../changePassword.',
    ],
  },

  ovh_hosting_privatedatabase: {
    source: 'ovh/resource_hosting_privatedatabase.go, ovh/order.go',
    framework: false,
    forcesReplacement: SDK_ORDER_REPLACEMENT,
    update: 'in place',
    import: anyIdInto('service_name', '<service name>'),
    validations: SDK_ORDER_VALIDATIONS,
    readWhenGone: 'removes from state',
    order: {
      product: 'privateSQL',
      flow: `${ORDER_FLOW}; the docs' configurations are "dc" (e.g. gra3) and "engine" (e.g. postgresql_12); then PUTs display_name`,
      serviceName: "the order detail whose extension's plan code is plan.0.plan_code (ovh/order.go serviceNameFromOrder)",
      termination: `POST /hosting/privateDatabase/{service_name}/terminate (404 or 460: nothing to do), ${TERMINATE_BY_EMAIL}`,
    },
    notes: [
      'Update changes display_name (PUT) and advanced_configuration (POST .../config/update) only; a changed plan inside the block is stored, not ordered.',
    ],
  },

  ovh_vps: {
    source: 'ovh/resource_vps.go, ovh/resource_vps_gen.go, ovh/order_resource_gen.go',
    framework: true,
    forcesReplacement: FRAMEWORK_ORDER_REPLACEMENT,
    update: 'in place',
    computedOnUpdate: {
      keepsState: ['do_not_send_password'],
      becomesUnknown: [
        'cluster',
        'display_name',
        'iam',
        'id',
        'keymap',
        'memory_limit',
        'model',
        'monitoring_ip_blocks',
        'name',
        'netboot_mode',
        'offer_type',
        'order',
        'service_name',
        'sla_monitoring',
        'state',
        'vcore',
        'zone',
        'plan.configuration',
      ],
    },
    import: {
      format: '<service name>',
      pattern: /^[\s\S]*$/,
      setsFromId: ['service_name', 'plan'],
      // ImportState sets plan to an empty list so that the next plan sees no change.
      stateFromId: (id) => ({ id, service_name: id, plan: [] }),
    },
    validations: [
      frameworkEnum('keymap', ['fr', 'us']),
      frameworkEnum('model.version', ['2013v1', '2014v1', '2015v1', '2017v1', '2017v2', '2017v3', '2018v1', '2018v2', '2019v1', '2025v1']),
      frameworkEnum('netboot_mode', ['local', 'rescue']),
      frameworkEnum('offer_type', ['beta-classic', 'classic', 'cloud', 'cloudram', 'game-classic', 'lowlat', 'ssd']),
      frameworkEnum('state', [
        'backuping',
        'installing',
        'maintenance',
        'rebooting',
        'rescued',
        'running',
        'stopped',
        'stopping',
        'upgrading',
      ]),
    ],
    readWhenGone: { error: { summary: 'Error fetching resource', detail: 'error calling GET /vps/{service_name}' } },
    order: {
      product: 'vps',
      flow: `${ORDER_FLOW}; the docs require the OS as configuration "vps_os" (their example adds "vps_datacenter"); then PUTs display_name and netboot_mode, and rebuilds when image_id or public_ssh_key is set`,
      serviceName: "the order detail whose extension's plan code is plan[0].plan_code (ovh/order.go serviceNameFromOrder)",
      termination: `POST /vps/{service_name}/terminate (404 or 460: nothing to do), ${TERMINATE_BY_EMAIL} (POST /vps/{service_name}/confirmTermination)`,
    },
    notes: [
      'Give plan[0].configuration a value (an empty list at least): left out it turns unknown on any update (a new display_name) and, plan being RequiresReplaceIfConfigured, the VPS is replaced.',
      'plan_option has no plan modifier: a change is an in-place update that orders nothing.',
      "Read merges OVH's values only into null or unknown attributes; a configured display_name is PUT on the next apply, imported VPS included.",
      'At apply, Update refuses: "Invalid VPS install options" / "To define a public_ssh_key value, you have to also set a value for image_id", and "You cannot set to null a previously non-null value (image_id)" (or public_ssh_key).',
    ],
  },

  random_password: {
    source:
      'hashicorp/terraform-provider-random v3.7.2 internal/provider/resource_password.go, internal/planmodifiers, internal/validators/boolvalidator.go',
    framework: true,
    forcesReplacement: [
      { path: 'keepers', when: 'changed unless only null-valued keys differ' },
      { path: 'length', when: 'changed' },
      { path: 'special', when: 'changed' },
      { path: 'upper', when: 'changed' },
      { path: 'lower', when: 'changed' },
      { path: 'number', when: 'changed' },
      { path: 'numeric', when: 'changed' },
      { path: 'min_numeric', when: 'changed' },
      { path: 'min_upper', when: 'changed' },
      { path: 'min_lower', when: 'changed' },
      { path: 'min_special', when: 'changed' },
      { path: 'override_special', when: 'changed unless "" becomes null' },
    ],
    update: 'in place',
    computedOnUpdate: {
      keepsState: ['bcrypt_hash', 'id', 'result'],
      becomesUnknown: [],
      setByPlan: ['lower', 'min_lower', 'min_numeric', 'min_special', 'min_upper', 'number', 'numeric', 'special', 'upper'],
    },
    import: {
      format: '<the password itself>',
      pattern: /^[\s\S]*$/,
      setsFromId: ['result', 'length'],
      hashedFromId: ['bcrypt_hash'],
      // length counts UTF-8 bytes (Go's len).
      stateFromId: (id) => ({
        id: 'none',
        result: id,
        length: Buffer.byteLength(id),
        special: true,
        upper: true,
        lower: true,
        number: true,
        numeric: true,
        min_special: 0,
        min_upper: 0,
        min_lower: 0,
        min_numeric: 0,
        keepers: null,
        override_special: null,
      }),
    },
    validations: [
      {
        kind: 'number',
        path: 'length',
        accepts: (length) => length >= 1,
        error: { summary: 'Invalid Attribute Value', detail: 'Attribute length value must be at least 1, got: {value}' },
      },
      {
        kind: 'across attributes',
        path: 'length',
        rule: 'length >= min_upper + min_lower + min_numeric + min_special (the ones set)',
        error: {
          summary: 'Invalid Attribute Value',
          detail: 'Attribute length value must be at least sum of min_upper + min_lower + min_numeric + min_special, got: {value}',
        },
      },
      {
        kind: 'across attributes',
        path: 'numeric',
        rule: 'numeric = false only when one of special, upper, lower is true (or not set)',
        error: {
          summary: 'Invalid Attribute Combination',
          detail: 'At least one attribute out of [special,upper,lower,numeric] must be specified as true',
        },
      },
      {
        kind: 'across attributes',
        path: 'number',
        rule: 'number = false only when one of special, upper, lower is true (or not set)',
        error: {
          summary: 'Invalid Attribute Combination',
          detail: 'At least one attribute out of [special,upper,lower,number] must be specified as true',
        },
      },
      {
        kind: 'across attributes',
        path: 'numeric',
        rule: 'number and numeric, when both set, are equal',
        error: {
          summary: 'Number and numeric are both configured with different values',
          detail: 'Number is deprecated, use numeric instead',
        },
      },
    ],
    readWhenGone: 'keeps state',
    notes: ['Read does nothing and Delete only forgets: the password lives in the state alone.'],
  },
} as const satisfies Record<string, ResourceFacts>;

export const DATA_SOURCE_FACTS = {
  ovh_cloud_project: {
    source: 'ovh/data_cloud_project.go, ovh/data_cloud_project_gen.go',
    framework: true,
    reads: 'GET /cloud/project/{service_name}',
    computed: [
      'access',
      'creation_date',
      'description',
      'expiration',
      'iam',
      'manual_quota',
      'order_id',
      'plan_code',
      'project_id',
      'project_name',
      'status',
      'unleash',
    ],
    createsCart: false,
    failures: [
      {
        when: "the project is not found or not the account's",
        error: { summary: 'Error calling Get /cloud/project/{service_name}', detail: '{apiError}' },
      },
    ],
    validations: [],
  },
  ovh_cloud_project_flavors: {
    source: 'ovh/data_cloud_project_flavors.go, ovh/data_cloud_project_flavors_gen.go',
    framework: true,
    reads:
      'GET /cloud/project/{service_name}/flavor[?region=], then keeps the flavors whose name equals name_filter exactly (all when unset)',
    computed: ['flavors', 'region'],
    createsCart: false,
    failures: [
      {
        when: 'the API call fails',
        error: { summary: 'Error calling Get /cloud/project/{service_name}/flavor[?region=…]', detail: '{apiError}' },
      },
    ],
    validations: [],
  },
  ovh_cloud_project_images: {
    source: 'ovh/data_cloud_project_images.go, ovh/data_cloud_project_images_gen.go',
    framework: true,
    reads: 'GET /cloud/project/{service_name}/image?flavorType=&osType=&region= (only the filters set); there is no name filter',
    computed: ['flavor_type', 'images', 'os_type', 'region'],
    createsCart: false,
    failures: [
      { when: 'the API call fails', error: { summary: 'Error calling Get /cloud/project/{service_name}/image?…', detail: '{apiError}' } },
    ],
    validations: [frameworkEnum('os_type', ['baremetal-linux', 'bsd', 'linux', 'windows'])],
  },
  ovh_me: {
    source: 'ovh/data_me.go',
    framework: false,
    reads: 'GET /me; id = nichandle',
    computed: ['ovh_subsidiary', 'nichandle', 'email', 'currency', 'country', 'customer_code', 'urn'],
    createsCart: false,
    failures: [{ when: 'the API call fails', error: { summary: 'Unable to retrieve /me information:\n\t "{apiError}"' } }],
    validations: [],
  },
  ovh_order_cart: {
    source: 'ovh/data_order_cart.go, ovh/order_cart.go',
    framework: false,
    reads:
      'POST /order/cart {ovhSubsidiary, description, expire (default now + 30 minutes)}, then POST /order/cart/{cartId}/assign when assign = true; a data source starts without id, so every read makes a new cart',
    computed: ['cart_id', 'expire', 'items', 'read_only'],
    createsCart: true,
    failures: [
      { when: 'the cart cannot be created', error: { summary: 'calling Post /order/cart with params {params}:\n\t "{apiError}"' } },
    ],
    validations: [sdkEnum('ovh_subsidiary', SUBSIDIARIES, true)],
  },
  ovh_order_cart_product_plan: {
    source: 'ovh/data_order_cart_product_plan.go, ovh/order_cart.go (orderCartGenericProductPlanRead)',
    framework: false,
    reads:
      'GET /order/cart/{cart_id}/{product}[?catalogName=] (retried 3 times on HTTP 500); takes the plan whose planCode = plan_code; selected_price is the LAST of its prices whose capacities include price_capacity; id = plan_code',
    computed: ['prices', 'product_name', 'product_type', 'selected_price'],
    createsCart: false,
    failures: [
      {
        when: 'no plan has plan_code, or none of its prices has price_capacity',
        error: { summary: 'Your query returned no results. Please change your search criteria and try again.' },
      },
      { when: 'the catalog call fails', error: { summary: 'error calling Get /order/cart/{cart_id}/{product}:\n\t "{apiError}"' } },
    ],
    validations: [],
  },
} as const satisfies Record<string, DataSourceFacts>;

export type FactResourceType = keyof typeof RESOURCE_FACTS;
export type FactDataSourceType = keyof typeof DATA_SOURCE_FACTS;

/** What a change of one argument does: replaces the resource, is applied in place, or is planned but fails at apply. */
export type ChangeEffect = 'replacement' | 'update in place' | 'update fails at apply';

/** The facts of a resource type, or undefined for a type the table does not know. */
export function resourceFacts(type: string): ResourceFacts | undefined {
  return Object.hasOwn(RESOURCE_FACTS, type) ? RESOURCE_FACTS[type as FactResourceType] : undefined;
}

/** `plan[0].plan_code`, `plan.0.plan_code` or `network[0].private` → `plan.plan_code`, `network.private`. */
export function argumentPath(path: string): string {
  return path
    .replace(/\[[^\]]*\]/g, '')
    .split('.')
    .filter((step) => step !== '' && !/^\d+$/.test(step))
    .join('.');
}

/**
 * Whether setting `argumentPath` of a `type` resource to a new (non-null) value plans a replacement: a rule at the
 * path itself, or a `changed`/`changed while set` rule on an attribute that contains it (a nested value changes its
 * parent). A block rule (`block added or removed`) counts only for the block itself, added or removed; a removal rule
 * (`removed while enabled`) not at all, since the value is set. Inside an SDKv2
 * set block, a change also replaces when the element holds a nested ForceNew value (see the header): the answer here
 * is for an element holding none besides the changed one.
 */
export function forcesReplacement(type: string, argumentPathOrIndexed: string): boolean {
  const facts = resourceFacts(type);
  if (!facts) throw new Error(`No provider facts for resource type ${type}`);
  if (facts.forcesReplacement === 'every argument') return true;
  const path = argumentPath(argumentPathOrIndexed);
  return facts.forcesReplacement.some(
    (rule) =>
      rule.when !== 'removed while enabled' &&
      (rule.path === path || (path.startsWith(`${rule.path}.`) && rule.when !== 'block added or removed')),
  );
}

/** What a change of `argumentPath` (to a new non-null value) does to a `type` resource; see `forcesReplacement`. */
export function changeEffect(type: string, argumentPathOrIndexed: string): ChangeEffect {
  if (forcesReplacement(type, argumentPathOrIndexed)) return 'replacement';
  return resourceFacts(type)?.update === 'in place' ? 'update in place' : 'update fails at apply';
}

/** The argument paths that can replace a `type` resource (`every argument` for types that replace on any change). */
export function replacingArguments(type: string): 'every argument' | readonly string[] {
  const facts = resourceFacts(type);
  if (!facts) throw new Error(`No provider facts for resource type ${type}`);
  return facts.forcesReplacement === 'every argument' ? 'every argument' : facts.forcesReplacement.map((rule) => rule.path);
}

/** What `terraform import` accepts for `type`; undefined when the provider refuses to import it (`NOT_IMPORTABLE`). */
export function importFacts(type: string): ImportFacts | undefined {
  return resourceFacts(type)?.import;
}

/** The facts of a data source type, or undefined for one the table does not know. */
export function dataSourceFacts(type: string): DataSourceFacts | undefined {
  return Object.hasOwn(DATA_SOURCE_FACTS, type) ? DATA_SOURCE_FACTS[type as FactDataSourceType] : undefined;
}
