/**
 * The `hashicorp/random` 3.7.2 stand-in: `random_password` only, which lives in Terraform's state alone. Its rules
 * (github:hashicorp/terraform-provider-random at v3.7.2, internal/provider/resource_password.go and
 * internal/random/string.go): `length` is required; `lower`, `upper`, `numeric`, `special` (and the deprecated
 * `number`) default to true and the `min_*` counts to 0 (the facts' `setByPlan`); `override_special` replaces
 * the default special characters `!@#$%&*()-_=+[]{}<>:?`; the result has at least `min_*` characters of each class.
 * Replacement (every argument) and import come from the provider facts table.
 */
import { randomInt } from 'node:crypto';
import { bcryptShaped, type ResourceKind } from './engine';
import type { ObjectValue, Value } from './values';

const CLASSES = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  numeric: '0123456789',
  special: '!@#$%&*()-_=+[]{}<>:?',
} as const;

const count = (value: Value | undefined) => (typeof value === 'number' ? value : 0);

function password(a: ObjectValue): string {
  const sets = {
    ...CLASSES,
    special: typeof a.override_special === 'string' && a.override_special !== '' ? a.override_special : CLASSES.special,
  };
  const enabled = (Object.keys(sets) as (keyof typeof sets)[]).filter((name) => a[name] !== false);
  const pick = (set: string) => set[randomInt(set.length)];
  const chars = enabled.flatMap((name) => Array.from({ length: count(a[`min_${name}`]) }, () => pick(sets[name])));
  const all = enabled.map((name) => sets[name]).join('');
  while (chars.length < count(a.length)) chars.push(pick(all));
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j], chars[i]];
  }
  return chars.join('');
}

export const RANDOM_RESOURCES: Record<string, ResourceKind> = {
  random_password: {
    defaults: {
      lower: true,
      upper: true,
      numeric: true,
      number: true,
      special: true,
      min_lower: 0,
      min_upper: 0,
      min_numeric: 0,
      min_special: 0,
    },
    created: (a) => ({
      id: 'none',
      result: password(a),
      // Sensitive and never shown: shaped like a bcrypt hash, which the stacks do not read.
      bcrypt_hash: bcryptShaped(),
    }),
  },
};
