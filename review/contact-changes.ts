/**
 * The desired-contact changes in a stack's diff. Each service declares its contacts as the input of a
 * `terraform_data` resource; a reviewer needs them per service and role, not as a JSON path, because moving a
 * contact is what the procedure exists for (and each move needs both accounts to validate it).
 */
import * as z from 'zod';
import type { StackDiff } from './diff';
import type { Json } from './stack-tree';

/** A change of one desired contact of one service, between the base and the head (not a change OVH tracks: `contacts/reconcile.ts`). */
export interface DesiredContactChange {
  stack: string;
  service: string;
  kind: string;
  role: string;
  /** Undefined: no such contact on that side (a new or removed service). */
  before?: string;
  after?: string;
}

/** Only what the review needs of a desired-contacts record; anything else in it is shown as a plain argument change. */
const DesiredContacts = z.object({
  input: z.object({ service: z.string(), kind: z.string(), contacts: z.record(z.string(), z.string()) }),
});
const ROLE_ORDER = ['owner', 'admin', 'tech', 'billing'];

function contactsOf(body: Json | undefined) {
  const parsed = DesiredContacts.safeParse(body);
  return parsed.success ? parsed.data.input : undefined;
}

const roleRank = (role: string) => (ROLE_ORDER.includes(role) ? ROLE_ORDER.indexOf(role) : ROLE_ORDER.length);

export function contactChanges(diff: StackDiff): DesiredContactChange[] {
  return diff.changes
    .filter((change) => change.section === 'resource' && change.type === 'terraform_data')
    .flatMap((change) => {
      const before = contactsOf(change.before);
      const after = contactsOf(change.after);
      const record = after ?? before;
      if (!record) return [];
      const roles = [...new Set([...Object.keys(before?.contacts ?? {}), ...Object.keys(after?.contacts ?? {})])].sort(
        (a, b) => roleRank(a) - roleRank(b),
      );
      return roles
        .map((role) => ({
          stack: diff.stack,
          service: record.service,
          kind: record.kind,
          role,
          before: before?.contacts[role],
          after: after?.contacts[role],
        }))
        .filter((contact) => contact.before !== contact.after);
    });
}
