import { Aspects, TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { DataOvhCloudProject } from '../.gen/providers/ovh/data-ovh-cloud-project';
import type { StateBackend } from '../core/environment';
import { DeployKey } from '../constructs/deploy-key';
import { OvhAccounts } from '../constructs/ovh-accounts';
import { Protection } from '../constructs/protection';
import { ServiceContacts } from '../constructs/service-contacts';
import { AGENCY_STACK, DEPLOY_KEY_ID } from '../policy/naming';
import type { AgencyPlan } from '../policy/plan';
import { useStateBackend } from './state-backend';
import { terraformLiteral } from './terraform-literal';

export interface AgencyStackProps {
  readonly plan: AgencyPlan;
  readonly state: StateBackend;
}

/**
 * What the agency shares between standard clients: the YB Cloud project and the backup space. They already
 * exist; this stack checks that they do and declares their contacts, which stay with the cloud account. It registers
 * the agency's deploy key in the shared project, where standard clients' instances run: apply it before them.
 */
export class AgencyStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: AgencyStackProps) {
    super(scope, id);
    // The agency's plan, made from its file, becomes construct input here, literal for Terraform (see ClientStack).
    const plan = terraformLiteral(props.plan);
    useStateBackend(this, props.state);
    Aspects.of(this).add(new Protection());
    const provider = new OvhAccounts(this, 'accounts', { endpoint: plan.endpoint }).providerFor(plan.cloud);
    for (const project of plan.sharedProjects) {
      const id = project.serviceId;
      const found = new DataOvhCloudProject(this, id, { provider, serviceName: project.id });
      new ServiceContacts(this, `${id}-contacts`, {
        service: id,
        kind: 'cloudProject',
        serviceName: project.id,
        client: AGENCY_STACK,
        contacts: project.contacts,
      });
      new TerraformOutput(this, `${id}-status`, { value: found.status, description: `status of ${project.name}` });
    }
    if (plan.deployKey) new DeployKey(this, DEPLOY_KEY_ID, { projectId: plan.instancesProject, key: plan.deployKey, provider });
  }
}
