/**
 * The provider stand-in's world: what "exists at OVH" between Terraform runs, kept in a folder
 * (`OVH_IAC_STANDIN_WORLD`) that every provider process of a run shares.
 *
 * - `accounts.json`: the account registry, `{accounts: [{key, nichandle, credentials, contactIds}]}`; `credentials`
 *   is the SHA-256 of application key, secret and consumer key (each followed by a newline), so the world holds no
 *   secret and a provider process still knows which account its credentials are.
 * - `objects/<sha1 of route>.json`: one object a file, `{route, type, attributes, account}`, by its OVH API route
 *   (`/vps/vps-1a2b3c4d.vps.ovh.net`), written whole and renamed into place. Sensitive attributes are never stored.
 * - `record.jsonl`: every action, one JSON object a line (see `RecordEntry`); appended, never rewritten.
 * - `ovh-api.json` (optional): `{url, adminToken, certificateFile}` of the OVH API stand-in, told of every billed
 *   service ordered or terminated.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ObjectValue } from './values';

export const WORLD_VARIABLE = 'OVH_IAC_STANDIN_WORLD';
/** The stack Terraform runs for, when the harness says so: recorded with each action. */
export const STACK_VARIABLE = 'OVH_IAC_STANDIN_STACK';

export interface WorldAccount {
  /** The provider alias / account key, e.g. `cedricfrancoys`. */
  key: string;
  nichandle: string;
  credentials: string;
  /** The account's `/me/contact` ids: a domain it orders gets one as its owner. */
  contactIds: number[];
}

export interface WorldObject {
  route: string;
  /** The resource type that manages it (`ovh_vps`), or what it is when no resource manages it (`email_domain`). */
  type: string;
  attributes: ObjectValue;
  /** The key of the account that ordered or created it. */
  account: string;
}

export type Action = 'create' | 'update' | 'delete' | 'import' | 'read' | 'read-data' | 'refuse';

export interface RecordEntry {
  at: string;
  /** The stack Terraform was run for, when the harness set it. */
  stack?: string;
  action: Action;
  type: string;
  /** The object's id (its route for OVH objects; what the provider calls it otherwise). */
  id: string;
  /** The acting account's key (its provider alias) and nichandle; absent for providers without accounts. */
  account?: string;
  nichandle?: string;
  /** Why an action was refused (the provider's error), for `refuse`. */
  reason?: string;
}

export interface OvhApiLink {
  url: string;
  adminToken: string;
  certificateFile: string;
}

export function credentialsDigest(credentials: { applicationKey: string; applicationSecret: string; consumerKey: string }): string {
  const hash = createHash('sha256');
  for (const part of [credentials.applicationKey, credentials.applicationSecret, credentials.consumerKey]) hash.update(`${part}\n`);
  return hash.digest('hex');
}

export class World {
  private constructor(readonly dir: string) {}

  /** A new, empty world in `dir`, with its account registry. */
  static create(dir: string, accounts: WorldAccount[], ovhApi?: OvhApiLink): World {
    fs.mkdirSync(path.join(dir, 'objects'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'accounts.json'), JSON.stringify({ accounts }, null, 2));
    if (ovhApi) fs.writeFileSync(path.join(dir, 'ovh-api.json'), JSON.stringify(ovhApi), { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'record.jsonl'), '');
    return new World(dir);
  }

  static open(dir: string): World {
    if (!fs.existsSync(path.join(dir, 'accounts.json'))) throw new Error(`${dir} is not a provider stand-in world (no accounts.json)`);
    return new World(dir);
  }

  accounts(): WorldAccount[] {
    return (JSON.parse(fs.readFileSync(path.join(this.dir, 'accounts.json'), 'utf8')) as { accounts: WorldAccount[] }).accounts;
  }

  ovhApi(): OvhApiLink | undefined {
    const file = path.join(this.dir, 'ovh-api.json');
    return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as OvhApiLink) : undefined;
  }

  private file(route: string): string {
    return path.join(this.dir, 'objects', `${createHash('sha1').update(route).digest('hex')}.json`);
  }

  get(route: string): WorldObject | undefined {
    try {
      return JSON.parse(fs.readFileSync(this.file(route), 'utf8')) as WorldObject;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  put(object: WorldObject): void {
    const file = this.file(object.route);
    const staging = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(staging, JSON.stringify(object, null, 2));
    fs.renameSync(staging, file);
  }

  delete(route: string): void {
    fs.rmSync(this.file(route), { force: true });
  }

  /** Every object, e.g. to find those of a type or under a route. */
  objects(): WorldObject[] {
    const dir = path.join(this.dir, 'objects');
    return fs
      .readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .flatMap((name) => {
        try {
          return [JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as WorldObject];
        } catch {
          return []; // removed meanwhile by another provider process
        }
      });
  }

  record(entry: Omit<RecordEntry, 'at' | 'stack'>): void {
    const stack = process.env[STACK_VARIABLE];
    const line = JSON.stringify({ at: new Date().toISOString(), ...(stack ? { stack } : {}), ...entry });
    fs.appendFileSync(path.join(this.dir, 'record.jsonl'), `${line}\n`);
  }

  records(): RecordEntry[] {
    return fs
      .readFileSync(path.join(this.dir, 'record.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as RecordEntry);
  }
}
