/**
 * A lock per OVH account and service name, held while the tool requests a change as that account on a service of
 * that name and records it: a task names only its service (`serviceDomain`), and a domain, its DNS zone, its e-mail
 * domain and its web hosting share one name, so two requests in flight together could not be told apart. The lock
 * holds across concurrent runs and Terraform's parallel provisioners: it is an object created only if absent in the
 * store beside the state. A lock left by a run that died is taken over once its holder is gone or it is too old.
 */
import * as os from 'node:os';
import { z } from 'zod';
import { REAL_TIME, type Timers } from './retry';
import { lockKey, type ContactsStore } from './store';

export interface LockTiming {
  /** How long to wait for another run to finish before giving up. */
  waitMs: number;
  /** A lock older than this is taken over: no request and its recording lasts that long. */
  staleMs: number;
}

export const DEFAULT_LOCK_TIMING: LockTiming = { waitMs: 10 * 60_000, staleMs: 15 * 60_000 };

const Holder = z.object({ pid: z.number(), host: z.string(), since: z.string() });

/** A lock is written at once, but may be read between its creation and its content. */
function parseOrNull(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? 'null');
  } catch {
    return null;
  }
}

/** Whether a process on this machine is still running. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function withLock<T>(
  store: ContactsStore,
  name: string,
  work: () => Promise<T>,
  timing: LockTiming = DEFAULT_LOCK_TIMING,
  timers: Timers = REAL_TIME,
): Promise<T> {
  const key = lockKey(name);
  const started = Date.now();
  const me = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
  for (let wait = 25; !(await store.create(key, JSON.stringify(me))); wait = Math.min(wait * 2, 1000)) {
    const holder = Holder.safeParse(parseOrNull(await store.read(key)));
    const age = await store.age(key);
    const gone = holder.success && holder.data.host === me.host && !isRunning(holder.data.pid);
    if (age === undefined) continue; // released meanwhile
    if (gone || age > timing.staleMs) {
      await store.remove(key);
      continue;
    }
    if (Date.now() - started > timing.waitMs) {
      const who = holder.success ? `process ${holder.data.pid} on ${holder.data.host} since ${holder.data.since}` : 'another run';
      throw new Error(
        `${store.where(key)} is held by ${who}: another contacts run is requesting changes as ${name.replace('@', ' on ')}; try again once it is done, or delete the lock if no run is left`,
      );
    }
    await timers.sleep(wait);
  }
  try {
    return await work();
  } finally {
    await store.remove(key);
  }
}
