import { DataResource, TerraformLocal, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudProjectInstance } from '../.gen/providers/ovh/cloud-project-instance';
import { DataOvhCloudProjectFlavors } from '../.gen/providers/ovh/data-ovh-cloud-project-flavors';
import { DataOvhCloudProjectImages } from '../.gen/providers/ovh/data-ovh-cloud-project-images';
import type { InstanceSettings } from '../policy/plan';
import { cloudConfig } from './cloud-init';
import { addressOf } from './address';

export interface InstanceProps {
  /** The Public Cloud project: the shared one, or the client's own. */
  readonly projectId: string;
  readonly config: InstanceSettings;
  /** The SSH key, registered in the project, that the instance is built with. */
  readonly sshKey: string;
  /** The provider of the account that operates the project. */
  readonly provider: TerraformProvider;
}

/**
 * What the provider cannot change on an existing instance, yet does not replace it for: ovh_cloud_project_instance has
 * no update, and SDKv2's ForceNew on a block only sees the number of blocks, so a new flavor, image or key name plans
 * an update that fails at apply (provider-schema/facts.ts). The instance is instead replaced when one of these values,
 * as the file writes them, changes: a name looked up anew (OVH publishes new builds of "Debian 12" under new ids)
 * never replaces anything.
 */
const REBUILT_ON = ['flavor', 'boot_from', 'ssh_key'];

/**
 * A Public Cloud instance, set up by cloud-init with its packages and git checkouts.
 *
 * - cloud-init runs at the first boot only, so a change of packages or checkouts applies to new instances: the
 *   existing one is left as it is (`ignore_changes`), instead of being replaced for it.
 * - A change that needs a new instance (flavor, image, SSH key here; region, name or project by the provider's own
 *   rules) plans a replacement, which its protection (`Protection`) refuses unless the file says `replace: true`.
 * - A flavor or image given by name is looked up in the project's region at each plan (`ovh_cloud_project_flavors`,
 *   `ovh_cloud_project_images`); the file's name reaches Terraform as a literal, never inside an expression.
 */
export class Instance extends Construct {
  readonly instance: CloudProjectInstance;

  constructor(scope: Construct, id: string, { projectId, config, sshKey, provider }: InstanceProps) {
    super(scope, id);
    const where = `in region ${config.region} of the project`;
    const choices = new DataResource(this, 'rebuilt-on', {
      input: { flavor: config.flavor ?? config.flavorId, image: config.image ?? config.imageId, ssh_key: sshKey },
    });
    this.instance = new CloudProjectInstance(this, 'instance', {
      provider,
      serviceName: projectId,
      region: config.region,
      name: config.name,
      billingPeriod: config.billingPeriod,
      bootFrom: { imageId: config.imageId ?? this.imageByName(projectId, config.region, config.image!, where, provider) },
      flavor: { flavorId: config.flavorId ?? this.flavorByName(projectId, config.region, config.flavor!, where, provider) },
      network: { public: true },
      sshKey: { name: sshKey },
      userData: cloudConfig(config),
      lifecycle: {
        ignoreChanges: ['user_data', ...REBUILT_ON],
        replaceTriggeredBy: [addressOf(choices)],
      },
    });
  }

  /** The id of the flavor of that name (`name_filter` matches exactly; the result is a set). */
  private flavorByName(serviceName: string, region: string, name: string, where: string, provider: TerraformProvider): string {
    const flavors = new DataOvhCloudProjectFlavors(this, 'flavor', {
      provider,
      serviceName,
      region,
      nameFilter: name,
      lifecycle: { postcondition: [{ condition: '${length(self.flavors) > 0}', errorMessage: `No flavor is named "${name}" ${where}.` }] },
    });
    return `\${tolist(${flavors.fqn}.flavors)[0].id}`;
  }

  /** The id of the first image of that name: the data source has no name filter, so the name is compared in Terraform. */
  private imageByName(serviceName: string, region: string, name: string, where: string, provider: TerraformProvider): string {
    const imageName = new TerraformLocal(this, 'image-name', name);
    const named = (images: string) => `[for image in ${images} : image.id if image.name == ${imageName.fqn}]`;
    const images = new DataOvhCloudProjectImages(this, 'image', {
      provider,
      serviceName,
      region,
      lifecycle: {
        postcondition: [{ condition: `\${length(${named('self.images')}) > 0}`, errorMessage: `No image is named "${name}" ${where}.` }],
      },
    });
    return `\${${named(`${images.fqn}.images`)}[0]}`;
  }
}
