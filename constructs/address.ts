import type { TerraformResource } from 'cdktf';

/**
 * A resource's address, `type.name`, as Terraform's `replace_triggered_by` takes it: cdktf writes a reference given
 * there as an interpolation (`${type.name}`), which Terraform refuses in that meta-argument.
 */
export function addressOf(resource: TerraformResource): string {
  return `${resource.terraformResourceType}.${resource.friendlyUniqueId}`;
}
