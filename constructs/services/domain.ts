import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { DomainName } from '../../.gen/providers/ovh/domain-name';
import { completeService, orderedThrough, type IOvhService, type OvhServiceProps } from './ovh-service';

/** A domain name, ordered through the client's own account (the client's data is its owner from the start). */
export class DomainService extends Construct implements IOvhService {
  readonly serviceName: string;
  readonly resource: DomainName;
  readonly ready: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: OvhServiceProps<'domain'>) {
    super(scope, id);
    this.resource = new DomainName(this, 'order', { ...orderedThrough(props), domainName: props.service.name });
    this.serviceName = props.service.name;
    this.ready = completeService(this, props, this.serviceName, this.resource);
  }
}
