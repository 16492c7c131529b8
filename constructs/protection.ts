import { TerraformResource, TerraformStack, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { isProtected } from '../policy/protection';

export interface ProtectionProps {
  /**
   * Construct paths under the stack that the client file lets be replaced (`replace: true`): the plan's `replaceable`.
   * @default none
   */
  readonly replaceable?: readonly string[];
}

/**
 * Sets `lifecycle.prevent_destroy` on every resource the procedure protects (`policy/protection.ts`), at synthesis,
 * so that no construct can forget it; and fails the synthesis of a stack where a construct turned it off on one
 * the plan does not let be replaced. Added once per stack: `Aspects.of(stack).add(new Protection(...))`.
 */
export class Protection implements IAspect {
  private readonly replaceable: readonly string[];

  constructor(props: ProtectionProps = {}) {
    this.replaceable = props.replaceable ?? [];
  }

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const path = node.node.path.slice(TerraformStack.of(node).node.path.length + 1);
    const preventDestroy = isProtected(node.terraformResourceType, path, this.replaceable);
    if (preventDestroy === undefined) return;
    if (preventDestroy && node.lifecycle?.preventDestroy === false) {
      throw new Error(
        `${path} (${node.terraformResourceType}) is protected from destruction (policy/protection.ts), but its construct turns prevent_destroy off`,
      );
    }
    node.lifecycle = { ...node.lifecycle, preventDestroy };
  }
}
