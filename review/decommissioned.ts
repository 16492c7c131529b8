/**
 * The removals and replacements the head's client files ask for: `decommission: true` lets a service (or a whole
 * client) be destroyed, `replace: true` lets an instance be replaced. The change review lets exactly those go.
 */
import type { LoadedConfig } from '../config/load';
import { clientPlan } from '../policy/procedure';
import type { IsIntended } from './destructive';

/** A destroyed (or replaced) resource is intended when its construct path lies under such a path of its stack. */
export function decommissionedIn({ agency, clients }: LoadedConfig): IsIntended {
  const plans = new Map(clients.map(({ client }) => [client.id, clientPlan(agency, client)]));
  return (stack, _address, label, effect) => {
    const plan = plans.get(stack);
    const paths = (effect === 'replaced' ? plan?.replaceable : plan?.decommissioned) ?? [];
    return paths.some(({ path }) => path === '' || label === `${stack}/${path}` || label.startsWith(`${stack}/${path}/`));
  };
}
