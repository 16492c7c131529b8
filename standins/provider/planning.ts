/**
 * How a provider plans, in general: what Terraform's plugin SDKs do with a proposed new state, driven by the schema
 * and the provider facts table (`provider-schema/facts.ts`, whose header describes both SDKs' rules):
 *
 * - Create: every computed attribute the configuration leaves null is unknown until applied, unless a default
 *   gives it a value.
 * - Update, SDKv2: computed attributes keep their prior values (Terraform's proposed new state already carries them).
 * - Update, plugin framework: when anything changes, every computed attribute the configuration leaves null becomes
 *   unknown, at any depth, except those whose plan modifier keeps the state (`computedOnUpdate.keepsState`) or that
 *   the plan sets itself (`setByPlan`, defaults).
 * - Then the facts' replacement rules compare the plan with the state (an attribute turned unknown counts as changed);
 *   a replacement is answered with the top-level argument in `requires_replace`, and planned as a new object.
 */
import type { ReplacingArgument, ResourceFacts } from '../../provider-schema/facts';
import { isObject, sameValue, UNKNOWN, type Attribute, type Block, type NestedBlock, type ObjectValue, type Value } from './values';

type NestingMode = NestedBlock['nesting_mode'];

/** Values the provider gives arguments the configuration leaves null (SDKv2 `Default`, framework defaults). */
export type Defaults = Record<string, Value>;

/**
 * Marks unknown every computed attribute that `config` leaves null, through nested attributes and blocks, but those
 * `keep` names (by dotted path without indexes, e.g. `target_spec.dns_configuration`).
 */
export function unknownComputed(
  block: Block,
  value: Value,
  config: Value,
  keep: (path: string) => boolean = () => false,
  prefix = '',
): Value {
  if (!isObject(value)) return value;
  const configObject = isObject(config) ? config : {};
  const result: ObjectValue = { ...value };
  for (const [name, attribute] of Object.entries(block.attributes ?? {})) {
    result[name] = unknownAttribute(attribute, value[name] ?? null, configObject[name] ?? null, keep, `${prefix}${name}`);
  }
  for (const [name, nested] of Object.entries(block.block_types ?? {})) {
    const path = `${prefix}${name}`;
    const each = (element: Value, elementConfig: Value) => unknownComputed(nested.block, element, elementConfig, keep, `${path}.`);
    result[name] = eachElement(nested.nesting_mode, value[name] ?? null, configObject[name] ?? null, each);
  }
  return result;
}

function unknownAttribute(attribute: Attribute, value: Value, config: Value, keep: (path: string) => boolean, path: string): Value {
  if (keep(path)) return value;
  if (attribute.computed && config === null) return UNKNOWN;
  if (!attribute.nested_type || value === null || value === UNKNOWN) return value;
  const inner: Block = { attributes: attribute.nested_type.attributes };
  const each = (element: Value, elementConfig: Value) => unknownComputed(inner, element, elementConfig, keep, `${path}.`);
  return eachElement(attribute.nested_type.nesting_mode, value, config, each);
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

/**
 * The values at a dotted path, through every element of the lists and sets on the way; null and an empty list both
 * give none (the importers that set an order's `plan` to `[]`, ovh/resource_vps.go ImportState, rely on that).
 */
function valuesAt(value: Value | undefined, steps: string[]): Value[] {
  if (value === undefined || value === null) return [];
  if (value === UNKNOWN) return [UNKNOWN];
  if (Array.isArray(value)) return value.flatMap((element) => valuesAt(element, steps));
  if (steps.length === 0) return [value];
  if (!isObject(value)) return [];
  return valuesAt(value[steps[0]], steps.slice(1));
}

const withoutNullKeys = (value: Value): Value =>
  isObject(value) ? Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) : value;

/** Whether a rule of the facts table replaces, between the state and the plan. */
function triggers(rule: ReplacingArgument, prior: ObjectValue, planned: ObjectValue, config: Value): boolean {
  const steps = rule.path.split('.');
  const before = valuesAt(prior, steps);
  const after = valuesAt(planned, steps);
  switch (rule.when) {
    case 'changed':
      return !sameValue(before, after);
    case 'changed while set':
      return valuesAt(config, steps).length > 0 && !sameValue(before, after);
    case 'block added or removed':
      return before.length !== after.length;
    case 'changed unless only null-valued keys differ':
      return !sameValue(before.map(withoutNullKeys), after.map(withoutNullKeys));
    case 'changed unless "" becomes null':
      return !sameValue(before, after) && !(sameValue(before, ['']) && after.length === 0);
    case 'removed while enabled':
      return valuesAt(config, steps).length === 0 && valuesAt(prior, [...steps, 'status']).some((status) => status === 'enabled');
  }
}

/** The top-level arguments whose change, by the facts' rules, replaces the resource. */
export function replacementPaths(
  block: Block,
  facts: Pick<ResourceFacts, 'forcesReplacement'>,
  prior: ObjectValue,
  planned: ObjectValue,
  config: Value,
): string[] {
  const rules: readonly ReplacingArgument[] =
    facts.forcesReplacement === 'every argument'
      ? argumentNames(block).map((path) => ({ path, when: 'changed' }))
      : facts.forcesReplacement;
  const replacing = rules.filter((rule) => triggers(rule, prior, planned, config));
  return [...new Set(replacing.map((rule) => rule.path.split('.')[0]))];
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

export function planChange({ block, facts, prior, proposed, config, defaults = {} }: PlanInput): PlannedChange {
  if (!isObject(proposed)) return { planned: null, requiresReplace: [] };
  const proposedWithDefaults = withDefaults(proposed, config, defaults);
  const defaulted = (path: string) => Object.hasOwn(defaults, path);
  const asNew = () => unknownComputed(block, proposedWithDefaults, config, defaulted);
  if (!isObject(prior)) return { planned: asNew(), requiresReplace: [] };
  let planned: Value = proposedWithDefaults;
  if (facts.framework && !sameValue(prior, proposedWithDefaults)) {
    const kept = new Set([...(facts.computedOnUpdate?.keepsState ?? []), ...(facts.computedOnUpdate?.setByPlan ?? [])]);
    planned = unknownComputed(block, proposedWithDefaults, config, (path) => kept.has(path) || defaulted(path));
  }
  const requiresReplace = replacementPaths(block, facts, prior, planned as ObjectValue, config);
  return requiresReplace.length > 0 ? { planned: asNew(), requiresReplace } : { planned, requiresReplace };
}
