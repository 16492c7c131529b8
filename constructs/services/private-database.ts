import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { HostingPrivatedatabase } from '../../.gen/providers/ovh/hosting-privatedatabase';
import { completeService, displayName, orderedThrough, orderPlan, type IOvhService, type OvhServiceProps } from './ovh-service';

/**
 * A private database, ordered through the hosting account with its engine and datacenter
 * (ovh/terraform-provider-ovh v2.19.0 docs/resources/hosting_privatedatabase.md: configurations `dc` and `engine`);
 * OVH names it.
 */
export class PrivateDatabaseService extends Construct implements IOvhService {
  readonly serviceName: string;
  readonly resource: HostingPrivatedatabase;
  readonly ready: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: OvhServiceProps<'privateDatabase'>) {
    super(scope, id);
    const { plan, datacenter, engine } = props.service.settings;
    this.resource = new HostingPrivatedatabase(this, 'order', {
      ...orderedThrough(props),
      displayName: displayName(props),
      plan: orderPlan(props, plan, { dc: datacenter, engine }),
    });
    this.serviceName = this.resource.serviceName;
    this.ready = completeService(this, props, this.serviceName, this.resource);
  }
}
