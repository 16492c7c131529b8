import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { ServiceKind } from '../../policy/service-kinds';
import { completeService, type IOvhService, type OvhServiceProps } from './ovh-service';

/**
 * A service Terraform cannot order (`policy/service-kinds.ts`: ordered by hand, which the runbook lists): declared, with
 * its desired contacts, under the name the file gives it. Each such kind's construct is one of these.
 */
export class DeclaredService<K extends ServiceKind> extends Construct implements IOvhService {
  readonly serviceName: string;
  readonly ready: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: OvhServiceProps<K>) {
    super(scope, id);
    this.serviceName = props.service.name;
    this.ready = completeService(this, props, this.serviceName);
  }
}

/** An e-mail offer: its mailboxes are the stack's (`constructs/mailboxes.ts`). */
export class EmailDomainService extends DeclaredService<'emailDomain'> {}

/** A web hosting offer. */
export class WebHostingService extends DeclaredService<'webHosting'> {}
