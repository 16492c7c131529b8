/**
 * A lock per OVH account and service name, held while the tool requests a change as that account on a service of
 * that name and records it: a task names only its service (`serviceDomain`), and a domain, its DNS zone, its e-mail
 * domain and its web hosting share one name, so two requests in flight together could not be told apart. The lock
 * holds across concurrent runs and Terraform's parallel provisioners: it is an object created only if absent in the
 * store beside the state. A lock left by a run that died is taken over once its holder is gone or it is too old.
 *
 * Each holder writes a random token into its lock, so that the lock's version (its content's digest, or its ETag in
 * the bucket) is its alone; the lock is removed only while it still holds that version. A take-over removes only the
 * lock it saw stale, so two takers never both remove and create; a release removes only its own lock, so a holder
 * whose lock was taken over (it outlived `staleMs`) leaves the new holder's in place.
 */
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as z from 'zod';
import { sleep } from './retry';
import { lockKey, type ContactsStore } from './store';

/** The time a lock goes by: its age, how long it was waited for, and the pauses between looks at it. */
export interface LockClock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

const MACHINE_CLOCK: LockClock = { now: () => Date.now(), sleep };

export interface LockTiming {
  /** How long to wait for another run to finish before giving up. */
  waitMs: number;
  /** A lock older than this is taken over: no request and its recording lasts that long. */
  staleMs: number;
  /**
   * The clock both are measured by (a test gives its own, so that none waits on the wall clock).
   * @default the machine's
   */
  clock?: LockClock;
}

export const DEFAULT_LOCK_TIMING: LockTiming = { waitMs: 10 * 60_000, staleMs: 15 * 60_000 };

const Holder = z.object({ pid: z.number(), host: z.string(), since: z.string() });

/** A lock is written at once, but may be read between its creation and its content. */
function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
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

export interface HeldLock {
  /** Removes the lock if it is still this holder's. */
  release(): Promise<void>;
}

/** Takes the lock `name`, waiting for its holder to release it, or taking it over once stale. */
export async function takeLock(store: ContactsStore, name: string, timing: LockTiming = DEFAULT_LOCK_TIMING): Promise<HeldLock> {
  const key = lockKey(name);
  const clock = timing.clock ?? MACHINE_CLOCK;
  const started = clock.now();
  const me = { pid: process.pid, host: os.hostname(), since: new Date(started).toISOString(), token: randomBytes(16).toString('hex') };
  for (let wait = 25; ; wait = Math.min(wait * 2, 1000)) {
    const version = await store.create(key, JSON.stringify(me));
    if (version !== undefined) return { release: async () => void (await store.removeIf(key, version)) };
    const lock = await store.stored(key);
    if (lock === undefined) continue; // released meanwhile
    const holder = Holder.safeParse(parseOrNull(lock.body));
    const gone = holder.success && holder.data.host === me.host && !isRunning(holder.data.pid);
    const ageMs = lock.writtenAt === undefined ? 0 : clock.now() - lock.writtenAt;
    const stale = gone || ageMs > timing.staleMs;
    // Taken over: created anew on the next look. Not removed: another taker went first, or a removal of it was left
    // unfinished (a run killed between its claim and its delete, in a folder): wait as for a live holder.
    if (stale && (await store.removeIf(key, lock.version))) continue;
    if (clock.now() - started > timing.waitMs) {
      const who = holder.success ? `process ${holder.data.pid} on ${holder.data.host} since ${holder.data.since}` : 'another run';
      throw new Error(
        stale
          ? `${store.where(key)} was left by ${who}, and could not be taken over: delete it if no contacts run is left`
          : `${store.where(key)} is held by ${who}: another contacts run is requesting changes as ${name.replace('@', ' on ')}; try again once it is done, or delete the lock if no run is left`,
      );
    }
    await clock.sleep(wait);
  }
}
