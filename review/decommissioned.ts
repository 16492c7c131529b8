/**
 * The removals and replacements the head's client files ask for: `decommission: true` lets a service (or a whole
 * client) be destroyed, `replace: true` lets an instance be replaced. The change review lets exactly those go.
 */
import type { FolderPlans } from '../policy/folder';
import type { IsIntended } from './destructive';

/** A destroyed (or replaced) resource is intended when its construct path lies under such a path of its stack. */
export function decommissionedIn(plans: FolderPlans): IsIntended {
  const byStack = new Map(plans.clients.map((plan) => [plan.id, plan]));
  return (stack, _address, label, effect) => {
    const plan = byStack.get(stack);
    const paths = (effect === 'replaced' ? plan?.replaceable : plan?.decommissioned) ?? [];
    return paths.some(({ path }) => path === '' || label === `${stack}/${path}` || label.startsWith(`${stack}/${path}/`));
  };
}
