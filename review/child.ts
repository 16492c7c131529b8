/**
 * A child process for the review commands (`npm run synth`, `npm ci`, `npm run gen`): run in a folder, its
 * standard error kept for the messages, its standard output dropped (progress of its own).
 */
import { spawn } from 'node:child_process';

export interface ChildResult {
  code: number | null;
  stderr: string;
}

export function runChild(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', (error) => reject(new Error(`cannot run ${command}: ${error.message}`)));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}
