/**
 * Which changes destroy or replace an ordered, billed OVH service. Destroying one ends a paid service (a domain
 * may be lost to someone else); replacing one orders it again and ends the old one. A reviewer must see these
 * first, and CI exits 3 on them.
 */
import { forcesReplacement } from '../provider-schema/facts';
import { blocksOf, type ArgumentChange, type Block, type BlockChange, type StackDiff } from './diff';
import { isJsonObject, type Json, type JsonObject, type StackTree } from './stack-tree';

/**
 * The ordered, billed resource types, each with `lifecycle.prevent_destroy`. Which of their arguments force a
 * replacement (an order cannot be amended, only placed again) is the provider's fact, read from the one table of
 * provider facts (`provider-schema/facts.ts`) that the provider stand-in plans with too.
 */
export const ORDERED_TYPES: ReadonlySet<string> = new Set(['ovh_domain_name', 'ovh_domain_zone', 'ovh_vps', 'ovh_hosting_privatedatabase', 'ovh_cloud_project', 'ovh_cloud_project_storage']);

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

const isOrderedType = (type: string) => ORDERED_TYPES.has(type);

/** An ordered type, or any resource the stack protects from destruction itself. */
function isProtected(change: BlockChange): boolean {
  if (change.section !== 'resource') return false;
  const lifecycle = isJsonObject(change.before) ? change.before.lifecycle : undefined;
  return isOrderedType(change.type) || (isJsonObject(lifecycle) && lifecycle.prevent_destroy === true);
}

/** Terraform's own arguments, never the provider's: a change of these replaces nothing. */
const META_ARGUMENTS = new Set(['//', 'provider', 'lifecycle', 'depends_on', 'count', 'for_each', 'provisioner', 'connection']);

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
  const replacing = (argument: string) => !META_ARGUMENTS.has(argument.split(/[.[]/)[0]) && forcesReplacement(block.type, argument);
  const own = changes.get(block.address);
  const ownReasons = own?.action === 'changed' ? own.arguments.filter((arg) => replacing(arg.argument)) : [];
  const body = isJsonObject(block.body) ? block.body : {};
  const read = [...new Set(Object.keys(body).filter(replacing).flatMap((argument) => dataReferences(body[argument])))];
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
