/**
 * `npm run bench`: wall time and peak memory of the main job for 10, 100 and 1,000 synthetic clients, and for one
 * client selected among 10 and among 1,000, beside a baseline: an empty cdktf app synthesizing one empty stack.
 *
 * Every run is a fresh process started as `npm run synth` starts it (`tsx main.ts`, the baseline `tsx
 * bench/baseline.ts`), pointed at a temporary clients folder and output folder; wall time runs from spawn to exit,
 * peak memory is the largest peak RSS among its Node.js processes. Each case runs REPEATS times after one warm-up
 * run of each script, in rounds; the table shows medians. It is printed as Markdown and written to bench/results.json.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { syntheticClientId, writeSyntheticClients } from './synthetic-clients';

const ROOT = path.resolve(__dirname, '..');
const TSX_CLI = require.resolve('tsx/cli');
const MAX_RSS_HOOK = path.join(__dirname, 'max-rss.cjs');
const RESULTS_FILE = path.join(__dirname, 'results.json');
const REPEATS = 5;
const SIZES = [10, 100, 1000];
/** The client selected alone: a large one, in every folder. */
const SELECTED = syntheticClientId(9);

const GOALS = { fullSeconds: 20, fullPeakMiB: 1536, selectionVsBaseline: 2, marginalCostGrowth: 1.5 };

interface Case {
  name: string;
  script: string;
  /** Client files in the folder; 0 for the baseline. */
  clients: number;
  selected?: string;
}

interface Run {
  seconds: number;
  peakMiB: number;
}

interface Result extends Case {
  stacks: number;
  seconds: number;
  peakMiB: number;
  runs: Run[];
}

const BASELINE: Case = { name: 'baseline: empty cdktf app, one empty stack', script: 'bench/baseline.ts', clients: 0 };
const CASES: Case[] = [
  BASELINE,
  ...SIZES.map((clients) => ({ name: 'full synthesis', script: 'main.ts', clients })),
  { name: `one client selected (${SELECTED})`, script: 'main.ts', clients: 10, selected: SELECTED },
  { name: `one client selected (${SELECTED})`, script: 'main.ts', clients: 1000, selected: SELECTED },
];

/** The stacks a case writes: the baseline's empty one, or the agency's and those of the clients it builds. */
function stacksOf({ script, clients, selected }: Case): number {
  return script === BASELINE.script ? 1 : 1 + (selected ? 1 : clients);
}

/** Runs the case once in a fresh process; checks that it succeeded and wrote its stacks. */
function runOnce(work: string, benchCase: Case): Run {
  const { script, clients, selected } = benchCase;
  const outdir = path.join(work, 'cdktf.out');
  const rssFile = path.join(work, 'max-rss');
  fs.rmSync(outdir, { recursive: true, force: true });
  fs.rmSync(rssFile, { force: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${JSON.stringify(MAX_RSS_HOOK)}`,
    BENCH_MAX_RSS_FILE: rssFile,
    CDKTF_OUTDIR: outdir,
    OVH_IAC_CLIENTS_DIR: path.join(work, `clients-${clients}`),
    OVH_IAC_CLIENTS: selected,
  };
  if (!selected) delete env.OVH_IAC_CLIENTS;

  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [TSX_CLI, script], { cwd: ROOT, env, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;

  if (child.status !== 0) throw new Error(`${script} failed (${child.status ?? child.signal}):\n${child.stderr}`);
  const written = fs.readdirSync(path.join(outdir, 'stacks')).length;
  if (written !== stacksOf(benchCase)) throw new Error(`${script} wrote ${written} stacks, expected ${stacksOf(benchCase)}`);
  const peakKiB = Math.max(...fs.readFileSync(rssFile, 'utf8').trim().split('\n').map(Number));
  return { seconds: round(seconds, 3), peakMiB: round(peakKiB / 1024, 1) };
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
function measure(work: string): Result[] {
  const runs: Run[][] = CASES.map(() => []);
  for (let pass = 1; pass <= REPEATS; pass++) {
    CASES.forEach((benchCase, i) => {
      const run = runOnce(work, benchCase);
      runs[i].push(run);
      console.error(`round ${pass}/${REPEATS}: ${benchCase.name}, ${benchCase.clients} clients: ${run.seconds.toFixed(2)} s, ${run.peakMiB.toFixed(0)} MiB`);
    });
  }
  return CASES.map((benchCase, i) => ({
    ...benchCase,
    stacks: stacksOf(benchCase),
    seconds: median(runs[i].map((run) => run.seconds)),
    peakMiB: median(runs[i].map((run) => run.peakMiB)),
    runs: runs[i],
  }));
}

function goalsOf(results: Result[]) {
  const find = (clients: number, selected = false) => results.find((r) => r.script === 'main.ts' && r.clients === clients && !!r.selected === selected)!;
  const baseline = results.find((r) => r.script === BASELINE.script)!;
  const [small, medium, large] = SIZES.map((n) => find(n));
  const selection = find(1000, true);
  /** Seconds per added client between two sizes. */
  const marginal = (from: Result, to: Result) => (to.seconds - from.seconds) / (to.clients - from.clients);
  const growth = marginal(medium, large) / marginal(small, medium);
  return [
    { goal: `full synthesis of 1,000 clients: at most ${GOALS.fullSeconds} s`, value: `${large.seconds.toFixed(1)} s`, met: large.seconds <= GOALS.fullSeconds },
    { goal: `full synthesis of 1,000 clients: at most ${GOALS.fullPeakMiB / 1024} GiB peak`, value: `${large.peakMiB.toFixed(0)} MiB`, met: large.peakMiB <= GOALS.fullPeakMiB },
    {
      goal: `one client selected among 1,000: at most ${GOALS.selectionVsBaseline}x the baseline's time`,
      value: `${(selection.seconds / baseline.seconds).toFixed(2)}x (${selection.seconds.toFixed(2)} s vs ${baseline.seconds.toFixed(2)} s)`,
      met: selection.seconds <= GOALS.selectionVsBaseline * baseline.seconds,
    },
    {
      goal: `linear: the cost of a client from 100 to 1,000 clients at most ${GOALS.marginalCostGrowth}x that from 10 to 100`,
      value: `${growth.toFixed(2)}x (${(marginal(medium, large) * 1000).toFixed(1)} vs ${(marginal(small, medium) * 1000).toFixed(1)} ms per client)`,
      met: growth <= GOALS.marginalCostGrowth,
    },
  ];
}

function markdown(results: Result[], goals: ReturnType<typeof goalsOf>): string {
  const baseline = results.find((r) => r.script === BASELINE.script)!;
  const rows = results.map(
    (r) =>
      `| ${r.name} | ${r.clients || '-'} | ${r.stacks} | ${r.seconds.toFixed(2)} | ${r.peakMiB.toFixed(0)} | ${(r.seconds / baseline.seconds).toFixed(2)}x |`,
  );
  return [
    `| case | client files | stacks written | wall time (s) | peak RSS (MiB) | time vs baseline |`,
    `|---|---:|---:|---:|---:|---:|`,
    ...rows,
    '',
    `| goal | measured | met |`,
    `|---|---|---|`,
    ...goals.map((g) => `| ${g.goal} | ${g.value} | ${g.met ? 'yes' : '**no**'} |`),
  ].join('\n');
}

function main(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ovh-iac-bench-'));
  try {
    for (const size of SIZES) writeSyntheticClients(path.join(work, `clients-${size}`), size);
    // One untimed run of each script, so that no case pays for tsx's first transpilation.
    runOnce(work, BASELINE);
    runOnce(work, { name: 'warm-up', script: 'main.ts', clients: 10, selected: SELECTED });

    const results = measure(work);
    const goals = goalsOf(results);
    const cpus = os.cpus();
    const report = {
      command: 'npm run bench',
      date: new Date().toISOString(),
      machine: { cpus: cpus.length, cpu: cpus[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), platform: `${os.platform()} ${os.arch()}`, node: process.version },
      repeats: REPEATS,
      results,
      goals,
    };
    fs.writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`${report.machine.cpus} x ${report.machine.cpu}, ${report.machine.memoryGiB} GiB, Node.js ${report.machine.node}; median of ${REPEATS} runs\n`);
    console.log(markdown(results, goals));
    console.log(`\nWritten to ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

main();
