/**
 * `npm run bench [-- --with-10000]`: wall time and peak memory of the main job at 1,000, 3,000 and 5,000 synthetic
 * clients (and 10,000 with the flag), each beside its floor (the same files written with no framework) and beside
 * one client selected among as many; the change review of a one-client change at 1,000 clients; and a baseline,
 * an empty cdktf app synthesizing one empty stack.
 *
 * Every run is a fresh process started as its npm script starts it (`node --require ./cli/bundle.cjs main.ts`, and so
 * `review/changes-cli.ts`; the baseline `bench/baseline-cli.ts`, the floor `bench/floor-cli.ts`), pointed at temporary
 * folders; wall time runs from spawn to exit, peak memory is the largest peak RSS among the Node.js processes that ran
 * the script (worker threads share their process's). Each case runs REPEATS times, in rounds, after one warm-up run of
 * each script; the table shows medians. It is printed as Markdown and written to bench/results.json, with the
 * machine's load averages.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stringify } from 'yaml';
import * as z from 'zod';
import { commandLine, entryScriptArgs, type Command, type CommandContext, type Io } from '../cli/command-line';
import { AGENCY_FILE } from '../config/load';
import { saveFloorFiles } from './floor';
import { syntheticClient, syntheticClientId, writeSyntheticClients } from './synthetic-clients';

const ROOT = path.resolve(__dirname, '..');
const MAX_RSS_HOOK = path.join(__dirname, 'max-rss.cjs');
const RESULTS_FILE = path.join(__dirname, 'results.json');
const REPEATS = 3;
/** The client selected alone: a large one, in every folder. */
const SELECTED = syntheticClientId(9);
/** The client the change review's change is about, and the size it is reviewed at. */
const CHANGED = 7;
const CHANGES_SIZE = 1000;

const GOALS = { growth5000: 5.5, seconds10000: 60, peakMiB10000: 1024, selectionVsBaseline: 1.5, changesVsSelection: 2, fullVsFloor: 5 };

type Kind = 'baseline' | 'full' | 'floor' | 'selection' | 'changes';

interface Case {
  kind: Kind;
  name: string;
  /** Client files in the folder; 0 for the baseline. */
  clients: number;
}

interface Run {
  seconds: number;
  peakMiB: number;
}

interface Result extends Case {
  seconds: number;
  peakMiB: number;
  runs: Run[];
}

/** The stacks a case writes: the agency's and one per client; none for the change review, which writes no output. */
function stacksWritten({ kind, clients }: Case): number | undefined {
  return { baseline: 1, full: clients + 1, floor: clients + 1, selection: 2, changes: undefined }[kind];
}

function casesFor(sizes: number[]): Case[] {
  return [
    { kind: 'baseline', name: 'baseline: empty cdktf app, one empty stack', clients: 0 },
    ...sizes.flatMap((clients): Case[] => [
      { kind: 'full', name: 'full synthesis', clients },
      { kind: 'floor', name: 'floor: the same files written with no framework', clients },
      { kind: 'selection', name: `one client selected (${SELECTED})`, clients },
    ]),
    { kind: 'changes', name: `npm run changes: one client changed (${syntheticClientId(CHANGED)})`, clients: CHANGES_SIZE },
  ];
}

/** The folders of a run, under the benchmark's temporary folder. */
class Workspace {
  readonly outdir: string;
  readonly repository: string;
  readonly rssFile: string;

  constructor(readonly dir: string) {
    this.outdir = path.join(dir, 'cdktf.out');
    this.repository = path.join(dir, 'repository');
    this.rssFile = path.join(dir, 'max-rss');
  }

  clients(size: number): string {
    return path.join(this.dir, `clients-${size}`);
  }

  floorFiles(size: number): string {
    return path.join(this.dir, `floor-${size}`);
  }
}

/** The script, arguments and environment a case runs with. */
function commandOf(work: Workspace, { kind, clients }: Case): { script: string; args: string[]; env: NodeJS.ProcessEnv; cwd?: string } {
  const env = { CDKTF_OUTDIR: work.outdir, OVH_IAC_CLIENTS_DIR: work.clients(clients) };
  switch (kind) {
    case 'baseline':
      return { script: 'bench/baseline-cli.ts', args: [], env: { CDKTF_OUTDIR: work.outdir } };
    case 'full':
      return { script: 'main.ts', args: [], env };
    case 'floor':
      return { script: 'bench/floor-cli.ts', args: [], env: { CDKTF_OUTDIR: work.outdir, BENCH_FLOOR_FILES: work.floorFiles(clients) } };
    case 'selection':
      return { script: 'main.ts', args: [], env: { ...env, OVH_IAC_CLIENTS: SELECTED } };
    case 'changes':
      // Run as a pull request runs it: in the project, whose committed clients are the base.
      return {
        script: path.join(work.repository, 'review/changes-cli.ts'),
        args: ['--base', 'HEAD', '--affected-only'],
        env: {},
        cwd: work.repository,
      };
  }
}

/** Runs the case once in a fresh process; checks that it succeeded and did its work. */
function runOnce(work: Workspace, benchCase: Case): Run {
  const { script, args, env, cwd = ROOT } = commandOf(work, benchCase);
  fs.rmSync(work.outdir, { recursive: true, force: true });
  fs.rmSync(work.rssFile, { force: true });
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    OVH_IAC_CLIENTS: undefined,
    ...env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(MAX_RSS_HOOK)}`,
    BENCH_MAX_RSS_FILE: work.rssFile,
  };
  for (const [name, value] of Object.entries(childEnv)) if (value === undefined) delete childEnv[name];

  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, entryScriptArgs(script, ...args), { cwd, env: childEnv, encoding: 'utf8', maxBuffer: 2 ** 28 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;

  if (child.status !== 0)
    throw new Error(`${benchCase.name} (${benchCase.clients} clients) failed (${child.status ?? child.signal}):\n${child.stderr}`);
  checkOutput(work, benchCase, child.stdout);
  const peakKiB = Math.max(...fs.readFileSync(work.rssFile, 'utf8').trim().split('\n').map(Number));
  return { seconds: round(seconds, 3), peakMiB: round(peakKiB / 1024, 1) };
}

function checkOutput(work: Workspace, checked: Case, stdout: string): void {
  const { kind, clients } = checked;
  if (kind === 'changes') {
    const affected = stdout.trim().split('\n');
    if (!affected.includes(syntheticClientId(CHANGED))) throw new Error(`npm run changes did not find the changed client: ${stdout}`);
    return;
  }
  const expected = stacksWritten(checked);
  const written = fs.readdirSync(path.join(work.outdir, 'stacks')).length;
  if (written !== expected) throw new Error(`${kind} at ${clients} clients wrote ${written} stacks, expected ${expected}`);
  // The floor writes what the first full synthesis of the same size wrote.
  if (kind === 'full' && !fs.existsSync(work.floorFiles(clients))) saveFloorFiles(work.outdir, work.floorFiles(clients));
}

/**
 * A clone of this project whose clients folder holds CHANGES_SIZE clients, committed, one of which is then changed in
 * the working tree: a one-client pull request. It shares this project's install (node_modules and the bindings).
 */
function prepareRepository(work: Workspace): void {
  const git = (...args: string[]) => {
    const result = spawnSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args], {
      cwd: work.repository,
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  };
  const cloned = spawnSync('git', ['clone', '--quiet', ROOT, work.repository], { encoding: 'utf8' });
  if (cloned.status !== 0) throw new Error(`git clone: ${cloned.stderr}`);
  for (const installed of ['node_modules', '.gen']) fs.symlinkSync(path.join(ROOT, installed), path.join(work.repository, installed));
  const clients = path.join(work.repository, 'clients');
  for (const name of fs.readdirSync(clients)) if (name !== AGENCY_FILE) fs.rmSync(path.join(clients, name));
  writeSyntheticClients(clients, CHANGES_SIZE);
  git('add', '--all', 'clients');
  git('commit', '--quiet', '-m', 'clients');
  const changed = syntheticClient(CHANGED);
  changed.domains[0].records![0].target = '51.38.113.7';
  fs.writeFileSync(path.join(clients, `${changed.id}.yaml`), stringify(changed));
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Runs every case REPEATS times, round after round, so that a passing load on the machine hits every case alike. */
function measure(work: Workspace, cases: Case[], io: Io): Result[] {
  const runs: Run[][] = cases.map(() => []);
  for (let pass = 1; pass <= REPEATS; pass++) {
    cases.forEach((benchCase, i) => {
      const run = runOnce(work, benchCase);
      runs[i].push(run);
      io.err(
        `round ${pass}/${REPEATS}: ${benchCase.name}, ${benchCase.clients} clients: ${run.seconds.toFixed(2)} s, ${run.peakMiB.toFixed(0)} MiB`,
      );
    });
  }
  return cases.map((benchCase, i) => ({
    ...benchCase,
    seconds: median(runs[i].map((run) => run.seconds)),
    peakMiB: median(runs[i].map((run) => run.peakMiB)),
    runs: runs[i],
  }));
}

function goalsOf(results: Result[]) {
  const find = (kind: Kind, clients?: number) => results.find((r) => r.kind === kind && (clients === undefined || r.clients === clients));
  const baseline = find('baseline')!;
  const [full1000, full5000, full10000] = [1000, 5000, 10000].map((n) => find('full', n));
  const [selection1000, selection5000] = [1000, 5000].map((n) => find('selection', n)!);
  const floor1000 = find('floor', 1000)!;
  const changes = find('changes')!;
  const ratio = (a: Result, b: Result) => a.seconds / b.seconds;
  const versus = (a: Result, b: Result) => `${ratio(a, b).toFixed(2)}x (${a.seconds.toFixed(2)} s vs ${b.seconds.toFixed(2)} s)`;
  const notRun = { value: 'not run (npm run bench -- --with-10000)', met: undefined };
  return [
    {
      goal: `linear: time(5,000) / time(1,000) at most ${GOALS.growth5000}`,
      value: versus(full5000!, full1000!),
      met: ratio(full5000!, full1000!) <= GOALS.growth5000,
    },
    {
      goal: `10,000 clients: at most ${GOALS.seconds10000} s`,
      ...(full10000 ? { value: `${full10000.seconds.toFixed(1)} s`, met: full10000.seconds <= GOALS.seconds10000 } : notRun),
    },
    {
      goal: `10,000 clients: at most ${GOALS.peakMiB10000 / 1024} GiB peak`,
      ...(full10000 ? { value: `${full10000.peakMiB.toFixed(0)} MiB`, met: full10000.peakMiB <= GOALS.peakMiB10000 } : notRun),
    },
    {
      goal: `one client selected among 5,000: at most ${GOALS.selectionVsBaseline}x the baseline`,
      value: versus(selection5000, baseline),
      met: ratio(selection5000, baseline) <= GOALS.selectionVsBaseline,
    },
    {
      goal: `npm run changes, one client changed among 1,000: at most ${GOALS.changesVsSelection}x one client's synthesis`,
      value: versus(changes, selection1000),
      met: ratio(changes, selection1000) <= GOALS.changesVsSelection,
    },
    {
      goal: `full synthesis of 1,000 clients: at most ${GOALS.fullVsFloor}x the floor`,
      value: versus(full1000!, floor1000),
      met: ratio(full1000!, floor1000) <= GOALS.fullVsFloor,
    },
  ];
}

function markdown(results: Result[], goals: ReturnType<typeof goalsOf>): string {
  const baseline = results.find((r) => r.kind === 'baseline')!;
  const floorOf = (clients: number) => results.find((r) => r.kind === 'floor' && r.clients === clients);
  const rows = results.map((r) => {
    const floor = r.kind === 'full' || r.kind === 'floor' ? floorOf(r.clients) : undefined;
    const stacks = stacksWritten(r) ?? '-';
    const perClient = r.kind === 'full' || r.kind === 'floor' ? ((r.seconds / r.clients) * 1000).toFixed(2) : '-';
    return `| ${r.name} | ${r.clients || '-'} | ${stacks} | ${r.seconds.toFixed(2)} | ${perClient} | ${r.peakMiB.toFixed(0)} | ${(r.seconds / baseline.seconds).toFixed(2)}x | ${floor ? `${(r.seconds / floor.seconds).toFixed(2)}x` : '-'} |`;
  });
  return [
    `| case | client files | stacks written | wall time (s) | ms per client | peak RSS (MiB) | vs baseline | vs floor |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|`,
    ...rows,
    '',
    `| goal | measured | met |`,
    `|---|---|---|`,
    ...goals.map((g) => `| ${g.goal} | ${g.value} | ${g.met === undefined ? '-' : g.met ? 'yes' : '**no**'} |`),
  ].join('\n');
}

const Args = z.object({ 'with-10000': z.boolean().default(false) });

export const benchCommand: Command<z.output<typeof Args>> = {
  name: 'bench',
  usage: `Usage: npm run bench [-- --with-10000]`,
  notes: `Measures the main job at 1,000, 3,000 and 5,000 synthetic clients beside its floor and a baseline, and the change
review of a one-client change; prints the figures and writes them to bench/results.json. Progress on standard error.`,
  exitCodes: { 0: 'measured: the goals met or not are in the table' },
  parse: commandLine({ options: { 'with-10000': { type: 'boolean', help: 'also measure 10,000 clients' } } }, Args),
  run: bench,
};

function bench(args: z.output<typeof Args>, { io }: CommandContext): number {
  const sizes = args['with-10000'] ? [1000, 3000, 5000, 10000] : [1000, 3000, 5000];
  const cases = casesFor(sizes);
  const work = new Workspace(fs.mkdtempSync(path.join(os.tmpdir(), 'ovh-iac-bench-')));
  const loadBefore = os.loadavg();
  try {
    for (const size of sizes) writeSyntheticClients(work.clients(size), size);
    prepareRepository(work);
    // One untimed run of each script, so that no case pays for building its bundle (the first full synthesis also
    // leaves the files its floor writes).
    for (const kind of ['baseline', 'full', 'floor', 'changes'] as const)
      runOnce(
        work,
        cases.find((c) => c.kind === kind)!,
      );

    const results = measure(work, cases, io);
    const goals = goalsOf(results);
    const cpus = os.cpus();
    const report = {
      command: `npm run bench${args['with-10000'] ? ' -- --with-10000' : ''}`,
      date: new Date().toISOString(),
      machine: {
        cpus: cpus.length,
        cpu: cpus[0]?.model,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        platform: `${os.platform()} ${os.arch()}`,
        node: process.version,
        loadAverages: { before: loadBefore.map((load) => round(load, 2)), after: os.loadavg().map((load) => round(load, 2)) },
      },
      repeats: REPEATS,
      results,
      goals,
    };
    fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
    const { machine } = report;
    const loads = (averages: number[]) => averages.map((load) => load.toFixed(2)).join(' / ');
    io.out(
      `${machine.cpus} x ${machine.cpu}, ${machine.memoryGiB} GiB, Node.js ${machine.node}; median of ${REPEATS} runs; ` +
        `load averages (1 / 5 / 15 min) ${loads(machine.loadAverages.before)} before, ${loads(machine.loadAverages.after)} after\n`,
    );
    io.out(markdown(results, goals));
    io.out(`\nWritten to ${path.relative(process.cwd(), RESULTS_FILE)}`);
    return 0;
  } finally {
    fs.rmSync(work.dir, { recursive: true, force: true });
  }
}
