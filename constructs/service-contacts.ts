import { DataResource, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { Contacts, ServiceKind } from '../policy/procedure';
import { apiRoute } from '../policy/ovh-services';

export interface ServiceContactsProps {
  /** The service's id in its client's plan, stable across runs (e.g. `vps-staging`). */
  service: string;
  kind: ServiceKind;
  /** The OVH service name: a literal, or a reference to the ordering resource's computed name. */
  serviceName: string;
  client: string;
  contacts: Contacts;
  /** The resource that orders the service, when this stack orders it. */
  dependsOn?: ITerraformDependable[];
}

/**
 * The desired contacts of one service, as the input of a `terraform_data` resource: the ovh provider has no
 * contact resource, so this is what plans and reviews show, and what the contacts tool reconciles.
 */
export class ServiceContacts extends Construct {
  readonly record: DataResource;

  constructor(scope: Construct, id: string, props: ServiceContactsProps) {
    super(scope, id);
    this.record = new DataResource(this, 'desired', {
      input: {
        client: props.client,
        service: props.service,
        kind: props.kind,
        service_name: props.serviceName,
        api_route: apiRoute(props.kind, props.serviceName),
        contacts: props.contacts,
      },
      dependsOn: props.dependsOn,
    });
  }
}
