import * as path from 'node:path';
import { LocalBackend, S3Backend, type TerraformStack } from 'cdktf';
import { localStateFile, type StateBackend } from '../config/environment';
import { stackDirectory } from '../constructs/stack-directory';

/**
 * Gives `stack` its own state: a local file outside `cdktf.out` (which every synthesis replaces), or an
 * object in an OVHcloud Object Storage bucket, locked with a lock file. The bucket's credentials are read by
 * `terraform init` from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, never written into the stack.
 */
export function useStateBackend(stack: TerraformStack, state: StateBackend): void {
  const name = stack.node.id;
  if (state.kind === 'local') {
    new LocalBackend(stack, { path: path.relative(stackDirectory(stack), localStateFile(state, name)) });
    return;
  }
  const backend = new S3Backend(stack, {
    bucket: state.bucket,
    key: `${name}/terraform.tfstate`,
    region: state.region,
    endpoints: { s3: state.endpoint },
    skipCredentialsValidation: true,
    skipRegionValidation: true,
    skipRequestingAccountId: true,
    skipS3Checksum: true,
    usePathStyle: true,
  });
  // Terraform >= 1.10 locks S3 state with a lock object; cdktf 0.21 has no typed option for it yet.
  backend.addOverride('use_lockfile', true);
}
