/**
 * `npm test`'s static checks, run at once: the type check (`npm run typecheck`: tsc), the lint (ESLint) and the layout
 * (Prettier). Each is one process on one core; one after the other they took 20 s on a fresh clone (8.3, 5.6 and
 * 5.9 s: tsc and ESLint have no cache there yet). Each one's output is printed whole once all have ended, in this
 * order, so that they never mix; the step fails if one does.
 */
import { spawn } from 'node:child_process';

/** The checks, as package.json's scripts. */
export const STATIC_CHECKS = ['typecheck', 'lint', 'format:check'];

interface Outcome {
  script: string;
  code: number | null;
  output: string;
}

function runScript(script: string, cwd: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', (error) => resolve({ script, code: null, output: `${error.message}\n` }));
    child.on('close', (code) => resolve({ script, code, output: Buffer.concat(chunks).toString('utf8') }));
  });
}

/** Runs every check at once in `cwd`; prints each one's output and returns 0 when all pass, else 1. */
export async function runStaticChecks(cwd: string, write: (text: string) => void): Promise<number> {
  const outcomes = await Promise.all(STATIC_CHECKS.map((script) => runScript(script, cwd)));
  for (const { script, code, output } of outcomes) {
    if (output) write(output.endsWith('\n') ? output : `${output}\n`);
    if (code !== 0) write(`npm run ${script} failed${code === null ? ' to start' : ` (exit ${code})`}\n`);
  }
  return outcomes.every(({ code }) => code === 0) ? 0 : 1;
}
