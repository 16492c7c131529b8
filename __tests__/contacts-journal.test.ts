/** The journal and the locks beside the state: a folder with local state, the state bucket with remote state. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BucketStore } from '../contacts/bucket-store';
import { DEFAULT_LOCK_TIMING, takeLock, type LockClock, type LockTiming } from '../contacts/lock';
import { FolderStore, lockKey, type ContactsStore, type Stored } from '../contacts/store';
import { S3Standin } from '../standins/s3/server';
import { Fixture, NIC, ROUTE, VPS_NAME } from './contacts-fixture';

const LOCK = 'cf10001-ovh@acme.test';
/** A process id no process has: a lock holder that is gone. */
const GONE_PID = 2 ** 22 + 1;

/** A promise and what settles it. */
function signal() {
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  return { settled, settle };
}

/**
 * A clock the test moves: a taker's pause moves it forward at once (after `pause`, when given: the test then knows the
 * taker found the lock held and waits), so that no test waits on the wall clock, nor depends on its speed.
 */
function testClock(pause?: () => Promise<void>) {
  let now = Date.now();
  const clock: LockClock & { advance(ms: number): void } = {
    now: () => now,
    sleep: async (ms) => {
      now += ms;
      await pause?.();
    },
    advance: (ms) => void (now += ms),
  };
  return clock;
}

/** The lock's default timing, by `clock`. */
const timedBy = (clock: LockClock, timing: Partial<LockTiming> = {}): LockTiming => ({ ...DEFAULT_LOCK_TIMING, ...timing, clock });

/** The work of one holder of the lock, under it. */
async function underLock<T>(store: ContactsStore, work: () => Promise<T>, timing: LockTiming): Promise<T> {
  const lock = await takeLock(store, LOCK, timing);
  try {
    return await work();
  } finally {
    await lock.release();
  }
}

describe('locks', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'locks-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('one holder at a time; the next waits for it', async () => {
    const store = new FolderStore(dir);
    const first = await takeLock(store, LOCK, timedBy(testClock()));
    const waiting = signal();
    const released = signal();
    let secondHolds = false;
    const second = takeLock(
      store,
      LOCK,
      timedBy(
        testClock(async () => {
          waiting.settle();
          await released.settled;
        }),
      ),
    ).then((lock) => {
      secondHolds = true;
      return lock;
    });
    await waiting.settled; // the second found the lock held, and waits
    expect(secondHolds).toBe(false);
    await first.release();
    released.settle();
    await (await second).release();
    expect(secondHolds).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'contacts-locks'))).toEqual([]);
  });

  test('a lock left by a process that is gone is taken over; a live one past the wait is an error naming it', async () => {
    const store = new FolderStore(dir);
    const file = path.join(dir, 'contacts-locks', 'cf10001-ovh@acme.test.lock');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, JSON.stringify({ pid: GONE_PID, host: os.hostname(), since: '2026-01-01T00:00:00Z' }));
    expect(await underLock(store, async () => 'taken over', timedBy(testClock()))).toBe('taken over');

    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, host: os.hostname(), since: '2026-01-01T00:00:00Z' }));
    const clock = testClock();
    await expect(underLock(store, async () => 'never', timedBy(clock, { waitMs: 100 }))).rejects.toThrow(
      `${file} is held by process ${process.pid} on ${os.hostname()} since 2026-01-01T00:00:00Z: another contacts run is requesting changes as cf10001-ovh on acme.test`,
    );
    expect(fs.existsSync(file)).toBe(true);
  });

  test('a stale lock whose removal a dead run left unfinished is named, to delete by hand, once the wait is over', async () => {
    const store = new FolderStore(dir);
    const body = JSON.stringify({ pid: GONE_PID, host: os.hostname(), since: '2026-01-01T00:00:00Z' });
    const version = await store.create(lockKey(LOCK), body);
    // The claim a remover creates before it deletes, left by a run killed in between.
    fs.writeFileSync(`${store.where(lockKey(LOCK))}.${version!.slice(0, 16)}.removing`, '');
    const clock = testClock();
    const from = clock.now();
    await expect(underLock(store, async () => 'never', timedBy(clock, { waitMs: 60_000 }))).rejects.toThrow(
      `${store.where(lockKey(LOCK))} was left by process ${GONE_PID} on ${os.hostname()} since 2026-01-01T00:00:00Z, and could not be taken over`,
    );
    expect(clock.now() - from).toBeGreaterThan(60_000); // it waited, by its clock, rather than trying again at once
    expect(await store.read(lockKey(LOCK))).toBe(body);
  }, 10_000);
});

/** The store as one taker sees it: the test is told of each lookup, and holds each removal until it lets it go. */
function steppedStore(
  store: ContactsStore,
  steps: { looked: (lock: Stored | undefined) => void; remove: () => Promise<void>; removed?: () => void },
): ContactsStore {
  return {
    where: (key) => store.where(key),
    read: (key) => store.read(key),
    write: (key, body) => store.write(key, body),
    list: (prefix) => store.list(prefix),
    create: (key, body) => store.create(key, body),
    stored: async (key) => {
      const lock = await store.stored(key);
      steps.looked(lock);
      return lock;
    },
    removeIf: async (key, version) => {
      await steps.remove();
      const removed = await store.removeIf(key, version);
      steps.removed?.();
      return removed;
    },
  };
}

interface LockPlace {
  store: ContactsStore;
  close(): Promise<void>;
}

const PLACES: [string, () => Promise<LockPlace>][] = [
  [
    'a folder (local state)',
    async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'locks-'));
      return { store: new FolderStore(dir), close: async () => fs.rmSync(dir, { recursive: true, force: true }) };
    },
  ],
  [
    'the state bucket (remote state)',
    async () => {
      const bucket = await S3Standin.start();
      const store = new BucketStore(
        { kind: 's3', bucket: bucket.bucket, endpoint: bucket.endpoint, region: 'gra' },
        { AWS_ACCESS_KEY_ID: bucket.accessKeyId, AWS_SECRET_ACCESS_KEY: 'standin-secret' },
      );
      return { store, close: () => bucket.close() };
    },
  ],
];

describe.each(PLACES)('a lock in %s has one holder, even when it is taken over', (_, open) => {
  let place: LockPlace;
  beforeEach(async () => {
    place = await open();
  });
  afterEach(() => place.close());

  test('two takers racing for a stale lock never both hold it', async () => {
    const { store } = place;
    const stale = await store.create(lockKey(LOCK), JSON.stringify({ pid: GONE_PID, host: os.hostname(), since: '2026-01-01T00:00:00Z' }));
    // Both see the stale lock before either removes it; the first takes it over; only then does the second remove
    // what it saw, and look again. The first leaves once the second looked again, or once it holds the lock too.
    const bothSawIt = signal();
    let sawIt = 0;
    const firstHolds = signal();
    const secondRemoved = signal();
    const secondLookedAgain = signal();
    const secondHolds = signal();
    const looked = (lock: Stored | undefined) => {
      if (lock?.version === stale && ++sawIt === 2) bothSawIt.settle();
    };
    const first = steppedStore(store, { looked, remove: () => bothSawIt.settled });
    let removedOnce = false;
    const second = steppedStore(store, {
      looked: (lock) => {
        looked(lock);
        if (removedOnce) secondLookedAgain.settle();
      },
      remove: async () => {
        await bothSawIt.settled;
        await firstHolds.settled;
      },
      removed: () => {
        removedOnce = true;
        secondRemoved.settle();
      },
    });
    let holders = 0;
    const most: number[] = [];
    const hold = (as: ContactsStore, work: () => Promise<void>) =>
      underLock(
        as,
        async () => {
          most.push(++holders);
          await work();
          holders--;
        },
        timedBy(testClock()),
      );
    await Promise.all([
      hold(first, async () => {
        firstHolds.settle();
        await secondRemoved.settled;
        await Promise.race([secondLookedAgain.settled, secondHolds.settled]);
      }),
      hold(second, async () => secondHolds.settle()),
    ]);
    expect(sawIt).toBe(2);
    expect(most).toEqual([1, 1]);
    expect(await store.stored(lockKey(LOCK))).toBeUndefined();
  });

  test("a release after the lock was taken over leaves the new holder's lock", async () => {
    const { store } = place;
    const clock = testClock();
    const slow = await takeLock(store, LOCK, timedBy(clock));
    clock.advance(20 * 60_000); // past the 15 minutes after which a lock is taken over
    const next = await takeLock(store, LOCK, timedBy(clock));
    const nextLock = await store.stored(lockKey(LOCK));
    expect(nextLock?.body).toContain(`"since":"${new Date(clock.now()).toISOString()}"`);
    await slow.release();
    expect(await store.stored(lockKey(LOCK))).toEqual(nextLock);
    // Still held, and fresh: another run waits for it, and gives up.
    await expect(takeLock(store, LOCK, timedBy(clock, { waitMs: 50, staleMs: 60 * 60_000 }))).rejects.toThrow(/is held by process/);
    await next.release();
    expect(await store.stored(lockKey(LOCK))).toBeUndefined();
  });
});

describe('with remote state: the journal and the locks are objects in the state bucket', () => {
  let world: Fixture;
  let bucket: S3Standin;
  beforeEach(async () => {
    world = await Fixture.start();
    bucket = await world.useStateBucket();
  });
  afterEach(() => world.close());

  test('apply records the request beside <stack>/terraform.tfstate, under a lock it releases; the next run reads it', async () => {
    world.standin.addService(ROUTE.vps, { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
    const args = ['apply', '--client', 'acme.test', '--service', 'vps-staging', '--service-name', VPS_NAME];
    expect((await world.run(...args)).code).toBe(0);
    const keys = [...bucket.objects.keys()];
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^acme\.test\/contacts-journal\/[\w-]+\.json$/);
    expect(JSON.parse(bucket.objects.get(keys[0])!.body)).toMatchObject({
      service: 'vps-staging',
      outcome: { state: 'answered', taskIds: [1001, 1002] },
    });
    expect(bucket.requests.filter((request) => request.includes('contacts-locks/cf10001-ovh@vps-1a2b3c4d.vps.ovh.net.lock'))).toEqual([
      'PUT contacts-locks/cf10001-ovh@vps-1a2b3c4d.vps.ovh.net.lock',
      'DELETE contacts-locks/cf10001-ovh@vps-1a2b3c4d.vps.ovh.net.lock',
    ]);

    const again = await world.run(...args);
    expect(again.out).toContain('pending: task #1001');
    expect(world.changeRequests()).toBe(1);
  });

  test('a failing "terraform state pull" is shown by its words: no colours, no frame, not its warnings', async () => {
    // The stack's folder synthesized but never initialised: Terraform itself refuses to read the state.
    const stackDir = path.join(world.dir, 'cdktf.out', 'stacks', 'acme.test');
    fs.mkdirSync(stackDir, { recursive: true });
    const backend = { bucket: bucket.bucket, key: 'acme.test/terraform.tfstate', region: 'gra', endpoints: { s3: bucket.endpoint } };
    fs.writeFileSync(path.join(stackDir, 'cdk.tf.json'), JSON.stringify({ terraform: { backend: { s3: backend } } }));
    world.env.PATH = process.env.PATH;
    const { code, out } = await world.run('plan', '--client', 'acme.test', '--service', 'vps-staging');
    const line = out.split('\n')[1];
    expect(line).toContain(
      `vps-staging (vps): error: cannot read the state of stack acme.test with "terraform state pull" in ${stackDir} (run "terraform init" there first): ` +
        'Error: Backend initialization required, please run "terraform init" Reason: Initial configuration of the requested backend "s3" The "backend" is',
    );
    expect(line).toMatch(/At this point, no changes to your existing configuration or state have been made\.$/);
    expect(line).not.toMatch(/[╷│╵\u001b]|Warning|CLI configuration/);
    expect(code).toBe(1);
  });

  test("without the bucket's credentials: an error that names them, nothing sent", async () => {
    delete world.env.AWS_SECRET_ACCESS_KEY;
    world.standin.addService(ROUTE.vps, { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
    const { code, err } = await world.run('apply', '--client', 'acme.test', '--service', 'vps-staging', '--service-name', VPS_NAME);
    expect(err).toContain('the contacts journal is kept in the state bucket iac-state: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY');
    expect(code).toBe(1);
    expect(world.changeRequests()).toBe(0);
  });
});
