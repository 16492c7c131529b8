/**
 * `npm run bench:tests`: `npm test` step by step, as package.json's `test` script runs it, timed: each step's wall
 * time, then each jest suite's, slowest first, with the machine's cores and load averages. The figures of the README's
 * "Tests" section come from it; speed is measured here, never asserted by a test.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { noArguments, type Command, type CommandContext } from '../cli/command-line';

/** What jest writes with --json: the parts read here. */
interface JestResults {
  numFailedTests: number;
  numPassedTests: number;
  testResults: { name: string; startTime: number; endTime: number; assertionResults: unknown[] }[];
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const loads = () =>
  os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(', ');

/** The steps of the `test` script (`a && b && ...`), each as written and as run: jest told to write its results. */
function testSteps(projectRoot: string, jestResults: string): { step: string; words: string[] }[] {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: { test: string } };
  return scripts.test.split(' && ').map((written) => {
    const step = written.trim();
    const words = step.split(/\s+/);
    return { step, words: words[0] === 'jest' ? [...words, '--json', `--outputFile=${jestResults}`] : words };
  });
}

/** Runs one step as npm would (its local binaries on the PATH), its output to standard error; its exit code. */
function runStep(words: string[], projectRoot: string, env: NodeJS.ProcessEnv): Promise<number> {
  const PATH = [path.join(projectRoot, 'node_modules', '.bin'), env.PATH].join(path.delimiter);
  return new Promise((resolve, reject) => {
    const child = spawn(words[0], words.slice(1), {
      cwd: projectRoot,
      env: { ...env, PATH },
      stdio: ['ignore', process.stderr, 'inherit'],
    });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function testTimes(_args: void, { env, projectRoot, io }: CommandContext): Promise<number> {
  const jestResults = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'test-times-')), 'jest.json');
  const loadBefore = loads();
  const steps: [step: string, ms: number, code: number][] = [];
  const started = Date.now();
  for (const { step, words } of testSteps(projectRoot, jestResults)) {
    const stepStarted = Date.now();
    const code = await runStep(words, projectRoot, env);
    steps.push([step, Date.now() - stepStarted, code]);
    if (code !== 0) break;
  }
  const total = Date.now() - started;
  io.out(`npm test: ${seconds(total)} s on ${os.availableParallelism()} core(s); load averages ${loadBefore} before, ${loads()} after`);
  io.out('');
  io.out('| step | wall time (s) | exit |');
  io.out('|---|---:|---:|');
  for (const [step, ms, code] of steps) io.out(`| \`${step}\` | ${seconds(ms)} | ${code} |`);
  if (fs.existsSync(jestResults)) {
    const results = JSON.parse(fs.readFileSync(jestResults, 'utf8')) as JestResults;
    io.out('');
    io.out(`${results.numPassedTests} test(s) passed, ${results.numFailedTests} failed`);
    io.out('');
    io.out('| suite | tests | wall time (s) |');
    io.out('|---|---:|---:|');
    const suites = results.testResults
      .map((suite) => ({
        name: path.relative(projectRoot, suite.name),
        tests: suite.assertionResults.length,
        ms: suite.endTime - suite.startTime,
      }))
      .sort((a, b) => b.ms - a.ms);
    for (const suite of suites) io.out(`| \`${suite.name}\` | ${suite.tests} | ${seconds(suite.ms)} |`);
  }
  return steps.every(([, , code]) => code === 0) ? 0 : 1;
}

export const testTimesCommand: Command<void> = {
  name: 'bench:tests',
  usage: `Usage: npm run bench:tests

Runs npm test's steps as package.json's test script lists them, each timed, and prints the times of each step and
of each jest suite (Markdown tables), with the machine's cores and load averages.`,
  exitCodes: { 0: 'every step passed', 1: 'a step failed (its output is above the tables)' },
  parse: noArguments,
  run: testTimes,
};
