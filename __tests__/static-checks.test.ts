/**
 * The static checks, each its package.json script: types (`typecheck`: tsc), lint (`lint`: ESLint) and layout
 * (`format:check`: Prettier). They are a suite of the run rather than steps before it, so that they take the CPU the
 * other suites leave idle (waiting on terraform and on the provider's pauses) instead of adding their time to the
 * run's. They run one after the other here: each keeps more than one core busy.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const PROJECT_ROOT = path.resolve(__dirname, '..');

/** Runs `npm run --silent <script>` in the project: its exit code, and what it printed (both streams, in order). */
function npmRun(script: string): Promise<{ exit: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', script], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (exit) => resolve({ exit, output }));
  });
}

test.each([
  ['typecheck', 'every file type-checks'],
  ['lint', 'ESLint finds nothing'],
  ['format:check', 'every file is laid out as Prettier lays it out'],
])('npm run %s: %s', async (script) => {
  // On failure, jest shows what the tool printed: the files, lines and rules.
  expect(await npmRun(script)).toEqual({ exit: 0, output: expect.any(String) });
});
