/**
 * Synthesis in batches on several threads writes exactly what cdktf writes when it synthesizes one app holding
 * every stack, and reports a stack that fails by its file while the others go on.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeSyntheticClients } from '../bench/synthetic-clients';
import { settingsFrom } from '../core/environment';
import { AGENCY_FILE } from '../config/load';
import { ConfigError } from '../core/failures';
import { planFolder, type PlannedFolder } from '../policy/folder';
import type { ClientPlan } from '../policy/plan';
import { buildApp, synthesize } from '../stacks/synthesis';
import { SynthesisThreads } from '../stacks/threads';

const root = path.resolve(__dirname, '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-parallel-'));
const synthetic = path.join(work, 'synthetic');
writeSyntheticClients(synthetic, 150);
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Every file under `dir`, by relative path, with its bytes. */
function tree(dir: string): Map<string, Buffer> {
  const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return new Map(
    files
      .map((entry) => path.join(entry.parentPath, entry.name))
      .sort()
      .map((file) => [path.relative(dir, file), fs.readFileSync(file)]),
  );
}

/** Each output goes to `<work>/<name>/cdktf.out`: all at the same depth, as the stacks' relative paths require. */
const outdirOf = (name: string) => {
  fs.mkdirSync(path.join(work, name), { recursive: true });
  return path.join(work, name, 'cdktf.out');
};

describe.each([
  ['the example clients', path.join(root, 'clients')],
  ['150 synthetic clients', synthetic],
])('%s', (_, clientsDir) => {
  const env = { OVH_IAC_CLIENTS_DIR: clientsDir, OVH_IAC_LOCAL_STATE_DIR: path.join(work, 'state') };
  let serial: Map<string, Buffer>;

  beforeAll(() => {
    const name = `reference-${path.basename(clientsDir)}`;
    buildApp(planFolder(clientsDir).plans, settingsFrom(env, root), outdirOf(name)).synth();
    serial = tree(outdirOf(name));
  });

  test.each([1, 3])('are written byte for byte as cdktf writes one app, with %i thread(s)', (threads) => {
    const name = `threads-${threads}-${path.basename(clientsDir)}`;
    synthesize(settingsFrom({ ...env, CDKTF_OUTDIR: outdirOf(name), OVH_IAC_SYNTH_THREADS: String(threads) }, root));
    const parallel = tree(outdirOf(name));
    expect([...parallel.keys()]).toEqual([...serial.keys()]);
    for (const [file, bytes] of serial) expect({ file, same: bytes.equals(parallel.get(file)!) }).toEqual({ file, same: true });
  });
});

/** The job of synthesizing every stack of the synthetic folder into `outdir`. */
function jobOf({ files, plans }: PlannedFolder, outdir: string) {
  const stackFiles = [path.join(synthetic, AGENCY_FILE), ...files.clients.map(({ file }) => file)];
  return { plans, files: stackFiles, state: { kind: 'local' as const, dir: work }, outdir };
}

test('a large job is shared between the threads, each stack written once', () => {
  const folder = planFolder(synthetic);
  const outdir = path.join(fs.mkdtempSync(path.join(work, 'shared-')), 'cdktf.out');
  const results = new SynthesisThreads(151, 2).run(jobOf(folder, outdir));

  expect(new Set(results.map((result) => result.thread)).size).toBe(2);
  const written = results.flatMap((result) => result.stacks.map((stack) => stack.name));
  expect(written.sort()).toEqual(['agency', ...folder.plans.clients.map((plan) => plan.id)].sort());
  expect(fs.readdirSync(path.join(outdir, 'stacks')).sort()).toEqual(written);
});

test('a stack that cannot be built is reported against its file, from any thread, and the others are still written', () => {
  const folder = planFolder(synthetic);
  // Two instances of one name: the checks across the folder refuse such a plan, so it is made here, past them, to make a stack fail.
  const broken = [1, 121].map((i) => {
    const plan = folder.plans.clients[i] as { -readonly [K in keyof ClientPlan]: ClientPlan[K] };
    plan.instances = [plan.instances[0], plan.instances[0]];
    return { file: folder.files.clients[i].file, id: plan.id };
  });
  const outdir = path.join(fs.mkdtempSync(path.join(work, 'broken-')), 'cdktf.out');
  const results = new SynthesisThreads(151, 2).run(jobOf(folder, outdir));

  expect(results.sort((a, b) => a.first - b.first).flatMap((result) => result.problems)).toEqual(
    broken.map(({ file, id }) => ({
      file,
      field: '',
      message: `its stack cannot be synthesized: There is already a Construct with name 'instance-web-1' in ClientStack [${id}]`,
    })),
  );
  expect(results.flatMap((result) => result.stacks)).toHaveLength(151 - broken.length);
});

test('a bad file among many stops the synthesis before any stack is written, the workers already started with it', () => {
  const clientsDir = path.join(work, 'many-and-a-bad-one');
  writeSyntheticClients(clientsDir, 80);
  fs.writeFileSync(path.join(clientsDir, 'bad.be.yaml'), 'id: bad.be\nname: Bad\nsize: standard\nnichandle: not-a-nic\n');
  const outdir = outdirOf('bad');

  expect(() =>
    synthesize(settingsFrom({ OVH_IAC_CLIENTS_DIR: clientsDir, CDKTF_OUTDIR: outdir, OVH_IAC_SYNTH_THREADS: '3' }, root)),
  ).toThrow(
    expect.objectContaining({
      problems: [expect.objectContaining({ file: path.join(clientsDir, 'bad.be.yaml'), field: 'nichandle' })],
    }) as ConfigError,
  );
  expect(fs.readdirSync(path.dirname(outdir))).toEqual([]);
});

test.each(['0', 'two', '1.5', '-1'])('OVH_IAC_SYNTH_THREADS=%s is refused, naming the variable', (threads) => {
  expect(() => settingsFrom({ OVH_IAC_SYNTH_THREADS: threads }, root)).toThrow(
    'environment variable OVH_IAC_SYNTH_THREADS: expected a whole number of threads, 1 or more',
  );
});
