import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import type { StateBackend } from '../core/environment';
import { stackDirectory } from '../constructs/stack-directory';
import { backendBlock, S3_BACKEND_SETTINGS } from './backend-block';

/**
 * Gives `stack` its own state: a local file outside `cdktf.out` (which every synthesis replaces), or an
 * object in an OVHcloud Object Storage bucket, locked with a lock file. The bucket's credentials are read by
 * `terraform init` from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, never written into the stack.
 */
export function useStateBackend(stack: TerraformStack, state: StateBackend): void {
  const block = backendBlock(state, stack.node.id, stackDirectory(stack));
  if ('local' in block) {
    new LocalBackend(stack, block.local);
    return;
  }
  const { bucket, key, region, endpoints } = block.s3;
  const backend = new S3Backend(stack, { bucket, key, region, endpoints });
  // Written by their Terraform names: cdktf 0.21 has no typed option for use_lockfile (Terraform >= 1.10).
  for (const [setting, value] of Object.entries(S3_BACKEND_SETTINGS)) backend.addOverride(setting, value);
}
