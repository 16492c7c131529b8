/**
 * `npm test`'s first step: what the tests need is there (prerequisites.ts), then the type check, the lint and the
 * layout check, the package.json scripts `typecheck`, `lint` and `format:check`, at once: each keeps about one core
 * busy, so on two cores they end sooner together than one after the other (each writes only its own cache). Each
 * one's output is printed whole when all have ended, in that order; any failure fails the step, and jest never starts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { collectOutput } from '../../core/child';
import { exitUnlessPrerequisites } from './prerequisites';

const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const CHECKS = ['typecheck', 'lint', 'format:check'];

async function runChecks(): Promise<number> {
  const { scripts } = JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  // As npm runs a script: its words, with the project's binaries first on the PATH (none of them uses a shell).
  const env = { ...process.env, PATH: [path.join(PROJECT_ROOT, 'node_modules', '.bin'), process.env.PATH].join(path.delimiter) };
  const runs = await Promise.all(
    CHECKS.map(async (name) => {
      const started = Date.now();
      const [command, ...args] = scripts[name].split(/\s+/);
      const result = await collectOutput(command, args, { cwd: PROJECT_ROOT, env });
      return { name, script: scripts[name], seconds: (Date.now() - started) / 1000, ...result };
    }),
  );
  for (const run of runs) {
    process.stdout.write(run.stdout);
    process.stderr.write(run.stderr);
    if (run.code !== 0) process.stderr.write(`npm test: ${run.name} (${run.script}) failed, exit ${run.code}\n`);
  }
  process.stdout.write(`${runs.map((run) => `${run.name} ${run.seconds.toFixed(1)} s`).join(', ')}, at once\n`);
  return runs.every((run) => run.code === 0) ? 0 : 1;
}

exitUnlessPrerequisites(process.env);
runChecks().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`npm test: the checks could not run: ${error.message}\n`);
    process.exit(1);
  },
);
