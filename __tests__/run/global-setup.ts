/**
 * Jest's global set-up: what the run needs is there (`prerequisites.ts`), else nothing runs. Then the whole test run,
 * its workers and every process they start (tsx, terraform, git) make their temporary files in one folder of the run's
 * own (`TMPDIR`), which the global tear-down removes; tsx's cache of compiled files excepted (`temporary-folder.ts`).
 * Tests make hundreds of client folders, outputs and repositories; without it, each run would leave them in the
 * machine's /tmp.
 */
import { exitUnlessPrerequisites } from './prerequisites';
import { RUN_FOLDER, temporaryFolderKeepingTsxCache } from './temporary-folder';

export default function setUp(): void {
  exitUnlessPrerequisites(process.env);
  const folder = temporaryFolderKeepingTsxCache('ovh-iac-tests-');
  // Set before jest starts its workers, which inherit the environment.
  process.env.TMPDIR = folder;
  (globalThis as Record<string, unknown>)[RUN_FOLDER] = folder;
}
