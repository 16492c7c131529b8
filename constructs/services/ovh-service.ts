/**
 * What every OVH service construct shares: its props, what the stack reads of it, and the order helper (the fixed
 * order of a service Terraform orders, its import when it exists already, and its desired contacts).
 */
import type { ITerraformDependable, TerraformResource } from 'cdktf';
import type { Construct } from 'constructs';
import type { OvhEndpoint, ServiceOf } from '../../policy/plan';
import type { ServiceKind } from '../../policy/service-kinds';
import type { OvhAccounts } from '../ovh-accounts';
import { ServiceContacts } from '../service-contacts';

export interface OvhServiceProps<K extends ServiceKind = ServiceKind> {
  /** The service, as the plan has it: who orders it, who operates it, its desired contacts, its entry in the file. */
  readonly service: ServiceOf<K>;
  /** The stack's OVH accounts, one provider alias each. */
  readonly accounts: OvhAccounts;
  /** The OVH API endpoint: a Public Cloud project's plan code differs on `ovh-us`. */
  readonly endpoint: OvhEndpoint;
  /** The client id, shown with the desired contacts. */
  readonly client: string;
  /**
   * The service it comes with (`policy/service-kinds.ts` `ordering`): a DNS zone exists once its domain's order is
   * applied.
   * @default none: it exists once its own order or import is applied
   */
  readonly comesWith?: IOvhService;
}

/** What the stack reads of an OVH service construct. */
export interface IOvhService {
  /** The OVH service name: literal when known in advance, else a reference to the ordering resource. */
  readonly serviceName: string;
  /** The ordering (or importing) resource; undefined for a service Terraform cannot order. */
  readonly resource?: TerraformResource;
  /** What the service's content (records, mailboxes) waits for. */
  readonly ready: ITerraformDependable[];
}

/**
 * Read once, when ordering. Changing an existing service's offer is an upgrade at OVH, never a new order; without
 * this, a changed plan would replace a VPS or a domain, be stored without effect on a project or a private database,
 * or fail at apply (`changeEffect` in provider-schema/facts.ts). An imported service has none of them in its state.
 */
export const ORDERED_ONCE = ['plan', 'plan_option', 'ovh_subsidiary'];

/**
 * The plan of an order, fixed instead of read from the catalog: the `ovh_order_cart` data source creates a cart at
 * every plan, and a plan code leaving the catalog would fail every plan of the stack. A month at default pricing, as
 * the provider's own docs and tests order a VPS (ovh/terraform-provider-ovh v2.19.0: docs/resources/vps.md,
 * ovh/resource_vps_test.go). Its private database test orders P1M too, with the catalog's pricing mode, and its project
 * docs read both from the catalog: for those two, `default` is this project's choice, unverified against OVH. OVH
 * checks the plan at checkout, when ordering: a plan it refuses fails that apply, never a later plan.
 */
const MONTHLY = { duration: 'P1M', pricingMode: 'default' } as const;

/**
 * The order of a service: its plan code and its configurations (those left undefined are left out); none for one that
 * exists already, which is imported with no order fields at all, so that nothing is ever ordered for it.
 */
export function orderPlan(props: OvhServiceProps, planCode: string, configurations: Record<string, string | undefined> = {}) {
  if (props.service.existing) return undefined;
  const configuration = Object.entries(configurations).flatMap(([label, value]) => (value === undefined ? [] : [{ label, value }]));
  return { planCode, ...MONTHLY, configuration };
}

/**
 * How an ordering resource is bound: to the provider of the account that operates the service (orders are placed by
 * the ordering account; the service is then read and changed through the one that operates it), its order read once.
 * Orders leave `ovh_subsidiary` empty: the provider then orders in the ordering account's own subsidiary, read from
 * `GET /me` (ovh/terraform-provider-ovh v2.19.0, ovh/order.go `orderCreate`), which a client's account may not share
 * with the agency's. Its protection from destruction is the stack's (`constructs/protection.ts`).
 */
export function orderedThrough(props: OvhServiceProps) {
  return { provider: props.accounts.providerFor(props.service.operatedBy), lifecycle: { ignoreChanges: ORDERED_ONCE } };
}

/** A VPS's or private database's name at OVH: an imported one keeps OVH's unless the file sets one. */
export function displayName(props: OvhServiceProps<'vps' | 'privateDatabase'>): string | undefined {
  return props.service.settings.displayName ?? (props.service.existing ? undefined : props.service.name);
}

/**
 * What completes every service construct: the import of an existing service's resource, and its desired contacts,
 * declared once the service exists. Returns what the service's content waits for.
 */
export function completeService(
  scope: Construct,
  props: OvhServiceProps,
  serviceName: string,
  resource?: TerraformResource,
): ITerraformDependable[] {
  const { service } = props;
  if (service.existing) resource?.importFrom(service.existing, props.accounts.providerFor(service.operatedBy));
  const comesWith = props.comesWith?.resource ?? resource;
  const ready = comesWith ? [comesWith] : [];
  new ServiceContacts(scope, 'contacts', {
    service: service.id,
    kind: service.kind,
    serviceName,
    client: props.client,
    contacts: service.contacts,
    dependsOn: ready.length > 0 ? ready : undefined,
  });
  return ready;
}
