/**
 * What a change does to each resource type the stacks use, as the pinned Terraform providers plan it: which argument
 * changes replace the resource, whether any other change is updated in place or fails at apply, and when delete
 * refuses.
 *
 * Only the offline change review (`review/destructive.ts`, `npm run changes`) reads this table: it runs without
 * credentials, so it cannot plan. Wherever a plan exists (CI's plan jobs, `npm run verify`, the scenario tests),
 * terraform's own plan with the real provider is the authority (its actions and `replace_paths`), not this table.
 *
 * Where the facts come from. Every entry cites the file(s) it was read from:
 * - ovh/ovh 2.19.0: github.com/ovh/terraform-provider-ovh at tag v2.19.0, `ovh/*.go` (the code wins over `docs/`).
 *   The provider muxes an SDKv2 provider (`ovh/provider.go`) and a plugin-framework one (`ovh/provider_new.go`,
 *   schemas in `*_gen.go`); `framework` says which one serves a type, because the two plan differently.
 * - hashicorp/random 3.7.2: github.com/hashicorp/terraform-provider-random at tag v3.7.2.
 * - Behaviour that comes from the libraries rather than the provider, cited as such: terraform-plugin-sdk v2.36.1
 *   (`helper/schema/*.go`), terraform-plugin-framework v1.14.0 (`internal/fwserver/*.go`, `resource/schema/*`), the
 *   versions ovh 2.19.0's go.mod pins.
 *
 * How SDKv2 and the framework plan, in short (what the replacement rules below stand for):
 * - SDKv2 (helper/schema/schema.go `diffString`, `diffList`, `diffSet`, `finalizeDiff`): `ForceNew` on an attribute
 *   replaces when its value changes, or becomes unknown. On a list or set *block*, `ForceNew` only sees the number
 *   of blocks: a change inside a block is planned as an update unless the nested attribute is itself `ForceNew`
 *   (hashicorp/terraform-plugin-sdk#1314). In a set, a changed element is one element removed and one added, so each
 *   nested `ForceNew` attribute holding a value in either of them forces the replacement. An optional+computed
 *   attribute left out of the configuration keeps its state: no change at all. A resource without Update that gets
 *   an update planned fails at apply (helper/schema/resource.go `Apply`: "doesn't support update").
 * - Framework (internal/fwserver/server_planresourcechange.go): when anything changes, every computed attribute that
 *   the configuration leaves null becomes unknown ("known after apply"), at any depth, unless a default or a plan
 *   modifier (`UseStateForUnknown`) gives it a value; then `RequiresReplace` modifiers compare plan and state, so an
 *   attribute turned unknown that way replaces too. `RequiresReplaceIfConfigured` only when the configuration sets it.
 *
 * Updating for a new pinned version: once it is pinned (cdktf.json, `provider-schema/providers.ts`), build the real
 * provider with `npm run providers` and, in a stack folder using it, take the schemas of the types the stacks use from
 * `terraform providers schema -json` into `ovh.json` (or `random.json`); `__tests__/provider-facts.test.ts` then
 * checks that every path named here still exists and that every resource type of the schemas has facts. Then check
 * out the new tag and, for each type here, re-read the files it cites (the resource's schema, Update, Delete,
 * ModifyPlan/CustomizeDiff): compare `ForceNew`, `RequiresReplace*`, `UseStateForUnknown`, whether Update exists, and
 * Delete's guards.
 */

/** A diagnostic as Terraform shows it: `Error: <summary>`, then the detail. */
export interface Diagnostic {
  readonly summary: string;
  readonly detail?: string;
}

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

export interface ResourceFacts {
  /** The provider file(s) the facts come from, at the pinned tag. */
  readonly source: string;
  /** Plugin-framework resource (true) or SDKv2 (false): they read the same replacement rule differently (see above). */
  readonly framework: boolean;
  /** `every argument`: any change of any argument, at any depth, replaces. */
  readonly forcesReplacement: 'every argument' | readonly ReplacingArgument[];
  /** A change that replaces nothing is applied in place, or the resource has no update and apply fails. */
  readonly update: 'in place' | { readonly unsupported: Diagnostic };
  /** Delete refuses while the state holds `refusesWhen` at `attribute`; `{id}` in the error is the resource id. */
  readonly deleteGuard?: { readonly attribute: string; readonly refusesWhen: unknown; readonly error: Diagnostic };
  /** Why a replacement or update fact above holds, or what an update does, where the fields cannot say it. */
  readonly notes?: readonly string[];
}

/** helper/schema/resource.go `Apply` (terraform-plugin-sdk v2.36.1), for an update planned on a resource without Update. */
const SDK_NO_UPDATE: Diagnostic = { summary: "doesn't support update" };

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

export const RESOURCE_FACTS = {
  ovh_cloud_project: {
    source: 'ovh/resource_cloud_project.go, ovh/order.go, ovh/types_cloud_project.go',
    framework: false,
    forcesReplacement: SDK_ORDER_REPLACEMENT,
    update: 'in place',
    deleteGuard: {
      attribute: 'deletion_protection',
      refusesWhen: true,
      error: { summary: 'cloud project {id} is protected from deletion. Set deletion_protection to false before destroying' },
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
    notes: [
      'Only top-level arguments and the nested ones listed are ForceNew: changing flavor.flavor_id, boot_from.image_id, ssh_key.name, ssh_key_create.*, group.group_id or network.public plans an in-place update, which fails at apply ("doesn\'t support update"); per terraform-plugin-sdk#1314 the new values are still written to the state, so the next plan is clean while the instance is unchanged.',
      'cloud-init (user_data) runs at first boot only, and a user_data change replaces the instance.',
    ],
  },

  ovh_cloud_project_ssh_key: {
    source: 'ovh/resource_cloud_project_ssh_key.go, ovh/resource_cloud_project_ssh_key_gen.go',
    framework: true,
    forcesReplacement: 'every argument',
    update: { unsupported: { summary: 'not implemented', detail: 'this func should never be called' } },
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
    notes: [
      'service_name is updated in place: Update PUTs to the bucket in the old project but stores the new service_name, the next refresh gets 404 and drops the bucket from the state, and the following apply creates an empty bucket in the new project; the old one is left unmanaged.',
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
    notes: ['Set service_name: left out, it turns unknown on every rule change and, being RequiresReplace, replaces the configuration.'],
  },

  ovh_cloud_project_user: {
    source: 'ovh/resource_cloud_project_user.go',
    framework: false,
    forcesReplacement: [
      { path: 'service_name', when: 'changed' },
      { path: 'description', when: 'changed' },
    ],
    update: 'in place',
    notes: ['password is set at creation only; changing password_reset regenerates it.'],
  },

  ovh_cloud_project_user_s3_credential: {
    source: 'ovh/resource_cloud_project_user_s3_credential.go',
    framework: false,
    forcesReplacement: 'every argument',
    update: { unsupported: SDK_NO_UPDATE },
  },

  ovh_cloud_project_user_s3_policy: {
    source: 'ovh/resource_cloud_project_user_s3_policy.go',
    framework: false,
    forcesReplacement: [
      { path: 'service_name', when: 'changed' },
      { path: 'user_id', when: 'changed' },
    ],
    update: 'in place',
    notes: ['policy differences that are equal as JSON are suppressed: no update is planned for them.'],
  },

  ovh_domain_name: {
    source: 'ovh/resource_domain_name.go, ovh/resource_domain_name_gen.go, ovh/order_resource_gen.go',
    framework: true,
    forcesReplacement: [{ path: 'domain_name', when: 'changed' }, ...FRAMEWORK_ORDER_REPLACEMENT],
    update: 'in place',
  },

  ovh_domain_zone: {
    source: 'ovh/resource_domain_zone.go, ovh/order.go',
    framework: false,
    forcesReplacement: SDK_ORDER_REPLACEMENT,
    update: { unsupported: SDK_NO_UPDATE },
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
    notes: ['A TXT target that OVH returns quoted ("x" for x) is no change.'],
  },

  ovh_domain_zone_redirection: {
    source: 'ovh/resource_domain_zone_redirection.go',
    framework: false,
    forcesReplacement: [{ path: 'subdomain', when: 'changed' }],
    update: 'in place',
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
    notes: ['password is never read back; a changed password POSTs .../changePassword.'],
  },

  ovh_hosting_privatedatabase: {
    source: 'ovh/resource_hosting_privatedatabase.go, ovh/order.go',
    framework: false,
    forcesReplacement: SDK_ORDER_REPLACEMENT,
    update: 'in place',
    notes: [
      'Update changes display_name (PUT) and advanced_configuration (POST .../config/update) only; a changed plan inside the block is stored, not ordered.',
    ],
  },

  ovh_vps: {
    source: 'ovh/resource_vps.go, ovh/resource_vps_gen.go, ovh/order_resource_gen.go',
    framework: true,
    forcesReplacement: FRAMEWORK_ORDER_REPLACEMENT,
    update: 'in place',
    notes: [
      'Give plan[0].configuration a value (an empty list at least): left out it turns unknown on any update (a new display_name) and, plan being RequiresReplaceIfConfigured, the VPS is replaced.',
      'plan_option has no plan modifier: a change is an in-place update that orders nothing.',
      "Read merges OVH's values only into null or unknown attributes; a configured display_name is PUT on the next apply, imported VPS included.",
      'At apply, Update refuses: "Invalid VPS install options" / "To define a public_ssh_key value, you have to also set a value for image_id", and "You cannot set to null a previously non-null value (image_id)" (or public_ssh_key).',
    ],
  },

  random_password: {
    source: 'hashicorp/terraform-provider-random v3.7.2 internal/provider/resource_password.go, internal/planmodifiers',
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
  },
} as const satisfies Record<string, ResourceFacts>;

export type FactResourceType = keyof typeof RESOURCE_FACTS;

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
