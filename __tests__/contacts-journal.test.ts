/** The journal and the locks beside the state: a folder with local state, the state bucket with remote state. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { withLock } from '../contacts/lock';
import { FolderStore } from '../contacts/store';
import { S3Standin } from '../standins/s3/server';
import { Fixture, NIC, ROUTE, StandinTimers, until, VPS_NAME } from './contacts-fixture';

describe('locks', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'locks-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('one holder at a time; the next waits for it', async () => {
    const store = new FolderStore(dir);
    const timers = new StandinTimers();
    const order: string[] = [];
    let release!: () => void;
    const a = withLock(store, 'cf10001-ovh@acme.test', async () => {
      order.push('a in');
      await new Promise<void>((resolve) => (release = resolve));
      order.push('a out');
    });
    await until(() => order.includes('a in'));
    const b = withLock(store, 'cf10001-ovh@acme.test', async () => void order.push('b in', 'b out'), undefined, timers);
    // b found the lock taken, and waits its turn while a holds it.
    await until(() => timers.waits > 2);
    release();
    await Promise.all([a, b]);
    expect(order).toEqual(['a in', 'a out', 'b in', 'b out']);
    expect(fs.readdirSync(path.join(dir, 'contacts-locks'))).toEqual([]);
  });

  test('a lock left by a process that is gone is taken over; a live one past the wait is an error naming it', async () => {
    const store = new FolderStore(dir);
    const file = path.join(dir, 'contacts-locks', 'cf10001-ovh@acme.test.lock');
    fs.mkdirSync(path.dirname(file));
    fs.writeFileSync(file, JSON.stringify({ pid: 2 ** 22 + 1, host: os.hostname(), since: '2026-01-01T00:00:00Z' }));
    expect(await withLock(store, 'cf10001-ovh@acme.test', async () => 'taken over')).toBe('taken over');

    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, host: os.hostname(), since: '2026-01-01T00:00:00Z' }));
    await expect(withLock(store, 'cf10001-ovh@acme.test', async () => 'never', { waitMs: 100, staleMs: 60_000 })).rejects.toThrow(
      `${file} is held by process ${process.pid} on ${os.hostname()} since 2026-01-01T00:00:00Z: another contacts run is requesting changes as cf10001-ovh on acme.test`,
    );
  });
});

describe('with remote state: the journal and the locks are objects in the state bucket', () => {
  let world: Fixture;
  let bucket: S3Standin;
  beforeEach(async () => {
    world = await Fixture.start();
    bucket = await S3Standin.start();
    Object.assign(world.env, {
      OVH_IAC_STATE_BUCKET: bucket.bucket,
      OVH_IAC_STATE_ENDPOINT: bucket.endpoint,
      OVH_IAC_STATE_REGION: 'gra',
      AWS_ACCESS_KEY_ID: bucket.accessKeyId,
      AWS_SECRET_ACCESS_KEY: 'standin-secret',
    });
  });
  afterEach(async () => {
    await bucket.close();
    await world.close();
  });

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
