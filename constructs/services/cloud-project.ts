import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { CloudProject } from '../../.gen/providers/ovh/cloud-project';
import { completeService, orderedThrough, orderPlan, type IOvhService, type OvhServiceProps } from './ovh-service';

/** A large client's own Public Cloud project, ordered through the cloud account, protected from deletion by OVH too. */
export class CloudProjectService extends Construct implements IOvhService {
  readonly serviceName: string;
  readonly resource: CloudProject;
  readonly ready: ITerraformDependable[];

  constructor(scope: Construct, id: string, props: OvhServiceProps<'cloudProject'>) {
    super(scope, id);
    const { settings } = props.service;
    this.resource = new CloudProject(this, 'order', {
      ...orderedThrough(props),
      deletionProtection: settings.deletionProtection,
      description: settings.description,
      plan: orderPlan(props, props.endpoint === 'ovh-us' ? 'project' : 'project.2018'),
    });
    this.serviceName = this.resource.projectId;
    this.ready = completeService(this, props, this.serviceName, this.resource);
  }
}
