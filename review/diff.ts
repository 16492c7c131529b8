/**
 * The difference between two synthesized trees (a base and a head), stack by stack and block by block, down to
 * the argument: what a change adds, modifies and removes. Pure: no files, no git, no terraform.
 *
 * A block is anything Terraform reads from a stack: a resource (`ovh_vps.vps-staging_order_2B924BA5`), a data
 * source (`data.ovh_order_cart_product_plan.x`), a provider configuration (`provider.ovh.cedricfrancoys`), a
 * variable, an output, the `terraform` settings. cdktf's `"//"` metadata is not read by Terraform, so it is never
 * a difference; its construct path gives each block a readable label.
 */
import { isJsonObject, type Json, type JsonObject, type StackTree } from './stack-tree';

export type Action = 'added' | 'removed' | 'changed';

export interface ArgumentChange {
  /** e.g. `plan[0].configuration[0].value`; empty for a block whose whole body is one value (a local). */
  argument: string;
  /** Undefined: absent on that side. */
  before?: Json;
  after?: Json;
}

export interface Block {
  /** Terraform's address, as in a plan: `ovh_vps.vps-staging_order_2B924BA5`, `data.ovh_order_cart.x`, `variable.x`. */
  address: string;
  section: string;
  /** The resource or data source type, the provider name, or the section for the other blocks. */
  type: string;
  /** The construct path cdktf records (`betterfinance.eu/vps-staging/order`), else the address. */
  label: string;
  body: Json;
}

export interface BlockChange {
  action: Action;
  address: string;
  section: string;
  type: string;
  label: string;
  before?: Json;
  after?: Json;
  /** Changed arguments; for an added or removed block, its top-level arguments. */
  arguments: ArgumentChange[];
}

export interface StackDiff {
  stack: string;
  action: Action | 'unchanged';
  changes: BlockChange[];
}

const METADATA = '//';
/** Resources first: they are what a change orders, modifies or destroys; the rest follows from them. */
const SECTION_ORDER = ['resource', 'import', 'moved', 'removed', 'data', 'provider', 'variable', 'output', 'terraform'];

/** The blocks of one stack, by address. */
export function blocksOf(stack: JsonObject): Map<string, Block> {
  const blocks = new Map<string, Block>();
  const add = (section: string, type: string, address: string, body: Json) =>
    blocks.set(address, { address, section, type, label: labelOf(body) ?? address, body });
  for (const [section, content] of Object.entries(stack)) {
    if (section === METADATA) continue;
    if (Array.isArray(content)) {
      // `import` and `moved` blocks: a list, each naming the resource it is `to`; `removed` blocks, the one it is `from`.
      const named = (item: Json) =>
        isJsonObject(item) ? [item.to, item.from].find((name): name is string => typeof name === 'string') : undefined;
      content.forEach((item, i) => add(section, section, `${section}.${named(item) ?? i}`, item));
      continue;
    }
    if (!isJsonObject(content)) continue;
    if (section === 'terraform') {
      add(section, section, section, content);
      continue;
    }
    for (const [key, value] of Object.entries(content)) {
      if (section === 'resource' || section === 'data') {
        if (!isJsonObject(value)) continue;
        const prefix = section === 'data' ? 'data.' : '';
        for (const [name, body] of Object.entries(value)) add(section, key, `${prefix}${key}.${name}`, body);
      } else if (section === 'provider' && Array.isArray(value)) {
        // One configuration per alias, so that adding an account does not shift the others.
        for (const config of value) {
          const alias = isJsonObject(config) && typeof config.alias === 'string' ? `.${config.alias}` : '';
          add(section, key, `provider.${key}${alias}`, config);
        }
      } else {
        add(section, section, `${section}.${key}`, value);
      }
    }
  }
  return blocks;
}

function labelOf(body: Json): string | undefined {
  const metadata = isJsonObject(body) ? body[METADATA] : undefined;
  const meta = isJsonObject(metadata) ? metadata.metadata : undefined;
  return isJsonObject(meta) && typeof meta.path === 'string' ? meta.path : undefined;
}

/**
 * The leaves that differ between two values. Objects are compared key by key and lists of the same length item by
 * item, so a changed plan code reads `plan[0].plan_code`; a list that grew or shrank is shown whole.
 */
export function argumentChanges(before: Json | undefined, after: Json | undefined, at = ''): ArgumentChange[] {
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => key !== METADATA).sort();
    return keys.flatMap((key) => argumentChanges(before[key], after[key], at ? `${at}.${key}` : key));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((item, i) => argumentChanges(item, after[i], `${at}[${i}]`));
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ argument: at, before, after }];
}

function blockChange(before: Block | undefined, after: Block | undefined): BlockChange | undefined {
  const block = (after ?? before)!;
  const { address, section, type } = block;
  // A block's own arguments when it comes or goes: compared with nothing, its top level is listed.
  const bodyOrNothing = (side: Block | undefined) => side?.body ?? (isJsonObject(block.body) ? {} : undefined);
  const args = argumentChanges(bodyOrNothing(before), bodyOrNothing(after));
  const action: Action = !before ? 'added' : !after ? 'removed' : 'changed';
  if (action === 'changed' && args.length === 0) return undefined;
  return { action, address, section, type, label: block.label, before: before?.body, after: after?.body, arguments: args };
}

const sectionRank = (section: string) => (SECTION_ORDER.includes(section) ? SECTION_ORDER.indexOf(section) : SECTION_ORDER.length);

/** One stack's changes; a stack missing on one side is added or removed whole. */
export function diffStack(stack: string, before: JsonObject | undefined, after: JsonObject | undefined): StackDiff {
  const old = before ? blocksOf(before) : new Map<string, Block>();
  const now = after ? blocksOf(after) : new Map<string, Block>();
  const changes = [...new Set([...old.keys(), ...now.keys()])]
    .map((address) => blockChange(old.get(address), now.get(address)))
    .filter((change): change is BlockChange => change !== undefined)
    // By label within a section: a service's order, records and contacts come together.
    .sort(
      (a, b) => sectionRank(a.section) - sectionRank(b.section) || a.label.localeCompare(b.label) || a.address.localeCompare(b.address),
    );
  const action = !before ? 'added' : !after ? 'removed' : changes.length > 0 ? 'changed' : 'unchanged';
  return { stack, action, changes };
}

/** Every stack of either tree, in name order; `onStack` hears of each as soon as it is compared (the n-th of `total`). */
export function diffTrees(base: StackTree, head: StackTree, onStack?: (diff: StackDiff, n: number, total: number) => void): StackDiff[] {
  const stacks = [...new Set([...base.keys(), ...head.keys()])].sort();
  return stacks.map((stack, i) => {
    const diff = diffStack(stack, base.get(stack), head.get(stack));
    onStack?.(diff, i + 1, stacks.length);
    return diff;
  });
}

/** The stacks to plan: added, removed, or with any change. */
export function affectedStacks(diffs: StackDiff[]): string[] {
  return diffs.filter((diff) => diff.action !== 'unchanged').map((diff) => diff.stack);
}
