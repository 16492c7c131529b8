/**
 * What CI keeps of a real plan: from `terraform show -json <plan file>`, each resource change's address, type,
 * actions, Terraform's reason and the argument paths that force a replacement. Never a value: the plan's JSON holds
 * every attribute in plain text, sensitive ones included (mailbox passwords, S3 secret keys), so it never leaves the
 * job that made it; only this digest does. Where real plans ran, destroyed and replaced services come from here.
 */
import * as z from 'zod';
import { ORDERED_RESOURCE_TYPES } from '../policy/protection';
import { isProtected, type DestructiveChange } from '../review/destructive';
import { isJsonObject, type StackTree } from '../review/stack-tree';

/** Terraform's JSON output format (`format_version` 1.x): only the fields read here. */
const PlanJson = z.object({
  format_version: z.string().regex(/^1\./, { error: 'expected a plan in JSON format 1.x (terraform show -json)' }),
  errored: z.boolean().default(false),
  resource_changes: z
    .array(
      z.object({
        address: z.string(),
        mode: z.enum(['managed', 'data']),
        type: z.string(),
        action_reason: z.string().optional(),
        change: z.object({
          actions: z.array(z.enum(['no-op', 'create', 'read', 'update', 'delete', 'forget'])),
          replace_paths: z.array(z.array(z.union([z.string(), z.number()]))).optional(),
        }),
      }),
    )
    .default([]),
});

export type PlanAction = 'create' | 'update' | 'delete' | 'replace' | 'forget';

export interface ResourceChangeDigest {
  address: string;
  type: string;
  action: PlanAction;
  /** Terraform's `action_reason`, e.g. `replace_because_cannot_update`, `delete_because_no_resource_config`. */
  reason?: string;
  /** For a replacement, the arguments that force it, e.g. `plan[0].configuration`. */
  replacePaths?: string[];
}

export interface PlanDigest {
  /** The plan was cut short by an error (e.g. a `prevent_destroy` resource the plan would destroy). */
  errored: boolean;
  changes: ResourceChangeDigest[];
}

const pathText = (steps: (string | number)[]) =>
  steps.map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`)).join('');

function actionOf(actions: string[]): PlanAction | undefined {
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  if (actions.includes('delete')) return 'delete';
  if (actions.includes('create')) return 'create';
  if (actions.includes('update')) return 'update';
  if (actions.includes('forget')) return 'forget';
  return undefined;
}

/** The digest of one plan's JSON (the text `terraform show -json` printed); throws on anything else. */
export function digestPlan(json: string): PlanDigest {
  const plan = PlanJson.parse(JSON.parse(json));
  const changes = plan.resource_changes.flatMap((change): ResourceChangeDigest[] => {
    const action = change.mode === 'managed' ? actionOf(change.change.actions) : undefined;
    if (!action) return [];
    const replacePaths = action === 'replace' ? change.change.replace_paths?.map(pathText) : undefined;
    return [
      {
        address: change.address,
        type: change.type,
        action,
        ...(change.action_reason ? { reason: change.action_reason } : {}),
        ...(replacePaths ? { replacePaths } : {}),
      },
    ];
  });
  return { errored: plan.errored, changes };
}

/** The resource types a destruction of matters: the ordered types, and any type a stack protects with `prevent_destroy`. */
export function protectedTypes(tree: StackTree): Set<string> {
  const types = new Set<string>(ORDERED_RESOURCE_TYPES);
  for (const stack of tree.values()) {
    const resources = isJsonObject(stack.resource) ? stack.resource : {};
    for (const [type, blocks] of Object.entries(resources)) {
      if (!isJsonObject(blocks)) continue;
      if (Object.values(blocks).some((body) => isProtected(type, body))) types.add(type);
    }
  }
  return types;
}

/**
 * The services Terraform's plans would destroy or replace, but those the client files mark for decommissioning
 * (`intended`, from the change review: same stack and address).
 */
export function destructiveFromPlans(
  plans: Map<string, PlanDigest>,
  types: Set<string>,
  intended: Pick<DestructiveChange, 'stack' | 'address'>[] = [],
): DestructiveChange[] {
  const isIntended = (stack: string, address: string) => intended.some((change) => change.stack === stack && change.address === address);
  return [...plans].flatMap(([stack, digest]) =>
    digest.changes
      .filter(
        (change) =>
          (change.action === 'delete' || change.action === 'replace') && types.has(change.type) && !isIntended(stack, change.address),
      )
      .map((change) => ({
        stack,
        address: change.address,
        label: change.address,
        type: change.type,
        effect: change.action === 'replace' ? ('replaced' as const) : ('destroyed' as const),
        forcedBy: (change.replacePaths ?? []).map((argument) => ({ argument })),
      })),
  );
}
