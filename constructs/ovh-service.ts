import type { TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { CloudProject } from '../.gen/providers/ovh/cloud-project';
import { DataOvhOrderCartProductPlan } from '../.gen/providers/ovh/data-ovh-order-cart-product-plan';
import { DomainName } from '../.gen/providers/ovh/domain-name';
import { DomainZone } from '../.gen/providers/ovh/domain-zone';
import { HostingPrivatedatabase } from '../.gen/providers/ovh/hosting-privatedatabase';
import { Vps } from '../.gen/providers/ovh/vps';
import type { AgencyFile } from '../config/schema';
import type { Service } from '../policy/procedure';
import type { OvhAccounts } from './ovh-accounts';
import { ServiceContacts } from './service-contacts';

export interface OvhServiceProps {
  service: Service;
  accounts: OvhAccounts;
  ovh: AgencyFile['ovh'];
  /** The client id, shown with the desired contacts. */
  client: string;
}

type Configuration = { label: string; value: string }[];

/**
 * One billed OVH service: ordered through the account the procedure names, or imported when it exists already
 * (web hosting and e-mail offers are only declared, as Terraform cannot order them); protected from
 * destruction; with its desired contacts.
 */
export class OvhService extends Construct {
  /** The OVH service name: literal when known in advance, else a reference to the ordered resource. */
  readonly serviceName: string;
  /** The ordering resource; undefined for a service Terraform cannot order. */
  readonly resource?: TerraformResource;

  constructor(scope: Construct, id: string, props: OvhServiceProps) {
    super(scope, id);
    const { service, accounts, ovh } = props;
    // Orders are placed by the ordering account; the service is read and changed through the account that operates it.
    const provider = accounts.providerFor(service.managedBy);
    const lifecycle = { preventDestroy: true };
    const { existing } = service;
    // An existing service is imported: no order fields at all, so that nothing is ever ordered for it.
    const ordering = existing ? {} : { ovhSubsidiary: ovh.subsidiary };

    /** Duration and pricing mode come from the catalog, so only the plan code is ours to choose. */
    const catalogPlan = (product: string, planCode: string, configuration: Configuration = []) => {
      if (existing) return undefined;
      const plan = new DataOvhOrderCartProductPlan(this, 'catalog', {
        provider: accounts.providerFor(service.orderedBy),
        cartId: accounts.cartFor(service.orderedBy).id,
        product,
        planCode,
        priceCapacity: 'renew',
      });
      const price = plan.selectedPrice.get(0);
      return { planCode: plan.planCode, duration: price.duration, pricingMode: price.pricingMode, configuration };
    };
    const options = (entries: Record<string, string | undefined>): Configuration =>
      Object.entries(entries).flatMap(([label, value]) => (value === undefined ? [] : [{ label, value }]));

    switch (service.kind) {
      case 'domain':
        this.resource = new DomainName(this, 'order', { provider, lifecycle, domainName: service.name, ...ordering });
        this.serviceName = service.name;
        break;
      case 'dnsZone': {
        const zone = new DomainZone(this, 'order', {
          provider,
          lifecycle,
          ...ordering,
          plan: catalogPlan('dns', 'zone', options({ zone: service.name, template: 'minimized' })),
        });
        this.resource = zone;
        this.serviceName = zone.name;
        break;
      }
      case 'vps': {
        const { plan, datacenter, os } = service.config;
        const order = catalogPlan('vps', plan, options({ vps_datacenter: datacenter, vps_os: os }));
        const vps = new Vps(this, 'order', { provider, lifecycle, ...ordering, displayName: service.name, plan: order && [order] });
        this.resource = vps;
        this.serviceName = vps.serviceName;
        break;
      }
      case 'privateDatabase': {
        const { plan, datacenter, engine } = service.config;
        const database = new HostingPrivatedatabase(this, 'order', {
          provider,
          lifecycle,
          ...ordering,
          displayName: service.name,
          plan: catalogPlan('privateSQL', plan, options({ dc: datacenter, engine })),
        });
        this.resource = database;
        this.serviceName = database.serviceName;
        break;
      }
      case 'cloudProject': {
        const project = new CloudProject(this, 'order', {
          provider,
          lifecycle,
          deletionProtection: true,
          ...ordering,
          description: service.config.description,
          plan: catalogPlan('cloud', ovh.endpoint === 'ovh-us' ? 'project' : 'project.2018'),
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

    new ServiceContacts(this, 'contacts', {
      service: service.id,
      kind: service.kind,
      serviceName: this.serviceName,
      client: props.client,
      contacts: service.contacts,
      dependsOn: this.resource ? [this.resource] : undefined,
    });
  }
}
