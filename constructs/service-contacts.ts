import * as path from 'node:path';
import { DataResource, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { Contacts } from '../policy/plan';
import { apiRoute, type ServiceKind } from '../policy/service-kinds';
import { stackDirectory } from './stack-directory';

export interface ServiceContactsProps {
  /** The service's id in its client's plan, stable across runs (e.g. `vps-staging`). */
  readonly service: string;
  readonly kind: ServiceKind;
  /** The OVH service name: a literal, or a reference to the ordering resource's computed name. */
  readonly serviceName: string;
  /** The stack: the client's id, or `agency`. */
  readonly client: string;
  readonly contacts: Contacts;
  /**
   * What the service exists after: its order (or its domain's, for a DNS zone), when this stack has one.
   * @default nothing: the service exists already, or is ordered by hand
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** The project folder, where `npm run contacts` works. */
const PROJECT_ROOT = path.resolve(__dirname, '..');

/**
 * `npm run contacts`'s script, run by node itself in the same folder: without npm's start, for less CPU time per run,
 * which an apply pays once per service.
 */
const CONTACTS_SCRIPT = 'node --require ./cli/bundle.cjs contacts/cli.ts';

/**
 * The desired contacts of one service, as the input of a `terraform_data` resource: the ovh provider has no
 * contact resource, so this is what plans and reviews show, and what the contacts tool reconciles.
 *
 * A change of the desired contacts replaces the resource, so `terraform plan` shows it as a change and applying
 * it runs the contacts tool for this one service, which requests the changes at OVH (the tool never requests
 * one twice). Its credentials are the TF_VAR_ovh_* variables Terraform already has in its environment.
 */
export class ServiceContacts extends Construct {
  readonly record: DataResource;

  constructor(scope: Construct, id: string, props: ServiceContactsProps) {
    super(scope, id);
    const input = {
      client: props.client,
      service: props.service,
      kind: props.kind,
      service_name: props.serviceName,
      api_route: apiRoute(props.kind, props.serviceName),
      contacts: props.contacts,
    };
    // Terraform runs the provisioner in the stack's folder; the path from there to the project is the same for the
    // staging folder main.ts synthesizes into, a sibling of the final outdir.
    const projectFromStack = path.relative(stackDirectory(this), PROJECT_ROOT) || '.';
    this.record = new DataResource(this, 'desired', {
      input,
      triggersReplace: input,
      dependsOn: props.dependsOn,
      provisioners: [
        {
          type: 'local-exec',
          // The OVH name comes from the provider: it reaches the shell as a variable, never as code.
          command: `cd "${projectFromStack}" && ${CONTACTS_SCRIPT} apply --client ${props.client} --service ${props.service} --service-name "$OVH_SERVICE_NAME"`,
          environment: { OVH_SERVICE_NAME: '${self.input.service_name}' },
        },
      ],
    });
  }
}
