/**
 * Where the contacts tool keeps its journal and its locks: beside the Terraform state, so that every engineer and
 * every Terraform provisioner working on a stack shares them. With local state, files in the state folder; with
 * remote state, objects in the state bucket (bucket-store.ts); the session opens the one its state backend uses.
 *
 *   journal of a stack:  <state dir>/<stack>.contacts-journal/<request id>.json   (local)
 *                        <stack>/contacts-journal/<request id>.json in the bucket   (remote, beside <stack>/terraform.tfstate)
 *   lock:                <state dir>/contacts-locks/<nichandle>@<service name>.lock (local)
 *                        contacts-locks/<nichandle>@<service name>.lock in the bucket (remote)
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StateBackend } from '../core/environment';
import { sha256 } from '../core/digest';

export interface ContactsStore {
  /** Where a key is, for messages: a file path or an s3:// URL. */
  where(key: string): string;
  read(key: string): Promise<string | undefined>;
  /** Replaces the whole content at once: a reader never sees half of it. */
  write(key: string, body: string): Promise<void>;
  /** Creates the key only if it does not exist: the version it wrote (see `removeIf`), or undefined when the key existed. */
  create(key: string, body: string): Promise<string | undefined>;
  /** What the key holds, its version and when it was written; undefined when it does not exist. */
  stored(key: string): Promise<Stored | undefined>;
  /**
   * Removes the key only if it still holds `version` (as `create` or `stored` gave it): false when it holds another
   * or none. A version names one content; a lock's is unique, as it holds a random token.
   */
  removeIf(key: string, version: string): Promise<boolean>;
  /** The keys under a prefix ending with "/". */
  list(prefix: string): Promise<string[]>;
}

export interface Stored {
  body: string;
  version: string;
  /** When it was written, in milliseconds since the epoch by the store's clock; undefined when the store does not say. */
  writtenAt?: number;
}

export const journalPrefix = (stack: string, state: StateBackend) =>
  state.kind === 'local' ? `${stack}.contacts-journal/` : `${stack}/contacts-journal/`;
export const lockKey = (name: string) => `contacts-locks/${name}.lock`;

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';
const exists = (error: unknown) => (error as NodeJS.ErrnoException).code === 'EEXIST';

/** A file's version: the digest of its content. */
const versionOf = (body: string) => sha256(body);

export class FolderStore implements ContactsStore {
  constructor(private readonly root: string) {}

  where(key: string): string {
    return path.join(this.root, key);
  }

  async read(key: string): Promise<string | undefined> {
    try {
      return await fs.promises.readFile(this.where(key), 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async write(key: string, body: string): Promise<void> {
    const file = this.where(key);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    // A name of this write's own: two writes of one key at once, in one process or two, never share a temporary file
    // (with the process id alone, the second rename found the first one's file gone: ENOENT).
    const temporary = `${file}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`;
    await fs.promises.writeFile(temporary, body);
    await fs.promises.rename(temporary, file);
  }

  async create(key: string, body: string): Promise<string | undefined> {
    const file = this.where(key);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    try {
      await fs.promises.writeFile(file, body, { flag: 'wx' });
      return versionOf(body);
    } catch (error) {
      if (exists(error)) return undefined;
      throw error;
    }
  }

  async stored(key: string): Promise<Stored | undefined> {
    // The content first, its time after: a file replaced in between is younger, so that a lock is never judged older than it is.
    const body = await this.read(key);
    if (body === undefined) return undefined;
    try {
      const { mtimeMs } = await fs.promises.stat(this.where(key));
      return { body, version: versionOf(body), writtenAt: mtimeMs };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  /**
   * A file system has no "delete if unchanged": a remover first creates a claim on the version, a file created only if
   * absent, so that of two removers of one version only one reads it and deletes it; a version, once deleted, never
   * comes back. A run that dies between the claim and its removal leaves the lock to expire no more: the error of the
   * next run names it, to delete by hand.
   */
  async removeIf(key: string, version: string): Promise<boolean> {
    const file = this.where(key);
    const claim = `${file}.${version.slice(0, 16)}.removing`;
    try {
      await fs.promises.writeFile(claim, '', { flag: 'wx' });
    } catch (error) {
      if (exists(error) || isMissing(error)) return false;
      throw error;
    }
    try {
      const body = await this.read(key);
      if (body === undefined || versionOf(body) !== version) return false;
      await fs.promises.rm(file);
      return true;
    } finally {
      await fs.promises.rm(claim, { force: true });
    }
  }

  async list(prefix: string): Promise<string[]> {
    try {
      const names = await fs.promises.readdir(this.where(prefix));
      return names.filter((name) => !name.endsWith('.tmp')).map((name) => `${prefix}${name}`);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }
}
