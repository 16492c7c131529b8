import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { Vps } from '../../.gen/providers/ovh/vps';
import { completeService, displayName, orderedThrough, orderPlan, type IOvhService, type OvhServiceProps } from './ovh-service';

/**
 * A VPS, ordered through the hosting account with the operating system and datacenter its order needs
 * (ovh/terraform-provider-ovh v2.19.0 docs/resources/vps.md: `vps_os` and `vps_datacenter`); OVH names it.
 */
export class VpsService extends Construct implements IOvhService {
  readonly serviceName: string;
  readonly resource: Vps;
  readonly ready: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: OvhServiceProps<'vps'>) {
    super(scope, id);
    const { plan, datacenter, os } = props.service.settings;
    const order = orderPlan(props, plan, { vps_datacenter: datacenter, vps_os: os });
    const bound = orderedThrough(props);
    this.resource = new Vps(this, 'order', {
      ...bound,
      displayName: displayName(props),
      // plan[0].configuration is always written, an empty list at least (see the facts of ovh_vps).
      plan: order && [order],
      // v2.19.0 only sends it with a rebuild (never here: no image_id) and never reads it back (ovh/resource_vps.go,
      // _gen.go MergeWith). Unset, an order leaves it unknown: terraform refuses that result and taints the new VPS,
      // which the next plan would order again. Set, it is kept from the configuration at creation only: ignored after,
      // so that an import or a rename plans no value the provider would not keep.
      doNotSendPassword: false,
      lifecycle: { ignoreChanges: [...bound.lifecycle.ignoreChanges, 'do_not_send_password'] },
    });
    this.serviceName = this.resource.serviceName;
    this.ready = completeService(this, props, this.serviceName, this.resource);
  }
}
