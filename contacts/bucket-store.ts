/**
 * The journal and the locks as objects in the remote state's bucket on OVHcloud Object Storage, through the AWS SDK's
 * S3 client with the same settings as Terraform's s3 backend (stacks/state-backend.ts): the endpoint, the region,
 * path-style addressing, and the AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY of the environment. A lock is created
 * with `If-None-Match: *`, the conditional write Terraform's `use_lockfile` relies on for its own lock, and removed
 * with `If-Match: <its ETag>`, S3's conditional delete (Amazon S3 User Guide, "How to perform conditional deletes";
 * DeleteObject's `IfMatch` in @aws-sdk/client-s3 3.1169.0): 204 when the ETag matches, 412 when the object changed,
 * 404 when it is gone. OVHcloud Object Storage documents neither conditional request (its "S3 compliancy" guide,
 * github:ovh/docs pages/storage_and_backup/object_storage/s3_s3_compliancy, lists operations, not headers): a store
 * that ignored `If-Match` on a delete would remove whatever lock is there, as before the holder token.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import type { StateBackend } from '../core/environment';
import type { ContactsStore, Stored } from './store';

type Bucket = Extract<StateBackend, { kind: 's3' }>;

const status = (error: unknown) => (error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined);

export class BucketStore implements ContactsStore {
  private readonly s3: S3Client;

  constructor(
    private readonly bucket: Bucket,
    env: NodeJS.ProcessEnv,
  ) {
    const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
    if (!accessKeyId || !secretAccessKey) {
      throw new Error(
        `the contacts journal is kept in the state bucket ${bucket.bucket}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, as for terraform init`,
      );
    }
    // The SDK warns, in eight lines on each run, that its releases after January 2027 will need Node.js 22; the version
    // pinned here runs on Node.js 20, this project's, so its documented switch (@aws-sdk/core) keeps the logs clean.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.s3 = new S3Client({
      endpoint: bucket.endpoint,
      region: bucket.region,
      forcePathStyle: true,
      credentials: { accessKeyId, secretAccessKey },
      // OVHcloud Object Storage does not compute the checksums recent AWS SDKs add by default.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  where(key: string): string {
    return `s3://${this.bucket.bucket}/${key}`;
  }

  async read(key: string): Promise<string | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket.bucket, Key: key }));
      return await object.Body!.transformToString('utf8');
    } catch (error) {
      if (status(error) === 404) return undefined;
      throw this.failure('read', key, error);
    }
  }

  async write(key: string, body: string): Promise<void> {
    try {
      await this.s3.send(new PutObjectCommand({ Bucket: this.bucket.bucket, Key: key, Body: body, ContentType: 'application/json' }));
    } catch (error) {
      throw this.failure('write', key, error);
    }
  }

  async create(key: string, body: string): Promise<string | undefined> {
    let etag: string | undefined;
    try {
      const written = await this.s3.send(
        new PutObjectCommand({ Bucket: this.bucket.bucket, Key: key, Body: body, IfNoneMatch: '*', ContentType: 'application/json' }),
      );
      etag = written.ETag;
    } catch (error) {
      // 412: it exists; 409: another conditional write on it is in progress.
      if (status(error) === 412 || status(error) === 409) return undefined;
      throw this.failure('create', key, error);
    }
    return this.version(key, etag);
  }

  async stored(key: string): Promise<Stored | undefined> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket.bucket, Key: key }));
      const body = await object.Body!.transformToString('utf8');
      return { body, version: this.version(key, object.ETag), writtenAt: object.LastModified?.getTime() };
    } catch (error) {
      if (status(error) === 404) return undefined;
      throw this.failure('read', key, error);
    }
  }

  async removeIf(key: string, version: string): Promise<boolean> {
    try {
      await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket.bucket, Key: key, IfMatch: version }));
      return true;
    } catch (error) {
      // 412: it holds another version; 404: it is gone; 409: a write or delete of it went first.
      if ([412, 404, 409].includes(status(error) ?? 0)) return false;
      throw this.failure('delete', key, error);
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    try {
      do {
        const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket.bucket, Prefix: prefix, ContinuationToken: token }));
        keys.push(...(page.Contents ?? []).flatMap((object) => (object.Key ? [object.Key] : [])));
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw this.failure('list', prefix, error);
    }
    return keys;
  }

  /** An object's version is its ETag, which S3 gives with every object (the API reference of PutObject and GetObject). */
  private version(key: string, etag: string | undefined): string {
    if (!etag)
      throw new Error(`${this.where(key)}: the store answered without the object's ETag, which removing it only while unchanged needs`);
    return etag;
  }

  /** The S3 error's code and status, never the request's credentials. */
  private failure(action: string, key: string, error: unknown): Error {
    const detail =
      error instanceof S3ServiceException ? `${error.name} (HTTP ${error.$metadata.httpStatusCode ?? '?'})` : (error as Error).message;
    return new Error(`cannot ${action} ${this.where(key)}: ${detail}`);
  }
}
