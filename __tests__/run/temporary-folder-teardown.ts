/** Jest's global tear-down: removes the run's temporary folder (see global-setup.ts). */
import * as fs from 'node:fs';
import { RUN_FOLDER } from './temporary-folder';

export default function tearDown(): void {
  const folder = (globalThis as Record<string, unknown>)[RUN_FOLDER];
  if (typeof folder === 'string') fs.rmSync(folder, { recursive: true, force: true });
}
