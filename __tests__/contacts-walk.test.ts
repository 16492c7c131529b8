/**
 * The walk of an apply, from the command line to changeContact, goes one way down contacts/'s layers
 * (contacts-layers.ts): at each HTTP request the run makes (to OVH, and to the state bucket for the journal and the
 * lock), the files of contacts/ on the call stack, outermost first, never climb back up a layer. A lower module calling
 * back a function of a higher one would show there, as that function's frame inside the lower module's.
 */
import * as http from 'node:http';
import * as path from 'node:path';
import { CONTACTS_LAYER_OF } from './contacts-layers';
import { Fixture, NIC, ROUTE, VPS_NAME } from './contacts-fixture';

const ROOT = path.resolve(__dirname, '..');

/** The files of contacts/ a stack passes through, outermost first, each stay once. */
function contactsStays(stack: string): string[] {
  const files = stack
    .split('\n')
    .map((line) => /\((.+?):\d+:\d+\)$|at (?:async )?(\/.+?):\d+:\d+$/.exec(line.trim()))
    .flatMap((match) => (match ? [path.relative(ROOT, match[1] ?? match[2])] : []))
    .filter((file) => CONTACTS_LAYER_OF.has(file))
    .reverse();
  return files.filter((file, i) => file !== files[i - 1]);
}

let world: Fixture;
beforeEach(async () => {
  world = await Fixture.start();
  await world.useStateBucket();
});
afterEach(() => world.close());

/** A walk as read: its files' names, outermost first. */
const shown = (walk: string[]) => walk.map((file) => path.basename(file, '.ts')).join(' → ');
/** Whether a walk comes back to a layer at or above one it went down from. */
const climbs = (walk: string[]) => walk.some((file, i) => i > 0 && CONTACTS_LAYER_OF.get(file)! <= CONTACTS_LAYER_OF.get(walk[i - 1])!);

interface Request {
  request: string;
  walk: string[];
}

/**
 * Runs the tool with these arguments and tells each HTTP request it made, to OVH and to the bucket, with its walk: a
 * request is ended where it is made, through the HTTP client's own class.
 */
async function watched(...argv: string[]): Promise<{ code: number; requests: Request[] }> {
  const requests: Request[] = [];
  const end = http.ClientRequest.prototype.end;
  http.ClientRequest.prototype.end = function (this: http.ClientRequest, ...args: unknown[]) {
    requests.push({ request: `${this.method} ${this.path}`, walk: contactsStays(new Error().stack ?? '') });
    return end.apply(this, args as Parameters<typeof end>);
  } as typeof end;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity;
  try {
    return { code: (await world.run(...argv)).code, requests };
  } finally {
    http.ClientRequest.prototype.end = end;
    Error.stackTraceLimit = limit;
  }
}

const climbing = (requests: Request[]) => requests.filter((r) => climbs(r.walk)).map((r) => `${r.request}: ${shown(r.walk)}`);

test('apply, from the command line to changeContact, only ever calls down the layers of contacts/', async () => {
  world.standin.addService(ROUTE.vps, { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
  const { code, requests } = await watched('apply', '--client', 'acme.test', '--service', 'vps-staging', '--service-name', VPS_NAME);
  expect(code).toBe(0);
  // V8 shows the callers a call is awaited by; a promise a run keeps and shares (its caches) starts a walk of its own,
  // so some walks are seen in part. The main ones are seen whole:
  const walkOf = (request: RegExp) => requests.filter((r) => request.test(r.request)).map((r) => shown(r.walk));
  expect(walkOf(/^POST .*\/changeContact$/)).toEqual(['command → session → apply → ovh-client → http-exchange']);
  expect(walkOf(/^PUT .*contacts-locks\//)).toEqual(['command → session → apply → lock → bucket-store']);
  expect(walkOf(/^GET .*\/serviceInfos$/)).toContain('command → session → apply → inspect → ovh-api → ovh-client → http-exchange');
  expect(requests.length).toBeGreaterThan(10);
  expect(climbing(requests)).toEqual([]);
});

test('plan and the task commands only ever call down the layers too', async () => {
  world.standin.addService(ROUTE.vps, { admin: NIC.hosting, tech: NIC.hosting, billing: NIC.hosting });
  expect((await world.run('apply', '--client', 'acme.test', '--service', 'vps-staging', '--service-name', VPS_NAME)).code).toBe(0);
  const [task] = world.standin.tasks;
  const runs = [
    await watched('plan', '--client', 'acme.test', '--service', 'vps-staging', '--service-name', VPS_NAME),
    await watched('tasks', '--all'),
    await watched('resend', String(task.id)),
  ];
  expect(runs.map((run) => run.code)).toEqual([2, 0, 0]);
  for (const { requests } of runs) {
    expect(requests.length).toBeGreaterThan(0);
    expect(climbing(requests)).toEqual([]);
  }
  expect(runs[1].requests.map((r) => shown(r.walk))).toContain('command → tasks → ovh-client → http-exchange');
});
