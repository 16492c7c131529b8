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
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StateBackend } from '../core/environment';

export interface ContactsStore {
  /** Where a key is, for messages: a file path or an s3:// URL. */
  where(key: string): string;
  read(key: string): Promise<string | undefined>;
  /** Replaces the whole content at once: a reader never sees half of it. */
  write(key: string, body: string): Promise<void>;
  /** Creates the key only if it does not exist: false when it did. */
  create(key: string, body: string): Promise<boolean>;
  remove(key: string): Promise<void>;
  /** The keys under a prefix ending with "/". */
  list(prefix: string): Promise<string[]>;
  /** Milliseconds since the key was last written; undefined when it does not exist. */
  age(key: string): Promise<number | undefined>;
}

export const journalPrefix = (stack: string, state: StateBackend) =>
  state.kind === 'local' ? `${stack}.contacts-journal/` : `${stack}/contacts-journal/`;
export const lockKey = (name: string) => `contacts-locks/${name}.lock`;

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

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
    const temporary = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(temporary, body);
    await fs.promises.rename(temporary, file);
  }

  async create(key: string, body: string): Promise<boolean> {
    const file = this.where(key);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    try {
      await fs.promises.writeFile(file, body, { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  }

  async remove(key: string): Promise<void> {
    await fs.promises.rm(this.where(key), { force: true });
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

  async age(key: string): Promise<number | undefined> {
    try {
      return Date.now() - (await fs.promises.stat(this.where(key))).mtimeMs;
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }
}
