/**
 * How a provider plans, in general: what Terraform's plugin SDKs do with a proposed new state, driven by the schema
 * and the provider facts table (`provider-schema/facts.ts`: which arguments force a replacement, framework or SDKv2).
 *
 * - Create: every computed attribute the configuration leaves null is unknown until applied.
 * - Update, SDKv2 (terraform-plugin-sdk v2): computed attributes keep their prior values (Terraform's proposed new
 *   state already carries them).
 * - Update, plugin framework (terraform-plugin-framework, `internal/fwserver/server_planresourcechange.go`): when
 *   anything changes, every computed attribute the configuration leaves null becomes unknown, except those whose
 *   plan modifier keeps the state (`UseStateForUnknown`: the facts' `computedOnUpdate.keepState`).
 * - A change of an argument that forces a new resource is answered with its path in `requires_replace`; Terraform
 *   then plans a replacement (blocked by `prevent_destroy`).
 */
import type { ResourceFacts } from '../../provider-schema/facts';
import { isObject, sameValue, UNKNOWN, type Attribute, type Block, type NestedBlock, type ObjectValue, type Value } from './values';

type NestingMode = NestedBlock['nesting_mode'];

/** Values the provider gives arguments the configuration leaves null (SDKv2 `Default`, framework defaults). */
export type Defaults = Record<string, Value>;

/** Marks unknown every computed attribute that `config` leaves null, through nested attributes and blocks. */
export function unknownComputed(block: Block, value: Value, config: Value, keep: (name: string) => boolean = () => false): Value {
  if (!isObject(value)) return value;
  const configObject = isObject(config) ? config : {};
  const result: ObjectValue = { ...value };
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    if (keep(name)) continue;
    result[name] = unknownAttribute(attribute, value[name] ?? null, configObject[name] ?? null);
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const each = (element: Value, elementConfig: Value) => unknownComputed(nested.block, element, elementConfig);
    result[name] = eachElement(nested.nesting_mode, value[name] ?? null, configObject[name] ?? null, each);
  }
  return result;
}

function unknownAttribute(attribute: Attribute, value: Value, config: Value): Value {
  if (attribute.computed && config === null) return UNKNOWN;
  if (!attribute.nested_type || value === null || value === UNKNOWN) return value;
  const inner: Block = { attributes: attribute.nested_type.attributes };
  return eachElement(attribute.nested_type.nesting_mode, value, config, (element, elementConfig) => unknownComputed(inner, element, elementConfig));
}

/** Applies `change` to a single object, or to each element of a list, set or map, paired with its configuration. */
function eachElement(nesting: NestingMode, value: Value, config: Value, change: (element: Value, config: Value) => Value): Value {
  if (value === null || value === UNKNOWN) return value;
  if (nesting === 'single' || nesting === 'group') return change(value, config);
  if (Array.isArray(value)) return value.map((element, i) => change(element, Array.isArray(config) ? (config[i] ?? null) : null));
  if (isObject(value)) {
    const configMap = isObject(config) ? config : {};
    return Object.fromEntries(Object.entries(value).map(([key, element]) => [key, change(element, configMap[key] ?? null)]));
  }
  return value;
}

/** Puts each default where the configuration leaves the argument null. */
export function withDefaults(value: ObjectValue, config: Value, defaults: Defaults = {}): ObjectValue {
  const configObject = isObject(config) ? config : {};
  const result = { ...value };
  for (const [name, fallback] of Object.entries(defaults)) if ((configObject[name] ?? null) === null) result[name] = fallback;
  return result;
}

/** The arguments (attributes settable in configuration, and blocks) of a block. */
function argumentNames(block: Block): string[] {
  const attributes = Object.entries(block.attributes ?? {})
    .filter(([, attribute]) => attribute.required || attribute.optional)
    .map(([name]) => name);
  return [...attributes, ...Object.keys(block.block_types ?? {})];
}

/** An empty collection compares as null: the importers that set an order's `plan` to `[]` (ovh/resource_vps.go,
 * ImportState) do it so that an absent `plan` in the configuration does not replace what was imported. */
const emptyAsNull = (value: Value): Value => (Array.isArray(value) && value.length === 0 ? null : value);

/** The values at a dotted path, through every element of lists and sets on the way. */
function valuesAt(value: Value, steps: string[]): Value[] {
  if (steps.length === 0) return [emptyAsNull(value)];
  if (Array.isArray(value)) return value.flatMap((element) => valuesAt(element, steps));
  if (!isObject(value)) return [null];
  return valuesAt(value[steps[0]] ?? null, steps.slice(1));
}

/**
 * The paths whose change forces a new resource, among those that differ between the prior state and the plan.
 * A path reaching into a list (`plan.plan_code`) is answered with its top argument (`plan`), which differs too.
 */
export function replacementPaths(block: Block, facts: Pick<ResourceFacts, 'forcesReplacement'>, prior: ObjectValue, planned: ObjectValue): string[] {
  const paths = facts.forcesReplacement === 'every argument' ? argumentNames(block) : [...facts.forcesReplacement];
  const changed = paths.filter((dotted) => {
    const steps = dotted.split('.');
    const before = valuesAt(prior, steps);
    const after = valuesAt(planned, steps);
    return !sameValue(before, after);
  });
  return [...new Set(changed.map((dotted) => dotted.split('.')[0]))];
}

export interface PlanInput {
  block: Block;
  facts: Pick<ResourceFacts, 'framework' | 'forcesReplacement' | 'computedOnUpdate'>;
  prior: Value;
  proposed: Value;
  config: Value;
  defaults?: Defaults;
}

export interface PlannedChange {
  planned: Value;
  requiresReplace: string[];
}

export function planChange({ block, facts, prior, proposed, config, defaults }: PlanInput): PlannedChange {
  if (!isObject(proposed)) return { planned: null, requiresReplace: [] };
  const proposedWithDefaults = withDefaults(proposed, config, defaults);
  const defaulted = (name: string) => Object.hasOwn(defaults ?? {}, name);
  const asNew = () => unknownComputed(block, proposedWithDefaults, config, defaulted);
  if (!isObject(prior)) return { planned: asNew(), requiresReplace: [] };
  const requiresReplace = replacementPaths(block, facts, prior, proposedWithDefaults);
  if (requiresReplace.length > 0) return { planned: asNew(), requiresReplace };
  if (!facts.framework || sameValue(prior, proposedWithDefaults)) return { planned: proposedWithDefaults, requiresReplace };
  const keepState = new Set(facts.computedOnUpdate?.keepState ?? []);
  return { planned: unknownComputed(block, proposedWithDefaults, config, (name) => keepState.has(name)), requiresReplace };
}
