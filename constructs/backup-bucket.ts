import { DataResource, TerraformOutput, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { CloudProjectStorage } from '../.gen/providers/ovh/cloud-project-storage';
import { CloudProjectStorageObjectBucketLifecycleConfiguration } from '../.gen/providers/ovh/cloud-project-storage-object-bucket-lifecycle-configuration';
import { CloudProjectUser } from '../.gen/providers/ovh/cloud-project-user';
import { CloudProjectUserS3Credential } from '../.gen/providers/ovh/cloud-project-user-s3-credential';
import { CloudProjectUserS3Policy } from '../.gen/providers/ovh/cloud-project-user-s3-policy';
import { backupKeyOutputs } from '../policy/naming';
import { addressOf } from './address';

export interface BackupBucketProps {
  /** The Public Cloud project holding the bucket: the shared backup space, or the client's own project. */
  readonly projectId: string;
  readonly region: string;
  readonly bucket: string;
  /**
   * The bucket exists already: imported, not created.
   * @default false
   */
  readonly existing?: boolean;
  /**
   * An S3 user of its own, with keys and a policy that reach this bucket only.
   * @default true for a new bucket, false for an existing one (which has its users already)
   */
  readonly credentials?: boolean;
  /**
   * Days an overwritten or deleted version is kept before it expires.
   * @default 30
   */
  readonly keepOldVersionsDays?: number;
  /** The provider of the account that operates the project. */
  readonly provider: TerraformProvider;
}

/**
 * An isolated backup bucket, versioned, whose old versions expire; with, unless it exists already, its own S3 user
 * whose policy reaches this bucket and nothing else, so that clients sharing a backup space never see each other's
 * backups.
 *
 * A bucket never moves between projects. The provider updates `service_name` in place, after which the next refresh
 * loses the bucket from the state and the apply after makes an empty one (provider-schema/facts.ts): so a new project
 * replaces the bucket instead (`replace_triggered_by` its placement), which its protection refuses (`Protection`).
 */
export class BackupBucket extends Construct {
  constructor(
    scope: Construct,
    id: string,
    { projectId, region, bucket, existing = false, credentials = !existing, keepOldVersionsDays = 30, provider }: BackupBucketProps,
  ) {
    super(scope, id);
    const placement = new DataResource(this, 'placement', { input: { service_name: projectId } });
    const storage = new CloudProjectStorage(this, 'bucket', {
      provider,
      serviceName: projectId,
      regionName: region,
      name: bucket,
      versioning: { status: 'enabled' },
      // Otherwise every object key and version is copied into the state at each refresh (ovh/resource_cloud_project_storage.go).
      hideObjects: true,
      lifecycle: { replaceTriggeredBy: [addressOf(placement)] },
    });
    if (existing) storage.importFrom(`${projectId}/${region}/${bucket}`, provider);
    // Versions replaced or deleted stay restorable for a while, then expire: with versioning alone they pile up forever.
    // service_name and each rule's id are set: left out, they turn unknown at any change and replace the configuration.
    new CloudProjectStorageObjectBucketLifecycleConfiguration(this, 'old-versions', {
      provider,
      serviceName: projectId,
      regionName: region,
      containerName: storage.name,
      rules: [
        {
          id: 'old-versions',
          status: 'enabled',
          noncurrentVersionExpiration: { noncurrentDays: keepOldVersionsDays },
          expiration: { expiredObjectDeleteMarker: true },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    });
    if (credentials) this.addCredentials(projectId, bucket, provider);
  }

  /** A user of its own, its bucket-only policy, then its keys: no key ever exists without the policy that limits it. */
  private addCredentials(projectId: string, bucket: string, provider: TerraformProvider): void {
    const user = new CloudProjectUser(this, 'user', {
      provider,
      serviceName: projectId,
      description: `backups to ${bucket} only`,
      roleNames: ['objectstore_operator'],
    });
    // Nothing in the provider orders the two (ovh/resource_cloud_project_user_s3_policy.go): the keys wait for the policy.
    const policy = new CloudProjectUserS3Policy(this, 'policy', {
      provider,
      serviceName: projectId,
      userId: user.id,
      policy: JSON.stringify(bucketOnlyPolicy(bucket)),
    });
    const credential = new CloudProjectUserS3Credential(this, 'credential', {
      provider,
      serviceName: projectId,
      userId: user.id,
      dependsOn: [policy],
    });
    const outputs = backupKeyOutputs(bucket);
    new TerraformOutput(this, 'access-key', { value: credential.accessKeyId, description: `S3 access key of ${bucket}` }).overrideLogicalId(
      outputs.accessKeyId,
    );
    new TerraformOutput(this, 'secret-key', {
      value: credential.secretAccessKey,
      sensitive: true,
      description: `S3 secret of ${bucket}`,
    }).overrideLogicalId(outputs.secretAccessKey);
  }
}

/**
 * Read, write and list this bucket's objects; nothing on any other bucket. Only actions OVH's Object Storage
 * supports in a user policy: its IAM guide lists ten (ovh/docs, pages/storage_and_backup/object_storage/
 * s3_identity_and_access_management/guide.en-gb.md, "List of supported actions"), none of them about versions
 * (no s3:GetObjectVersion, s3:ListBucketVersions or s3:DeleteObjectVersion), so none is granted here; old versions
 * expire by the bucket's lifecycle rule.
 */
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
