/**
 * Which changes destroy or replace an ordered, billed OVH service, or anything else a stack protects from
 * destruction. Destroying one ends a paid service (a domain may be lost to someone else); replacing one orders it
 * again, or builds a new instance, and ends the old one. A reviewer must see these first, and CI exits 3 on them.
 *
 * What a change does is what Terraform and the provider do with it, read from the stack itself and from the provider
 * facts table (`provider-schema/facts.ts`), since the review has no credentials and so no plan (where a plan exists,
 * Terraform's own plan is the authority): an argument under `lifecycle.ignore_changes` is not applied to an existing
 * resource; a resource is replaced when one of its arguments forces it (`changeEffect`), or when a resource its
 * `lifecycle.replace_triggered_by` names changes; a resource that leaves the stack under a `removed` block with
 * `destroy = false` is forgotten, not destroyed.
 */
import { ORDERED_RESOURCE_TYPES } from '../policy/protection';
import { changeEffect, resourceFacts, type ChangeEffect } from '../provider-schema/facts';
import { blocksOf, type ArgumentChange, type Block, type BlockChange, type StackDiff } from './diff';
import { isJsonObject, type Json, type JsonObject, type StackTree } from './stack-tree';

export interface DestructiveChange {
  stack: string;
  /** Terraform's address, `type.name`. */
  address: string;
  label: string;
  type: string;
  /** Destroyed with its stack, destroyed alone, or replaced. */
  effect: 'stack removed' | 'destroyed' | 'replaced';
  /** For a replacement, the changes that force it; another block's own are named by its address (`data.….name_filter`). */
  forcedBy: ArgumentChange[];
  /**
   * Why the provider will refuse the destruction at apply, whatever the review lets through: the state still protects
   * it (`deletion_protection`), so it takes two applies.
   */
  refusedAtApply?: string;
}

/**
 * Whether a destruction or replacement is wanted, e.g. a service marked for decommissioning in its client file, or
 * an instance marked `replace: true`. Given the stack, the resource's address (`type.name`), for matching by construct
 * path its label (`betterfinance.eu/vps-staging/order`), and what happens to it.
 */
export type IsIntended = (stack: string, address: string, label: string, effect: DestructiveChange['effect']) => boolean;

const nothingIntended: IsIntended = () => false;

/** What a change of one argument of a resource does: the provider's effect, or nothing, when Terraform ignores it. */
export type ArgumentEffect = ChangeEffect | 'ignored';

/** Terraform's own arguments, never the provider's: a change of these replaces nothing. */
const META_ARGUMENTS = new Set(['//', 'provider', 'lifecycle', 'depends_on', 'count', 'for_each', 'provisioner', 'connection']);

function lifecycleOf(body: Json | undefined): JsonObject {
  const lifecycle = isJsonObject(body) ? body.lifecycle : undefined;
  return isJsonObject(lifecycle) ? lifecycle : {};
}

/**
 * A resource the stack protects from destruction, or an ordered one (`policy/protection.ts`): a change that drops the
 * protection of an ordered resource is caught as well.
 */
export function isProtected(type: string, body: Json | undefined): boolean {
  return ORDERED_RESOURCE_TYPES.has(type) || lifecycleOf(body).prevent_destroy === true;
}

/**
 * What changing `argument` (`plan[0].plan_code`) of a `type` resource whose stack body is `body` does to the existing
 * resource; undefined for Terraform's own arguments and for types the facts do not know (`terraform_data`...).
 */
export function argumentEffect(type: string, argument: string, body: Json | undefined): ArgumentEffect | undefined {
  const top = argument.split(/[.[]/)[0];
  if (META_ARGUMENTS.has(top) || !resourceFacts(type)) return undefined;
  const ignored = lifecycleOf(body).ignore_changes;
  if (ignored === 'all' || (Array.isArray(ignored) && ignored.includes(top))) return 'ignored';
  return changeEffect(type, argument);
}

/** References to data sources (`${data.<type>.<name>.…}`) in a value. */
function dataReferences(value: Json | undefined): string[] {
  const text = JSON.stringify(value ?? null);
  return [
    ...new Set([...text.matchAll(/\$\{[^}]*?\bdata\.([a-z0-9_]+)\.([A-Za-z0-9_-]+)/g)].map((match) => `data.${match[1]}.${match[2]}`)),
  ];
}

/** Every leaf of a value with its argument path (`flavor.flavor_id`, `plan[0].plan_code`). */
function leaves(value: Json | undefined, at = ''): { argument: string; value: Json }[] {
  if (isJsonObject(value)) return Object.entries(value).flatMap(([key, item]) => leaves(item, at ? `${at}.${key}` : key));
  if (Array.isArray(value) && value.some((item) => isJsonObject(item) || Array.isArray(item)))
    return value.flatMap((item, i) => leaves(item, `${at}[${i}]`));
  return value === undefined ? [] : [{ argument: at, value }];
}

/** The changes of another block (a data source, a `terraform_data`), named by its address. */
function changesOfBlock(address: string, changes: Map<string, BlockChange>): ArgumentChange[] {
  const change = changes.get(address);
  return change?.action === 'changed' ? change.arguments.map((arg) => ({ ...arg, argument: `${address}.${arg.argument}` })) : [];
}

/**
 * The reasons a protected resource still in the stack is replaced: a replacing argument changed, a data source read
 * into a replacing argument changed, or a resource its `replace_triggered_by` names changed (an instance's new
 * flavor, a bucket's new project).
 */
function replacementReasons(block: Block, changes: Map<string, BlockChange>): ArgumentChange[] {
  if (!isProtected(block.type, block.body) || !resourceFacts(block.type)) return [];
  const replacing = (argument: string) => argumentEffect(block.type, argument, block.body) === 'replacement';
  const own = changes.get(block.address);
  const ownReasons = own?.action === 'changed' ? own.arguments.filter((arg) => replacing(arg.argument)) : [];
  const body = isJsonObject(block.body) ? block.body : {};
  const read = leaves(body)
    .filter(({ argument }) => replacing(argument))
    .flatMap(({ value }) => dataReferences(value));
  const triggers = lifecycleOf(body).replace_triggered_by;
  const triggeredBy = (Array.isArray(triggers) ? triggers : []).filter((address): address is string => typeof address === 'string');
  const viaOthers = [...new Set([...read, ...triggeredBy])].flatMap((address) => changesOfBlock(address, changes));
  return [...ownReasons, ...viaOthers];
}

/** Addresses the head forgets without destroying (`removed` blocks with `lifecycle.destroy = false`). */
function forgottenIn(head: JsonObject | undefined): Set<string> {
  const removed = head && Array.isArray(head.removed) ? head.removed : [];
  return new Set(
    removed
      .filter((block) => isJsonObject(block) && lifecycleOf(block).destroy === false && typeof block.from === 'string')
      .map((block) => (block as JsonObject).from as string),
  );
}

/** The provider's refusal to delete what the base's stack (and so the state) still protects. */
function deleteRefusal(change: BlockChange): string | undefined {
  const guard = resourceFacts(change.type)?.deleteGuard;
  const body = isJsonObject(change.before) ? change.before : {};
  if (!guard || body[guard.attribute] !== guard.refusesWhen) return undefined;
  return `the provider refuses to delete it while its state says ${guard.attribute} = ${JSON.stringify(guard.refusesWhen)}: apply ${guard.attribute} = ${JSON.stringify(!guard.refusesWhen)} first, on its own`;
}

function destructiveInStack(diff: StackDiff, head: JsonObject | undefined, isIntended: IsIntended): DestructiveChange[] {
  if (diff.action === 'unchanged') return [];
  const entry = (
    block: Pick<BlockChange, 'address' | 'label' | 'type'>,
    effect: DestructiveChange['effect'],
    forcedBy: ArgumentChange[] = [],
    refusedAtApply?: string,
  ): DestructiveChange => ({
    stack: diff.stack,
    address: block.address,
    label: block.label,
    type: block.type,
    effect,
    forcedBy,
    ...(refusedAtApply ? { refusedAtApply } : {}),
  });
  const forgotten = forgottenIn(head);
  const destroyed = diff.changes
    .filter(
      (change) =>
        change.action === 'removed' &&
        change.section === 'resource' &&
        isProtected(change.type, change.before) &&
        !forgotten.has(change.address),
    )
    .map((change) => entry(change, diff.action === 'removed' ? 'stack removed' : 'destroyed', [], deleteRefusal(change)));
  // Every protected resource of the head is looked at, changed or not: another block alone can replace it.
  const changes = new Map(diff.changes.map((change) => [change.address, change]));
  const replaced = [...(head ? blocksOf(head).values() : [])]
    .filter((block) => block.section === 'resource')
    .map((block) => entry(block, 'replaced', replacementReasons(block, changes)))
    .filter((change) => change.forcedBy.length > 0);
  // A removal the file asks for still fails at apply while the state protects it: never let through.
  return [...destroyed, ...replaced].filter(
    (change) => change.refusedAtApply || !isIntended(diff.stack, change.address, change.label, change.effect),
  );
}

/**
 * Every destruction or replacement of a protected resource in `diffs` (computed against `head`), but those
 * `isIntended` accepts: none by default.
 */
export function destructiveChanges(diffs: StackDiff[], head: StackTree, isIntended: IsIntended = nothingIntended): DestructiveChange[] {
  return diffs.flatMap((diff) => destructiveInStack(diff, head.get(diff.stack), isIntended));
}
