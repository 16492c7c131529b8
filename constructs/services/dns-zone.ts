import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { ForgottenResource } from '../forgotten-resource';
import { completeService, type IOvhService, type OvhServiceProps } from './ovh-service';

/**
 * A domain's DNS zone: never ordered, since OVH adds the zone to the domain's order (`policy/service-kinds.ts`); its
 * records wait for that order. An earlier version of this stack ordered or imported it as `order`: forgotten, not
 * terminated, should a state still hold it.
 */
export class DnsZoneService extends Construct implements IOvhService {
  readonly serviceName: string;
  readonly ready: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: OvhServiceProps<'dnsZone'>) {
    super(scope, id);
    new ForgottenResource(this, 'order', { type: 'ovh_domain_zone' });
    this.serviceName = props.service.name;
    this.ready = completeService(this, props, this.serviceName);
  }
}
