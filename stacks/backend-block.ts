/**
 * The `terraform.backend` block a stack holds, as Terraform reads it from `cdk.tf.json`: written by the synthesis
 * (state-backend.ts) and expected, to the key, by the plan guard (ci/plan-guard.ts) before any job plans with
 * credentials. One definition, so that the two never differ.
 */
import * as path from 'node:path';
import { localStateFile, type StateBackend } from '../core/environment';

/**
 * What the agency's S3 backend sets besides the bucket, key, region and endpoint. OVHcloud Object Storage is not
 * AWS: no STS to validate credentials against, regions AWS does not know, no account id, no AWS checksums, and
 * path-style addresses. Terraform 1.10 and later lock the state with a lock object (`use_lockfile`).
 */
export const S3_BACKEND_SETTINGS = {
  skip_credentials_validation: true,
  skip_region_validation: true,
  skip_requesting_account_id: true,
  skip_s3_checksum: true,
  use_lockfile: true,
  use_path_style: true,
} as const;

export type BackendBlock =
  | { local: { path: string } }
  | {
      s3: { bucket: string; key: string; region: string; endpoints: { s3: string } } & typeof S3_BACKEND_SETTINGS;
    };

/** The remote state's key of a stack in the bucket. */
export const stateKey = (stack: string) => `${stack}/terraform.tfstate`;

/** The backend of `stack`, whose folder is `stackDir` (local state is a path relative to it). */
export function backendBlock(state: StateBackend, stack: string, stackDir: string): BackendBlock {
  if (state.kind === 'local') return { local: { path: path.relative(stackDir, localStateFile(state, stack)) } };
  return {
    s3: { bucket: state.bucket, key: stateKey(stack), region: state.region, endpoints: { s3: state.endpoint }, ...S3_BACKEND_SETTINGS },
  };
}
