/**
 * Which resources the stacks protect from destruction (`lifecycle.prevent_destroy`): Terraform then refuses any plan
 * that destroys or replaces one. Destroying an ordered service ends a paid service (a domain may be lost to someone
 * else); destroying a bucket, an instance or a mailbox loses what it holds. Only a reviewed change removes one: the
 * client file marks it `decommission: true` (the stack no longer holds it), or lets an instance be rebuilt
 * (`replace: true`, the plan's `replaceable`).
 *
 * `constructs/protection.ts` applies this to every resource of every stack, and fails the synthesis when a construct
 * turns the protection off where the plan does not allow it; the change review (`review/destructive.ts`) reads it too.
 */
import type { FactResourceType } from '../provider-schema/facts';
import { SERVICE_KINDS } from './service-kinds';

/**
 * Ordered and billed: the resource of each service kind, and a backup bucket (billed by use, holding the backups).
 * Always protected: never replaceable, and a change that drops the protection of one is still a destruction.
 */
export const ORDERED_RESOURCE_TYPES: ReadonlySet<string> = new Set<FactResourceType>([
  ...Object.values(SERVICE_KINDS).flatMap((row) => (row.resource ? [row.resource] : [])),
  'ovh_cloud_project_storage',
]);

/** Billed or holding data, and rebuilt when the file allows it: an instance (its disk), a mailbox (its mail). */
const DATA_RESOURCE_TYPES: ReadonlySet<string> = new Set<FactResourceType>(['ovh_cloud_project_instance', 'ovh_email_domain_account']);

/**
 * Whether a resource of `type` at construct path `path` (under its stack) is protected from destruction, given the
 * construct paths the plan lets be replaced; undefined for a type the procedure does not protect.
 */
export function isProtected(type: string, path: string, replaceable: readonly string[]): boolean | undefined {
  if (ORDERED_RESOURCE_TYPES.has(type)) return true;
  if (!DATA_RESOURCE_TYPES.has(type)) return undefined;
  return !replaceable.some((allowed) => path === allowed || path.startsWith(`${allowed}/`));
}
