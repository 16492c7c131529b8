/**
 * Which changes destroy or replace an ordered, billed OVH service. Destroying one ends a paid service (a domain
 * may be lost to someone else); replacing one orders it again and ends the old one. A reviewer must see these
 * first, and CI exits 3 on them.
 */
import { blocksOf, type ArgumentChange, type Block, type BlockChange, type StackDiff } from './diff';
import { isJsonObject, type Json, type JsonObject, type StackTree } from './stack-tree';

/**
 * The arguments whose change makes the ovh provider (2.19) replace the resource rather than update it: an order
 * cannot be amended, only placed again (the `plan` block holds the plan code, duration, pricing mode and the
 * configuration, e.g. the datacenter and the zone name), and a bucket cannot be renamed or moved. Offline this is
 * as much as can be known of a replacement; `terraform plan` has the last word. Keep this list in step with the
 * provider's RequiresReplace / ForceNew attributes when the pinned version changes.
 */
export const REPLACING_ARGUMENTS = {
  ovh_domain_name: ['domain_name', 'ovh_subsidiary'],
  ovh_domain_zone: ['plan', 'plan_option', 'ovh_subsidiary'],
  ovh_vps: ['plan', 'plan_option', 'ovh_subsidiary'],
  ovh_hosting_privatedatabase: ['plan', 'plan_option', 'ovh_subsidiary'],
  ovh_cloud_project: ['plan', 'plan_option', 'ovh_subsidiary'],
  ovh_cloud_project_storage: ['service_name', 'region_name', 'name'],
} as const satisfies Record<string, readonly string[]>;

/** The ordered, billed resource types, each with `lifecycle.prevent_destroy`: the keys of the list above. */
type OrderedType = keyof typeof REPLACING_ARGUMENTS;

export interface DestructiveChange {
  stack: string;
  /** Terraform's address, `type.name`. */
  address: string;
  label: string;
  type: string;
  /** Destroyed with its stack, destroyed alone, or replaced. */
  effect: 'stack removed' | 'destroyed' | 'replaced';
  /** For a replacement, the changes that force it; a data source's own are named by its address (`data.….plan_code`). */
  forcedBy: ArgumentChange[];
}

/**
 * Whether a destruction is wanted, e.g. a service marked for decommissioning in its client file. Given the stack,
 * the resource's address (`type.name`) and, for matching by construct path, its label
 * (`betterfinance.eu/vps-staging/order`).
 */
export type IsIntended = (stack: string, address: string, label: string) => boolean;

const nothingIntended: IsIntended = () => false;

const isOrderedType = (type: string): type is OrderedType => Object.hasOwn(REPLACING_ARGUMENTS, type);

/** An ordered type, or any resource the stack protects from destruction itself. */
function isProtected(change: BlockChange): boolean {
  if (change.section !== 'resource') return false;
  const lifecycle = isJsonObject(change.before) ? change.before.lifecycle : undefined;
  return isOrderedType(change.type) || (isJsonObject(lifecycle) && lifecycle.prevent_destroy === true);
}

const topLevel = (argument: string) => argument.split(/[.[]/)[0];

/** References to data sources (`${data.<type>.<name>.…}`) anywhere in a value. */
function dataReferences(value: Json | undefined): string[] {
  const text = JSON.stringify(value ?? null);
  return [...text.matchAll(/\$\{data\.([a-z0-9_]+)\.([A-Za-z0-9_-]+)/g)].map((match) => `data.${match[1]}.${match[2]}`);
}

/**
 * The reasons an ordered resource still in the stack is replaced: a replacing argument changed, or a data source
 * whose value flows into one changed. The plan code of a VPS lives in its catalog data source, so a new plan
 * changes only that source and leaves the resource's own text as it was.
 */
function replacementReasons(block: Block, changes: Map<string, BlockChange>): ArgumentChange[] {
  if (!isOrderedType(block.type)) return [];
  const replacing: readonly string[] = REPLACING_ARGUMENTS[block.type];
  const own = changes.get(block.address);
  const ownReasons = own?.action === 'changed' ? own.arguments.filter((arg) => replacing.includes(topLevel(arg.argument))) : [];
  const body = isJsonObject(block.body) ? block.body : {};
  const read = [...new Set(replacing.flatMap((argument) => dataReferences(body[argument])))];
  const viaData = read.flatMap((address) => {
    const data = changes.get(address);
    return data?.action === 'changed' ? data.arguments.map((arg) => ({ ...arg, argument: `${address}.${arg.argument}` })) : [];
  });
  return [...ownReasons, ...viaData];
}

function destructiveInStack(diff: StackDiff, head: JsonObject | undefined, isIntended: IsIntended): DestructiveChange[] {
  if (diff.action === 'unchanged') return [];
  const entry = (block: Pick<BlockChange, 'address' | 'label' | 'type'>, effect: DestructiveChange['effect'], forcedBy: ArgumentChange[] = []): DestructiveChange => ({
    stack: diff.stack,
    address: block.address,
    label: block.label,
    type: block.type,
    effect,
    forcedBy,
  });
  const destroyed = diff.changes
    .filter((change) => change.action === 'removed' && isProtected(change))
    .map((change) => entry(change, diff.action === 'removed' ? 'stack removed' : 'destroyed'));
  // Every ordered resource of the head is looked at, changed or not: a data source alone can replace it.
  const changes = new Map(diff.changes.map((change) => [change.address, change]));
  const replaced = [...(head ? blocksOf(head).values() : [])]
    .filter((block) => block.section === 'resource')
    .map((block) => entry(block, 'replaced', replacementReasons(block, changes)))
    .filter((change) => change.forcedBy.length > 0);
  return [...destroyed, ...replaced].filter((change) => !isIntended(diff.stack, change.address, change.label));
}

/**
 * Every destruction or replacement of an ordered service in `diffs` (computed against `head`), but those
 * `isIntended` accepts: none by default.
 */
export function destructiveChanges(diffs: StackDiff[], head: StackTree, isIntended: IsIntended = nothingIntended): DestructiveChange[] {
  return diffs.flatMap((diff) => destructiveInStack(diff, head.get(diff.stack), isIntended));
}
