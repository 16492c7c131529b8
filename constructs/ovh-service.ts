import type { ITerraformDependable, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { CloudProject } from '../.gen/providers/ovh/cloud-project';
import { DomainName } from '../.gen/providers/ovh/domain-name';
import { HostingPrivatedatabase } from '../.gen/providers/ovh/hosting-privatedatabase';
import { Vps } from '../.gen/providers/ovh/vps';
import type { AgencyFile } from '../config/schema';
import type { Service } from '../policy/plan';
import { ForgottenResource } from './forgotten-resource';
import type { OvhAccounts } from './ovh-accounts';
import { ServiceContacts } from './service-contacts';

export interface OvhServiceProps {
  readonly service: Service;
  readonly accounts: OvhAccounts;
  /** The OVH API endpoint: a Public Cloud project's plan code differs on `ovh-us`. */
  readonly endpoint: AgencyFile['ovh']['endpoint'];
  /** The client id, shown with the desired contacts. */
  readonly client: string;
  /**
   * What the service comes with: a DNS zone comes with its domain's order, and exists once that is applied.
   * @default the service's own order or import
   */
  readonly comesWith?: TerraformResource;
}

type Configuration = { label: string; value: string }[];

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
 * Read once, when ordering. Changing an existing service's offer is an upgrade at OVH, never a new order; without
 * this, a changed plan would replace a VPS or a domain, be stored without effect on a project or a private database,
 * or fail at apply (`changeEffect` in provider-schema/facts.ts). An imported service has none of them in its state.
 */
export const ORDERED_ONCE = ['plan', 'plan_option', 'ovh_subsidiary'];

/**
 * One billed OVH service: ordered through the account the procedure names, or imported when it exists already
 * (web hosting and e-mail offers are only declared, as Terraform cannot order them, and a DNS zone comes with its
 * domain); with its desired contacts. Its protection from destruction is the stack's (`Protection`).
 *
 * Orders leave `ovh_subsidiary` empty: the provider then orders in the ordering account's own subsidiary, read from
 * `GET /me` (ovh/terraform-provider-ovh v2.19.0, ovh/order.go `orderCreate`), which a client's account may not share
 * with the agency's.
 */
export class OvhService extends Construct {
  /** The OVH service name: literal when known in advance, else a reference to the ordered resource. */
  readonly serviceName: string;
  /** The ordering (or importing) resource; undefined for a service Terraform cannot order. */
  readonly resource?: TerraformResource;
  /** What the service's content (records, mailboxes, instances) waits for. */
  readonly ready: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: OvhServiceProps) {
    super(scope, id);
    const { service, accounts } = props;
    // Orders are placed by the ordering account; the service is read and changed through the account that operates it.
    const provider = accounts.providerFor(service.operatedBy);
    const lifecycle = { ignoreChanges: ORDERED_ONCE };
    const { existing } = service;
    /** An existing service is imported: no order fields at all, so that nothing is ever ordered for it. */
    const plan = (planCode: string, configuration: Configuration = []) => (existing ? undefined : { planCode, ...MONTHLY, configuration });
    const options = (entries: Record<string, string | undefined>): Configuration =>
      Object.entries(entries).flatMap(([label, value]) => (value === undefined ? [] : [{ label, value }]));
    /** A VPS's or private database's name at OVH: an imported one keeps OVH's unless the file sets one. */
    const displayName = (config: { displayName?: string }) => config.displayName ?? (existing ? undefined : service.name);

    switch (service.kind) {
      case 'domain':
        this.resource = new DomainName(this, 'order', { provider, lifecycle, domainName: service.name });
        this.serviceName = service.name;
        break;
      case 'dnsZone':
        // Never ordered: OVH adds the zone to the domain's order. An earlier version of this stack ordered or imported
        // it as `order`: forgotten, not terminated, should a state still hold it.
        new ForgottenResource(this, 'order', { type: 'ovh_domain_zone' });
        this.serviceName = service.name;
        break;
      case 'vps': {
        const { plan: planCode, datacenter, os } = service.config;
        // plan[0].configuration is always written, an empty list at least (see the facts of ovh_vps).
        const order = plan(planCode, options({ vps_datacenter: datacenter, vps_os: os }));
        const vps = new Vps(this, 'order', { provider, lifecycle, displayName: displayName(service.config), plan: order && [order] });
        this.resource = vps;
        this.serviceName = vps.serviceName;
        break;
      }
      case 'privateDatabase': {
        const { plan: planCode, datacenter, engine } = service.config;
        const database = new HostingPrivatedatabase(this, 'order', {
          provider,
          lifecycle,
          displayName: displayName(service.config),
          plan: plan(planCode, options({ dc: datacenter, engine })),
        });
        this.resource = database;
        this.serviceName = database.serviceName;
        break;
      }
      case 'cloudProject': {
        const project = new CloudProject(this, 'order', {
          provider,
          lifecycle,
          deletionProtection: service.config.deletionProtection,
          description: service.config.description,
          plan: plan(props.endpoint === 'ovh-us' ? 'project' : 'project.2018'),
        });
        this.resource = project;
        this.serviceName = project.projectId;
        break;
      }
      case 'emailDomain':
      case 'webHosting':
        this.serviceName = service.name;
        break;
    }
    if (existing) this.resource?.importFrom(existing, provider);
    const comesWith = props.comesWith ?? this.resource;
    this.ready = comesWith ? [comesWith] : [];

    new ServiceContacts(this, 'contacts', {
      service: service.id,
      kind: service.kind,
      serviceName: this.serviceName,
      client: props.client,
      contacts: service.contacts,
      dependsOn: this.ready.length > 0 ? this.ready : undefined,
    });
  }
}
