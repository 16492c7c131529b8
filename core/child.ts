/**
 * A child process for the review and CI commands (`npm run synth`, `npm ci`, `terraform ...`): run in a folder,
 * with what it printed kept for the caller.
 */
import { spawn } from 'node:child_process';

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `command` with this process's environment less the project's own variables (`OVH_IAC_*`, `CDKTF_*`: the
 * caller decides those, in `env`), plus `env`.
 */
export function runChild(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ChildResult> {
  const inherited = Object.entries(process.env).filter(([name]) => !/^(OVH_IAC_|CDKTF_)/.test(name));
  return collectOutput(command, args, { cwd, env: { ...Object.fromEntries(inherited), ...env } }).catch((error: Error) => {
    throw new Error(`cannot run ${command}: ${error.message}`);
  });
}

/** Runs `command` (never through a shell) with exactly `env`, to its end, collecting its output; rejects when it cannot start. */
export function collectOutput(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
