import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudProjectSshKey } from '../.gen/providers/ovh/cloud-project-ssh-key';
import type { AgencyDeployKey } from '../policy/plan';

export interface DeployKeyProps {
  /** The Public Cloud project to register the key in. */
  readonly projectId: string;
  readonly key: AgencyDeployKey;
  /** The provider of the account that operates the project. */
  readonly provider: TerraformProvider;
}

/**
 * The agency's deploy key, registered in one Public Cloud project, so that its instances can name it
 * (`ssh_key.name` names a key the project has: ovh/terraform-provider-ovh v2.19.0, ovh/resource_cloud_project_instance.go,
 * "Existing SSH Keypair"). Registered in every region (no `region`). `service_name` is always set: left out, the
 * provider writes one to the state that the plan did not have, which Terraform refuses. The provider cannot import
 * SSH keys: a key of the same name registered by hand must be deleted first (or the deploy key renamed).
 */
export class DeployKey extends Construct {
  /** The key's name, as a reference: what names it waits for its registration. */
  readonly name: string;

  constructor(scope: Construct, id: string, { projectId, key, provider }: DeployKeyProps) {
    super(scope, id);
    this.name = new CloudProjectSshKey(this, 'key', { provider, serviceName: projectId, name: key.name, publicKey: key.publicKey }).name;
  }
}
