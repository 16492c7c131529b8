/**
 * The removals the head's client files mark `decommission: true`: the change review lets exactly those go.
 */
import type { LoadedConfig } from '../config/load';
import { clientPlan } from '../policy/procedure';
import type { IsIntended } from './destructive';

/** A destroyed resource is intended when its construct path lies under a decommissioned path of its stack. */
export function decommissionedIn({ agency, clients }: LoadedConfig): IsIntended {
  const paths = new Map(clients.map(({ client }) => [client.id, clientPlan(agency, client).decommissioned.map((item) => item.path)]));
  return (stack, _address, label) =>
    (paths.get(stack) ?? []).some((decommissioned) => decommissioned === '' || label === `${stack}/${decommissioned}` || label.startsWith(`${stack}/${decommissioned}/`));
}
