/**
 * Jest's global set-up: what the run needs is there (`prerequisites.ts`), else nothing runs. Then the whole test run,
 * its workers and every process they start (the entry scripts, terraform, git) make their temporary files in one folder
 * of the run's own (`TMPDIR`), which the global tear-down removes.
 * Tests make hundreds of client folders, outputs and repositories; without it, each run would leave them in the
 * machine's /tmp.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exitUnlessPrerequisites } from './prerequisites';
import { RUN_FOLDER } from './temporary-folder';

export default function setUp(): void {
  exitUnlessPrerequisites(process.env);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'ovh-iac-tests-'));
  // Set before jest starts its workers, which inherit the environment.
  process.env.TMPDIR = folder;
  (globalThis as Record<string, unknown>)[RUN_FOLDER] = folder;
}
