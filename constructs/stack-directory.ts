import { App, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { stackFolder } from '../core/environment';

/**
 * The folder cdktf writes the stack of `scope` into, `<outdir>/stacks/<stack>`: where Terraform runs, and so what
 * the stack's relative paths (local state, the contacts tool) start from.
 */
export function stackDirectory(scope: Construct): string {
  return stackFolder(App.of(scope).outdir, TerraformStack.of(scope).node.id);
}
