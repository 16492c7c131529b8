import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where jest's global set-up leaves the run's temporary folder for its tear-down (they share their globals). */
export const RUN_FOLDER = '__ovhIacTestRunFolder';

/**
 * A new folder in the machine's temporary folder, for the run's processes to get as their `TMPDIR`; except tsx's cache
 * of compiled files, which tsx keeps in TMPDIR (`tsx-<user id>`): the folder links to the machine's, so that each
 * process (`npm run synth`, the contacts tool that Terraform starts per service) uses it as outside the tests, instead
 * of compiling every file again (about 0.5 s of CPU per process). Removing the folder removes the link, not the cache.
 */
export function temporaryFolderKeepingTsxCache(prefix: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const tsxCache = `tsx-${process.geteuid?.() ?? os.userInfo().username}`;
  const machineCache = path.join(os.tmpdir(), tsxCache);
  fs.mkdirSync(machineCache, { recursive: true });
  fs.symlinkSync(machineCache, path.join(folder, tsxCache));
  return folder;
}
