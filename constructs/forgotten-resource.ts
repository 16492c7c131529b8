import { TerraformElement } from 'cdktf';
import type { Construct } from 'constructs';

export interface ForgottenResourceProps {
  /** The resource type an earlier version of the stack kept at this construct path, e.g. `ovh_domain_zone`. */
  readonly type: string;
}

/**
 * A `removed` block with `destroy = false` (Terraform 1.7 and later): a resource that an earlier version of the stack
 * kept at this construct path leaves Terraform's management, and stays at OVH. Placed at the old resource's path, it
 * names the old resource's address, since cdktf derives the address from the path. A state that never held the
 * resource is left as it is (Terraform plans nothing for it).
 */
export class ForgottenResource extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly props: ForgottenResourceProps,
  ) {
    super(scope, id);
  }

  override toTerraform(): Record<string, unknown> {
    return { removed: [{ from: `${this.props.type}.${this.friendlyUniqueId}`, lifecycle: { destroy: false } }] };
  }
}
