import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudProjectInstance } from '../.gen/providers/ovh/cloud-project-instance';
import type { InstanceConfig } from '../config/schema';
import { cloudConfig } from './cloud-init';

export interface InstanceProps {
  /** The Public Cloud project: the shared one, or the client's own. */
  projectId: string;
  config: InstanceConfig;
  /** The account that manages the project's content. */
  provider: TerraformProvider;
}

/** A Public Cloud instance, set up by cloud-init with its packages and git checkouts. */
export class Instance extends Construct {
  readonly instance: CloudProjectInstance;

  constructor(scope: Construct, id: string, { projectId, config, provider }: InstanceProps) {
    super(scope, id);
    this.instance = new CloudProjectInstance(this, 'instance', {
      provider,
      serviceName: projectId,
      region: config.region,
      name: config.name,
      billingPeriod: config.billingPeriod,
      bootFrom: { imageId: config.imageId },
      flavor: { flavorId: config.flavorId },
      network: { public: true },
      sshKey: config.sshKey ? { name: config.sshKey } : undefined,
      userData: cloudConfig(config),
      // Billed, and holds data: only a reviewed `decommission: true` may remove it.
      lifecycle: { preventDestroy: true },
    });
  }
}
