/** The benchmark's baseline, run by `npm run bench`: see bench/baseline.ts. */
import { startCommand } from '../cli/command-line';
import { baselineCommand } from './baseline';

startCommand(baselineCommand);
