/**
 * A stand-in of an S3-compatible object store (OVHcloud Object Storage as Terraform's s3 backend uses it), on
 * 127.0.0.1 over HTTP, path-style, for the contacts journal and locks with remote state. What it keeps of S3
 * (Amazon S3 API reference: PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2): objects by key,
 * `If-None-Match: *` answered 412 PreconditionFailed when the key exists, 404 NoSuchKey, a `Last-Modified`
 * header, an `ETag` (the MD5 digest of the content, quoted, as S3 gives for an object put whole and not encrypted
 * with a customer's key), a conditional delete (`If-Match`: the object's ETag or `*`; 412 PreconditionFailed when it
 * differs, 404 NoSuchKey when the object is gone, as the Amazon S3 User Guide's "How to perform conditional deletes"
 * says), ListObjectsV2's XML with a prefix; every request must carry a SigV4 `Authorization` naming the expected
 * access key (the signature itself is not recomputed).
 */
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

interface StoredObject {
  body: string;
  modified: Date;
}

const xml = (body: string) => `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
const etagOf = (object: StoredObject) => `"${createHash('md5').update(object.body).digest('hex')}"`;
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export class S3Standin {
  readonly objects = new Map<string, StoredObject>();
  /** Every request, as `METHOD key` (or `LIST prefix`). */
  readonly requests: string[] = [];

  private constructor(
    private readonly server: http.Server,
    readonly bucket: string,
    readonly accessKeyId: string,
  ) {}

  static async start(bucket = 'iac-state', accessKeyId = 'AKIASTANDIN'): Promise<S3Standin> {
    const server = http.createServer();
    const standin = new S3Standin(server, bucket, accessKeyId);
    server.on('request', (req, res) => void standin.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return standin;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body = '';
    for await (const chunk of req) body += chunk;
    const url = new URL(req.url!, 'http://127.0.0.1');
    const [bucket, ...rest] = url.pathname.slice(1).split('/');
    const key = decodeURIComponent(rest.join('/'));
    const error = (status: number, code: string) => {
      res.writeHead(status, { 'Content-Type': 'application/xml' });
      res.end(req.method === 'HEAD' ? undefined : xml(`<Error><Code>${code}</Code><Message>${code}</Message></Error>`));
    };
    if (!String(req.headers.authorization ?? '').startsWith(`AWS4-HMAC-SHA256 Credential=${this.accessKeyId}/`))
      return error(403, 'AccessDenied');
    if (bucket !== this.bucket) return error(404, 'NoSuchBucket');
    if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
      const prefix = url.searchParams.get('prefix') ?? '';
      this.requests.push(`LIST ${prefix}`);
      const contents = [...this.objects]
        .filter(([name]) => name.startsWith(prefix))
        .map(
          ([name, object]) =>
            `<Contents><Key>${escape(name)}</Key><LastModified>${object.modified.toISOString()}</LastModified><Size>${Buffer.byteLength(object.body)}</Size></Contents>`,
        );
      res.writeHead(200, { 'Content-Type': 'application/xml' });
      return void res.end(
        xml(
          `<ListBucketResult><Name>${this.bucket}</Name><Prefix>${escape(prefix)}</Prefix><KeyCount>${contents.length}</KeyCount><IsTruncated>false</IsTruncated>${contents.join('')}</ListBucketResult>`,
        ),
      );
    }
    this.requests.push(`${req.method} ${key}`);
    const object = this.objects.get(key);
    switch (req.method) {
      case 'PUT':
        if (req.headers['if-none-match'] === '*' && object) return error(412, 'PreconditionFailed');
        this.objects.set(key, { body, modified: new Date() });
        res.writeHead(200, { ETag: etagOf(this.objects.get(key)!) });
        return void res.end();
      case 'GET':
      case 'HEAD':
        if (!object) return error(404, 'NoSuchKey');
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(object.body),
          'Last-Modified': object.modified.toUTCString(),
          ETag: etagOf(object),
        });
        return void res.end(req.method === 'GET' ? object.body : undefined);
      case 'DELETE': {
        const expected = req.headers['if-match'];
        if (expected !== undefined && !object) return error(404, 'NoSuchKey');
        if (expected !== undefined && expected !== '*' && expected !== etagOf(object!)) return error(412, 'PreconditionFailed');
        this.objects.delete(key);
        res.writeHead(204);
        return void res.end();
      }
      default:
        return error(405, 'MethodNotAllowed');
    }
  }
}
