import { TerraformOutput, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudProjectStorage } from '../.gen/providers/ovh/cloud-project-storage';
import { CloudProjectUser } from '../.gen/providers/ovh/cloud-project-user';
import { CloudProjectUserS3Credential } from '../.gen/providers/ovh/cloud-project-user-s3-credential';
import { CloudProjectUserS3Policy } from '../.gen/providers/ovh/cloud-project-user-s3-policy';

export interface BackupBucketProps {
  /** The Public Cloud project holding the bucket: the shared backup space, or the client's own project. */
  projectId: string;
  region: string;
  bucket: string;
  /** The bucket exists already: imported, not created. */
  existing?: boolean;
  /** The account that manages the project's content. */
  provider: TerraformProvider;
}

/**
 * An isolated backup bucket: its own S3 user, whose policy reaches this bucket and nothing else, so that
 * clients sharing a backup space never see each other's backups.
 */
export class BackupBucket extends Construct {
  constructor(scope: Construct, id: string, { projectId, region, bucket, existing, provider }: BackupBucketProps) {
    super(scope, id);
    const storage = new CloudProjectStorage(this, 'bucket', {
      provider,
      serviceName: projectId,
      regionName: region,
      name: bucket,
      versioning: { status: 'enabled' },
      lifecycle: { preventDestroy: true },
    });
    if (existing) storage.importFrom(`${projectId}/${region}/${bucket}`, provider);
    const user = new CloudProjectUser(this, 'user', {
      provider,
      serviceName: projectId,
      description: `backups to ${bucket} only`,
      roleNames: ['objectstore_operator'],
    });
    const credential = new CloudProjectUserS3Credential(this, 'credential', { provider, serviceName: projectId, userId: user.id });
    new CloudProjectUserS3Policy(this, 'policy', {
      provider,
      serviceName: projectId,
      userId: user.id,
      policy: JSON.stringify(bucketOnlyPolicy(bucket)),
    });
    const name = bucket.replace(/-/g, '_');
    new TerraformOutput(this, 'access-key', { value: credential.accessKeyId, description: `S3 access key of ${bucket}` }).overrideLogicalId(
      `backup_${name}_access_key_id`,
    );
    new TerraformOutput(this, 'secret-key', { value: credential.secretAccessKey, sensitive: true, description: `S3 secret of ${bucket}` }).overrideLogicalId(
      `backup_${name}_secret_access_key`,
    );
  }
}

/** Read, write and list this bucket's objects; nothing on any other bucket. */
export function bucketOnlyPolicy(bucket: string) {
  return {
    Statement: [
      {
        Sid: 'BackupBucketOnly',
        Effect: 'Allow',
        Action: [
          's3:GetObject',
          's3:PutObject',
          's3:DeleteObject',
          's3:ListBucket',
          's3:GetBucketLocation',
          's3:ListMultipartUploadParts',
          's3:ListBucketMultipartUploads',
          's3:AbortMultipartUpload',
        ],
        Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
      },
    ],
  };
}
